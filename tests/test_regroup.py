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


def test_the_store_regroups_only_what_new_reports_reach_and_every_process_agrees(tb, examples, tmp_path):
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
    other = Tollbook(Store.open(tmp_path / "t.db"), extractor=tb.extractor)
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
