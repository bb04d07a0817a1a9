"""Extraction speed and memory on the GVA development articles, next to spaCy's own pipeline.

    python benchmarks/extract_speed.py [--data ../shared/data/gva/dev.jsonl] [--workers 1 2] [--limit N]

For each worker count it runs, over the same texts and in the same run:
  1. baseline: spaCy's ``nlp.pipe`` alone: the pinned model exactly as ``spacy.load`` gives it, all
     its components (tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), batched;
  2. tollbook: the whole extraction (parse + figures, dates, places, actors, events), with the
     pipeline tollbook runs (the same model; its attribute ruler and lemmatizer applied by table).
It prints reports/s, words/s, the ratio tollbook/baseline in time, and the peak resident memory of
one process (the largest worker's, for several workers). Model and gazetteer loading are excluded
from the timings (done once per process before the clock starts) and reported apart. With one
worker it also gives the CPU seconds of each mode and their ratio, which a shared machine's load
disturbs less than the wall clock.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tollbook.records import Report  # noqa: E402

_state: dict = {}


def _init(mode: str) -> None:
    if mode == "spacy":
        import spacy

        from tollbook.extract.nlp import MODEL_PACKAGE

        _state["nlp"] = spacy.load(MODEL_PACKAGE)  # stock: nothing of tollbook's
    else:
        from tollbook.extract import Extractor

        _state["ex"] = Extractor()
    _warm(mode)


def _warm(mode: str) -> None:
    text = "Two men were shot dead in Springfield, Illinois, on Sunday, police said."
    if mode == "spacy":
        list(_state["nlp"].pipe([text]))
    else:
        _state["ex"](Report.from_text(text))


def _run(args: tuple[str, list[str]]) -> tuple[int, int]:
    mode, texts = args
    if mode == "spacy":
        n = sum(1 for _ in _state["nlp"].pipe(texts, batch_size=16))
    else:
        n = sum(1 for _ in _state["ex"].pipe([Report.from_text(t) for t in texts], batch_size=16))
    return n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(mode: str, texts: list[str], workers: int) -> dict:
    chunks = [texts[i:i + 32] for i in range(0, len(texts), 32)]
    t_load = time.perf_counter()
    if workers == 1:
        _init(mode)
        loaded = time.perf_counter() - t_load
        t0, c0 = time.perf_counter(), time.process_time()
        peaks = [_run((mode, c))[1] for c in chunks]
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    else:
        cpu = None
        ctx = mp.get_context("forkserver")
        with ctx.Pool(workers, initializer=_init, initargs=(mode,)) as pool:
            pool.map(_warm, [mode] * workers)  # every worker loaded before the clock starts
            loaded = time.perf_counter() - t_load
            t0 = time.perf_counter()
            peaks = [p for _, p in pool.imap_unordered(_run, [(mode, c) for c in chunks])]
            elapsed = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {"mode": mode, "workers": workers, "reports": len(texts), "seconds": round(elapsed, 2),
            "cpu_seconds": None if cpu is None else round(cpu, 2),
            "reports_per_s": round(len(texts) / elapsed, 1), "words_per_s": round(words / elapsed),
            "peak_rss_mb_per_process": round(max(peaks) / 1024), "load_seconds": round(loaded, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared/data/gva/dev.jsonl"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    texts = []
    with open(args.data, encoding="utf-8") as fh:
        for line in fh:
            texts += [a["text"] for a in json.loads(line)["articles"]]
    texts = texts[: args.limit]
    rows = []
    for w in args.workers:
        base = measure("spacy", texts, w)
        ours = measure("tollbook", texts, w)
        ours["time_ratio_vs_spacy"] = round(ours["seconds"] / base["seconds"], 2)
        if base["cpu_seconds"]:
            ours["cpu_ratio_vs_spacy"] = round(ours["cpu_seconds"] / base["cpu_seconds"], 2)
        rows += [base, ours]
        print(json.dumps(base))
        print(json.dumps(ours))


if __name__ == "__main__":
    main()
