"""Grouping: the events of many reports that tell one incident become one group.

Never all pairs. Events are *blocked* by region (country and first-level region, or country
alone when that is all a report says) and compared only with events of the same block whose
dates lie within ``WINDOW_DAYS``; a sort by date makes each block a sliding window, so the work is
O(n log n + n·k) for k events per window. Each compared pair gets a score from its dates, places,
types, figures, named victims and the words of the reports; pairs over ``THRESHOLD`` are joined
(union-find). The score of a pair does not depend on other events, so the groups do not depend on
the order in which reports arrive.

A referenced (older) incident is grouped like any other event, by its own dates and place: it
joins the reports of that older incident, never today's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tollbook.extract.gazetteer import distance_km
from tollbook.records import Event, Report

WINDOW_DAYS = 3
THRESHOLD = 2.5
NAME_BUCKET_MAX = 50
TEXT_NAME_BONUS = 1.0  # per "First Last" both reports name (at most two count)
TEXT_NAMES_TO_BRIDGE = 3  # shared full names that tie reports across a date gap or a distance
NAME_GAP_MAX_DAYS = 400
_WORD = re.compile(r"[a-z][a-z'-]{3,}")
_STOP = frozenset("""that this with from have were been said says police their there about after would which
while where when they them also into than then over more other some what could will shot shooting killed
injured wounded people according officers officer told news report reported reports year years""".split())


@dataclass(slots=True)
class Item:
    """What grouping needs to know of one event."""

    key: int  # the event's id (or its index)
    report_id: str
    role: str
    type: str
    earliest: dt.date | None
    latest: dt.date | None
    country: str | None
    admin1: str | None
    city: str | None
    place_id: str | None
    lat: float | None
    lon: float | None
    killed: int | None
    injured: int | None
    names: frozenset[str] = field(default_factory=frozenset)  # people the extractor named
    text_names: frozenset[str] = field(default_factory=frozenset)  # "First Last" anywhere in the report
    words: frozenset[str] = field(default_factory=frozenset)


def item_of(event: Event, report: Report, key: int) -> Item:
    when = event.when
    earliest = when.earliest if when else None
    latest = when.latest if when else None
    if earliest is None and report.published and event.role == "main":
        # no date in the report: the incident happened shortly before it was published
        earliest, latest = report.published - dt.timedelta(days=2), report.published
    p = event.place
    killed = event.figure("killed")
    injured = event.figure("injured")
    names = frozenset(_fold(a.text) for a in event.actors if a.kind == "named person")
    text = " ".join(x for x in (report.title or "", report.text[:600]) if x).lower()
    words = frozenset(w for w in _WORD.findall(text) if w not in _STOP)
    return Item(
        key=key, report_id=report.id, role=event.role, type=event.type, earliest=earliest, latest=latest,
        country=p.country_code if p else None, admin1=p.admin1 if p else None,
        city=_fold(p.city or (p.name if p.precision in ("city", "point") else "")) if p else None,
        place_id=p.gazetteer_id if p else None, lat=p.lat if p and p.precision in ("city", "point") else None,
        lon=p.lon if p and p.precision in ("city", "point") else None,
        killed=killed.low if killed else None, injured=injured.low if injured else None, names=names,
        text_names=_full_names(report.text), words=words,
    )


# "Allenwgia Pope", "Kevin Elkins": a first and a last name, capitalised, not an institution or a place word.
_FULL_NAME = re.compile(r"\b([A-Z][a-z]{2,}(?: [A-Z]\.)? [A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
_NOT_NAME_WORDS = frozenset("""police county sheriff department city street avenue road drive boulevard lane court
north south east west new saint san los las fort lake mount park high school university hospital center centre
church news channel times post tribune journal daily herald associated press state national united american
chief officer deputy detective sergeant lieutenant captain judge mayor governor attorney district office
monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december the and for with from this that""".split())


def _full_names(text: str) -> frozenset[str]:
    out = set()
    for m in _FULL_NAME.finditer(text[:3000]):
        words = m.group(1).replace(".", "").lower().split()
        if not any(w in _NOT_NAME_WORDS for w in words):
            out.add(" ".join(words))
    return frozenset(out)


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def block_keys(item: Item) -> list[tuple[str, str]]:
    """The blocks an item is compared in: its region, and its country for items that name only a
    country (a report that says "in Iraq" can be the same incident as one that says "in Diyala")."""
    country = item.country or "?"
    keys = [(country, item.admin1 or "*")]
    if item.admin1:
        keys.append((country, "*"))
    return keys


def score(a: Item, b: Item) -> float:
    """How strongly two events look like one incident; below THRESHOLD they are kept apart."""
    if a.report_id == b.report_id:
        return -10.0  # one report tells distinct incidents as distinct events
    if a.earliest is None or b.earliest is None:
        return -10.0
    shared_text = len(a.text_names & b.text_names)
    shared_names = bool(a.names & b.names) or shared_text >= TEXT_NAMES_TO_BRIDGE
    gap = max((a.earliest - b.latest).days, (b.earliest - a.latest).days, 0)
    if gap > NAME_GAP_MAX_DAYS:
        return -10.0
    if gap > 1 and not shared_names:
        # follow-up reports (an arrest, a funeral) date what they tell, not the incident: only
        # the people named can tie them to it
        return -10.0
    s = 1.0 if gap == 0 else 0.0
    # place
    if a.place_id and a.place_id == b.place_id or a.city and a.city == b.city:
        s += 2.0
    elif a.lat is not None and b.lat is not None:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        if km > 30 and not shared_names:
            return -10.0  # two towns far apart: two incidents
        s += 1.0 if km <= 30 else 0.0
    elif a.admin1 and a.admin1 == b.admin1:
        s += 0.3
    # type
    if a.type == b.type:
        s += 0.5
    elif {a.type, b.type} & {"bombing", "shelling/airstrike", "abduction"} and not {a.type, b.type} <= {
        "bombing", "shelling/airstrike"
    }:
        s -= 1.0
    # figures
    if a.killed is not None and b.killed is not None:
        s += 0.7 if a.killed == b.killed else -0.3 if max(a.killed, b.killed) > 2 * max(1, min(a.killed, b.killed)) \
            else 0.0
    if a.injured is not None and b.injured is not None and a.injured == b.injured and a.injured > 0:
        s += 0.3
    # named people
    if a.names & b.names:
        s += 3.0
    s += min(shared_text, 2) * TEXT_NAME_BONUS
    # words of the reports
    if a.words and b.words:
        s += 3.0 * len(a.words & b.words) / len(a.words | b.words)
    return s


@dataclass(slots=True)
class Constraints:
    """People's decisions, as pairs of event refs ("report#n"): ``must`` be in one incident,
    ``cannot`` be in one incident. They win over the machine's scores."""

    must: set[frozenset[str]] = field(default_factory=set)
    cannot: set[frozenset[str]] = field(default_factory=set)


def group(items: Sequence[Item], refs: Sequence[str] | None = None,
          constraints: Constraints | None = None) -> list[list[Item]]:
    """Groups of items (each group one incident), every item in exactly one group, in a stable
    order: by the earliest date of the group, then its smallest key. ``refs`` name the items for
    the reviewed ``constraints``."""
    parent = list(range(len(items)))
    members: dict[int, set[str]] = {i: {refs[i]} if refs else set() for i in range(len(items))}
    cannot = constraints.cannot if constraints else set()

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri == rj:
            return
        if cannot and any(frozenset((a, b)) in cannot for a in members[ri] for b in members[rj]):
            return  # a person said these are different incidents
        keep, drop = min(ri, rj), max(ri, rj)
        parent[drop] = keep
        members[keep] |= members.pop(drop)

    if constraints and refs:
        index = {r: i for i, r in enumerate(refs)}
        for pair in sorted(tuple(sorted(p)) for p in constraints.must):
            if all(r in index for r in pair):
                union(index[pair[0]], index[pair[1]])

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        if it.earliest is None:
            continue
        for key in block_keys(it):
            blocks[key].append(i)
    window = dt.timedelta(days=WINDOW_DAYS)
    for key in sorted(blocks):
        block = sorted(blocks[key], key=lambda i: (items[i].earliest, items[i].key))
        lo = 0
        for hi, j in enumerate(block):
            while items[block[lo]].earliest < items[j].earliest - window:
                lo += 1
            for i in block[lo:hi]:
                if score(items[i], items[j]) >= THRESHOLD:
                    union(i, j)
    # Named people tie reports together across time and blocks (a follow-up on an arrest names
    # the victim); buckets of very common names are skipped so this stays near-linear.
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        for name in it.names | it.text_names:
            by_name[name].append(i)
    for name in sorted(by_name):
        bucket = by_name[name]
        if 1 < len(bucket) <= NAME_BUCKET_MAX:
            for x, i in enumerate(bucket):
                for j in bucket[x + 1:]:
                    if find(i) != find(j) and score(items[i], items[j]) >= THRESHOLD:
                        union(i, j)
    groups: dict[int, list[Item]] = defaultdict(list)
    for i, it in enumerate(items):
        groups[find(i)].append(it)
    out = [sorted(g, key=lambda it: it.key) for g in groups.values()]
    out.sort(key=lambda g: (min((it.earliest for it in g if it.earliest), default=dt.date.max), g[0].key))
    return out


def items_of(pairs: Iterable[tuple[Event, Report]]) -> list[Item]:
    return [item_of(e, r, e.id if e.id is not None else n) for n, (e, r) in enumerate(pairs)]
