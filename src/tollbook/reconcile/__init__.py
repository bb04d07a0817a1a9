"""Reconcile: the events of many reports grouped into incidents, their figures into low / best /
high with the reports behind each number, and people's decisions (the review log) applied on top:
``grouping`` -> ``incidents`` -> ``review``."""

from __future__ import annotations

import copy
import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tollbook.reconcile.background import context_reason
from tollbook.reconcile.copies import copies_together
from tollbook.reconcile.grouping import Grouping, WordTable, group_all, item_of, regroup
from tollbook.reconcile.incidents import Incident, Reconciled, reconcile
from tollbook.reconcile.review import apply_corrections, replay
from tollbook.records import NO_INCIDENT_TYPES, Event, Report


def incident_events(events: Sequence[Event]) -> list[Event]:
    """The events incidents are made of: not those of a report that tells no violent incident (a
    peaceful protest, an arrest, an agreement, a flood, a diplomatic row: records.NO_INCIDENT_TYPES).
    Those stay in the store and in ``events`` as what the report tells, but a toll, a date or a
    place of the violent record never comes from them, and they never join a violent incident."""
    return [e for e in events if e.type not in NO_INCIDENT_TYPES]


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
    """Incidents from events (main and referenced) and their reports; each event in at most one (an
    event a report tells only as background is in one when it joins an incident: background.py).
    ``log`` is the review log: its decisions win over the machine's grouping and figures."""
    return update_incidents(events, reports, log).incidents


@dataclass(slots=True)
class IncidentState:
    """Incidents with what they were computed from, for ``update_incidents`` to update."""

    grouping: Grouping
    events: dict[str, Event]  # by ref
    reconciled: dict[tuple[str, ...], Incident]  # each group's incident before people's corrections
    incidents: list[Incident]  # with the corrections

    @property
    def table(self) -> WordTable:
        return self.grouping.table


def update_incidents(events: Sequence[Event], reports: dict[str, Report], log: list[dict[str, Any]] | None = None,
                     previous: IncidentState | None = None, table: WordTable | None = None,
                     grouper: Callable[..., Grouping] | None = None) -> IncidentState:
    """``build_incidents``, keeping what it was computed from. With ``previous``, only the incidents
    the changes reach are grouped and reconciled again (``grouping.regroup``), with ``previous``'s
    frozen word table; without, the whole collection is grouped with ``table`` (by default the
    collection's own) by ``grouper`` (``group_all``, or the same result in partitions:
    ``partitions.group_partitioned``). ``reports`` needs to hold the reports of every event."""
    events = incident_events(events)
    with _no_cycle_collection():
        refs = event_refs(events)
        decisions = replay(log or [])
        copies_together(decisions.constraints, events, refs, reports)  # syndicated copies: copies.py
        old_items = previous.grouping.items if previous else {}
        old_events = previous.events if previous else {}
        vocab: dict[str, str] = {}
        items = []
        for n, (e, ref) in enumerate(zip(events, refs)):
            key = e.id if e.id is not None else n
            it = old_items.get(ref)
            if it is None or it.key != key or not _same(old_events.get(ref), e):
                it = item_of(e, reports[e.report_id], key, vocab)
            items.append(it)
        if previous is None:
            g = (grouper or group_all)(items, refs, decisions.constraints, table)
        else:
            g = regroup(previous.grouping, items, refs, decisions.constraints)
        by_ref = dict(zip(refs, events))
        context = {r: context_reason(e, reports[e.report_id]) for r, e in by_ref.items()}
        reconciled: dict[tuple[str, ...], Incident] = {}
        for members in g.groups:
            key = tuple(members)
            done = previous.reconciled.get(key) if previous else None
            if done is None or not all(_same(old_events.get(r), by_ref[r]) for r in members):
                done = reconcile([by_ref[r] for r in members], reports, members)
            reconciled[key] = done
        # a group made only of what reports tell as background (history, a follow-up's earlier
        # incident) is no incident: its events stay their reports' (background.py)
        out = [reconciled[tuple(m)] for m in g.groups if not all(context.get(r) for r in m)]
        if decisions.corrections:
            # corrections change the incidents they name: on copies, the machine's stay as they were
            named = {r for c in decisions.corrections for r in c["target"]["refs"]}
            out = [copy.deepcopy(inc) if named.intersection(inc.refs) else inc for inc in out]
            apply_corrections(out, decisions.corrections)
        return IncidentState(g, by_ref, reconciled, out)


def _same(a: Event | None, b: Event) -> bool:
    """One event as stored (its id), or the very same object when events have no ids."""
    return a is b or (a is not None and a.id is not None and a.id == b.id)


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


__all__ = ["Incident", "IncidentState", "Reconciled", "build_incidents", "event_refs", "reconcile",
           "update_incidents"]
