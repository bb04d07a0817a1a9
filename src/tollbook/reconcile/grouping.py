"""Grouping: the events of many reports that tell one incident become one group.

Never all pairs. Events placed at a town are compared with the events within ``NEAR_KM`` (a grid of
cells), weakly placed ones (a region, a country, nothing) with those of their region or country,
all only when their dates begin within ``WINDOW_DAYS``; events that name the same person are
compared whatever their dates. So the work is O(n log n + n·k) for k events per cell (or region)
and window. Each compared pair gets a score from its dates, places, types, figures, named victims
and the words of the reports; pairs at ``THRESHOLD`` or more are joined (union-find), except that
a weakly placed event joins only its best candidate (see ``group``). Everything follows a canonical
order of the events (their stable refs), so the groups do not depend on the order in which reports
arrive.

A referenced (older) incident is grouped like any other event, by its own dates and place: it
joins the reports of that older incident, never today's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from tollbook.extract.gazetteer import distance_km
from tollbook.records import Event, Report, type_family

WINDOW_DAYS = 3
SPREAD_DAY_POINTS = 0.5  # for a shared day when either event spans more than two days
SPAN_DAYS = 7  # an event's date spanning more days than this ("in March") is no day to group by
THRESHOLD = 2.5
HARD_NO = -10.0  # the score of a pair that cannot be one incident
TOWN = ("city", "point")  # place precisions with coordinates of a town
NEAR_KM = 30.0  # towns further apart are different incidents (unless the reports name the same people)
CELL_DEGREES = 0.3  # grid cells for events placed at towns: 0.3° of latitude is 33 km, more than NEAR_KM
CROWDED = 200  # events of a region (or country) in one window beyond which a weakly placed event is not compared
NAME_BUCKET_MAX = 50
BUSY_TOWN = 10  # events at one town within WINDOW_DAYS either side beyond which its name tells less
BUSY_TOWN_POINTS = 1.0  # ... and what the same town is worth there (elsewhere 2)
CHAIN_DAYS = 7  # the days one incident's reports give it (the day it happened, "Tuesday" read a week off, "overnight")
TEXT_NAME_BONUS = 1.0  # per "First Last" both reports name (at most two count)
TEXT_NAMES_TO_BRIDGE = 3  # shared full names that tie reports across a date gap or a distance
NAME_GAP_MAX_DAYS = 400
WORD_WEIGHT = 3.0  # points for reports with the same words (cosine of their rare-word-weighted word sets)
BRIDGE_SIMILARITY = 0.3  # word similarity that ties a follow-up (an arrest, a trial) to an incident of its town
BRIDGE_RARE_WORDS = 3  # ... of which this many are rare
RARE_KEYS = 4  # an event's rarest words it is looked up by across a date gap
RARE_BUCKET_MAX = 30  # a word in more reports than this is not rare enough to look anything up by
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
    precision: str | None  # of the place: point, city, admin2, admin1, country (records.PLACE_PRECISIONS)
    lat: float | None
    lon: float | None
    killed: int | None
    injured: int | None
    names: frozenset[str] = field(default_factory=frozenset)  # people the extractor named
    text_names: frozenset[str] = field(default_factory=frozenset)  # "First Last" anywhere in the report
    words: frozenset[str] | tuple[str, ...] = field(default_factory=frozenset)  # a tuple when compact
    shooting: bool = False  # the words that tell what happened say someone was shot
    busy: bool = False  # its town has more than BUSY_TOWN events in its window (set by ``group``)
    norm: float = 0.0  # length of the weighted word vector (set by ``group``, which knows every item's words)
    rare_keys: tuple[str, ...] = ()  # its RARE_KEYS rarest words (set with ``norm``)


def item_of(event: Event, report: Report, key: int, vocab: dict[str, str] | None = None, *,
            compact: bool = False) -> Item:
    """``vocab`` (a dict shared by the items of one run) keeps one copy of each word. ``compact``:
    the words as a tuple (a quarter of a set's memory), for items that are scored only after
    ``with_word_sets`` (partitions.py); the weights and the context read either."""
    when = event.when
    earliest = when.earliest if when else None
    latest = when.latest if when else None
    for w in event.dates[1:3]:
        if w.precision == "day" and earliest and abs((w.earliest - earliest).days) <= 7:
            earliest, latest = min(earliest, w.earliest), max(latest, w.latest)
    if earliest is not None and (latest - earliest).days > SPAN_DAYS:
        # "in January", "in 2016": a span that overlaps every incident of its month or year would
        # count as the same day as all of them and chain a city's shootings into one; a day the
        # event gives elsewhere, or else (for the incident a report is about) the days before the
        # report was published, place it better
        days = [w for w in event.dates if w.precision == "day" and (w.latest - w.earliest).days <= SPAN_DAYS]
        if days:
            earliest, latest = days[0].earliest, days[0].latest
        elif report.published and event.role == "main":
            earliest = latest = None
    if earliest is None and report.published and event.role == "main":
        # no date in the report: the incident happened shortly before it was published
        earliest, latest = report.published - dt.timedelta(days=2), report.published
    p = event.place
    killed = event.figure("killed")
    injured = event.figure("injured")
    # a person's full name; a surname alone ("Smith", "Officer Taylor") is no evidence of the same person
    names = frozenset(n for n in (_person(a.text) for a in event.actors if a.kind == "named person")
                      if len(n.split()) >= 2 and n.split()[0] not in _NOT_NAME_WORDS)
    text = " ".join(x for x in (report.title or "", report.text[:600]) if x).lower()
    words = _WORD.findall(text)
    words = (w if vocab is None else vocab.setdefault(w, w) for w in words if w not in _STOP)
    words = tuple(dict.fromkeys(words)) if compact else frozenset(words)
    return Item(
        key=key, report_id=report.id, role=event.role, type=_kind(event), earliest=earliest, latest=latest,
        country=p.country_code if p else None, admin1=p.admin1 if p else None,
        city=_fold(p.city or (p.name if p.precision in ("city", "point") else "")) if p else None,
        place_id=p.gazetteer_id if p else None, precision=p.precision if p else None,
        lat=p.lat if p and p.precision in TOWN else None, lon=p.lon if p and p.precision in TOWN else None,
        killed=killed.low if killed else None, injured=injured.low if injured else None, names=names,
        text_names=_full_names(report.text), words=words,
        shooting=any(_SHOT.search(ev.quote or "") for ev in event.evidence),
    )


def _kind(event: Event) -> str:
    """What grouping compares of an event's type: the type, and for an attack whether it was told as a
    massacre or by its toll alone (rule ids of extract/types.py): reports that tell an incident the same
    way are likelier the same incident."""
    if event.type == "Attack" and event.rule in ("types.massacre", "types.toll-only"):
        return f"Attack ({event.rule.split('.')[1]})"
    return event.type


# Words that tell of a shooting. The type an event was given can be wrong for a shooting ("struck by
# a bullet" read as a strike, "murder-suicide" as a suicide bombing); two reports that both say
# someone was shot are not kept apart by their types.
_SHOT = re.compile(r"\b(?:shot|shoot\w*|gunfire|gunshots?|gunman|gunmen|bullets?)\b", re.I)


# "Allenwgia Pope", "Kevin Elkins": a first and a last name, capitalised, not an institution or a place word.
_FULL_NAME = re.compile(r"\b([A-Z][a-z]{2,}(?: [A-Z]\.)? [A-Z][a-z]{2,}(?:-[A-Z][a-z]+)?)\b")
_NOT_NAME_WORDS = frozenset("""police county sheriff department city street avenue road drive boulevard lane court
north south east west new saint san los las fort lake mount park high school university hospital center centre
church news channel times post tribune journal daily herald associated press state national united american
chief officer deputy detective sergeant lieutenant captain judge mayor governor attorney district office
monday tuesday wednesday thursday friday saturday sunday january february march april june july august
september october november december the and for with from this that
inc corp llc company group media broadcasting radio television network rights reserved copyright caption close
photo image video gallery related stories story click share facebook twitter email print comments subscribe
chronicle gazette tribune review courier sun star crime solvers stoppers lives matter heights hills village
club nightclub bar restaurant mall plaza market church southern northern western eastern central old
copy link show hide transcript read more watch live breaking updated sign log""".split())


def _full_names(text: str) -> frozenset[str]:
    out = set()
    for m in _FULL_NAME.finditer(text[:3000]):
        words = m.group(1).replace(".", "").lower().split()
        if not any(w in _NOT_NAME_WORDS for w in words):
            out.add(" ".join(words))
    return frozenset(out)


_AGE = re.compile(r"^(?:\S*year-?)?old\s+")


def _person(s: str) -> str:
    """A named person as grouping compares them: folded, without the age before the name
    ("6-year-old Jeremy Mardis" is often cut to "old Jeremy Mardis")."""
    return _AGE.sub("", _fold(s))


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


@dataclass(slots=True)
class Words:
    """The words of a run of grouping: each word's weight (its inverse document frequency) and the
    weight from which a word is *rare* (``word_weights``)."""

    weight: dict[str, float]
    rare: float
    # "First Last" found in too many reports to be a person of one incident: a hospital ("Christ
    # Medical"), a paper ("Chicago Sun-Times"), a suburb ("Oak Lawn") every report of a city names
    common_names: frozenset[str] = frozenset()
    squared: dict[str, float] = field(default_factory=dict)  # weight², what the cosine adds up

    def get(self, word: str, default: float = 0.0) -> float:
        return self.weight.get(word, default)


def similarity(a: Item, b: Item, weight: Words | None = None) -> float:
    """How much the reports' words overlap, 0..1. With ``weight`` (of each word: rarer words weigh
    more, see ``word_weights``) the cosine of the weighted word sets: two reports sharing "barbershop"
    and "crab" say more than two sharing "man" and "night". Without, the Jaccard overlap."""
    if not a.words or not b.words:
        return 0.0
    both = a.words & b.words
    if weight is None or not a.norm or not b.norm:
        return len(both) / (len(a.words) + len(b.words) - len(both))
    squared = weight.squared
    # fsum: exactly rounded, so the score does not depend on the order a set yields its words in
    return math.fsum(map(squared.__getitem__, both)) / (a.norm * b.norm) if squared else 0.0


@dataclass(slots=True)
class WordTable:
    """How many of a collection's events each word and each "First Last" name occurs with: what
    the word weights are computed from. Kept *frozen* between full regroupings (``regroup``), so
    that adding reports changes no weight of the reports already grouped, and only the incidents
    the new reports touch can change. A word the table does not know counts as found once."""

    n: int
    df: dict[str, int]
    names: dict[str, int]

    @classmethod
    def of(cls, items: Sequence[Item]) -> WordTable:
        df: dict[str, int] = defaultdict(int)
        names: dict[str, int] = defaultdict(int)
        for it in items:
            for w in it.words:
                df[w] += 1
            for name in it.text_names:
                names[name] += 1
        return cls(len(items), dict(df), dict(names))

    def to_json(self) -> str:
        return json.dumps({"n": self.n, "df": self.df, "names": self.names}, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> WordTable:
        d = json.loads(text)
        return cls(int(d["n"]), {str(k): int(v) for k, v in d["df"].items()},
                   {str(k): int(v) for k, v in d["names"].items()})


def word_weights(items: Sequence[Item], table: WordTable | None = None) -> Words:
    """Inverse document frequency of each word (log n/df; a word every report has weighs 0) over
    ``table`` (by default the items' own), and each item's ``norm``. Depends only on the table and
    each item's own words, not on the order of the items."""
    if table is None:
        table = WordTable.of(items)
    n = max(table.n, 1)
    weight = {w: math.log(n / c) for w, c in table.df.items()}
    unknown = math.log(n)  # a word the frozen table has not seen: as rare as a word can be
    for it in items:
        for w in it.words:
            if w not in weight:
                weight[w] = unknown
    squared = {w: x * x for w, x in weight.items()}
    # rare: in at most RARE_BUCKET_MAX reports, and in a small collection at most one in 50 of them
    rare = min(RARE_BUCKET_MAX, max(2.0, n / 50))
    floor = math.log(n / rare)
    for it in items:
        _measure(it, weight, squared, floor)
    # a person of one incident is named by its few reports: in a small collection, at most one in 100
    common = frozenset(name for name, c in table.names.items() if c > min(NAME_BUCKET_MAX, max(4.0, n / 100)))
    return Words(weight, floor, common, squared)


def _measure(it: Item, weight: dict[str, float], squared: dict[str, float], floor: float) -> None:
    """An item's ``norm`` and ``rare_keys`` under the weights (``floor``: the weight of a rare word)."""
    it.norm = math.sqrt(math.fsum(map(squared.__getitem__, it.words)))
    rare = sorted((w for w in it.words if weight[w] >= floor), key=lambda w: (-weight[w], w))
    it.rare_keys = tuple(rare[:RARE_KEYS])


def score(a: Item, b: Item, weight: Words | None = None) -> float:
    """How strongly two events look like one incident; below THRESHOLD they are kept apart."""
    if a.report_id == b.report_id:
        return HARD_NO  # one report tells distinct incidents as distinct events
    if a.report_id > b.report_id:
        a, b = b, a  # the same score whichever comes first (the float sums, the place test)
    if a.earliest is None or b.earliest is None:
        return HARD_NO
    gap = max((a.earliest - b.latest).days, (b.earliest - a.latest).days, 0)
    shared_text = len(a.text_names & b.text_names) if a.text_names and b.text_names else 0
    if shared_text and weight is not None and weight.common_names:
        shared_text = len(a.text_names & b.text_names - weight.common_names)
    shared_names = shared_text >= TEXT_NAMES_TO_BRIDGE or bool(a.names and b.names and a.names & b.names)
    if gap > 1 and (gap > NAME_GAP_MAX_DAYS or not shared_names and (a.lat is None or b.lat is None)):
        return HARD_NO  # what the test below gives, before the cost of the words (_bridged needs both placed)
    words = similarity(a, b, weight)
    if gap > 1 and (gap > NAME_GAP_MAX_DAYS or not (shared_names or _bridged(a, b, words, weight))):
        # follow-up reports (an arrest, a funeral) date what they tell, not the incident: only
        # the people named, or the same rare words in the same town, can tie them to it
        return HARD_NO
    # the same day; an event dated over several days (a round-up's "separate shootings" Monday and
    # Saturday, "overnight") shares a day with more incidents, and says less by it
    spread = max((a.latest - a.earliest).days, (b.latest - b.earliest).days)
    s = 0.0 if gap else 1.0 if spread <= 1 else SPREAD_DAY_POINTS
    # place
    # the same town; the same name counts even across regions: the gazetteer may have picked another "Charlotte"
    if (a.place_id and a.place_id == b.place_id or a.city and a.city == b.city) and a.precision in TOWN:
        # in a busy city (Chicago on a weekend) "in Chicago" is said of many incidents a day
        s += BUSY_TOWN_POINTS if a.busy and b.busy else 2.0
    elif a.place_id and a.place_id == b.place_id and a.precision == "admin2":
        s += 1.0  # one county
    elif a.lat is not None and b.lat is not None:
        km = distance_km(a.lat, a.lon, b.lat, b.lon)
        if km > NEAR_KM and not shared_names:
            return HARD_NO  # two towns far apart: two incidents
        # another town within NEAR_KM: allowed, but no points (suburbs of one city have incidents of their own)
    elif a.admin1 and a.admin1 == b.admin1:
        s += 0.3
    # type
    # by family: one report's "bomb" is another's "suicide bomber" (records.type_family)
    fa, fb = type_family(a.type), type_family(b.type)
    if fa == fb or a.shooting and b.shooting:
        s += 0.5
    elif {fa, fb} & {"explosive", "remote", "abduction"} and not {fa, fb} <= {"explosive", "remote"}:
        s -= 1.0
    # figures
    if a.killed is not None and b.killed is not None:
        if a.killed == b.killed:
            s += 0.7 if a.killed >= 2 else 0.4  # one or none killed is common: weaker evidence
        elif max(a.killed, b.killed) > 2 * max(1, min(a.killed, b.killed)):
            s -= 0.3
    if a.injured is not None and b.injured is not None and a.injured == b.injured and a.injured > 0:
        s += 0.3
    # named people
    if a.names and b.names and a.names & b.names:
        s += 3.0
    s += min(shared_text, 2) * TEXT_NAME_BONUS
    # words of the reports
    s += WORD_WEIGHT * words
    return s


def _bridged(a: Item, b: Item, words: float, weight: Words | None) -> bool:
    """A follow-up and the incident it tells of, without a name in common: placed at one town (or
    towns within NEAR_KM) and telling it in the same words, three of them rare ("the Crab Fest
    shooting"); the words of every report of a city ("police", the city's name) tie nothing."""
    if weight is None or words < BRIDGE_SIMILARITY or a.lat is None or b.lat is None:
        return False
    if sum(1 for w in a.words & b.words if weight.get(w) >= weight.rare) < BRIDGE_RARE_WORDS:
        return False
    return distance_km(a.lat, a.lon, b.lat, b.lon) <= NEAR_KM


@dataclass(slots=True)
class Constraints:
    """People's decisions, as pairs of event refs ("report#n"): ``must`` be in one incident,
    ``cannot`` be in one incident. They win over the machine's scores."""

    must: set[frozenset[str]] = field(default_factory=set)
    cannot: set[frozenset[str]] = field(default_factory=set)



def _cell_width(band: int) -> float:
    """Degrees of longitude of the cells of latitude band ``band``: at least NEAR_KM anywhere in it."""
    edge = min(89.0, max(abs(band), abs(band + 1)) * CELL_DEGREES)
    return min(360.0, CELL_DEGREES / max(math.cos(math.radians(edge)), 1e-6))


def _near_cells(cell: tuple[int, int]) -> list[tuple[int, int]]:
    """The cells that may hold a point within NEAR_KM of some point of ``cell``: in its band and the
    two next to it, those that the cell's longitudes ±NEAR_KM touch."""
    band, c = cell
    w = _cell_width(band)
    edge = min(89.0, (max(abs(band), abs(band + 1)) + 1) * CELL_DEGREES)
    dlon = min(180.0, (NEAR_KM / 111.0) / max(math.cos(math.radians(edge)), 1e-6))
    west, east = c * w - dlon, (c + 1) * w + dlon
    out = []
    for b in (band - 1, band, band + 1):
        wb = _cell_width(b)
        out += [(b, x) for x in range(math.floor(west / wb), math.floor(east / wb) + 1)]
    return out


def _own_cell(lat: float, lon: float) -> tuple[int, int]:
    band = math.floor(lat / CELL_DEGREES)
    return band, math.floor(lon / _cell_width(band))


@dataclass(slots=True)
class Context:
    """What an event's scores and candidates depend on beyond the pair itself, over the whole
    collection (by the events' refs): a subset regrouped with the collection's context is grouped as
    the whole collection would group it (``regroup``)."""

    busy: frozenset[str]  # located events at a town with more than BUSY_TOWN events in their window
    crowded: frozenset[str]  # weakly placed events whose region holds more than CROWDED events in their window
    big_names: frozenset[str]  # names more than NAME_BUCKET_MAX events give: no person of one incident
    big_words: frozenset[str]  # rare words more than RARE_BUCKET_MAX events are looked up by


def _day(it: Item) -> int:
    return it.earliest.toordinal()


def _scan_keys(it: Item) -> list[tuple[str, str]]:
    """The region blocks of an event: its region and its country (or "?" when unplaced); a weakly
    placed event scans the first."""
    if it.country is None:
        return [("?", "*")]
    return [(it.country, it.admin1 or "*")] + ([(it.country, "*")] if it.admin1 else [])


def _located(it: Item) -> bool:
    return it.lat is not None and it.lon is not None


def context_of(items: Sequence[Item], names: Sequence[str], weight: Words) -> Context:
    """The ``Context`` of ``items`` (named by ``names``, their refs); ``weight`` from ``word_weights``."""
    dated = [i for i, it in enumerate(items) if it.earliest is not None]
    town_days: dict[str, list[int]] = defaultdict(list)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_name: dict[str, int] = defaultdict(int)
    by_word: dict[str, int] = defaultdict(int)
    for i in dated:
        it = items[i]
        located = _located(it)
        if located and it.city:
            town_days[it.city].append(_day(it))
        for key in _scan_keys(it):
            blocks[key].append(_day(it))
        for name in it.names | (it.text_names - weight.common_names):
            by_name[name] += 1
        if located:
            for w in it.rare_keys:
                by_word[w] += 1
    for days in (*town_days.values(), *blocks.values()):
        days.sort()

    def within(days: list[int], d: int, width: int) -> int:
        return bisect.bisect_right(days, d + width) - bisect.bisect_left(days, d - width)

    busy, crowded = set(), set()
    for i in dated:
        it = items[i]
        if _located(it):
            if it.city and within(town_days[it.city], _day(it), WINDOW_DAYS) > BUSY_TOWN:
                busy.add(names[i])
        elif within(blocks[_scan_keys(it)[0]], _day(it), WINDOW_DAYS) > CROWDED:
            crowded.add(names[i])
    return Context(frozenset(busy), frozenset(crowded),
                   frozenset(n for n, c in by_name.items() if c > NAME_BUCKET_MAX),
                   frozenset(w for w, c in by_word.items() if c > RARE_BUCKET_MAX))


def group(items: Sequence[Item], refs: Sequence[str] | None = None,
          constraints: Constraints | None = None, words: Words | None = None,
          context: Context | None = None) -> list[list[Item]]:
    """Groups of items (each group one incident), every item in exactly one group.

    The result does not depend on the order of ``items``: they are first put in a canonical order
    (by ``refs``, the events' stable names, else by key), and every choice below follows it. Groups
    come by the earliest date of the group, then that order. ``refs`` also name the items for the
    reviewed ``constraints``.

    Candidates (pairs that are scored) come from blocking, never all pairs:

    - an event placed at a town or a point is compared with the events placed within NEAR_KM of it
      (a grid of cells of 0.3°), and with those at towns of the same name, whose dates begin within
      WINDOW_DAYS of its own (pairs more than a day apart are left to the names);
    - an event placed only at a region, or a country (*weakly placed*), or not at all, is compared
      with every event of that region, or country (or every unplaced event), in the same window,
      unless the window holds more than CROWDED events;
    - events that share a named person are compared whatever their dates and places.

    Joining: two located events that score THRESHOLD or more are joined (union-find, the strongest
    pairs first). A weakly placed event joins only the best-scoring of its candidates, so that a
    report that says only "in Illinois" cannot chain two incidents of Illinois into one, and any
    event whose report names the same victim (the extractor's named person).
    """
    n = len(items)
    order = sorted(range(n), key=(lambda i: (refs[i], i)) if refs else (lambda i: (items[i].key, i)))
    rank = [0] * n
    for r, i in enumerate(order):
        rank[i] = r
    parent = list(range(n))
    members: dict[int, set[str]] = {i: {refs[i]} if refs else set() for i in range(n)}
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
        keep, drop = (ri, rj) if rank[ri] < rank[rj] else (rj, ri)
        parent[drop] = keep
        members[keep] |= members.pop(drop)

    if constraints and refs:
        index = {r: i for i, r in enumerate(refs)}
        for pair in sorted(tuple(sorted(p)) for p in constraints.must):
            if all(r in index for r in pair):
                union(index[pair[0]], index[pair[1]])

    dated = sorted((i for i in range(n) if items[i].earliest is not None),
                   key=lambda i: (items[i].earliest, rank[i]))
    day = {i: items[i].earliest.toordinal() for i in dated}
    last = {i: (items[i].latest or items[i].earliest).toordinal() for i in dated}
    located = {i for i in dated if items[i].lat is not None and items[i].lon is not None}
    names = list(refs) if refs else [str(it.key) for it in items]
    weight = words if words is not None else word_weights(items)
    ctx = context if context is not None else context_of(items, names, weight)
    for i in range(n):
        # busy towns: many events at one town around the same days
        items[i].busy = names[i] in ctx.busy
    edges: list[tuple[float, int, int]] = []  # (score, i, j) of pairs at THRESHOLD or more
    weak_cands: dict[int, list[tuple[float, int, int]]] = defaultdict(list)  # weak item -> (score, -rank, item)

    def consider(i: int, j: int, named: bool = False) -> None:
        s = score(items[i], items[j], weight)
        if s < THRESHOLD:
            return
        if named or i in located and j in located:
            edges.append((s, i, j))
            return
        for a, b in ((i, j), (j, i)):
            if a not in located:
                weak_cands[a].append((s, -rank[b], b))

    # 1. located events: the grid, each pair once (the later of the two, in date order, looks back)
    cells: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    near: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for j in dated:
        if j not in located:
            continue
        it = items[j]
        lo_day = day[j] - WINDOW_DAYS
        own_cell = _own_cell(it.lat, it.lon)
        if own_cell not in near:
            near[own_cell] = _near_cells(own_cell)
        for cell in near[own_cell]:
            found = cells.get(cell)
            if found is None:
                continue
            idx, days = found
            first_j, last_j = day[j], last[j]
            for i in idx[bisect.bisect_left(days, lo_day):]:
                if day[i] - last_j <= 1 and first_j - last[i] <= 1:  # else apart: only names can join
                    consider(i, j)
        own = cells.setdefault(own_cell, ([], []))
        own[0].append(j)
        own[1].append(day[j])
    # ... and with the towns of the same name elsewhere: the gazetteer may have picked another "Charlotte"
    cell_of = {j: _own_cell(items[j].lat, items[j].lon) for j in located}
    by_town: dict[str, list[int]] = defaultdict(list)
    for j in dated:
        if j in located and items[j].city:
            by_town[items[j].city].append(j)
    for town in by_town.values():
        lo = 0
        for x, j in enumerate(town):
            while day[town[lo]] < day[j] - WINDOW_DAYS:
                lo += 1
            for i in town[lo:x]:
                if cell_of[i] not in near[cell_of[j]] and day[i] - last[j] <= 1 and day[j] - last[i] <= 1:
                    consider(i, j)
    # 2. weakly placed and unplaced events: their region, or country, in the window
    by_block: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    scan_key: dict[int, tuple[str, str]] = {}
    for j in dated:
        it = items[j]
        if it.country is None:
            keys = [("?", "*")]
        else:
            keys = [(it.country, it.admin1 or "*")] + ([(it.country, "*")] if it.admin1 else [])
        if j not in located:
            scan_key[j] = keys[0]
        for key in keys:
            idx, days = by_block[key]
            idx.append(j)
            days.append(day[j])
    for j in dated:
        key = scan_key.get(j)
        if key is None:
            continue
        idx, days = by_block[key]
        lo = bisect.bisect_left(days, day[j] - WINDOW_DAYS)
        hi = bisect.bisect_right(days, day[j] + WINDOW_DAYS)
        if names[j] in ctx.crowded:
            continue  # "in Texas" on a day with hundreds of events there: only shared names can tell which
        first_j, last_j = day[j], last[j]
        for i in idx[lo:hi]:
            if i == j or scan_key.get(i) == key and rank[i] > rank[j] and names[i] not in ctx.crowded:
                continue  # itself, or a pair the other event scans too: scored once
            if day[i] - last_j <= 1 and first_j - last[i] <= 1:  # else apart: only names can join
                consider(i, j)
    # 3. named people tie reports together across time and blocks (a follow-up on an arrest names
    # the victim); buckets of very common names are skipped so this stays near-linear.
    by_name: dict[str, list[int]] = defaultdict(list)
    for i in dated:
        for name in items[i].names | (items[i].text_names - weight.common_names):
            by_name[name].append(i)
    named_pairs: set[tuple[int, int]] = set()
    for name, bucket in by_name.items():
        if len(bucket) > 1 and name not in ctx.big_names:
            for x, i in enumerate(bucket):
                for j in bucket[x + 1:]:
                    named_pairs.add((i, j) if rank[i] < rank[j] else (j, i))
    for i, j in sorted(named_pairs, key=lambda p: (rank[p[0]], rank[p[1]])):
        if day[i] - last[j] <= NAME_GAP_MAX_DAYS and day[j] - last[i] <= NAME_GAP_MAX_DAYS:
            consider(i, j, named=bool((items[i].names & items[j].names) - ctx.big_names))
    # 4. a follow-up without a name in common, days or months later: looked up by its rarest words
    # (each located event by its RARE_KEYS rarest, in buckets of at most RARE_BUCKET_MAX), so only
    # a bounded number of pairs per event; ``score`` keeps those of one town with similar words.
    by_word: dict[str, list[int]] = defaultdict(list)
    for i in dated:
        if i in located:
            for w in items[i].rare_keys:
                by_word[w].append(i)
    gap_pairs: set[tuple[int, int]] = set()
    for w, bucket in by_word.items():
        if w in ctx.big_words:
            continue  # a word unknown to a frozen table, in many new reports: not rare after all
        for x, i in enumerate(bucket):
            for j in bucket[x + 1:]:
                if day[i] - last[j] > 1 or day[j] - last[i] > 1:  # nearer pairs: the grid has them
                    pair = (i, j) if rank[i] < rank[j] else (j, i)
                    if pair not in named_pairs:
                        gap_pairs.add(pair)
    for i, j in sorted(gap_pairs, key=lambda p: (rank[p[0]], rank[p[1]])):
        consider(i, j)
    # joining, strongest first; ties in the canonical order
    # a weakly placed event joins its best candidate only
    edges += [(s, a, b) for a, (s, _, b) in ((a, max(c)) for a, c in weak_cands.items())]
    edges.sort(key=lambda e: (-e[0], min(rank[e[1]], rank[e[2]]), max(rank[e[1]], rank[e[2]])))
    # A group's days (``spans``): runs of days of events joined as reports of one day. A pair a day
    # or less apart does not join two runs into one longer than CHAIN_DAYS: in a city, each day's
    # shooting is near the next day's, and such pairs alone would chain weeks into one incident. A
    # pair across a gap (a follow-up tied by a name or rare words) and a person's merge join groups
    # but not their runs: a later report of either day still finds its own.
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i in dated:
        spans[find(i)].append((day[i], day[i]))

    def run_of(root: int, d: int) -> tuple[int, int]:
        return next(s for s in spans[root] if s[0] <= d <= s[1])

    for _, i, j in edges:
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        near = abs(day[i] - day[j]) <= 1
        if near:
            si, sj = run_of(ri, day[i]), run_of(rj, day[j])
            run = (min(si[0], sj[0]), max(si[1], sj[1]))
            if run[1] - run[0] > CHAIN_DAYS:
                continue
        union(i, j)
        root = find(i)
        if root != find(j):
            continue  # a person's decision kept them apart
        other = rj if root == ri else ri
        merged = spans[root] + spans.pop(other)
        if near:
            merged = [s for s in merged if s not in (si, sj)] + [run]
        spans[root] = merged
    groups: dict[int, list[int]] = defaultdict(list)
    for i in order:
        groups[find(i)].append(i)
    out = list(groups.values())
    out.sort(key=lambda g: (min((items[i].earliest for i in g if items[i].earliest), default=dt.date.max),
                            rank[g[0]]))
    return [[items[i] for i in g] for g in out]


def items_of(pairs: Iterable[tuple[Event, Report]], *, compact: bool = False) -> list[Item]:
    vocab: dict[str, str] = {}
    return [item_of(e, r, e.id if e.id is not None else n, vocab, compact=compact) for n, (e, r) in enumerate(pairs)]


def with_word_sets(it: Item) -> Item:
    """``it`` itself, or for a compact item (``item_of``) a copy with its words as a set, as scoring needs."""
    return it if isinstance(it.words, frozenset) else replace(it, words=frozenset(it.words))


# -- incremental grouping ----------------------------------------------------------------------------
#
# ``group`` joins pairs scoring THRESHOLD or more, strongest first, within the connected parts of the
# graph of such pairs: what happens in one part never depends on another. So when reports are added
# (or re-extracted, or a person decides), only the parts they touch can change. ``regroup`` finds them
# (every event within reach of a changed one through pairs at THRESHOLD or more, in the collection
# before and after, with the whole previous incident of each) and groups only those events, with the
# collection's context; every other incident is kept as it was. With the same frozen ``WordTable`` the
# result is the one ``group`` gives for the whole collection: this is what the tests check.


@dataclass(slots=True)
class Grouping:
    """A grouping of a collection, kept to be updated by ``regroup``: the events' items by ref, the
    incidents as lists of refs (in ``group``'s order), and what they were computed with."""

    items: dict[str, Item]
    groups: list[list[str]]
    words: Words
    table: WordTable
    context: Context
    constraints: Constraints
    regrouped: int = 0  # events grouped again by the last ``regroup`` (all of them by ``group_all``)


def group_all(items: Sequence[Item], refs: Sequence[str], constraints: Constraints | None = None,
             table: WordTable | None = None) -> Grouping:
    """The whole collection grouped, with ``table`` (by default the items' own) frozen for later
    ``regroup`` calls."""
    table = table if table is not None else WordTable.of(items)
    words = word_weights(items, table)
    ctx = context_of(items, refs, words)
    constraints = constraints or Constraints()
    index = {id(it): r for it, r in zip(items, refs)}
    groups = [[index[id(it)] for it in g] for g in group(items, refs, constraints, words, ctx)]
    return Grouping(dict(zip(refs, items)), groups, words, table, ctx, constraints, len(items))


class _Neighbours:
    """Every event ``group`` may score a given event against (a superset of them), in one collection."""

    def __init__(self, items: dict[str, Item], weight: Words, ctx: Context, must: set[frozenset[str]]) -> None:
        self.items = items
        self.weight = weight
        self.ctx = ctx
        self.cells: dict[tuple[int, int], list[tuple[int, str]]] = defaultdict(list)
        self.towns: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.blocks: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)  # every event of a block
        self.scanning: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)  # weak events scanning it
        self.names: dict[str, list[str]] = defaultdict(list)
        self.words: dict[str, list[str]] = defaultdict(list)
        self.must: dict[str, list[str]] = defaultdict(list)
        self._near: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for ref, it in items.items():
            if it.earliest is None:
                continue
            d = _day(it)
            keys = _scan_keys(it)
            for key in keys:
                self.blocks[key].append((d, ref))
            if _located(it):
                self.cells[_own_cell(it.lat, it.lon)].append((d, ref))
                if it.city:
                    self.towns[it.city].append((d, ref))
                for w in it.rare_keys:
                    if w not in ctx.big_words:
                        self.words[w].append(ref)
            elif ref not in ctx.crowded:
                self.scanning[keys[0]].append((d, ref))
            for name in it.names | (it.text_names - weight.common_names):
                if name not in ctx.big_names:
                    self.names[name].append(ref)
        for lst in (*self.cells.values(), *self.towns.values(), *self.blocks.values(), *self.scanning.values()):
            lst.sort()
        for pair in must:
            a, b = sorted(pair)
            self.must[a].append(b)
            self.must[b].append(a)

    def near(self, cell: tuple[int, int]) -> list[tuple[int, int]]:
        if cell not in self._near:
            self._near[cell] = _near_cells(cell)
        return self._near[cell]

    def reach(self, own: tuple[int, int], present=None) -> set[tuple[int, int]]:
        """The cells of the events an event of cell ``own`` is compared with: pairs whose either cell
        reaches the other's (``group`` looks from the later event's cell); ``present``: the cells
        that hold events (by default this collection's)."""
        present = self.cells if present is None else present
        mine = self.near(own)
        cells = set(mine)
        for c in mine:
            for far in self.near(c):
                if far not in cells and far in present and own in self.near(far):
                    cells.add(far)
        return cells

    @staticmethod
    def _window(lst: list[tuple[int, str]], d: int) -> list[tuple[int, str]]:
        return lst[bisect.bisect_left(lst, (d - WINDOW_DAYS, "")):bisect.bisect_left(lst, (d + WINDOW_DAYS + 1, ""))]

    def of(self, ref: str, it: Item | None = None, crowded: frozenset[str] | None = None,
           places_only: bool = False) -> Iterable[str]:
        """Candidates of the event ``ref`` (``it``: its item, if another version of it than this
        collection's; ``crowded``: the context that says whether it scans its region; ``places_only``:
        not those that share a rare word or a name with it)."""
        yield from self.must.get(ref, ())
        it = it or self.items[ref]
        crowded = self.ctx.crowded if crowded is None else crowded
        if it.earliest is None:
            return  # never scored: only a person's decision joins it
        d = _day(it)
        last = (it.latest or it.earliest).toordinal()
        items = self.items

        def overlapping(lst: list[tuple[int, str]]) -> Iterable[str]:
            # ``group`` scores the events of one place only when their days are a day apart or less
            for day, q in self._window(lst, d):
                other = items[q]
                if day - last <= 1 and d - (other.latest or other.earliest).toordinal() <= 1:
                    yield q

        if _located(it):
            cells = self.reach(_own_cell(it.lat, it.lon))
            for c in sorted(cells):
                yield from overlapping(self.cells.get(c, []))
            if it.city:
                yield from overlapping(self.towns.get(it.city, []))
            for w in () if places_only else it.rare_keys:
                yield from self.words.get(w, ())
        elif ref not in crowded:
            yield from overlapping(self.blocks.get(_scan_keys(it)[0], []))
        for key in _scan_keys(it):
            yield from overlapping(self.scanning.get(key, []))
        if places_only:
            return
        for name in it.names | (it.text_names - self.weight.common_names):
            yield from self.names.get(name, ())


def _score_in(ctx: Context, a: Item, ra: str, b: Item, rb: str, weight: Words) -> float:
    """``score`` with the busy towns of ``ctx`` (an item may be busy in one collection and not another)."""
    a.busy, b.busy = ra in ctx.busy, rb in ctx.busy
    return score(a, b, weight)


class _Before:
    """The candidates of the changed events in the collection before a change. Its other events are
    those of the collection after, so the index of after serves for them (in its context, a
    superset: an event whose context differs is itself changed), with a small index of the changed."""

    def __init__(self, after: _Neighbours, items: dict[str, Item], changed: set[str], weight: Words,
                 ctx: Context, must: set[frozenset[str]]) -> None:
        self.after, self.items, self.weight, self.ctx = after, items, weight, ctx
        self.changed = changed
        self.small = _Neighbours({r: items[r] for r in changed if r in items}, weight, ctx, must)

    def of(self, ref: str) -> Iterable[str]:
        it = self.items[ref]
        for q in self.after.of(ref, it, self.ctx.crowded):
            if q not in self.changed:  # its version after: the small index has the one before
                yield q
        yield from self.small.of(ref, it, self.ctx.crowded)


class _Side:
    """One collection (before or after a change) as ``regroup`` searches it."""

    def __init__(self, items: dict[str, Item], near: _Neighbours | _Before, ctx: Context,
                 must: set[frozenset[str]]) -> None:
        self.items, self.near, self.ctx, self.must = items, near, ctx, must
        self._best: dict[str, str | None] = {}
        self._scores: dict[str, list[tuple[float, str, bool]]] = {}

    def scored(self, r: str) -> list[tuple[float, str, bool]]:
        """(score, ref, named) of each candidate of ``r`` at THRESHOLD or more, or tied by a decision."""
        if r not in self._scores:
            it = self.items[r]
            out = []
            for q in dict.fromkeys(self.near.of(r)):
                if q == r or q not in self.items:
                    continue
                other = self.items[q]
                if frozenset((r, q)) in self.must:
                    out.append((math.inf, q, True))
                    continue
                s = _score_in(self.ctx, it, r, other, q, self.near.weight)
                if s >= THRESHOLD:
                    out.append((s, q, bool((it.names & other.names) - self.ctx.big_names)))
            self._scores[r] = out
        return self._scores[r]

    def best(self, r: str) -> str | None:
        """The candidate a weakly placed event joins: the best scoring, the first ref on a tie."""
        if r not in self._best:
            found = [(-s, q) for s, q, named in self.scored(r) if not named]
            self._best[r] = min(found)[1] if found else None
        return self._best[r]

    def joined(self, r: str) -> Iterable[str]:
        """The events ``group`` may join ``r`` with directly."""
        weak = not _located(self.items[r])
        mine = self.best(r) if weak else None
        for _, q, named in self.scored(r):
            if named or q == mine:
                yield q
            elif _located(self.items[q]):
                if not weak:
                    yield q
            elif self.best(q) == r:
                yield q


def _weigh_more(words: Words, table: WordTable, items: Sequence[Item]) -> Words:
    """``words`` (of ``table``) extended to the words of ``items`` it has not seen, and their norms
    and rare words: what ``word_weights`` would give with the same table, without redoing the rest."""
    unknown = math.log(max(table.n, 1))
    for it in items:
        for w in it.words:
            if w not in words.weight:
                words.weight[w] = unknown
                words.squared[w] = unknown * unknown
    for it in items:
        _measure(it, words.weight, words.squared, words.rare)
    return words


def regroup(previous: Grouping, items: Sequence[Item], refs: Sequence[str],
            constraints: Constraints | None = None) -> Grouping:
    """``previous`` updated to the collection ``items`` (named by ``refs``): an event whose ref is
    new, or whose item is not the very item ``previous`` holds (extraction ran again: pass the same
    ``Item`` objects for events that did not change), or is gone, or is named by a decision that
    was added or withdrawn, is *changed*; only the incidents within reach of a changed
    event are grouped again, with ``previous``'s frozen word table. The same as
    ``group_all(items, refs, constraints, previous.table)``, in a fraction of the time."""
    constraints = constraints or Constraints()
    new = dict(zip(refs, items))
    old = previous.items
    changed = {r for r, it in new.items() if old.get(r) is not it}
    words = _weigh_more(previous.words, previous.table, [it for r, it in new.items() if old.get(r) is not it])
    ctx = context_of(items, refs, words)
    was = previous.context
    changed |= {r for r in old if r not in new}
    for pairs in (constraints.must ^ previous.constraints.must, constraints.cannot ^ previous.constraints.cannot):
        for pair in pairs:
            changed |= pair
    # an event whose context changed (its town became busy, a name or word became too common) scores
    # differently against events that did not change
    changed |= (ctx.busy ^ was.busy) | (ctx.crowded ^ was.crowded)
    flipped_names = ctx.big_names ^ was.big_names
    flipped_words = ctx.big_words ^ was.big_words
    if flipped_names or flipped_words:
        for coll in (new, old):
            for r, it in coll.items():
                if (it.names | it.text_names) & flipped_names or it.words & flipped_words:
                    changed.add(r)
    incident_of = {r: n for n, g in enumerate(previous.groups) for r in g}
    reach: set[str] = set()
    todo: list[str] = []

    def add(r: str) -> None:
        if r in reach:
            return
        reach.add(r)
        todo.append(r)
        n = incident_of.get(r)
        if n is not None:
            for m in previous.groups[n]:
                if m not in reach:
                    reach.add(m)
                    todo.append(m)

    for r in sorted(changed):
        add(r)
    after = _Neighbours(new, words, ctx, constraints.must)
    sides = [_Side(new, after, ctx, constraints.must)]
    if changed & old.keys():
        before = _Before(after, old, changed, previous.words, was, previous.constraints.must)
        sides.append(_Side(old, before, was, previous.constraints.must))
    # Follow the pairs ``group`` would join by: two located events (or two naming one victim) at
    # THRESHOLD or more, and a weakly placed event's best candidate only. An unchanged event's
    # pairs with unchanged events are the same before and after, so the collection before is
    # searched only from the changed events.
    while todo:
        r = todo.pop()
        for side in sides:
            if r not in side.items or side.items is old and r not in changed:
                continue
            for q in side.joined(r):
                add(q)
    again = sorted(r for r in reach if r in new)
    fresh = group([new[r] for r in again], again, constraints, words, ctx)
    index = {id(new[r]): r for r in again}
    groups = [g for g in previous.groups if g[0] not in reach]
    groups += [[index[id(it)] for it in g] for g in fresh]
    for r, it in new.items():  # ``group`` leaves the busy flags of the collection's context
        it.busy = r in ctx.busy

    def first_day(g: list[str]) -> dt.date:
        return min((new[r].earliest for r in g if new[r].earliest), default=dt.date.max)

    groups.sort(key=lambda g: (first_day(g), g[0]))
    return Grouping(new, groups, words, previous.table, ctx, constraints, len(again))
