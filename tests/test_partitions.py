"""Grouping in partitions by place and time (reconcile/partitions.py), in this process and as Dask
tasks, gives what grouping the whole collection at once gives: the same incidents in the same order."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from tollbook.reconcile import event_refs
from tollbook.reconcile.grouping import Constraints, WordTable, group_all, items_of
from tollbook.reconcile.partitions import group_partitioned

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic_events import generate  # noqa: E402  (the repo's generator of synthetic events)


@pytest.fixture(scope="module")
def collection():
    syn = generate(3000, seed=11)
    refs = event_refs(syn.events)
    items = items_of((e, syn.reports[e.report_id]) for e in syn.events)
    return items, refs


@pytest.fixture(scope="module")
def compact(collection):
    """The same items with their words as tuples (items_of(compact=True)), as at scale."""
    syn = generate(3000, seed=11)
    return items_of(((e, syn.reports[e.report_id]) for e in syn.events), compact=True)


@pytest.mark.parametrize("slab_days, pack, as_tuples", [(28, 20_000, False), (3, 100, True), (1, 1, True)])
def test_partitions_in_this_process_give_the_whole_grouping(collection, compact, slab_days, pack, as_tuples):
    items, refs = collection
    whole = group_all(items, refs)
    parted = group_partitioned(compact if as_tuples else items, refs, slab_days=slab_days, pack=pack)
    assert parted.groups == whole.groups
    assert len(whole.groups) < len(items)  # there is grouping to get right


def test_partitions_with_a_frozen_table_and_people_s_decisions(collection):
    items, refs = collection
    table = WordTable.of(items[:2000])
    whole = group_all(items, refs, table=table)
    rng = random.Random(5)
    joined = [g for g in whole.groups if len(g) > 1]
    must = {frozenset(rng.sample(refs, 2)) for _ in range(20)}
    cannot = {frozenset(g[:2]) for g in rng.sample(joined, 20)}
    constraints = Constraints(must, cannot)
    want = group_all(items, refs, constraints, table).groups
    assert want != whole.groups  # the decisions changed something
    assert group_partitioned(items, refs, constraints, table, slab_days=7, pack=300).groups == want


def test_partitions_as_dask_tasks_give_the_whole_grouping(collection):
    from distributed import Client, LocalCluster

    items, refs = collection
    whole = group_all(items, refs)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        parted = group_partitioned(items, refs, client=client, slab_days=14, pack=500)
    assert parted.groups == whole.groups


@pytest.mark.slow
def test_regroup_on_a_local_cluster_gives_the_same_incidents(tb, examples):
    from tollbook.errors import ClusterError

    tb.ingest([examples / "reports"])
    tb.regroup()
    here = [(inc.id, inc.refs) for inc in tb.incidents()]
    tb.regroup(cluster="local:1")
    assert [(inc.id, inc.refs) for inc in tb.incidents()] == here
    with pytest.raises(ClusterError, match="local:N"):
        tb.regroup(cluster="local")
