"""Extraction time per 10 KB of text, from 10 KB to 1 MB: the work on one report must grow
linearly with its length (target: the slowest size within 1.5x of the fastest per 10 KB).

The texts are the bundled example reports, joined and repeated to the length wanted (news
prose with tolls, places, dates and actors on every few lines). Each size is timed once after a
warm-up; the token count read (``Extractor.tokens_read``) is printed beside it. The spread is
taken over CPU seconds of this process (``time.process_time``): on a machine shared with other
work the wall clock measures the neighbours as much as the extractor.

    python benchmarks/text_scaling.py                 # 10 KB ... 1 MB
    python benchmarks/text_scaling.py --sizes 10 100  # sizes in KB
"""

from __future__ import annotations

import argparse
import json
import time

from tollbook.evaluate.examples import examples_dir
from tollbook.extract import Extractor
from tollbook.records import Report

SIZES_KB = (10, 20, 50, 100, 200, 500, 1000)


def corpus_text(n_chars: int) -> str:
    reports = sorted((examples_dir() / "reports").glob("*.txt"))
    base = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in reports) + "\n\n"
    text = base * (n_chars // len(base) + 1)
    cut = text.rfind("\n\n", 0, n_chars)
    return text[:cut if cut > n_chars // 2 else n_chars]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES_KB), help="text sizes in KB")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    ex = Extractor()
    ex(Report.from_text(corpus_text(5_000)))  # warm-up: model, gazetteer, dateparser
    rows = []
    for kb in args.sizes:
        text = corpus_text(kb * 1024)
        before = ex.tokens_read
        start, cpu_start = time.perf_counter(), time.process_time()
        events = ex(Report.from_text(text))
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        tens = len(text) / 10240
        rows.append({"kb": kb, "chars": len(text), "tokens": ex.tokens_read - before, "events": len(events),
                     "seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2),
                     "cpu_per_10kb": round(cpu / tens, 3), "seconds_per_10kb": round(seconds / tens, 3)})
        if not args.json:
            r = rows[-1]
            print(f"{r['kb']:>5} KB  {r['tokens']:>8} tokens  {r['events']:>5} events  {r['seconds']:>8.2f} s  "
                  f"{r['cpu_seconds']:>8.2f} s CPU  {r['cpu_per_10kb']:>6.3f} s CPU per 10 KB", flush=True)
    per = [r["cpu_per_10kb"] for r in rows]
    spread = max(per) / min(per) if per and min(per) > 0 else float("nan")
    if args.json:
        print(json.dumps({"rows": rows, "spread": round(spread, 2)}, indent=2))
    else:
        print(f"slowest / fastest CPU time per 10 KB: {spread:.2f}x (target: within 1.5x)")


if __name__ == "__main__":
    main()
