"""Incremental grouping: adding, re-extracting or reviewing reports regroups only the incidents they
reach, and gives what grouping the whole collection (with the same frozen word table) gives."""

from __future__ import annotations

import dataclasses
import random
import sys
from pathlib import Path

import pytest

from tollbook.reconcile import event_refs
from tollbook.reconcile.grouping import Constraints, WordTable, group_all, items_of, regroup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic_events import generate  # noqa: E402  (the repo's generator of synthetic events)

pytestmark = pytest.mark.backends  # tests on a store run on SQLite and on PostgreSQL (tests/conftest.py)


@pytest.fixture(scope="module")
def collection():
    syn = generate(3000, seed=7)
    refs = event_refs(syn.events)
    items = items_of((e, syn.reports[e.report_id]) for e in syn.events)
    return items, refs


def _full(items, refs, table, constraints=None):
    return group_all(items, refs, constraints, table).groups


@pytest.mark.parametrize("shuffled", [False, True])
def test_adding_reports_in_batches_gives_the_whole_collection_s_grouping(collection, shuffled):
    items, refs = collection
    order = list(range(len(items)))
    first, rest = order[:2000], order[2000:]
    if shuffled:  # reports of any date, in any order
        random.Random(3).shuffle(order)
        first, rest = order[:2000], order[2000:]
    table = WordTable.of([items[i] for i in first])
    g = group_all([items[i] for i in first], [refs[i] for i in first], table=table)
    have = list(first)
    for k in range(0, len(rest), 250):
        have += rest[k:k + 250]
        g = regroup(g, [items[i] for i in have], [refs[i] for i in have])
        assert g.groups == _full([items[i] for i in have], [refs[i] for i in have], table)
        assert g.regrouped < len(have)


def test_a_few_new_reports_regroup_few_events(collection):
    items, refs = collection
    table = WordTable.of(items[:2990])
    g = group_all(items[:2990], refs[:2990], table=table)
    g = regroup(g, items, refs)  # the ten newest events
    assert g.groups == _full(items, refs, table)
    assert 10 <= g.regrouped < 300


def test_re_extraction_removal_and_decisions_regroup_exactly(collection):
    items, refs = collection
    table = WordTable.of(items)
    g = group_all(items, refs, table=table)
    rng = random.Random(5)
    # extraction ran again on some reports: new event ids, other figures; some events are gone
    changed = list(items)
    for i in rng.sample(range(len(items)), 40):
        it = changed[i]
        changed[i] = dataclasses.replace(it, key=it.key + 100000, killed=(it.killed or 0) + 1)
    gone = set(rng.sample(range(len(items)), 25))
    now_items = [it for i, it in enumerate(changed) if i not in gone]
    now_refs = [r for i, r in enumerate(refs) if i not in gone]
    g2 = regroup(g, now_items, now_refs)
    assert g2.groups == _full(now_items, now_refs, table)
    # a person merges two incidents and splits another
    a, b = g2.groups[10][0], g2.groups[500][0]
    multi = next(x for x in g2.groups if len(x) >= 2)
    decided = Constraints(must={frozenset((a, b))}, cannot={frozenset((multi[0], multi[1]))})
    g3 = regroup(g2, now_items, now_refs, decided)
    assert g3.groups == _full(now_items, now_refs, table, decided)
    assert any(a in x and b in x for x in g3.groups)
    assert not any(multi[0] in x and multi[1] in x for x in g3.groups)
    assert g3.regrouped < len(now_items) // 2
    # ... and withdraws the decisions
    g4 = regroup(g3, now_items, now_refs, Constraints())
    assert g4.groups == g2.groups


def test_the_word_table_round_trips_through_json(collection):
    items, _ = collection
    table = WordTable.of(items[:500])
    assert WordTable.from_json(table.to_json()) == table


def test_the_store_regroups_only_what_new_reports_reach_and_every_process_agrees(tb, examples, db):
    from tollbook.api import Tollbook
    from tollbook.reconcile import update_incidents
    from tollbook.reconcile.grouping import WordTable
    from tollbook.store import Store, index

    files = sorted((examples / "reports").iterdir())
    later = [f for f in files if f.name.startswith(("tarsel-toll", "springfield"))]
    tb.ingest([f for f in files if f not in later])
    tb.incidents()
    with tb.store.engine.connect() as conn:
        table = WordTable.from_json(index.word_table(conn))
    tb.ingest(later)
    now = tb.incidents()
    assert tb._grouped[1].grouping.regrouped < len(tb.store.events())  # only what the new reports reach
    reports = {r.id: r for r in tb.store.reports(with_text=True)}
    # ... and the same incidents as grouping everything at once with the stored word table
    whole = update_incidents(tb.store.events(), reports, tb.store.reviews(), table=table).incidents
    assert [(i.id, i.refs) for i in now] == [(i.id, i.refs) for i in whole]
    # another process (the web server, the next CLI call) reads the same table: the same incidents
    other = Tollbook(Store.open(db), extractor=tb.extractor)
    assert [(i.id, i.refs) for i in other.incidents()] == [(i.id, i.refs) for i in now]
    # extraction runs again (new event rows) and a person merges two incidents: still the whole grouping
    tb.reextract(all_reports=True)
    tb.merge(now[0].id, now[-1].id, editor="ana", reason="one attack")
    after = tb.incidents()
    reports = {r.id: r for r in tb.store.reports(with_text=True)}
    whole = update_incidents(tb.store.events(), reports, tb.store.reviews(), table=table).incidents
    assert [(i.id, i.refs) for i in after] == [(i.id, i.refs) for i in whole]
    assert any(set(now[0].refs) | set(now[-1].refs) <= set(i.refs) for i in after)
    # the other process regroups with a word table of the whole collection now; this one follows it
    other.regroup()
    other.close()
    with tb.store.engine.connect() as conn:
        fresh = WordTable.from_json(index.word_table(conn))
    assert fresh.n == len(tb.store.events()) != table.n
    after = tb.incidents()
    assert tb._grouped[1].table == fresh
    whole = update_incidents(tb.store.events(), reports, tb.store.reviews(), table=fresh).incidents
    assert [(i.id, i.refs) for i in after] == [(i.id, i.refs) for i in whole]


# Dense little collections, with the limits made small so that towns turn busy, regions crowded and
# names common as events come and go: the edge cases of the incremental path, many times over. The
# seeds after range(100) each broke an earlier version (a name too common still tied a pair in
# ``group``; a crowded event's pairs; a score that depended on the order of its two events; the
# version of a re-extracted event searched before the change).
_TOWNS = [("springfield", 39.80, -89.64, "IL", "g1"), ("chatham", 39.67, -89.70, "IL", "g2"),
          ("rochester", 39.75, -89.53, "IL", "g3"), ("springfield", 39.92, -83.81, "OH", "g4"),
          ("peoria", 40.69, -89.59, "IL", "g5")]
_TYPES = ["shooting", "stabbing", "bombing", "arson", "abduction", "riot"]


def _little_item(rng: random.Random, key: int, report: str, span: int, vocab: list[str]):
    import datetime as dt

    from tollbook.reconcile.grouping import Item

    kind = rng.random()
    kind = rng.random() * 0.6 if kind < 0.6 else 0.6 + rng.random() * 0.4
    day = rng.randint(0, span)
    first = None if rng.random() < 0.05 else dt.date(2020, 1, 1) + dt.timedelta(days=day)
    last = None if first is None else first + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 5]))
    town = rng.choice(_TOWNS)
    common = dict(key=key, report_id=report, role="main", type=rng.choice(_TYPES), earliest=first, latest=last,
                  killed=rng.choice([None, 0, 1, 1, 2, 3]), injured=rng.choice([None, 0, 1, 2]),
                  names=frozenset(rng.sample(["ann lee", "bob ray", "cy fox", "dee kim"], rng.choice([0, 0, 0, 1, 2]))),
                  text_names=frozenset(rng.sample(["eve ng", "fay po", "gus ma", "hal qi", "ann lee"],
                                                  rng.choice([0, 0, 1, 2, 3]))),
                  words=frozenset(rng.sample(vocab, min(len(vocab), rng.randint(0, 8)))), shooting=rng.random() < 0.2)
    if kind < 0.6:
        jitter = rng.choice([0, 0, 0.01, 0.05])
        return Item(country="US", admin1=town[3], city=town[0], place_id=town[4], precision="city",
                    lat=town[1] + jitter, lon=town[2] - jitter, **common)
    if kind < 0.8:
        return Item(country="US", admin1=rng.choice(["IL", "IL", "OH"]), city=None, place_id=None,
                    precision="admin1", lat=None, lon=None, **common)
    if kind < 0.9:
        return Item(country="US", admin1=None, city=None, place_id=None, precision="country", lat=None, lon=None,
                    **common)
    if kind < 0.95:
        return Item(country="US", admin1="IL", city=None, place_id="c1", precision="admin2", lat=None, lon=None,
                    **common)
    return Item(country=None, admin1=None, city=None, place_id=None, precision=None, lat=None, lon=None, **common)


def _little_run(seed: int) -> None:
    rng = random.Random(seed)
    span = rng.choice([3, 12, 30, 60])
    vocab = [f"w{i:02d}" for i in range(rng.choice([10, 25, 80]))]
    n = rng.randint(8, 60)
    reports = [f"r{i:02d}" for i in range(max(3, n // 2))]
    pool, per = [], {}
    for key in range(n):
        report = rng.choice(reports)
        per[report] = per.get(report, 0) + 1
        pool.append((f"{report}#{per[report] - 1}", _little_item(rng, key, report, span, vocab)))
    key = n
    rng.shuffle(pool)
    cut = rng.randint(1, n)
    have, rest = dict(pool[:cut]), pool[cut:]
    table = WordTable.of(list(have.values()) if rng.random() < 0.7 else [it for _, it in pool])
    decided = Constraints()
    g = group_all(list(have.values()), list(have), decided, table)
    for step in range(rng.randint(3, 10)):
        op = rng.random()
        if op < 0.35 and rest:
            b = rng.randint(1, 4)
            have.update(rest[:b])
            rest = rest[b:]
        elif op < 0.5 and have:
            for r in rng.sample(list(have), min(len(have), rng.randint(1, 3))):
                del have[r]
        elif op < 0.7 and have:  # extraction ran again: another item under the same ref
            for r in rng.sample(list(have), min(len(have), rng.randint(1, 3))):
                key += 1
                old = have[r]
                have[r] = _little_item(rng, key, old.report_id, span, vocab) if rng.random() < 0.5 else \
                    dataclasses.replace(old, key=key, killed=(old.killed or 0) + 1)
        elif op < 0.85 and len(have) >= 2:
            pair = frozenset(rng.sample(list(have), 2))
            decided = Constraints(decided.must | {pair}, set(decided.cannot)) if rng.random() < 0.5 else \
                Constraints(set(decided.must), decided.cannot | {pair})
        else:
            must, cannot = list(decided.must), list(decided.cannot)
            if must and rng.random() < 0.5:
                must.pop(rng.randrange(len(must)))
            elif cannot:
                cannot.pop(rng.randrange(len(cannot)))
            decided = Constraints(set(must), set(cannot))
        items, refs = list(have.values()), list(have)
        if rng.random() < 0.5:  # in any order
            both = list(zip(items, refs))
            rng.shuffle(both)
            items, refs = [a for a, _ in both], [b for _, b in both]
        g = regroup(g, items, refs, decided)
        assert g.groups == group_all(items, refs, decided, table).groups, (seed, step)


def test_dense_little_collections_regroup_exactly_whatever_changes(monkeypatch):
    from tollbook.reconcile import grouping as g_module

    for name, small in (("CROWDED", 4), ("BUSY_TOWN", 3), ("NAME_BUCKET_MAX", 3), ("RARE_BUCKET_MAX", 3)):
        monkeypatch.setattr(g_module, name, small)
    for seed in [*range(100), 406, 544, 1012, 1606, 2929]:
        _little_run(seed)
