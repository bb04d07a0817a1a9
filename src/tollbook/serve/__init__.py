"""Serve the record: the HTTP API and web pages (``tollbook serve``)."""

from tollbook.serve.app import create_app

__all__ = ["create_app"]
