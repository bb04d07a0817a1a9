"""One round of `tollbook watch` over a local feed of N items: items per second, and the share
of the time spent fetching, parsing (HTML to text), extracting (spaCy and the rules, storing)
and updating the incidents.

    python benchmarks/watch_round.py [--items 1000] [--copies 0.2] [--failing 0.05] [--json]

The feed and its pages are invented (tests/_localweb.py: stories, syndicated copies of some of
them, failing URLs) and served on 127.0.0.1 by a threaded HTTP server in this process, so the
fetching share is the cost of HTTP on the loopback, not of a real network (no per-host delay).
A real round is bounded by the politeness delay: 1 s between two pages of one host by default.
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
sys.path.insert(0, str(HERE.parents[0] / "tests"))


def main() -> None:
    from _localweb import LocalWeb, article, copy_of, rss, story
    from tollbook.api import Settings, Tollbook
    from tollbook.store import Store

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--copies", type=float, default=0.2)
    ap.add_argument("--failing", type=float, default=0.05)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    n_copies, n_failing = int(args.items * args.copies), int(args.items * args.failing)
    n_stories = args.items - n_copies - n_failing
    with LocalWeb() as web, tempfile.TemporaryDirectory() as tmp:
        items = []
        for n in range(n_stories):
            items.append(("s", web.add(f"/wire/{n}", article(*story(n)))))
        for i in range(n_copies):
            items.append(("c", web.add(f"/copy/{i}", article(*copy_of(*story(i % n_stories), f"Outlet {i % 7}")))))
        for i in range(n_failing):
            items.append(("f", web.add(f"/gone/{i}", "gone", status=404 if i % 2 else 500,
                                       content_type="text/plain")))
        feed = web.add("/feed.xml", rss([(k, u) for k, u in items]), content_type="application/rss+xml",
                       conditional=True)
        path = Path(tmp) / "bench.db"
        tb = Tollbook(Store.open(path), settings=Settings.load(db=str(path)))
        t0 = time.perf_counter()
        tb.extractor  # noqa: B018 - the model loads once, before the clock of the round starts
        load = time.perf_counter() - t0
        fetcher = tb.fetcher(delay=0.0, timeout=10.0)
        rnd = tb.watch_round([feed], fetcher=fetcher)
        second = tb.watch_round([feed], fetcher=fetcher)
        fetcher.close()
        total = rnd.seconds["total"]
        parts = {k: rnd.seconds[k] for k in ("fetching", "parsing", "extracting", "incidents")}
        parts["other"] = max(0.0, total - sum(parts.values()))
        out = {
            "items": rnd.items, "stored": rnd.count("stored"), "failed": rnd.count("failed"),
            "stories_with_copies": len(tb.stories()), "seconds": round(total, 2),
            "items_per_second": round(rnd.items / total, 2),
            "share": {k: round(v / total, 3) for k, v in parts.items()},
            "model_load_seconds": round(load, 2),
            "second_round": {"new": second.new, "unchanged": second.unchanged,
                             "seconds": round(second.seconds["total"], 3)},
        }
        tb.close()
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(f"{out['items']} items in {out['seconds']} s: {out['items_per_second']} items/s "
              f"({out['stored']} stored, {out['failed']} failed, {out['stories_with_copies']} stories with copies)")
        print("share: " + ", ".join(f"{k} {v:.0%}" for k, v in out["share"].items()))
        print(f"second round: {out['second_round']['new']} new, {out['second_round']['seconds']} s")


if __name__ == "__main__":
    main()
