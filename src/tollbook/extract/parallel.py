"""Extraction over many reports: in this process, in a pool of processes, or on a Dask cluster.

spaCy's parser holds the GIL, so threads do not help; each worker process loads its own pipeline
and gazetteer once (``_extractor_for``, cached per process) and extracts chunks of reports with
``nlp.pipe`` batching. A ``Runner`` takes chunks and gives back each chunk's outcomes in the order
the chunks went in, keeping a few chunks ahead on the workers, so that the one writer (the ingest
loop of ``api.py``) stores results while the workers read the next reports. An outcome is the
report's events, or the exception extracting it raised (the others of its chunk still count).

On a Dask cluster (``--cluster local:N`` or ``--scheduler tcp://HOST:PORT``) a worker plugin loads
the extractor when a worker starts, and a chunk whose worker is lost is run again on another (the
scheduler's own retry of lost tasks): each chunk's outcomes come back exactly once (docs/scale.md).
"""

from __future__ import annotations

import abc
import contextlib
import logging
import multiprocessing as mp
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from tollbook.errors import ClusterError
from tollbook.records import Event, Report

T = TypeVar("T")
Outcome = list[Event] | Exception

_extractors: dict[tuple, Any] = {}  # the extractors of this process, by (gazetteers, options)


def _make(gazetteers: tuple[str, ...], options):
    from tollbook.extract.gazetteer import Gazetteer
    from tollbook.extract.pipeline import Extractor

    return Extractor(gazetteer=Gazetteer.default(user_files=list(gazetteers)), options=options)


def _extractor_for(gazetteers: tuple[str, ...], options):
    """This process's extractor for these settings, loaded once (a pool or cluster worker keeps it)."""
    key = (gazetteers, options)
    if key not in _extractors:
        _extractors[key] = _make(gazetteers, options)
    return _extractors[key]


def _init(gazetteers: tuple[str, ...], options) -> None:
    _extractor_for(gazetteers, options)


def extract_safely(extractor, reports: list[Report], batch_size: int = 16) -> list[Outcome]:
    """Events per report; a report the extractor trips on gets its exception, the others go on."""
    try:
        return list(extractor.pipe(reports, batch_size=batch_size))
    except Exception:  # noqa: BLE001 - find which report, then carry on with the others
        out: list[Outcome] = []
        for r in reports:
            try:
                out.append(extractor(r))
            except Exception as exc:  # noqa: BLE001 - reported to the user as a failed report
                out.append(exc)
        return out


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling (it goes back to the writer), else its words."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any pickling failure: keep the type's name and the message
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _extract_chunk(chunk: list[Report], gazetteers: tuple[str, ...], options, batch_size: int) -> list[Outcome]:
    """Run on a worker: the outcomes of one chunk, with this worker's (cached) extractor."""
    ex = _extractor_for(gazetteers, options)
    return [o if not isinstance(o, Exception) else _portable(o) for o in extract_safely(ex, chunk, batch_size)]


def _version(gazetteers: tuple[str, ...], options) -> str:
    return _extractor_for(gazetteers, options).version


def default_workers() -> int:
    return max(1, min(4, (os.cpu_count() or 1)))


# -- runners ---------------------------------------------------------------------------------------


class Runner(abc.ABC):
    """Where extraction runs. ``map`` takes (payload, reports) chunks and yields (payload, outcomes)
    in the same order; ``version`` is the extractor version of the workers (what the events are
    stored with); ``workers`` how many processes extract; ``where`` says so in a progress bar."""

    workers = 1
    where = "in this process"

    @property
    @abc.abstractmethod
    def version(self) -> str: ...

    @abc.abstractmethod
    def map(self, chunks: Iterable[tuple[T, list[Report]]]) -> Iterator[tuple[T, list[Outcome]]]: ...

    def close(self) -> None:  # noqa: B027 - a runner with nothing to release need not say so
        """Release the workers (nothing for a runner in this process)."""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _in_order(submit: Callable[[list[Report]], Any], result: Callable[[Any], list[Outcome]],
              chunks: Iterable[tuple[T, list[Report]]], ahead: int) -> Iterator[tuple[T, list[Outcome]]]:
    """Keep ``ahead`` chunks submitted; give back the oldest's outcomes first. The chunks are read
    in the caller's thread (they come from the ingest loop, which reads the store)."""
    window: deque[tuple[T, Any]] = deque()
    for payload, reports in chunks:
        window.append((payload, submit(reports)))
        while len(window) >= ahead:
            done, handle = window.popleft()
            yield done, result(handle)
    while window:
        done, handle = window.popleft()
        yield done, result(handle)


class LocalRunner(Runner):
    """Everything in this process, with an extractor given or made on first use."""

    def __init__(self, extractor: Callable[[], Any], batch_size: int = 16) -> None:
        self._extractor = extractor
        self.batch_size = batch_size

    @property
    def version(self) -> str:
        return self._extractor().version

    def map(self, chunks):
        for payload, reports in chunks:
            yield payload, extract_safely(self._extractor(), reports, self.batch_size)


class PoolRunner(Runner):
    """``workers`` processes on this machine (``--workers N``), each with its own extractor."""

    def __init__(self, workers: int, gazetteers: tuple[str, ...], options, batch_size: int = 16) -> None:
        self.workers = workers
        self.where = f"in {workers} processes"
        self._args = (gazetteers, options)
        self.batch_size = batch_size
        # forkserver/spawn: slower to start than fork but safe with the threads spaCy and numpy start
        ctx = mp.get_context("forkserver") if "forkserver" in mp.get_all_start_methods() else mp.get_context("spawn")
        self._pool = ctx.Pool(workers, initializer=_init, initargs=self._args)
        self._version: str | None = None

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = self._pool.apply(_version, self._args)
        return self._version

    def map(self, chunks):
        yield from _in_order(lambda reports: self._pool.apply_async(_extract_chunk, (reports, *self._args,
                                                                                     self.batch_size)),
                             lambda handle: handle.get(), chunks, ahead=2 * self.workers)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


class DaskRunner(Runner):
    """A ``dask.distributed`` cluster: a ``LocalCluster`` of ``local`` workers started here (and
    stopped by ``close``), or the scheduler at ``scheduler`` (tcp://HOST:PORT), whose workers need
    tollbook and its model installed. A worker plugin loads the extractor as each worker starts."""

    def __init__(self, *, local: int | None = None, scheduler: str | None = None,
                 gazetteers: tuple[str, ...] = (), options=None, batch_size: int = 16,
                 processes: bool = True, timeout: float = 10.0) -> None:
        from tollbook.extract.pipeline import ExtractOptions

        self._args = (tuple(gazetteers), options or ExtractOptions())
        self.batch_size = batch_size
        self.client, self._cluster = _connect(local, scheduler, processes=processes, timeout=timeout)
        self.where = (f"on a local Dask cluster of {local}" if local is not None
                      else f"on the Dask cluster at {check_scheduler(scheduler or '')}")
        try:
            self.client.register_plugin(LoadExtractor(*self._args), name="tollbook-extractor")
        except Exception:
            self.close()
            raise
        self._version: str | None = None

    @property
    def workers(self) -> int:  # the cluster's size now (workers may come and go)
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = self.client.submit(_version, *self._args, pure=False).result()
        return self._version

    def map(self, chunks):
        # a few chunks per worker in flight: none idles while the writer stores the oldest
        yield from _in_order(lambda reports: self.client.submit(_extract_chunk, reports, *self._args,
                                                                self.batch_size, pure=False),
                             _result, chunks, ahead=3 * self.workers)

    def _stop_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def close(self) -> None:
        if getattr(self, "client", None) is not None:
            self.client.close()
            self.client = None
        self._stop_cluster()


def _result(future) -> list[Outcome]:
    """A chunk's outcomes; a chunk that killed every worker it ran on, or a cluster gone, is a ClusterError."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker as exc:
        raise ClusterError(f"a chunk of reports was lost with the workers that ran it, more times than the "
                           f"scheduler retries ({' '.join(str(exc).split())[:120]}); the reports stored so far "
                           "are complete: run the ingest again for the rest") from None


def _connect(local: int | None, scheduler: str | None, *, processes: bool = True, timeout: float = 10.0):
    """(client, the LocalCluster started or None): ``local`` worker processes here, or ``scheduler``'s."""
    from distributed import Client, LocalCluster

    cluster = None
    if local is not None:
        if local < 1:
            raise ClusterError(f"--cluster local:{local}: a local cluster needs at least one worker")
        cluster = LocalCluster(n_workers=local, threads_per_worker=1, processes=processes,
                               dashboard_address=":0", silence_logs=logging.ERROR)
        address = cluster.scheduler_address
    else:
        address = check_scheduler(scheduler or "")
    try:
        return Client(address, timeout=timeout), cluster
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({' '.join(str(exc).split())[:120]});"
                           " is `dask scheduler` running there, and the port open?") from None


@contextlib.contextmanager
def dask_client(*, cluster: str | None = None, scheduler: str | None = None):
    """A ``distributed.Client`` of ``cluster`` ("local:N", started here and stopped after) or ``scheduler``."""
    if cluster and scheduler:
        raise ClusterError("give --cluster or --scheduler, not both")
    client, started = _connect(parse_cluster(cluster) if cluster else None, scheduler)
    try:
        yield client
    finally:
        client.close()
        if started is not None:
            started.close()


try:
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPlugin
except ImportError:  # pragma: no cover - dask is a dependency; this keeps the module importable without it
    _WorkerPlugin = object


class LoadExtractor(_WorkerPlugin):
    """A worker plugin: the extractor is loaded when a worker starts (or joins), not by its first chunk."""

    def __init__(self, gazetteers: tuple[str, ...], options) -> None:
        self.gazetteers, self.options = gazetteers, options

    def setup(self, worker) -> None:
        _extractor_for(self.gazetteers, self.options)


def check_scheduler(address: str) -> str:
    """A scheduler address as Dask takes it (tcp://HOST:PORT, tls://..., or HOST:PORT), else a ClusterError."""
    a = address.strip()
    if "://" not in a:
        a = "tcp://" + a
    scheme, _, rest = a.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls", "ucx", "ws", "wss") or not host or not port.isdigit():
        raise ClusterError(f"--scheduler {address!r} is not a scheduler address: give tcp://HOST:PORT "
                           "(what `dask scheduler` prints)")
    return a


def parse_cluster(spec: str) -> int:
    """``local:N`` (a LocalCluster of N worker processes): N, else a ClusterError."""
    kind, _, n = spec.partition(":")
    if kind != "local" or not n.isdigit() or int(n) < 1:
        raise ClusterError(f"--cluster {spec!r}: give local:N, N the worker processes (e.g. local:2); "
                           "for a cluster elsewhere, --scheduler tcp://HOST:PORT")
    return int(n)


def open_runner(*, workers: int = 1, cluster: str | None = None, scheduler: str | None = None,
                gazetteers: Iterable[str | Path] = (), options=None, batch_size: int = 16,
                extractor: Callable[[], Any] | None = None) -> Runner:
    """The runner for these settings: a Dask cluster (``cluster`` "local:N", or ``scheduler``), a pool
    of ``workers`` processes, or this process (with ``extractor``, a function giving a loaded one)."""
    from tollbook.extract.pipeline import ExtractOptions

    options = options or ExtractOptions()
    gaz = tuple(str(g) for g in gazetteers)
    if cluster and scheduler:
        raise ClusterError("give --cluster or --scheduler, not both")
    if cluster:
        return DaskRunner(local=parse_cluster(cluster), gazetteers=gaz, options=options, batch_size=batch_size)
    if scheduler:
        return DaskRunner(scheduler=scheduler, gazetteers=gaz, options=options, batch_size=batch_size)
    if workers > 1:
        return PoolRunner(workers, gaz, options, batch_size)
    return LocalRunner(extractor or (lambda: _extractor_for(gaz, options)), batch_size)


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
    chunks = ((None, reports[i:i + chunk_size]) for i in range(0, len(reports), chunk_size))
    with PoolRunner(workers, gaz, options) as runner:
        for _, outcomes in runner.map(chunks):
            for o in outcomes:
                if isinstance(o, Exception):
                    raise o  # evaluation reads every report; a failure there is a bug to see
                yield o
