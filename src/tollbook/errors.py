"""Errors a user can act on. Each says what went wrong, about which input, and what to do.

The CLI prints ``str(error)`` as one line and exits 1; the HTTP API turns errors into one
JSON shape (``{"error": {"code": ..., "message": ...}}``).
"""

from __future__ import annotations


class TollbookError(Exception):
    """Base of every error tollbook raises on purpose."""

    code = "T000"

    def __str__(self) -> str:
        return f"{self.args[0] if self.args else self.__class__.__name__}"


class IngestError(TollbookError):
    """A report could not be taken in. ``source`` names the file (and line or row)."""

    code = "T100"

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(TollbookError):
    """The database cannot be opened, is of a newer schema, or a write failed."""

    code = "T200"


class NotFound(TollbookError):
    """A report, event or incident id that is not in the store."""

    code = "T404"


class ModelError(TollbookError):
    """The spaCy model is missing or is not the file the project was tested with."""

    code = "T300"


class GazetteerError(TollbookError):
    """A user gazetteer file cannot be read (with the line and the reason)."""

    code = "T310"


class DatasetError(TollbookError):
    """An evaluation dataset is missing or not in the expected format."""

    code = "T400"


class ReviewError(TollbookError):
    """A review action that cannot apply (unknown id, merging an incident with itself, ...)."""

    code = "T500"


class AuthError(TollbookError):
    """Editing without a login or token, or with a wrong one."""

    code = "T401"


class ClusterError(TollbookError):
    """A Dask cluster that cannot be started or reached (a bad --cluster or --scheduler)."""

    code = "T600"
