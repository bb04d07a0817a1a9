"""Ingest at scale: the same GVA-like reports through one process, a pool of processes and a Dask cluster.

    python benchmarks/cluster_ingest.py [--n 20000] [--workers 2] [--seed 1] [--modes one pool cluster]

The reports are the synthetic ones of ``synthetic_events.py`` (invented shootings in real towns, told
by several outlets), written to a JSONL file once. Each mode runs in a fresh process, into a new
SQLite store: ``one`` (``tollbook ingest``), ``pool`` (``--workers N``) and ``cluster`` (``--cluster
local:N``, a LocalCluster of N worker processes). For each: the start (the runner made and its
model loaded on the workers), the reports per second of the ingest after that, and the peak resident
set of each process (the writer, and every worker: a thread samples the process tree with psutil
every 0.2 s). ``ratio`` is a mode's reports/s over ``one``'s. The events stored are checked to be
the same in every mode.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "src"))
sys.path.insert(0, str(HERE))


class Peaks:
    """The peak resident set of this process and each of its descendants, sampled in a thread."""

    def __init__(self, every: float = 0.2) -> None:
        import psutil

        self.me = psutil.Process()
        self.peak: dict[int, tuple[str, int]] = {}
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            for p in [self.me, *self.me.children(recursive=True)]:
                try:
                    rss = p.memory_info().rss
                    name = " ".join(p.cmdline()[1:3])[-40:] if p.pid != self.me.pid else "writer"
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                if rss > self.peak.get(p.pid, ("", 0))[1]:
                    self.peak[p.pid] = (name, rss)
            self._stop.wait(self.every)

    def __enter__(self) -> Peaks:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def write_reports(n: int, seed: int, path: Path) -> None:
    from synthetic_events import generate

    syn = generate(n, seed=seed)
    with path.open("w", encoding="utf-8") as f:
        for r in syn.reports.values():
            f.write(json.dumps({"text": r.text, "title": r.title, "published": r.published.isoformat(),
                                "source": r.source, "url": r.url}) + "\n")


def run(mode: str, path: str, workers: int, db: str) -> dict:
    """One mode, in this (fresh) process."""
    import tollbook

    with tollbook.open(db) as tb, Peaks() as peaks:
        t0 = time.perf_counter()
        kind = {"one": {}, "pool": {"workers": workers}, "cluster": {"cluster": f"local:{workers}"}}[mode]
        with tb.runner(**kind) as runner:
            runner.version  # noqa: B018 - the model loaded (on the workers) before the clock of the ingest
            t1 = time.perf_counter()
            result = tb.ingest([path], runner=runner)
            t2 = time.perf_counter()
        events = sorted(json.dumps({k: v for k, v in e.to_dict().items() if k != "id"}, sort_keys=True)
                        for e in tb.events())
    procs = sorted(peaks.peak.values(), key=lambda x: -x[1])
    writer = max(rss for name, rss in procs if name == "writer")
    others = [rss for name, rss in procs if name != "writer"]
    return {
        "mode": mode, "workers": 1 if mode == "one" else workers, "reports": len(result.added),
        "failed": len(result.failed), "start_s": round(t1 - t0, 1), "ingest_s": round(t2 - t1, 1),
        "reports_per_s": round(len(result.added) / (t2 - t1), 2),
        "writer_peak_mb": round(writer / 2**20), "worker_peaks_mb": [round(x / 2**20) for x in others],
        "writer_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "events_sha256": hashlib.sha256("\n".join(events).encode()).hexdigest()[:16],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20_000, help="events of the synthetic generator (about one report each)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--modes", nargs="*", default=["one", "pool", "cluster"], choices=["one", "pool", "cluster"])
    ap.add_argument("--mode", help=argparse.SUPPRESS)  # a child process: one mode
    ap.add_argument("--path", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        print(json.dumps(run(args.mode, args.path, args.workers, args.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.jsonl"
        write_reports(args.n, args.seed, path)
        rows = []
        for mode in args.modes:  # each in a fresh process, so its peaks are its own
            out = subprocess.run([sys.executable, __file__, "--mode", mode, "--path", str(path), "--workers",
                                  str(args.workers), "--db", str(Path(tmp) / f"{mode}.db")],
                                 check=True, capture_output=True, text=True, env=os.environ).stdout
            row = json.loads(out.strip().splitlines()[-1])
            if rows:
                row["ratio"] = round(row["reports_per_s"] / rows[0]["reports_per_s"], 2)
                row["same_events"] = row["events_sha256"] == rows[0]["events_sha256"]
            rows.append(row)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
