"""Incidents from a store as reports keep arriving: the first grouping, then each small batch added.

    python benchmarks/store_update.py [--events 20000] [--batch 20] [--batches 3]

Builds a SQLite store (in a temporary folder) from synthetic extracted events (``synthetic_events.py``:
reports with their events, stored as ``tollbook ingest`` stores them, without running the extractor),
then times ``Tollbook.incidents()`` — the call behind `tollbook incidents`, the exports and the web
index — three ways: the first call of a process (everything read and grouped), each call after a
batch of new reports was added (only the new events read in full, only the incidents they reach
grouped again), and, in the same run, a fresh process's call on the final store (the baseline an
incremental update replaces). Checks that the incremental result equals the fresh one.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "src"))
sys.path.insert(0, str(HERE))


def _store_reports(store, syn, reports: list[str], events_of: dict[str, list]) -> None:
    from tollbook.ingest.readers import Original, Submission

    for rid in reports:
        r = syn.reports[rid]
        original = Original.of(f"{rid}.txt", r.text.encode(), "txt")
        sub = Submission(original, r.text, title=r.title, source=r.source, url=r.url, published=r.published)
        store.add_report(sub, events_of[rid], extractor="synthetic")


def main() -> None:
    from synthetic_events import generate

    from tollbook.api import Tollbook
    from tollbook.store import Store

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=20, help="reports added between two calls")
    ap.add_argument("--batches", type=int, default=3)
    args = ap.parse_args()
    syn = generate(args.events)
    order: list[str] = []
    events_of: dict[str, list] = {}
    for e in syn.events:  # in order of publication
        if e.report_id not in events_of:
            order.append(e.report_id)
            events_of[e.report_id] = []
        e.id = None  # the store numbers them
        events_of[e.report_id].append(e)
    later = args.batch * args.batches
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        store = Store.open(path)
        t = time.perf_counter()
        _store_reports(store, syn, order[:-later], events_of)
        stored = time.perf_counter() - t
        tb = Tollbook(store)
        t = time.perf_counter()
        tb.incidents()
        first = time.perf_counter() - t
        rows = []
        for k in range(args.batches):
            start = len(order) - later + k * args.batch
            _store_reports(store, syn, order[start:start + args.batch], events_of)
            t = time.perf_counter()
            found = tb.incidents()
            rows.append({"seconds": round(time.perf_counter() - t, 2),
                         "regrouped": tb._grouped[1].grouping.regrouped})
        fresh_tb = Tollbook(Store.open(path))
        t = time.perf_counter()
        fresh = fresh_tb.incidents()
        full = time.perf_counter() - t
        same = [(i.id, i.refs) for i in found] == [(i.id, i.refs) for i in fresh]
        print(json.dumps({"events": len(tb.store.current_event_ids()), "reports": len(order),
                          "store_s": round(stored, 1), "first_call_s": round(first, 2),
                          "batch": args.batch, "after_each_batch": rows, "fresh_process_s": round(full, 2),
                          "incremental_equals_fresh": same}))
        fresh_tb.close()
        tb.close()


if __name__ == "__main__":
    main()
