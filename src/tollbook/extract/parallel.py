"""Extraction over many reports with several processes.

spaCy's parser holds the GIL, so threads do not help; each worker process loads its own pipeline
and gazetteer once (``_init``) and extracts chunks of reports with ``nlp.pipe`` batching. Results
come back in input order. With ``workers=1`` everything runs in this process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from tollbook.records import Event, Report

_worker = None  # the extractor of a worker process


def _make(gazetteers: tuple[str, ...], options):
    from tollbook.extract.gazetteer import Gazetteer
    from tollbook.extract.pipeline import Extractor

    return Extractor(gazetteer=Gazetteer.default(user_files=list(gazetteers)), options=options)


def _init(gazetteers: tuple[str, ...], options) -> None:
    global _worker
    _worker = _make(gazetteers, options)


def _run(chunk: list[Report]) -> list[list[Event]]:
    return list(_worker.pipe(chunk, batch_size=16))


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


def extract_many(
    reports: Iterable[Report],
    *,
    workers: int = 1,
    gazetteers: Iterable[str | Path] = (),
    options=None,
    extractor=None,
    chunk_size: int = 32,
) -> Iterator[list[Event]]:
    """Events of each report, in order. ``extractor`` (one process only) reuses a loaded one."""
    from tollbook.extract.pipeline import ExtractOptions

    options = options or ExtractOptions()
    gaz = tuple(str(g) for g in gazetteers)
    reports = list(reports)
    if workers <= 1 or len(reports) <= chunk_size:
        ex = extractor or _make(gaz, options)
        yield from ex.pipe(reports, batch_size=16)
        return
    chunks = [reports[i:i + chunk_size] for i in range(0, len(reports), chunk_size)]
    # "spawn" is slower to start than "fork" but safe with the threads spaCy and numpy start.
    ctx = mp.get_context("forkserver") if "forkserver" in mp.get_all_start_methods() else mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init, initargs=(gaz, options)) as pool:
        for events in pool.imap(_run, chunks):
            yield from events
