"""Grouping in partitions by place and time, as tasks: on a Dask cluster, or one after another here.

``group`` joins pairs scoring THRESHOLD or more within the connected parts of the graph of such
pairs (see ``regroup`` in grouping.py): a union of whole parts grouped with the collection's word
weights and context is grouped as the whole collection would group it. So:

1. the collection's word weights and context are computed once (linear, here);
2. the events are split by country and by slabs of ``slab_days`` of their first day; each partition
   gets, besides its own events, every event that ``group`` may compare one of them with by place
   and time (the same country within WINDOW_DAYS of the slab, events of the grid cells its towns
   reach, towns of the same name) and scores its own events' candidates, as ``regroup`` does: a
   task per partition. The events sharing a named person or a rare word are scored in tasks of
   their own, by buckets (at most NAME_BUCKET_MAX or RARE_BUCKET_MAX events each);
3. the pairs ``group`` would join by give the connected parts (union-find over event indices, here);
4. the parts, packed into tasks of about ``pack`` events, are grouped by ``group``: a task each.

The result is ``group_all``'s, to the incident and its order (tests/test_partitions.py). No task
holds the indexes of the whole collection; see docs/scale.md for memory and time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tollbook.reconcile.grouping import (
    THRESHOLD,
    WINDOW_DAYS,
    Constraints,
    Context,
    Grouping,
    Item,
    Words,
    WordTable,
    _day,
    _located,
    _Neighbours,
    _own_cell,
    _score_in,
    context_of,
    group,
    with_word_sets,
    word_weights,
)

SLAB_DAYS = 28  # the time part of a partition: four weeks of first days
PACK = 20_000  # events per grouping task (whole connected parts, so some hold more)


@dataclass(slots=True)
class Partition:
    """One task's events: ``owned`` (refs whose candidates it scores) and ``items`` (those and every
    event they may be compared with), with the decisions that name them."""

    owned: list[str]
    items: dict[str, Item]
    must: set[frozenset[str]]


def score_partition(part: Partition, words: Words, ctx: Context) -> list[tuple[str, str, float, bool]]:
    """(ref, candidate, score, named) of the owned events' candidates by place and time at THRESHOLD
    or more: what ``regroup``'s search finds for them in the whole collection. Candidates are
    mutual, so a pair is scored once, by the partition of its first ref (the other's holds it too)."""
    items = {r: with_word_sets(it) for r, it in part.items.items()}
    near = _Neighbours(items, words, ctx, set())  # people's decisions: joined by the caller
    out = []
    for r in part.owned:
        it = items[r]
        for q in dict.fromkeys(near.of(r, it, places_only=True)):
            if q <= r:
                continue
            other = items[q]
            s = _score_in(ctx, it, r, other, q, words)
            if s >= THRESHOLD:
                out.append((r, q, s, bool((it.names & other.names) - ctx.big_names)))
    return out


def score_buckets(buckets: list[tuple[bool, list[str]]], part: dict[str, Item], words: Words,
                  ctx: Context) -> list[tuple[str, str, float, bool]]:
    """The same for the pairs of events that share a named person, whatever their places and days,
    or a rare word, more than a day apart (nearer, only their places make them candidates: above).
    ``buckets``: (of a name?, the events), at most NAME_BUCKET_MAX or RARE_BUCKET_MAX of them."""
    items = {r: with_word_sets(it) for r, it in part.items()}
    first = {r: it.earliest.toordinal() for r, it in items.items()}
    last = {r: (it.latest or it.earliest).toordinal() for r, it in items.items()}
    pairs = set()
    for of_name, bucket in buckets:
        for x, a in enumerate(bucket):
            for b in bucket[x + 1:]:
                if of_name or first[a] - last[b] > 1 or first[b] - last[a] > 1:
                    pairs.add((a, b) if a < b else (b, a))
    out = []
    for r, q in sorted(pairs):
        it, other = items[r], items[q]
        s = _score_in(ctx, it, r, other, q, words)
        if s >= THRESHOLD:
            out.append((r, q, s, bool((it.names & other.names) - ctx.big_names)))
    return out


def group_parts(items: list[Item], refs: list[str], constraints: Constraints, words: Words,
                ctx: Context) -> list[list[str]]:
    """``group`` of a union of whole connected parts, as lists of refs."""
    items = [with_word_sets(it) for it in items]
    index = {id(it): r for it, r in zip(items, refs)}
    return [[index[id(it)] for it in g] for g in group(items, refs, constraints, words, ctx)]


class _Local:
    """Tasks run one after another in this process (no cluster): the same partitions, one at a time."""

    def map(self, fn: Callable, args: Iterable[tuple], shared: tuple) -> Iterable[Any]:
        for a in args:
            yield fn(*a, *shared)


class _Dask:
    """Tasks on a ``distributed.Client``; the word weights and the context are sent to every worker once."""

    def __init__(self, client) -> None:
        self.client = client
        self._shared: dict[int, list] = {}

    def map(self, fn: Callable, args: Iterable[tuple], shared: tuple) -> Iterable[Any]:
        """The results in the order of ``args``; a few tasks per worker in flight, so that neither
        this process nor the scheduler holds every partition at once."""
        from distributed import wait

        key = id(shared)
        if key not in self._shared:
            self._shared[key] = [self.client.scatter(x, broadcast=True, hash=False) for x in shared]
        ahead = 3 * max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))
        window: list = []
        for a in args:
            window.append(self.client.submit(fn, *a, *self._shared[key], pure=False))
            if len(window) >= ahead:
                wait(window[:1])
                yield window.pop(0).result()
        for f in window:
            yield f.result()


def group_partitioned(items: Sequence[Item], refs: Sequence[str], constraints: Constraints | None = None,
                      table: WordTable | None = None, *, client=None, slab_days: int = SLAB_DAYS,
                      pack: int = PACK) -> Grouping:
    """``group_all(items, refs, constraints, table)``, computed in partitions by place and time,
    as tasks on the Dask ``client`` (or one after another in this process without one)."""
    runner = _Dask(client) if client is not None else _Local()
    refs = list(refs)
    table = table if table is not None else WordTable.of(items)
    words = word_weights(items, table)
    ctx = context_of(items, refs, words)
    constraints = constraints or Constraints()
    shared = (words, ctx)
    n = len(items)
    at = {r: i for i, r in enumerate(refs)}
    must_of: dict[int, list[int]] = defaultdict(list)
    for pair in constraints.must:
        a, b = sorted(pair)
        if a in at and b in at:
            must_of[at[a]].append(at[b])
            must_of[at[b]].append(at[a])

    # 2. candidates, scored partition by partition, and bucket by bucket (a name, a rare word)
    parts, buckets = _partitions(items, words, ctx, slab_days)
    args = ((Partition([refs[i] for i in owned], {refs[i]: items[i] for i in sorted(members)}, set()),)
            for owned, members in parts)
    bucket_args = (([(of_name, [refs[i] for i in b]) for of_name, b in pack_of],
                    {refs[i]: items[i] for _, b in pack_of for i in b}) for pack_of in _packs(buckets, pack // 4))
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    # 3. the pairs ``group`` joins by: two located events (or two naming one victim, or a person's
    # decision) at THRESHOLD or more, and a weakly placed event with its best candidate
    best: dict[int, tuple[float, str]] = {}
    # one task's pairs at a time: the whole collection's pairs are never in memory at once
    for scored in itertools.chain(runner.map(score_partition, args, shared),
                                  runner.map(score_buckets, bucket_args, shared)):
        for r, q, s, named in scored:
            i, j = at[r], at[q]
            if named or _located(items[i]) and _located(items[j]) or j in must_of.get(i, ()):
                union(i, j)  # (a decision's pair is no weakly placed event's best: ``_Side.best``)
                continue
            for a, other in ((i, q), (j, r)):  # each weakly placed end: is the other its best?
                if not _located(items[a]) and (a not in best or (-s, other) < best[a]):
                    best[a] = (-s, other)
    for i, (_, q) in best.items():
        union(i, at[q])
    for i, partners in must_of.items():
        for j in partners:
            union(i, j)

    # 4. the connected parts, grouped in packs
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    packs: list[list[int]] = [[]]
    groups: list[list[str]] = []
    for root in sorted(members):
        if len(members[root]) == 1:  # an event alone is its own incident: nothing to group
            groups.append([refs[root]])
            continue
        if len(packs[-1]) >= pack:
            packs.append([])
        packs[-1].extend(members[root])
    del members
    jobs = (([items[i] for i in sorted(p)], [refs[i] for i in sorted(p)],
              _constraints_of(constraints, {refs[i] for i in p})) for p in packs if p)
    groups += [g for out in runner.map(group_parts, jobs, shared) for g in out]
    # ``group``'s order: by the earliest date of the group, then its first ref
    first_day = {g[0]: min((items[at[r]].earliest for r in g if items[at[r]].earliest), default=dt.date.max)
                 for g in groups}
    groups.sort(key=lambda g: (first_day[g[0]], g[0]))
    for r, it in zip(refs, items):  # ``group_all`` leaves the busy flags of the collection's context
        it.busy = r in ctx.busy
    return Grouping(dict(zip(refs, items)), groups, words, table, ctx, constraints, n)


def _constraints_of(constraints: Constraints, refs: set[str]) -> Constraints:
    return Constraints({p for p in constraints.must if p <= refs}, {p for p in constraints.cannot if p <= refs})


def _packs(buckets: list[tuple[bool, list[int]]], size: int) -> Iterable[list[tuple[bool, list[int]]]]:
    """Buckets in packs of about ``size`` events."""
    pack: list[tuple[bool, list[int]]] = []
    n = 0
    for b in buckets:
        pack.append(b)
        n += len(b[1])
        if n >= size:
            yield pack
            pack, n = [], 0
    if pack:
        yield pack


def _partitions(items: Sequence[Item], words: Words, ctx: Context,
                slab_days: int) -> tuple[list[tuple[list[int], set[int]]], list[tuple[bool, list[int]]]]:
    """(owned, members) of each partition by country and slab of days, members being the owned events
    and every event any of them may be a candidate of by place and time (a superset: ``_Neighbours``
    narrows it); and the buckets of the events sharing a named person or a rare word."""
    dated = sorted((i for i, it in enumerate(items) if it.earliest is not None), key=lambda i: _day(items[i]))
    day = {i: _day(items[i]) for i in dated}
    by_country: dict[str, list[int]] = defaultdict(list)
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    towns: dict[str, list[int]] = defaultdict(list)
    named: dict[str, list[int]] = defaultdict(list)
    rare: dict[str, list[int]] = defaultdict(list)
    own: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in dated:  # in order of days: each list below is sorted by day
        it = items[i]
        by_country[it.country or "?"].append(i)
        own[(it.country or "?", day[i] // slab_days)].append(i)
        if _located(it):
            cells[_own_cell(it.lat, it.lon)].append(i)
            if it.city:
                towns[it.city].append(i)
            for w in it.rare_keys:
                if w not in ctx.big_words:
                    rare[w].append(i)
        for name in it.names | (it.text_names - words.common_names):
            if name not in ctx.big_names:
                named[name].append(i)
    buckets = [(True, b) for b in named.values() if len(b) > 1] + [(False, b) for b in rare.values() if len(b) > 1]
    del named, rare
    days_of = {k: [day[i] for i in v] for k, v in by_country.items()}
    cell_days = {c: [day[i] for i in v] for c, v in cells.items()}
    town_days = {t: [day[i] for i in v] for t, v in towns.items()}
    grid = _Neighbours({}, words, ctx, set())  # for its cell geometry only

    def window(lst: list[int], days: list[int], lo: int, hi: int) -> list[int]:
        return lst[bisect.bisect_left(days, lo):bisect.bisect_right(days, hi)]

    parts = []
    for (country, _), owned in sorted(own.items()):
        lo, hi = day[owned[0]] - WINDOW_DAYS, day[owned[-1]] + WINDOW_DAYS
        members = set(owned)
        members.update(window(by_country[country], days_of[country], lo, hi))
        reach: set[tuple[int, int]] = set()
        cities: set[str] = set()
        seen: set[tuple[int, int]] = set()
        for i in owned:
            it = items[i]
            if _located(it):
                cell = _own_cell(it.lat, it.lon)
                if cell not in seen:
                    seen.add(cell)
                    reach |= grid.reach(cell, cells)
                if it.city:
                    cities.add(it.city)
        for c in reach:
            if c in cells:
                members.update(window(cells[c], cell_days[c], lo, hi))
        for t in cities:
            members.update(window(towns[t], town_days[t], lo, hi))
        parts.append((owned, members))
    return parts, buckets
