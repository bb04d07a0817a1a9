"""Grouping and reconciliation at scale: synthetic events, and the GVA development set end to end.

    python benchmarks/grouping_scale.py [--sizes 10000 100000 1000000] [--seed 1] [--years 5] [--add 100]
    python benchmarks/grouping_scale.py --gva [--data ../shared/data/gva/dev.jsonl] --sizes
    python benchmarks/grouping_scale.py --partitioned --dask 2 --sizes 1000000

1. Synthetic (``synthetic_events.py``): for each size n, a fresh process generates n events (not
   timed) and then times ``build_incidents`` — the code path of ``Tollbook.incidents()``: grouping
   and reconciliation, with its parts (items, grouping, reconciliation) timed apart. Memory is the
   resident set of the process (``resource.getrusage`` ``ru_maxrss``, Linux kilobytes): its peak,
   and the part grouping added (peak minus the resident set just before the call, read from
   /proc/self/statm). ``exponent`` is log(t2/t1)/log(n2/n1) against the size before: 1 is linear;
   n log n from 10k to 100k gives about 1.2 at most. Correctness on the same events: B-cubed
   precision, recall and F1 of the incidents against the generator's truth, and the share of true
   incidents whose best killed figure (of the incident holding most of their events) is the true one.
   With ``--add K``: the incremental update (``update_incidents`` with the previous state) adding the
   K newest events, its time, how many events it grouped again, and whether it gives the incidents
   a full grouping with the same frozen word table gives.
2. ``--partitioned``: grouping in partitions by place and time (``reconcile/partitions.py``), with
   ``--dask N`` as tasks on a LocalCluster of N worker processes (0: one after another in the
   process). One process generates the events and writes their compact items (words as tuples)
   to a file; a fresh process reads them and groups them in partitions: its peak resident set
   (``ru_maxrss``), each worker's (sampled with psutil), the time; another fresh process groups
   them at once with ``group_all`` (the single-process grouping): its peak and time, and whether
   the two groupings are the same incidents in the same order.
3. ``--gva``: the development set as ``tollbook eval gva`` runs it (the same reading, extraction
   and scoring code), timed from the first article read to the last incident out, split into model
   loading, extraction (one process) and grouping with reconciliation.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "src"))
sys.path.insert(0, str(HERE))


def _rss_kb() -> int:
    """The resident set now, in kilobytes."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _Timed:
    """Wraps a function of ``tollbook.reconcile`` to add up the time spent in it."""

    def __init__(self, module, name: str) -> None:
        self.module, self.name, self.fn, self.seconds = module, name, getattr(module, name), 0.0
        setattr(module, name, self)

    def __call__(self, *a, **k):
        t = time.perf_counter()
        try:
            return self.fn(*a, **k)
        finally:
            self.seconds += time.perf_counter() - t

    def restore(self) -> None:
        setattr(self.module, self.name, self.fn)


def bcubed(system: dict[int, str], truth: dict[int, int]) -> tuple[float, float]:
    sys_members: dict[str, set[int]] = defaultdict(set)
    true_members: dict[int, set[int]] = defaultdict(set)
    for k, c in system.items():
        sys_members[c].add(k)
    for k, c in truth.items():
        true_members[c].add(k)
    p = r = 0.0
    for k in truth:
        both = len(sys_members[system[k]] & true_members[truth[k]])
        p += both / len(sys_members[system[k]])
        r += both / len(true_members[truth[k]])
    return p / len(truth), r / len(truth)


def one(n: int, seed: int, years: float | None, add: int = 0) -> dict:
    """One size, in this process: generate, then time build_incidents; with ``add``, also the
    incremental update that adds the ``add`` newest events to the incidents of the others."""
    from synthetic_events import generate

    import tollbook.reconcile as rc

    t = time.perf_counter()
    syn = generate(n, seed=seed, years=years)
    generated = time.perf_counter() - t
    gc.collect()
    rss_before = _rss_kb()
    parts = [_Timed(rc, "item_of"), _Timed(rc, "group_all"), _Timed(rc, "reconcile")]
    t = time.perf_counter()
    incidents = rc.build_incidents(syn.events, syn.reports)
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for p in parts:
        p.restore()
    system = {e.id: inc.id for inc in incidents for e in inc.events}
    p, r = bcubed(system, syn.truth)
    # the toll: for each true incident, the system incident holding most of its events
    by_id = {inc.id: inc for inc in incidents}
    events_of: dict[int, list[int]] = defaultdict(list)
    for k, c in syn.truth.items():
        events_of[c].append(k)
    right = 0
    for c, keys in events_of.items():
        inc = by_id[Counter(system[k] for k in keys).most_common(1)[0][0]]
        f = inc.figure("killed")
        right += (f.best if f and f.best is not None else 0) == syn.killed[c]
    return {
        "n": n, "reports": len(syn.reports), "true_incidents": len(events_of), "incidents": len(incidents),
        "seconds": round(seconds, 2), "us_per_event": round(seconds / n * 1e6, 1),
        "items_s": round(parts[0].seconds, 2), "group_s": round(parts[1].seconds, 2),
        "reconcile_s": round(parts[2].seconds, 2), "generate_s": round(generated, 1),
        "peak_rss_mb": round(peak / 1024), "added_rss_mb": round((peak - rss_before) / 1024),
        "bcubed_p": round(p, 4), "bcubed_r": round(r, 4), "bcubed_f1": round(2 * p * r / (p + r), 4),
        "killed_exact": round(right / len(events_of), 4),
    } | (incremental(syn, add) if add else {})


def incremental(syn, add: int) -> dict:
    """``update_incidents`` (the path of ``Tollbook.incidents()`` once it has a grouping) adding the
    ``add`` newest events, against grouping everything again with the same frozen word table."""
    import tollbook.reconcile as rc

    before = syn.events[:-add]
    state = rc.update_incidents(before, syn.reports)
    t = time.perf_counter()
    now = rc.update_incidents(syn.events, syn.reports, previous=state)
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    whole = rc.update_incidents(syn.events, syn.reports, table=state.table)
    full = time.perf_counter() - t
    return {"added": add, "add_s": round(seconds, 2), "add_regrouped": now.grouping.regrouped,
            "same_table_full_s": round(full, 2),
            "add_equals_full": [i.refs for i in now.incidents] == [i.refs for i in whole.incidents]}


def make_items(n: int, seed: int, years: float | None, path: str) -> dict:
    """Generate ``n`` events and write their compact items and refs to ``path`` (pickle)."""
    import pickle

    from synthetic_events import generate

    from tollbook.reconcile import event_refs, incident_events
    from tollbook.reconcile.grouping import items_of

    syn = generate(n, seed=seed, years=years)
    events = incident_events(syn.events)
    t = time.perf_counter()
    items = items_of(((e, syn.reports[e.report_id]) for e in events), compact=True)
    seconds = time.perf_counter() - t
    with open(path, "wb") as f:
        pickle.dump((items, event_refs(events)), f, protocol=pickle.HIGHEST_PROTOCOL)
    return {"items_s": round(seconds, 1)}


def group_items(path: str, dask: int | None) -> dict:
    """Read the items of ``make_items`` and group them: at once (``group_all``, ``dask`` None) or in
    partitions (as tasks on a LocalCluster of ``dask`` workers, or here with 0)."""
    import hashlib
    import pickle

    from cluster_ingest import Peaks

    from tollbook.reconcile import _no_cycle_collection
    from tollbook.reconcile.grouping import group_all, with_word_sets
    from tollbook.reconcile.partitions import group_partitioned

    with open(path, "rb") as f:
        items, refs = pickle.load(f)
    if dask is None:
        items = [with_word_sets(it) for it in items]
    gc.collect()
    rss_before = _rss_kb()
    with Peaks() as peaks, _no_cycle_collection():
        t = time.perf_counter()
        if dask is None:
            g = group_all(items, refs)
        elif dask == 0:
            g = group_partitioned(items, refs)
        else:
            import logging

            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=dask, threads_per_worker=1, dashboard_address=":0",
                              silence_logs=logging.ERROR, memory_limit=0) as cluster, Client(cluster) as client:
                t = time.perf_counter()
                g = group_partitioned(items, refs, client=client)
        seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    digest = hashlib.sha256(json.dumps(g.groups).encode()).hexdigest()[:16]
    workers = sorted((rss for name, rss in peaks.peak.values() if name != "writer"), reverse=True)
    during = peaks.peak.get(os.getpid(), ("", 0))[1]  # sampled while grouping: without the reading's own peak
    return {"how": "group_all" if dask is None else f"partitions, {dask} dask workers" if dask else "partitions here",
            "events": len(items), "incidents": len(g.groups), "seconds": round(seconds, 1),
            "peak_rss_mb": round(peak / 1024), "before_mb": round(rss_before / 1024),
            "grouping_peak_mb": round(during / 2**20),
            "worker_peaks_mb": [round(x / 2**20) for x in workers if x > 50 * 2**20], "groups_sha256": digest}


def partitioned(n: int, seed: int, years: float | None, dask: int) -> list[dict]:
    """Partitioned against whole grouping of the same ``n`` events, each in a fresh process."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "items.pickle")
        span = ["--years", str(years)] if years else []
        made = _child(["--make-items", str(n), "--seed", str(seed), *span, "--items", path])
        rows = [_child(["--group-items", path, "--dask", str(dask)]), _child(["--group-items", path])]
    rows[0] |= made
    rows[0]["same_as_group_all"] = rows[0]["groups_sha256"] == rows[1]["groups_sha256"]
    return rows


def _child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def gva(path: str) -> dict:
    """The development set as ``tollbook eval gva`` runs it, timed in parts."""
    import tollbook.evaluate.gva as mod
    from tollbook.extract.parallel import _make, extract_many
    from tollbook.extract.pipeline import ExtractOptions

    t0 = time.perf_counter()
    ex = _make((), ExtractOptions())
    ex(mod.Report.from_text("Two men were shot dead in Springfield, Illinois, on Sunday, police said."))
    loaded = time.perf_counter() - t0
    t_first = time.perf_counter()  # the first article in
    gold, reports = mod.read(path)
    docs = list(dict.fromkeys(d for g in gold for d in g["docs"]))
    events = dict(zip(docs, extract_many([reports[d] for d in docs], extractor=ex)))
    extracted = time.perf_counter()
    timed = _Timed(mod, "build_incidents")
    scores = mod.score(gold, {d: reports[d] for d in docs}, events)
    scored = time.perf_counter()
    timed.restore()
    grouping = timed.seconds
    return {
        "articles": len(docs), "events": sum(len(v) for v in events.values()), "load_s": round(loaded, 1),
        "extract_s": round(extracted - t_first, 1), "group_reconcile_s": round(grouping, 2),
        "first_in_to_last_out_s": round(extracted - t_first + grouping, 1),
        "score_s": round(scored - extracted - grouping, 2), "grouping_f1": round(scores["grouping_f1"], 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--years", type=float, default=None,
                    help="the span of the dates, the same for every size (default: 200,000 events a year)")
    ap.add_argument("--gva", action="store_true", help="also time the GVA development set end to end")
    ap.add_argument("--data", default=str(HERE.parents[1] / "shared/data/gva/dev.jsonl"))
    ap.add_argument("--add", type=int, default=0,
                    help="also time adding this many newest events to the incidents of the others (incremental)")
    ap.add_argument("--partitioned", action="store_true",
                    help="grouping in partitions (as Dask tasks with --dask N) against group_all, per size")
    ap.add_argument("--dask", type=int, default=2, help="with --partitioned: LocalCluster workers (0: none)")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process: one size
    ap.add_argument("--make-items", type=int, metavar="N", help="write the compact items of N events to --items")
    ap.add_argument("--items", help="with --make-items: the file (pickle)")
    ap.add_argument("--group-items", metavar="FILE",
                    help="group the items of FILE: at once (group_all), or with --dask N in partitions")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.seed, args.years, args.add)))
        return
    if args.make_items:
        print(json.dumps(make_items(args.make_items, args.seed, args.years, args.items)))
        return
    if args.group_items:
        print(json.dumps(group_items(args.group_items, args.dask if "--dask" in sys.argv else None)))
        return
    if args.partitioned:
        for n in args.sizes:
            for row in partitioned(n, args.seed, args.years, args.dask):
                print(json.dumps({"n": n} | row), flush=True)
        return
    rows = []
    for n in args.sizes:  # each size in a fresh process, so its peak memory is its own
        span = ["--years", str(args.years)] if args.years else []
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed), *span,
                              "--add", str(args.add)],
                             check=True, capture_output=True, text=True).stdout
        row = json.loads(out.strip().splitlines()[-1])
        if rows:
            prev = rows[-1]
            row["exponent"] = round(math.log(row["seconds"] / prev["seconds"]) / math.log(n / prev["n"]), 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if args.gva:
        print(json.dumps({"gva": gva(args.data)}), flush=True)


if __name__ == "__main__":
    main()
