"""Reconcile: the events of many reports grouped into incidents, their figures into low / best /
high with the reports behind each number, and people's decisions (the review log) applied on top:
``grouping`` -> ``incidents`` -> ``review``."""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

from tollbook.reconcile.grouping import group, items_of
from tollbook.reconcile.incidents import Incident, Reconciled, reconcile
from tollbook.reconcile.review import apply_corrections, replay
from tollbook.records import Event, Report


def event_refs(events: Sequence[Event]) -> list[str]:
    """A stable name per event, "report id#n": the n-th event of its report (in the extractor's
    order, which the store keeps), whatever the events' database ids."""
    by_report: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        by_report[e.report_id].append(e)
    position = {}
    for rid, evs in by_report.items():
        for n, e in enumerate(sorted(evs, key=lambda e: (e.id is None, e.id))):
            position[id(e)] = f"{rid}#{n}"
    return [position[id(e)] for e in events]


def build_incidents(events: Sequence[Event], reports: dict[str, Report],
                    log: list[dict[str, Any]] | None = None) -> list[Incident]:
    """Incidents from events (main and referenced) and their reports; each event in exactly one.
    ``log`` is the review log: its decisions win over the machine's grouping and figures."""
    with _no_cycle_collection():
        return _build(events, reports, log)


@contextmanager
def _no_cycle_collection():
    """Grouping allocates millions of small objects and frees them by reference counting; the
    cyclic collector would rescan them all again and again (a third of the time at 100k events)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(events: Sequence[Event], reports: dict[str, Report], log: list[dict[str, Any]] | None) -> list[Incident]:
    refs = event_refs(events)
    decisions = replay(log or [])
    by_key = {e.id if e.id is not None else n: (e, refs[n]) for n, e in enumerate(events)}
    items = items_of((e, reports[e.report_id]) for e in events)
    out = []
    for g in group(items, refs, decisions.constraints):
        members = [by_key[it.key] for it in g]
        out.append(reconcile([e for e, _ in members], reports, [r for _, r in members]))
    apply_corrections(out, decisions.corrections)
    return out


__all__ = ["Incident", "Reconciled", "build_incidents", "event_refs", "reconcile"]
