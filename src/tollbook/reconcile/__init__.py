"""Reconcile: the events of many reports grouped into incidents, their figures into low / high /
best with the reports behind each number (``group`` then ``reconcile``)."""

from __future__ import annotations

from collections.abc import Sequence

from tollbook.reconcile.grouping import group, items_of
from tollbook.reconcile.incidents import Incident, Reconciled, reconcile
from tollbook.records import Event, Report


def build_incidents(events: Sequence[Event], reports: dict[str, Report]) -> list[Incident]:
    """Incidents from events (main and referenced) and their reports; each event in exactly one."""
    by_key = {e.id if e.id is not None else n: e for n, e in enumerate(events)}
    items = items_of((e, reports[e.report_id]) for e in events)
    return [reconcile([by_key[it.key] for it in g], reports) for g in group(items)]


__all__ = ["Incident", "Reconciled", "build_incidents", "reconcile"]
