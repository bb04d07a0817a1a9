"""Flags across the reports of one incident: where they disagree beyond tolerance, each flag with the
evidence of every side (the report and the characters), so a person can check it in the reports.

- dates: day-precise dates of the incident more than ``DATE_TOLERANCE_DAYS`` apart;
- places: the towns the reports give more than ``PLACE_TOLERANCE_KM`` apart, or different countries;
- perpetrators: claims of who did it that name different armed groups, forces or people (an
  unnamed "gunman" beside a named group is not a contradiction: it says less, not otherwise);
- figures: a report's count more than twice the others' median plus two (of three reports or more).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from tollbook.extract.gazetteer import distance_km
from tollbook.records import Event, Evidence, Flag

DATE_TOLERANCE_DAYS = 2  # "Tuesday" read a day off, a report dated after midnight
PLACE_TOLERANCE_KM = 50.0  # a town and its suburb, a village and the district town the wires name
SPECIFIC = ("armed group", "security forces", "government", "named person")  # kinds of claim that can disagree


def flags_of(events: Sequence[Event], figures: Sequence) -> list[Flag]:
    """The flags of one incident from its events (in publication order) and reconciled ``figures``."""
    return [f for f in (_dates(events), _places(events), _perpetrators(events), *_figures(events, figures)) if f]


def _first(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    return evidence[:1]


def _dates(events: Sequence[Event]) -> Flag | None:
    by_day: dict = {}
    for e in events:
        for w in e.dates[:1]:
            if w.precision == "day" and w.earliest == w.latest:
                by_day.setdefault(w.earliest, w)
    days = sorted(by_day)
    if len(days) < 2 or (days[-1] - days[0]).days <= DATE_TOLERANCE_DAYS:
        return None
    evidence = tuple(ev for d in days for ev in _first(by_day[d].evidence))
    return Flag("date contradiction", f"the reports date it differently: {', '.join(map(str, days))}", evidence)


def _places(events: Sequence[Event]) -> Flag | None:
    places = [e.places[0] for e in events if e.places]
    countries: dict[str, object] = {}
    for p in places:
        if p.country_code:
            countries.setdefault(p.country_code, p)
    if len(countries) > 1:
        names = ", ".join(f"{p.name} ({p.country})" for p in countries.values())
        return Flag("place contradiction", f"the reports place it in different countries: {names}",
                    tuple(ev for p in countries.values() for ev in _first(p.evidence)))
    towns = [p for p in places if p.precision in ("city", "point") and p.lat is not None and p.lon is not None]
    far, pair = 0.0, None
    for i, a in enumerate(towns):  # the reports of one incident are few: all pairs
        for b in towns[i + 1:]:
            km = distance_km(a.lat, a.lon, b.lat, b.lon)
            if km > far:
                far, pair = km, (a, b)
    if pair is None or far <= PLACE_TOLERANCE_KM:
        return None
    a, b = pair
    return Flag("place contradiction", f"the reports place it {far:.0f} km apart: {_where(a)} and {_where(b)}",
                _first(a.evidence) + _first(b.evidence))


def _where(p) -> str:
    """"Springfield (Illinois)": two namesakes apart are what this flag most often shows."""
    region = p.admin1 or p.country
    return f"{p.name} ({region})" if region else p.name


def _claim(text: str) -> str:
    words = [w for w in text.lower().replace("'s", "").split() if w not in ("the", "a", "an", "of")]
    return " ".join(words)


def _perpetrators(events: Sequence[Event]) -> Flag | None:
    claims: dict[str, object] = {}
    for e in events:
        for a in e.actors:
            if a.role == "perpetrator" and a.kind in SPECIFIC and _claim(a.text):
                claims.setdefault(_claim(a.text), a)
    keys = sorted(claims)
    # "Islamic State" and "the Islamic State group" are one claim: one name inside the other
    distinct = [k for k in keys if not any(k != o and k in o for o in keys)]
    if len(distinct) < 2:
        return None
    actors = [claims[k] for k in distinct]
    said = "; ".join(f"{a.text}" + (" (alleged)" if a.hedged else "") + f", said by {a.attributed_to}" for a in actors)
    return Flag("perpetrator claims differ", f"the reports blame different perpetrators: {said}",
                tuple(ev for a in actors for ev in _first(a.evidence)))


def _figures(events: Sequence[Event], figures: Sequence) -> list[Flag]:
    out = []
    by_id = {e.id: e for e in events if e.id is not None}
    for f in figures:
        values = [s.value() for s in f.sources if s.value() is not None]
        if len(values) < 3:
            continue
        med = statistics.median(values)
        far = [s for s in f.sources if s.value() is not None and med and s.value() > 2 * med + 2]
        if not far:
            continue
        evidence: list[Evidence] = []
        for s in far:
            e = by_id.get(s.event_id) or next((x for x in events if x.report_id == s.report_id), None)
            fig = e.figure(f.kind) if e else None
            if fig is not None:
                evidence += _first(fig.evidence)
        if not evidence:
            continue
        out.append(Flag("toll contradiction",
                        f"{f.kind}: {[s.value() for s in far]} far above the other reports' median {med:g}",
                        tuple(evidence)))
    return out
