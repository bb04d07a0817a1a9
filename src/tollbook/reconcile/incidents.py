"""Reconciliation: the events of one group become one ``Incident`` with low / high / best figures
and the reports behind each number.

Rules (compared with Iraq Body Count and UCDP GED in docs/reconcile.md):

- ``low`` is the smallest lower bound any report gives, ``high`` the largest count any report
  gives (its upper bound, or its lower bound when it gives none); like IBC's minimum and maximum.
- ``best`` is the largest count the reports give (a report whose own numbers disagree offers the
  larger) — for the injured the middle one (``median_high``) — since a toll grows as the wounded
  die and a later, smaller figure mostly tells part of the story; but a vague figure ("several",
  "dozens") counts only when no report gives a number, and
  a report published more than ``UPDATE_DAYS`` after the first (a trial) offers nothing; like
  UCDP's best estimate it is one number inside low..high. Every report's figure stays in ``history``.
- the place is the most precise one the reports give (point < city < admin2 < admin1 < country),
  the date the span of the reports' dates; ``sources`` counts distinct outlets (an archived copy
  counts as its outlet: ``ingest.sources``), not copies.
- flags (``flags.py``): dates, places or perpetrator claims that disagree, a figure far above the
  others, each with the evidence of every side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tollbook.reconcile.copies import independent_sources, stories_of
from tollbook.reconcile.flags import PLAUSIBLE_KILLED, explain, flags_of
from tollbook.records import Event, Flag, Place, Report

R_DISAGREE = "figures.reports-disagree"  # extract/figures.py: one report's counts that disagree, kept as a range

UPDATE_DAYS = 30  # reports this long after the first can update the best figure
PRECISE_DAYS = 7  # a date spanning at most this many days is precise (a day, a weekend, "last week")
PRECISION_ORDER = {"point": 0, "city": 1, "admin2": 2, "admin1": 3, "country": 4, "unknown": 5}


@dataclass(slots=True)
class FigureSource:
    report_id: str
    event_id: int | None
    source: str | None
    published: dt.date | None
    low: int | None
    high: int | None
    qualifier: str
    disputed: bool = False  # the report's own counts disagree: low..high spans the numbers it gives
    fate_unknown: bool = False  # injured only because "shot" and the report tells no death among them
    # told of a month or more ("at least 80 people were killed in November") while other reports of the
    # incident give its day: a tally over a span, not this incident's toll
    over_span: bool = False

    def value(self) -> int | None:
        return self.low if self.low is not None else self.high


@dataclass(slots=True)
class Reconciled:
    """One kind of figure across the reports of an incident."""

    kind: str
    low: int | None
    high: int | None
    best: int | None
    sources: list[FigureSource]  # in publication order: the toll's history
    machine: dict[str, int | None] = field(default_factory=dict)  # values a person corrected, as computed
    wrong: bool = False  # a person marked the figure wrong

    @property
    def qualifier(self) -> str:
        """'at least' when the high is open ("at least 52": 52+), '' otherwise."""
        return "at least" if self.high is None and (self.low is not None or self.best is not None) else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "low": self.low, "high": self.high, "best": self.best,
            "qualifier": self.qualifier, "machine": self.machine, "wrong": self.wrong,
            "history": [
                {"report_id": s.report_id, "event_id": s.event_id, "source": s.source,
                 "published": s.published.isoformat() if s.published else None, "low": s.low, "high": s.high,
                 "qualifier": s.qualifier}
                for s in self.sources
            ],
        }


@dataclass(slots=True)
class Incident:
    """The events of many reports reconciled into one record of one incident."""

    id: str
    type: str
    events: list[Event]
    reports: list[str]
    figures: list[Reconciled] = field(default_factory=list)
    place: Place | None = None
    earliest: dt.date | None = None
    latest: dt.date | None = None
    sources: int = 0  # independent sources: distinct sites, copies of one story counted once (copies.py)
    flags: list[Flag] = field(default_factory=list)  # where the reports disagree, with the evidence
    refs: list[str] = field(default_factory=list)  # stable names of its events ("report#n")
    corrections: list[dict[str, Any]] = field(default_factory=list)  # from the review log
    copies: list[list[str]] = field(default_factory=list)  # reports that are copies of one story (2 or more)

    def figure(self, kind: str) -> Reconciled | None:
        return next((f for f in self.figures if f.kind == kind), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "reports": self.reports, "events": [e.id for e in self.events],
            "figures": [f.to_dict() for f in self.figures], "place": self.place.to_dict() if self.place else None,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None, "sources": self.sources,
            "flags": [f.to_dict() | {"explanation": explain(f.kind)} for f in self.flags], "refs": self.refs,
            "corrections": self.corrections, "copies": self.copies,
        }


def reconcile(events: Sequence[Event], reports: dict[str, Report], refs: Sequence[str] = ()) -> Incident:
    """One incident from the events of one group (each with its report in ``reports``)."""
    from tollbook.records import FIGURE_KINDS

    ordered = sorted(events, key=lambda e: (reports[e.report_id].published or dt.date.min, e.report_id))
    types = [e.type for e in ordered]
    event_type = max(sorted(set(types)), key=lambda t: (types.count(t), t == ordered[0].type))
    # a killed count beyond any plausible for the type is most often a tally (a year's, a country's): it
    # stays in the history and in low..high with an "implausible toll" flag, but is offered as no best
    limit = PLAUSIBLE_KILLED.get(event_type, PLAUSIBLE_KILLED["other violence"])
    figures = []
    dated = [e.when for e in ordered if e.when is not None]
    precise = any((w.latest - w.earliest).days <= PRECISE_DAYS for w in dated)
    for kind in FIGURE_KINDS:
        srcs = []
        for e in ordered:
            f = e.figure(kind)
            if f is not None:
                r = reports[e.report_id]
                srcs.append(FigureSource(e.report_id, e.id, r.source, r.published, f.low, f.high, f.qualifier,
                                         f.qualifier == "vague" and f.rule == R_DISAGREE,
                                         kind == "injured" and f.basis == "shot" and e.figure("killed") is None,
                                         precise and e.when is not None and
                                         (e.when.latest - e.when.earliest).days > PRECISE_DAYS))
        if not srcs:
            continue
        lows = [s.low for s in srcs if s.low is not None]
        tops = [s.high if s.high is not None else s.low for s in srcs if s.value() is not None]
        # a vague figure ("several", "dozens") does not supersede a count; nor does a report published
        # long after the first (a trial, an anniversary), which tells only what its story needs
        counted = [s for s in srcs if s.qualifier != "vague" and s.value() is not None] or srcs
        counted = [s for s in counted if not s.over_span] or counted
        if kind == "killed":
            counted = [s for s in counted if (s.value() or 0) <= limit]
        first_day = next((s.published for s in counted if s.published), None)
        if first_day:
            counted = [s for s in counted if not s.published or (s.published - first_day).days <= UPDATE_DAYS]
        # Best: the largest count among them. A shooting's toll only grows (the wounded die, more
        # victims are found), and a later, smaller figure is most often a report telling part of the
        # story (one victim's funeral, an arrest), not a correction. A report that contradicts
        # itself ("a man was killed" ... "three people were killed") offers the larger of its counts
        # when no report gives a plain count.
        offered = [s.high if s.disputed and s.high is not None else s.value() for s in counted]
        # "A man was shot" in an early report and "the man died" in a later one: the people shot
        # whose fate a report did not tell are injured only beyond those the incident counts dead.
        dead = next((f.best for f in figures if f.kind == "killed"), None) or 0
        offered = [max(0, v - dead) if s.fate_unknown and v is not None else v for s, v in zip(counted, offered)]
        latest = [v for v in offered if v is not None]
        # The injured are another matter: a report's count of the injured is often too high (parts
        # added to a total, the one who died counted as wounded too, a round-up's other shootings), and
        # the toll of the wounded does not grow as the dead do. The middle of the reports' counts
        # (the upper middle when they are even) is more often right than the largest (measured on
        # the GVA development set, docs/reconcile.md).
        if kind == "injured" and latest:
            best = statistics.median_high(latest)
        else:
            best = max(latest) if latest else None
        if best is not None and lows and best < min(lows):
            lows.append(best)  # keep low <= best
        # "at least 52" leaves the toll open above: the incident's high stays open, unless a report
        # counts as many or more ("at least 12" early, 21 later: 21 is the high)
        closed = [s.high for s in srcs if s.high is not None]
        # (a vague word, "dozens", is a reading by convention, not a count that keeps the toll open)
        open_high = any(s.low is not None and s.high is None and s.qualifier != "vague"
                        and (not closed or s.low >= max(closed)) for s in srcs)
        high = None if open_high else (max(tops) if tops else None)
        figures.append(Reconciled(kind, min(lows) if lows else None, high, best, srcs))
    places = [p for e in ordered for p in e.places[:1]]
    place = min(places, key=lambda p: PRECISION_ORDER.get(p.precision, 9)) if places else None
    whens = [w for e in ordered for w in e.dates[:1]]
    # a month or a year ("in March", a follow-up's way to recall the deed) adds nothing to the days other
    # reports give: the incident's span is that of the days, when there are some
    whens = [w for w in whens if (w.latest - w.earliest).days <= PRECISE_DAYS] or whens
    earliest = min((w.earliest for w in whens), default=None)
    latest = max((w.latest for w in whens), default=None)
    flags = flags_of(ordered, figures, place)
    # The id comes from the events' stable refs, so it survives extraction running again.
    anchor = min(refs) if refs else str(min((e.id if e.id is not None else 0) for e in ordered))
    return Incident(
        id="i" + hashlib.sha1(anchor.encode()).hexdigest()[:8], type=event_type, refs=sorted(refs),
        events=list(ordered), reports=sorted({e.report_id for e in ordered}),
        figures=figures, place=place, earliest=earliest, latest=latest,
        sources=independent_sources({e.report_id: reports[e.report_id] for e in ordered}.values()), flags=flags,
        copies=[g for g in stories_of({e.report_id for e in ordered}, _story_map(ordered, reports)) if len(g) > 1],
    )


def _story_map(events: Sequence[Event], reports: dict[str, Report]) -> dict[str, str]:
    return {e.report_id: reports[e.report_id].story or e.report_id for e in events}
