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

# Every flag has a kind users filter on and a one-line explanation (docs/reconcile.md). Flags made at
# extraction carry the id of a rule in tollbook.extract.rules; these are made here, across reports.
FLAG_KINDS = {
    "date contradiction": "the dates given for the incident cannot all be true (within a report or between reports)",
    "place contradiction": "the reports place the incident in different countries or towns far apart",
    "perpetrator claims differ": "different sources blame different perpetrators",
    "toll contradiction": "a count is far from the others, or a report gives two counts that cannot both hold",
    "implausible toll": "a toll larger than any plausible for an incident of this type: check it is no tally",
    "ambiguous place": "a place name fits several places; the one chosen may be wrong",
}
R_DATES = "reconcile.dates-differ"
R_PLACES = "reconcile.places-differ"
R_PERPETRATORS = "reconcile.perpetrators-differ"
R_TOLL_OUTLIER = "reconcile.toll-outlier"
R_TOLL_IMPLAUSIBLE = "reconcile.toll-implausible"
R_IN_REPORT = "reconcile.in-report"  # a report's own flag, carried to its incident (the flag keeps its rule)
# The largest killed toll plausible for one incident of a type: more is most often a tally (a year's
# deaths, a war's dead) read as a toll. Generous: the worst single attacks and massacres of recent
# decades stay below these (docs/reconcile.md).
PLAUSIBLE_KILLED = {"armed attack": 200, "bombing": 600, "shelling/airstrike": 600, "mass killing": 3000,
                    "abduction": 200, "arson": 300, "armed clash": 2000, "other violence": 200}
# Kinds of a report's own flags that an incident keeps (an ambiguous place is settled by reconciling).
CARRIED = ("date contradiction", "toll contradiction")


def explain(kind: str) -> str:
    """The one-line explanation of a flag kind ('' for a kind not listed)."""
    return FLAG_KINDS.get(kind, "")


DATE_TOLERANCE_DAYS = 2  # "Tuesday" read a day off, a report dated after midnight
PLACE_TOLERANCE_KM = 50.0  # a town and its suburb, a village and the district town the wires name
SPECIFIC = ("armed group", "security forces", "government", "named person")  # kinds of claim that can disagree


def flags_of(events: Sequence[Event], figures: Sequence, place=None) -> list[Flag]:
    """The flags of one incident from its events (in publication order) and reconciled ``figures``:
    the reports' own contradictions (with both spans) and where the reports disagree."""
    found = [*_carried(events), _dates(events), _places(events), _perpetrators(events), *_figures(events, figures),
             _implausible(events, figures)]
    return [f for f in found if f]


def _carried(events: Sequence[Event]) -> list[Flag]:
    """'the night of August 31' and 'the night of August 1' in one report: the incident keeps that doubt."""
    out, seen = [], set()
    for e in events:
        for f in e.flags:
            key = (f.kind, tuple((ev.report_id, ev.start, ev.end) for ev in f.evidence))
            if f.kind in CARRIED and key not in seen:
                seen.add(key)
                out.append(Flag(f.kind, f"one report: {f.message}", f.evidence, rule=f.rule or R_IN_REPORT))
    return out


def _implausible(events: Sequence[Event], figures: Sequence) -> Flag | None:
    killed = next((f for f in figures if f.kind == "killed"), None)
    if killed is None:
        return None
    types = [e.type for e in events]
    kind = max(sorted(set(types)), key=lambda t: (types.count(t), t == types[0]))
    limit = PLAUSIBLE_KILLED.get(kind, PLAUSIBLE_KILLED["other violence"])
    if max((s.value() or 0 for s in killed.sources), default=0) <= limit:
        return None
    evidence = tuple(ev for e in events for f in e.figures if f.kind == "killed" and f.low is not None
                     and f.low > limit for ev in _first(f.evidence))
    if not evidence:
        return None
    told = max(s.value() or 0 for s in killed.sources)
    return Flag("implausible toll", f"killed {told} is more than any {kind} plausibly kills ({limit}): a tally over "
                "years or places read as a toll? Not taken as the best figure", evidence, rule=R_TOLL_IMPLAUSIBLE)


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
    return Flag("date contradiction", f"the reports date it differently: {', '.join(map(str, days))}", evidence,
                rule=R_DATES)


def _places(events: Sequence[Event]) -> Flag | None:
    places = [e.places[0] for e in events if e.places]
    countries: dict[str, object] = {}
    for p in places:
        if p.country_code:
            countries.setdefault(p.country_code, p)
    if len(countries) > 1:
        names = ", ".join(f"{p.name} ({p.country})" for p in countries.values())
        return Flag("place contradiction", f"the reports place it in different countries: {names}",
                    tuple(ev for p in countries.values() for ev in _first(p.evidence)), rule=R_PLACES)
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
                _first(a.evidence) + _first(b.evidence), rule=R_PLACES)


def _where(p) -> str:
    """"Springfield (Illinois)": two namesakes apart are what this flag most often shows."""
    region = p.admin1 or p.country
    return f"{p.name} ({region})" if region else p.name


def _claim(text: str) -> str:
    words = [w for w in text.lower().replace("'s", "").split() if w not in ("the", "a", "an", "of")]
    return " ".join(words)


def _perpetrators(events: Sequence[Event]) -> Flag | None:
    """Claims by different sources that share no name. One source naming several perpetrators
    ("agents of the prime minister's office and their Quds force allies") makes one claim of
    co-perpetrators, not a disagreement; a source is a report's own voice or whom it quotes."""
    by_source: dict[tuple[str, str], dict[str, object]] = {}
    for e in events:
        for a in e.actors:
            if a.role == "perpetrator" and a.kind in SPECIFIC and _claim(a.text):
                by_source.setdefault((e.report_id, a.attributed_to), {}).setdefault(_claim(a.text), a)
    if len(by_source) < 2:
        return None

    def same(k: str, o: str) -> bool:  # "Islamic State" and "the Islamic State group" are one name
        return k in o or o in k

    claims = list(by_source.values())
    pair = next(((a, b) for i, a in enumerate(claims) for b in claims[i + 1:]
                 if not any(same(k, o) for k in a for o in b)), None)
    if pair is None:
        return None
    # each name as fully as any source gives it ("the Red Hand group" for "the Red Hand")
    every = {k: a for side in claims for k, a in side.items()}
    pair = tuple({k: every[max((o for o in every if same(k, o)), key=len)] for k in side} for side in pair)
    actors = [x for side in pair for x in side.values()]
    said = "; ".join(" and ".join(a.text + (" (alleged)" if a.hedged else "") for a in side.values())
                     + f", said by {next(iter(side.values())).attributed_to}" for side in pair)
    return Flag("perpetrator claims differ", f"the reports blame different perpetrators: {said}",
                tuple(ev for a in actors for ev in _first(a.evidence)), rule=R_PERPETRATORS)


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
                        tuple(evidence), rule=R_TOLL_OUTLIER))
    return out
