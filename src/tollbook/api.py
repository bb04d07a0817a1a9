"""The Python API: one object over a store, used by the CLI, the HTTP API and scripts alike.

    import tollbook
    tb = tollbook.open("tollbook.db")
    result = tb.ingest(["reports/"], published=None)
    for event in tb.events():
        print(event.type, event.figure("killed"))
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tollbook.config import Settings
from tollbook.errors import IngestError, NotFound, ReviewError
from tollbook.ingest.pdf import with_pages
from tollbook.ingest.readers import Notice, Skipped, Submission, iter_submissions, read_bytes
from tollbook.ingest.sources import outlet_of
from tollbook.records import Event, Report, text_sha256
from tollbook.store.db import AlreadyStored, Store

WATCH_SLICE = 50  # items fetched and stored at a time in a watch round
NO_DATE = ("no publication date (no date field, none in the page's metadata, the URL or a dateline): "
           "relative dates stay unread; give --published or a 'published' field")
Progress = Callable[[str, str], None]  # (origin, outcome) after each report: "added", "duplicate", "failed"


@dataclass(slots=True)
class IngestResult:
    added: list[str] = field(default_factory=list)  # report ids
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (origin, report id already stored)
    failed: list[IngestError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    events: int = 0
    # what was read but needs the user's eye: fields not read, reports without a publication date
    warnings: list[Notice] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "duplicates": [{"origin": o, "report_id": r} for o, r in self.duplicates],
            "failed": [{"source": e.source, "reason": e.reason} for e in self.failed],
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "warnings": [{"source": w.source, "message": w.message} for w in self.warnings],
            "events": self.events,
        }


class Tollbook:
    """Reports, events and (later) incidents in one store, with the extractor that reads them."""

    def __init__(self, store: Store, *, settings: Settings | None = None, extractor=None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._extractor = extractor
        # The web app reads the incident index many times a second; it checks whether the store
        # changed at most every ``index_check_seconds`` (0: on every read). Edits made through this
        # object are seen at once.
        self.index_check_seconds = 0.0
        self._index_checked = 0.0
        self._index_lock = threading.Lock()
        self._facets: tuple[str | None, dict] | None = None
        self._timelines: dict[tuple, dict] = {}
        self._maps: dict[tuple, dict] = {}
        # The last grouping, with the store state it was computed from: exports and the index
        # reuse it until events, reports or the review log change, and then only the incidents
        # the changes reach are grouped again (reconcile.update_incidents).
        # (store state, reconcile.IncidentState, id of the word table it grouped with)
        self._grouped: tuple[str, Any, str | None] | None = None
        # An update re-uses (and sets the flags of) the items of the last grouping: one at a time
        # (the web app serves requests on several threads).
        self._grouping_lock = threading.RLock()
        self._stories = None  # reconcile.copies.StoryIndex, loaded on first use
        self._grouper = None  # a full grouping's function while ``regroup`` runs on a cluster

    # -- services ----------------------------------------------------------------------------

    @property
    def extractor(self):
        """Made on first use: loading spaCy and the gazetteer takes a second or two."""
        if self._extractor is None:
            from tollbook.extract import ExtractOptions, Extractor
            from tollbook.extract.gazetteer import Gazetteer

            gazetteer = Gazetteer.default(user_files=list(self.settings.gazetteers))
            options = ExtractOptions(
                vague_reading=self.settings.vague_reading, country_hint=self.settings.country_hint or None
            )
            self._extractor = Extractor(gazetteer=gazetteer, options=options)
        return self._extractor

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Tollbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest --------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        published: dt.date | None = None,
        fmt: str | None = None,
        encoding: str | None = None,
        stdin: BinaryIO | None = None,
        progress: Progress | None = None,
        workers: int = 1,
        cluster: str | None = None,
        scheduler: str | None = None,
        runner=None,
    ) -> IngestResult:
        """Read, extract and store every report under ``paths``. Bad inputs are collected in
        ``result.failed``; the rest still goes in. Each report is stored in one transaction.
        Extraction runs in ``workers`` processes, or on a Dask cluster: ``cluster="local:N"`` (one
        started here) or ``scheduler="tcp://HOST:PORT"``; this process alone writes the store."""
        items = iter_submissions(
            paths, max_bytes=self.settings.max_bytes, published=published, fmt=fmt, encoding=encoding, stdin=stdin
        )
        with self._runner_for(runner, workers, cluster, scheduler) as runner:
            return self._ingest_items(items, progress, runner)

    def runner(self, *, workers: int = 1, cluster: str | None = None, scheduler: str | None = None):
        """Where extraction runs (``extract.parallel``): this process (with ``self.extractor``), a
        pool of ``workers`` processes, or a Dask cluster. A context manager: it stops what it started."""
        from tollbook.extract.parallel import open_runner
        from tollbook.extract.pipeline import ExtractOptions

        options = ExtractOptions(vague_reading=self.settings.vague_reading,
                                 country_hint=self.settings.country_hint or None)
        return open_runner(workers=workers, cluster=cluster, scheduler=scheduler,
                           gazetteers=self.settings.gazetteers, options=options,
                           batch_size=self.settings.batch_size, extractor=lambda: self.extractor)

    @contextlib.contextmanager
    def _runner_for(self, runner, workers: int, cluster: str | None, scheduler: str | None):
        """``runner`` as given (the caller closes it), or one made for the settings and closed after."""
        if runner is not None:
            yield runner
            return
        with self.runner(workers=workers, cluster=cluster, scheduler=scheduler) as made:
            yield made

    def ingest_bytes(self, name: str, data: bytes, *, fmt: str = "txt", published: dt.date | None = None,
                     encoding: str | None = None) -> IngestResult:
        """The same as ``ingest`` for bytes already in memory (uploads, tests)."""
        if len(data) > self.settings.max_bytes:
            result = IngestResult()
            result.failed.append(IngestError(name, f"over the {self.settings.max_size_mb:g} MB limit"))
            return result
        return self._ingest_items(iter(read_bytes(name, data, fmt=fmt, published=published, encoding=encoding)),
                                  None)

    def add_text(self, text: str, **fields) -> Report:
        """Store one report given as a string (title=, published=, source=, url=); returns it."""
        import json

        name = fields.pop("name", "<text>")
        unknown = set(fields) - {"title", "published", "source", "url"}
        if unknown:
            raise TypeError(f"add_text() got unknown field(s): {', '.join(sorted(unknown))}")
        record = {"text": text, **{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()
                                   if v is not None}}
        result = self.ingest_bytes(name, json.dumps(record).encode("utf-8"), fmt="jsonl")
        if result.failed:
            raise result.failed[0]
        report_id = result.added[0] if result.added else result.duplicates[0][1]
        return self.store.report(report_id)

    def _ingest_items(self, items: Iterable, progress: Progress | None, runner=None) -> IngestResult:
        """Each report in isolation: whatever goes wrong reading, extracting or storing one record
        becomes that record's one-line error in ``result.failed`` and the batch goes on. The run is
        recorded as finished even when the batch is interrupted.

        Reading, extracting and writing overlap: batches of new reports go to ``runner`` (a few
        ahead of the writer), and their outcomes are stored here, batch by batch, in reading order."""
        from tollbook.extract.parallel import LocalRunner

        runner = runner or LocalRunner(lambda: self.extractor, self.settings.batch_size)
        result = IngestResult()
        run = self.store.start_run("ingest", None)
        # read but not yet stored (waiting to be extracted or written), by text hash; and the later
        # copies of those texts, whose arrivals are recorded once the first copy is stored
        waiting: dict[str, Submission] = {}
        copies: dict[str, list[Submission]] = {}
        version: list[str] = []  # the workers' extractor version, asked once

        def failed(origin: str, reason: str) -> None:
            result.failed.append(IngestError(origin, reason))
            _tell(progress, origin, "failed")

        def duplicate(report_id: str, sub: Submission) -> None:
            try:
                self.store.add_duplicate(report_id, sub)
            except Exception as exc:  # noqa: BLE001 - this arrival's error; the batch goes on
                failed(sub.origin, f"arrival not recorded ({_why(exc)})")

        def batches() -> Iterable[tuple[list[tuple[str, Submission]], list[Report]]]:
            batch: list[tuple[str, Submission]] = []
            for item in _guarded(items, result):
                if isinstance(item, IngestError):
                    result.failed.append(item)
                    _tell(progress, item.source, "failed")
                    continue
                if isinstance(item, Skipped):
                    result.skipped.append(item)
                    continue
                if isinstance(item, Notice):
                    result.warnings.append(item)
                    continue
                try:
                    sha = text_sha256(item.text)
                    existing = self.store.find_report_id(sha)
                except Exception as exc:  # noqa: BLE001 - this record's error; the batch goes on
                    failed(item.origin, f"not stored ({_why(exc)})")
                    continue
                if existing is None and sha in waiting:
                    existing = _report_of(waiting[sha]).id
                    copies.setdefault(sha, []).append(item)
                    result.duplicates.append((item.origin, existing))
                    _tell(progress, item.origin, "duplicate")
                    continue
                if existing is not None:
                    duplicate(existing, item)
                    result.duplicates.append((item.origin, existing))
                    _tell(progress, item.origin, "duplicate")
                    continue
                if item.published is None:
                    # relative dates ("on Sunday") stay unread and no year is guessed: the user should know
                    result.warnings.append(Notice(item.origin, NO_DATE))
                waiting[sha] = item
                batch.append((sha, item))
                if len(batch) >= self.settings.batch_size:
                    yield batch, [_report_of(s) for _, s in batch]
                    batch = []
            if batch:
                yield batch, [_report_of(s) for _, s in batch]

        def write(batch: list[tuple[str, Submission]], outcomes: list) -> None:
            for (_, sub), outcome in zip(batch, outcomes):
                if isinstance(outcome, Exception):
                    failed(sub.origin, f"extraction failed ({_why(outcome)}); not stored")
                    continue
                if sub.pages:  # a PDF: each piece of evidence names its page (ingest/pdf.py)
                    with_pages(outcome, sub.pages)
                try:
                    if not version:
                        version.append(runner.version)
                    stored, events = self.store.add_report(sub, outcome, extractor=version[0])
                except AlreadyStored as already:  # another process stored the same text meanwhile
                    result.duplicates.append((sub.origin, already.report_id))
                    _tell(progress, sub.origin, "duplicate")
                    continue
                except Exception as exc:  # noqa: BLE001 - this record's error; the batch goes on
                    failed(sub.origin, f"not stored ({_why(exc)})")
                    continue
                try:
                    self._file_report(stored, sub.pages)  # its story (syndicated copies) and pages
                except Exception as exc:  # noqa: BLE001 - the report is stored; say what is missing
                    failed(sub.origin, f"stored, but its story and pages were not recorded ({_why(exc)})")
                result.added.append(stored.id)
                result.events += len(events)
                _tell(progress, sub.origin, "added")
            for sha, sub in batch:
                del waiting[sha]
                for copy in copies.pop(sha, ()):
                    duplicate(_report_of(sub).id, copy)

        try:
            for batch, outcomes in runner.map(batches()):
                write(batch, outcomes)
        finally:
            self.store.finish_run(run, added=len(result.added), duplicates=len(result.duplicates),
                                  failed=len(result.failed))
        return result

    # -- reports from where they are published: URLs, feeds, copies (docs/ingest.md) ------------------

    def fetcher(self, **politeness: Any):
        """A polite fetcher (``ingest.fetch.Politeness`` fields: delay, timeout, user_agent, ...),
        with this store's size limit unless given."""
        from tollbook.ingest.fetch import Fetcher, Politeness

        politeness.setdefault("max_bytes", self.settings.max_bytes)
        return Fetcher(Politeness(**politeness))

    def fetch(self, urls: Iterable[str], *, published: dt.date | None = None, fetcher=None,
              progress: Progress | None = None) -> FetchResult:
        """Fetch each URL (robots.txt, per-host delay, limits: ``ingest.fetch``), keep its HTTP
        exchange as WARC records with the final URL, the time and the SHA-256, then read, extract
        and store the report. A URL that fails is named in ``result.failed``; the rest go on."""
        own = fetcher is None
        fetcher = fetcher or self.fetcher()
        try:
            return self._fetch_and_store(list(dict.fromkeys(urls)), fetcher, published, progress)
        finally:
            if own:
                fetcher.close()

    def _fetch_and_store(self, urls: list[str], fetcher, published: dt.date | None,
                         progress: Progress | None) -> FetchResult:
        from tollbook.ingest.fetch import Disallowed, NotModified
        from tollbook.store import web

        out = FetchResult(IngestResult())
        got: list[tuple[Any, list[Submission]]] = []
        for url in urls:
            t0 = time.perf_counter()
            try:
                cap = fetcher.fetch(url)
                t1 = time.perf_counter()
                out.seconds["fetching"] += t1 - t0
                if isinstance(cap, NotModified):
                    continue
                subs = _read_capture(cap, published)
                out.seconds["parsing"] += time.perf_counter() - t1
            except IngestError as err:
                out.ingest.failed.append(err)
                out.outcomes[url] = ("disallowed" if isinstance(err, Disallowed) else "failed", err.reason)
                _tell(progress, url, "failed")
                continue
            got.append((cap, subs))
        t0 = time.perf_counter()
        result = self._ingest_items(iter([sub for _, subs in got for sub in subs]), progress)
        out.seconds["extracting"] += time.perf_counter() - t0
        result.failed[:0] = out.ingest.failed
        out.ingest = result
        added = set(result.added)
        for cap, subs in got:
            ids = [self.store.find_report_id(text_sha256(sub.text)) for sub in subs]
            stored = [i for i in ids if i is not None]
            if not stored:  # extraction failed: the failure is in result.failed
                out.outcomes[cap.url] = ("failed", "extraction failed; not stored")
                continue
            with self.store.engine.begin() as conn:
                for rid in stored:
                    web.put_capture(conn, cap, rid)
            out.outcomes[cap.url] = ("stored" if stored[0] in added else "duplicate", stored[0])
            out.captured.append({"url": cap.url, "final_url": cap.final_url, "sha256": cap.sha256,
                                 "retrieved_at": cap.retrieved_at.isoformat(), "report_id": stored[0],
                                 "warc_sha256": cap.warc_sha256})
        return out

    def captures(self, report: str) -> list[dict]:
        """Where and when a report was fetched: URL, final URL, time, SHA-256, WARC id and digest."""
        from tollbook.store import web

        rid = self.store.resolve_report_id(report)
        with self.store.engine.connect() as conn:
            return web.captures(conn, rid)

    def warc(self, capture_id: int) -> bytes:
        """The WARC records (gzipped) of one capture."""
        from tollbook.store import web

        with self.store.engine.connect() as conn:
            data = web.warc(conn, capture_id)
        if data is None:
            raise NotFound(f"no capture {capture_id}")
        return data

    def watch_round(self, feeds: Iterable[str], *, fetcher=None, published: dt.date | None = None,
                    max_attempts: int = 3) -> RoundResult:
        """Poll each feed once (conditional request), fetch and store the items not seen before
        (and those that failed fewer than ``max_attempts`` times), then update the incidents."""
        from tollbook.errors import IngestError as _IngestError
        from tollbook.ingest.feeds import is_sitemap_index, item_urls
        from tollbook.ingest.fetch import NotModified
        from tollbook.store import web

        started = time.perf_counter()
        own = fetcher is None
        fetcher = fetcher or self.fetcher()
        rnd = RoundResult()
        queue = list(dict.fromkeys(feeds))
        new: dict[str, str] = {}  # item url -> the feed that listed it
        validators: list[tuple[str, str | None, str | None]] = []
        try:
            while queue:
                feed = queue.pop(0)
                rnd.feeds += 1
                with self.store.engine.connect() as conn:
                    etag, modified = web.feed_validators(conn, feed)
                t0 = time.perf_counter()
                try:
                    answer = fetcher.fetch(feed, etag=etag, last_modified=modified)
                    rnd.seconds["fetching"] += time.perf_counter() - t0
                    if isinstance(answer, NotModified):
                        rnd.unchanged += 1
                        validators.append((feed, None, None))
                        continue
                    t1 = time.perf_counter()
                    urls = item_urls(answer.content, answer.final_url)
                    rnd.seconds["parsing"] += time.perf_counter() - t1
                except _IngestError as err:
                    rnd.feed_errors.append(err)
                    continue
                validators.append((feed, answer.etag, answer.last_modified))
                if is_sitemap_index(answer.content):  # its sitemaps are read in this round
                    queue.extend(u for u in urls if u not in queue)
                    continue
                rnd.items += len(urls)
                with self.store.engine.connect() as conn:
                    seen = web.seen_items(conn, urls)
                for u in urls:
                    outcome, attempts = seen.get(u, (None, 0))
                    if u not in new and (outcome is None or (outcome == "failed" and attempts < max_attempts)):
                        new[u] = feed
            rnd.fetched = FetchResult(IngestResult())
            pending = list(new)
            # in slices: what a slice stored is marked seen at once, so an interrupted round loses
            # at most one slice's fetching (every report stored is complete either way)
            for i in range(0, len(pending), WATCH_SLICE):
                part = pending[i:i + WATCH_SLICE]
                done = self._fetch_and_store(part, fetcher, published, None)
                rnd.fetched.merge(done)
                for key in done.seconds:
                    rnd.seconds[key] += done.seconds[key]
                with self.store.engine.begin() as conn:
                    for url in part:
                        outcome, detail = done.outcomes.get(url, ("failed", "not fetched"))
                        stored = outcome in ("stored", "duplicate")
                        web.mark_item(conn, url, new[url], outcome, reason=None if stored else detail,
                                      report_id=detail if stored else None)
            with self.store.engine.begin() as conn:
                # the validators are kept once the items are: a crash before re-reads the feed
                for feed, etag, modified in validators:
                    web.save_feed(conn, feed, etag, modified)
        finally:
            if own:
                fetcher.close()
        t0 = time.perf_counter()
        rnd.incidents = self.refresh_index(force=bool(new))
        rnd.seconds["incidents"] += time.perf_counter() - t0
        rnd.seconds["total"] = time.perf_counter() - started
        return rnd

    def watch(self, feeds: list[str], *, every: float | None = None, rounds: int | None = None,
              on_round: Callable[[RoundResult], None] | None = None, fetcher=None,
              sleep: Callable[[float], None] = time.sleep) -> int:
        """Rounds of ``watch_round`` every ``every`` seconds (None: one round), at most ``rounds``.
        Returns the number of rounds done; Ctrl-C (KeyboardInterrupt) goes to the caller between
        two reports, each of which is stored whole or not at all."""
        n = 0
        while True:
            start = time.monotonic()
            n += 1
            rnd = self.watch_round(feeds, fetcher=fetcher)
            rnd.number = n
            if on_round is not None:
                on_round(rnd)
            if every is None or (rounds is not None and n >= rounds):
                return n
            sleep(max(0.0, every - (time.monotonic() - start)))

    def feed_items(self, feed: str | None = None) -> list[dict]:
        """The items the feeds listed, each once, with what became of it."""
        from tollbook.store import web

        with self.store.engine.connect() as conn:
            return web.feed_items(conn, feed)

    def _story_index(self):
        """Stories of syndicated copies; reports stored before there were stories are filed first,
        and those another process (a second `watch`, the web app) filed since are read in."""
        from tollbook.store import web

        if self._stories is None:
            from tollbook.reconcile.copies import StoryIndex

            index = StoryIndex()
            with self.store.engine.connect() as conn:
                index.load(web.story_rows(conn))
            missing = [r for r in self.store.reports(with_text=True) if r.id not in index.story] \
                if len(index) < self.store.count_reports() else []
            self._stories = index
            for r in missing:
                self._file_report(r, ())
        else:
            with self.store.engine.connect() as conn:
                if web.count_stories(conn) > len(self._stories):
                    self._stories.load(r for r in web.story_rows(conn) if r[0] not in self._stories.story)
        return self._stories

    def _file_report(self, report: Report, pages: tuple[int, ...]) -> None:
        from tollbook.store import web

        story, signature = self._story_index().add(report.id, report.text)
        with self.store.engine.begin() as conn:
            web.put_story(conn, report.id, story, signature)
            if pages:
                web.put_pages(conn, report.id, pages)

    def _attach_stories(self, reports: dict[str, Report]) -> None:
        from tollbook.store import web

        with self.store.engine.connect() as conn:
            story = web.stories(conn)
        for r in reports.values():
            r.story = story.get(r.id)

    def _pages_of(self, report_id: str) -> tuple[int, ...]:
        from tollbook.store import web

        with self.store.engine.connect() as conn:
            return web.pages(conn, report_id)

    def stories(self) -> dict[str, list[str]]:
        """Syndicated copies: story id -> its reports, for the stories of two reports or more."""
        from tollbook.store import web

        with self.store.engine.connect() as conn:
            story = web.stories(conn)
        groups: dict[str, list[str]] = {}
        for rid, sid in sorted(story.items()):
            groups.setdefault(sid, []).append(rid)
        return {k: v for k, v in groups.items() if len(v) > 1}

    # -- reading --------------------------------------------------------------------------------

    def reports(self, *, limit: int | None = None, offset: int = 0, with_text: bool = False) -> list[Report]:
        return self.store.reports(limit=limit, offset=offset, with_text=with_text)

    def report(self, ref: str) -> Report:
        """A report by id or unique id prefix."""
        return self.store.report(ref)

    def events(self, *, report: str | None = None, role: str | None = None, limit: int | None = None,
               offset: int = 0) -> list[Event]:
        report_id = self.store.resolve_report_id(report) if report else None
        return self.store.events(report_id=report_id, role=role, limit=limit, offset=offset)

    def custody(self, report: str) -> list[dict]:
        return self.store.custody(self.store.resolve_report_id(report))

    def original(self, sha256: str) -> bytes:
        return self.store.original(sha256)

    # -- incidents -----------------------------------------------------------------------------------

    def incidents(self) -> list:
        """The current events of all reports grouped into incidents and reconciled (computed from
        the store; only the word table grouping weighs words by is saved in it). Each incident
        lists its events and reports."""
        return list(self._incidents_of())

    def _incidents_of(self, state: str | None = None) -> list:
        with self._grouping_lock:
            return self._update_incidents(state)

    def _update_incidents(self, state: str | None) -> list:
        from tollbook.reconcile import update_incidents
        from tollbook.reconcile.grouping import WordTable
        from tollbook.store import index

        with self.store.engine.connect() as conn:
            state = state or index.fingerprint(conn)
            table_id = index.word_table_id(conn)
        cached = self._grouped
        if cached is not None and cached[2] != table_id:
            cached = None  # another process made a new word table (``regroup``): group with it
        if cached is not None and cached[0] == state:
            return cached[1].incidents
        previous = cached[1] if cached is not None else None
        if previous is not None:
            # only the events stored since are read in full; the others are the ones in hand
            ids = self.store.current_event_ids()
            have = {e.id: e for e in previous.events.values()}
            fresh = self.store.events_by_id([i for i in ids if i not in have])
            events = [have[i] for i in ids if i in have] + fresh
            if not _table_fits(previous.table, len(events)):
                previous = None
        else:
            events = fresh = self.store.events()
        # Reports: what reconciliation reads of them (dates, sources) for all, the text only of those
        # whose events grouping has not seen yet.
        if previous is None:
            reports = {r.id: r for r in self.store.reports(with_text=True)}
        else:
            reports = {r.id: r for r in self.store.reports(with_text=False)}
            reports |= {r.id: r for r in self.store.reports(ids={e.report_id for e in fresh}, with_text=True)}
        table = None
        if previous is None:
            # The word table grouping weighs words by is kept in the store, so that every process
            # (the CLI, the web server) groups with the same one, and is made anew when the
            # collection has doubled or halved since (``regroup`` makes it anew at once).
            with self.store.engine.connect() as conn:
                saved = index.word_table(conn)
                table_id = index.word_table_id(conn)
            table = WordTable.from_json(saved) if saved else None
            if table is not None and not _table_fits(table, len(events)):
                table = None
        self._attach_stories(reports)  # copies of one story count as one source (reconcile/copies.py)
        found = update_incidents(events, reports, self.store.reviews(), previous, table, self._grouper)
        if previous is None and table is None:
            with self.store.engine.begin() as conn:
                table_id = index.save_word_table(conn, found.table.to_json())
        self._grouped = (state, found, table_id)
        return found.incidents

    def regroup(self, *, cluster: str | None = None, scheduler: str | None = None) -> dict:
        """Group every report again with a word table made from the whole collection now (adding
        reports regroups only the incidents they reach, with the table of the last full grouping:
        see docs/reconcile.md). Returns the counts of the incident index update. With ``cluster``
        ("local:N") or ``scheduler`` ("tcp://HOST:PORT") the grouping runs in partitions by place
        and time as Dask tasks, with the same result (docs/scale.md)."""
        from tollbook.store import index

        with self._index_lock, self._grouping_lock:
            with self.store.engine.begin() as conn:
                index.save_word_table(conn, None)
            self._grouped = None
        if not (cluster or scheduler):
            return self.refresh_index(force=True)
        import functools

        from tollbook.extract.parallel import dask_client
        from tollbook.reconcile.partitions import group_partitioned

        with dask_client(cluster=cluster, scheduler=scheduler) as client:
            self._grouper = functools.partial(group_partitioned, client=client)
            try:
                return self.refresh_index(force=True)
            finally:
                self._grouper = None

    def incident(self, ref: str, incidents: list | None = None):
        """One incident by id; ``incidents`` reuses a list already computed."""
        found = [i for i in (incidents if incidents is not None else self.incidents()) if i.id == ref]
        if not found:
            raise NotFound(f"no incident {ref!r} (see `tollbook incidents`)")
        return found[0]

    # -- the incident index: what the web pages and the HTTP API read ------------------------------

    def refresh_index(self, *, force: bool = False) -> dict:
        """Regroup and store the incidents if the store changed since the index was built (or
        ``force``). Returns counts of rows added / changed / removed, or ``{"fresh": True}``."""
        from tollbook.export.formats import row as summary_row
        from tollbook.store import index

        if not force and time.monotonic() - self._index_checked < self.index_check_seconds:
            return {"fresh": True}
        with self._index_lock:
            with self.store.engine.connect() as conn:
                now = index.fingerprint(conn)
                if not force and index.state(conn) == now:
                    self._index_checked = time.monotonic()
                    return {"fresh": True}
            incidents = self._incidents_of(now)
            reports = {r.id: r for r in self.store.reports(with_text=False)}  # sources for the summary rows
            rows = (index.row_of(inc, summary_row(inc, reports)) for inc in incidents)
            with self.store.engine.begin() as conn:
                done = index.write(conn, rows, now)
            self._index_checked = time.monotonic()
            return done

    def find_incidents(self, query=None, *, limit: int = 50, offset: int = 0, sort: str = "-date") -> dict:
        """A page of incidents from the index: ``{"total", "limit", "offset", "items"}``."""
        from tollbook.store import index

        self.refresh_index()
        if sort not in index.SORTS:
            raise ReviewError(f"sort must be one of {', '.join(index.SORTS)}, not {sort!r}")
        with self.store.engine.connect() as conn:
            total, items = index.find(conn, query or index.IncidentQuery(), fts=self.store.fts, limit=limit,
                                      offset=offset, sort=sort)
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def timeline(self, query=None, *, by: str = "auto", trim_outlying: bool = False) -> dict:
        """Incidents and killed per day / week / month / year, empty periods included (``auto``:
        the finest of those that gives at most 120 periods). ``trim_outlying``: a few incidents far
        from all the others are left off the axis and summed in ``outside`` (index.split_outlying)."""
        from tollbook.store import index

        self.refresh_index()
        if by not in ("auto", *index.BUCKETS):
            raise ReviewError(f"timeline by {', '.join(index.BUCKETS)} or auto, not {by!r}")
        q = query or index.IncidentQuery()
        with self.store.engine.connect() as conn:
            # the same chart is asked for again and again (every visit of the home page): keep the
            # last answers until the index changes
            key = (index.state(conn), tuple(sorted(q.to_params().items())), by, trim_outlying)
            if key not in self._timelines:
                if len(self._timelines) >= 128:
                    self._timelines.clear()
                days, outside = index.timeline(conn, q, fts=self.store.fts), []
                if trim_outlying:
                    days, outside = index.split_outlying(days)
                self._timelines[key] = {**index.periods(days, by), "outside": outside}
        return self._timelines[key]

    def map_points(self, query=None, *, limit: int = 20000) -> dict:
        """``{"points": [[id, lat, lon, killed, place, date, type], ...], "truncated"}``, biggest tolls
        first. The answer is shared between callers until the index changes: read it, don't change it."""
        from tollbook.store import index

        self.refresh_index()
        q = query or index.IncidentQuery()
        with self.store.engine.connect() as conn:
            # every visit of the home page asks for the same map: keep the last answers until the index
            # changes, as for the timeline (a map of 20,000 points is 1.5 MB, so only a few of them)
            key = ("map", index.state(conn), tuple(sorted(q.to_params().items())), limit)
            if key not in self._maps:
                if len(self._maps) >= 16:
                    self._maps.clear()
                pts, more = index.points(conn, q, fts=self.store.fts, limit=limit)
                self._maps[key] = {"points": pts, "truncated": more}
        return self._maps[key]

    def facet_counts(self, query=None, *, size: int = 10) -> dict:
        """How many of the filtered incidents have each value of each facet (country, admin1, type,
        perpetrator claim, flag kind, source), most first: ``{"facets": {name: {"values": [[value, n],
        ...], "truncated": bool}}}``. Kept until the index changes, as the timeline is."""
        from tollbook.store import index

        self.refresh_index()
        q = query or index.IncidentQuery()
        with self.store.engine.connect() as conn:
            key = ("facets", index.state(conn), tuple(sorted(q.to_params().items())), size)
            if key not in self._timelines:
                if len(self._timelines) >= 128:
                    self._timelines.clear()
                self._timelines[key] = {"facets": index.facet_counts(conn, q, fts=self.store.fts, size=size)}
        return self._timelines[key]

    def incident_record(self, ref: str) -> dict:
        """One incident as stored in the index (figures, history, flags, summary)."""
        from tollbook.store import index

        self.refresh_index()
        with self.store.engine.connect() as conn:
            data = index.data(conn, ref)
        if data is None:
            raise NotFound(f"no incident {ref!r} (see `tollbook incidents`)")
        return data

    def incidents_of_report(self, report: str) -> list[str]:
        from tollbook.store import index

        rid = self.store.resolve_report_id(report)
        self.refresh_index()
        with self.store.engine.connect() as conn:
            return index.incidents_of_report(conn, rid)

    def facets(self) -> dict:
        """Types and countries present, for filter forms (kept until the index changes)."""
        from tollbook.store import index

        self.refresh_index()
        with self.store.engine.connect() as conn:
            now = index.state(conn)
            if self._facets is None or self._facets[0] != now:
                self._facets = (now, index.facets(conn))
        return self._facets[1]

    # -- editors ------------------------------------------------------------------------------------

    def add_editor(self, name: str, password: str) -> None:
        from tollbook.store import accounts

        with self.store.engine.begin() as conn:
            accounts.add_editor(conn, name, password)

    def check_password(self, name: str, password: str) -> bool:
        from tollbook.store import accounts

        with self.store.engine.connect() as conn:
            return accounts.check_password(conn, name, password)

    def create_token(self, editor: str, label: str = "") -> str:
        from tollbook.store import accounts

        with self.store.engine.begin() as conn:
            return accounts.create_token(conn, editor, label)

    def token_editor(self, token: str) -> str | None:
        from tollbook.store import accounts

        with self.store.engine.connect() as conn:
            return accounts.token_editor(conn, token)

    def start_session(self, editor: str) -> tuple[str, str]:
        from tollbook.store import accounts

        with self.store.engine.begin() as conn:
            return accounts.start_session(conn, editor)

    def session(self, sid: str) -> tuple[str, str] | None:
        from tollbook.store import accounts

        with self.store.engine.connect() as conn:
            return accounts.session(conn, sid)

    def end_session(self, sid: str) -> None:
        from tollbook.store import accounts

        with self.store.engine.begin() as conn:
            accounts.end_session(conn, sid)

    # -- review: every decision is appended to the log with who, when and why ---------------------------

    def _decide(self, action: str, target: dict, editor: str, reason: str) -> dict:
        if not editor or not editor.strip():
            raise ReviewError("a review needs the editor's name (who decided)")
        if not reason or not reason.strip():
            raise ReviewError("a review needs a reason (why), for the log")
        entry = self.store.add_review(editor=editor.strip(), action=action, target=target, reason=reason.strip())
        self._index_checked = 0.0  # the next read regroups
        return entry

    def merge(self, a: str, b: str, *, editor: str, reason: str) -> dict:
        """Incidents ``a`` and ``b`` are one incident."""
        incidents = self.incidents()
        ia, ib = self.incident(a, incidents), self.incident(b, incidents)
        if ia.id == ib.id:
            raise ReviewError(f"{a} and {b} are already one incident")
        return self._decide("merge", {"a": ia.refs, "b": ib.refs}, editor, reason)

    def split(self, incident: str, reports: list[str], *, editor: str, reason: str) -> dict:
        """Events leave ``incident`` and form an incident of their own. ``reports`` names them: a
        report (id or prefix: all its events in the incident), an event ref ("r1a2b3#1") or an event id."""
        inc = self.incident(incident)
        ref_of_id = {e.id: ref for e, ref in zip(sorted(inc.events, key=lambda e: (e.report_id, e.id or 0)),
                                                  _refs_in_order(inc))}
        out: list[str] = []
        for name in reports:
            name = str(name).strip()
            if "#" in name:
                chosen = [r for r in inc.refs if r == name or (r.startswith(name.split("#")[0]) and
                                                              r.split("#")[1] == name.split("#")[1])]
            elif name.isdigit() and int(name) in ref_of_id:
                chosen = [ref_of_id[int(name)]]
            else:
                rid = self.store.resolve_report_id(name)
                chosen = [r for r in inc.refs if r.split("#")[0] == rid]
            if not chosen:
                raise ReviewError(f"{name!r} names no event of incident {incident} (its events: {', '.join(inc.refs)})")
            out += [r for r in chosen if r not in out]
        rest = [r for r in inc.refs if r not in out]
        if not out or not rest:
            raise ReviewError(f"to split {incident}, name some but not all of its events or reports: "
                              f"{', '.join(inc.refs)}")
        return self._decide("split", {"out": out, "rest": rest}, editor, reason)

    def withdraw(self, review_id: int, *, editor: str, reason: str) -> dict:
        """Withdraw decision ``review_id``: it stays in the log, marked withdrawn (who, when, why),
        and no longer counts."""
        log = self.store.reviews()
        entry = next((e for e in log if str(e["id"]) == str(review_id)), None)
        if entry is None:
            raise NotFound(f"no decision {review_id} in the review log (see `tollbook log`)")
        if entry["action"] == "withdraw":
            raise ReviewError(f"decision {review_id} is a withdrawal; to undo it, take the decision again")
        from tollbook.reconcile.review import withdrawn

        if entry["id"] in withdrawn(log):
            raise ReviewError(f"decision {review_id} is already withdrawn")
        return self._decide("withdraw", {"review": entry["id"]}, editor, reason)

    def move(self, report: str, to: str, *, editor: str, reason: str) -> dict:
        """The events of ``report`` go to incident ``to``."""
        rid = self.store.resolve_report_id(report)
        incidents = self.incidents()
        target = self.incident(to, incidents)
        # the incident of the report's first (lead) event; older incidents it mentions stay where they are
        current = next((i for i in incidents if f"{rid}#0" in i.refs), None)
        if current is None:
            raise ReviewError(f"report {rid} has no events to move")
        refs = [r for r in current.refs if r.startswith(rid + "#")]
        return self._decide("move", {"refs": refs, "from": [r for r in current.refs if r not in refs],
                                     "to": target.refs[0]}, editor, reason)

    def correct(self, incident: str, kind: str, *, part: str = "best", value: int | None = None,
                wrong: bool = False, editor: str, reason: str) -> dict:
        """Set a reconciled figure (``part`` low/best/high of ``kind``) or mark it wrong."""
        from tollbook.records import FIGURE_KINDS

        if kind not in FIGURE_KINDS:
            raise ReviewError(f"unknown figure kind {kind!r} (one of {', '.join(FIGURE_KINDS)})")
        inc = self.incident(incident)
        if wrong:
            return self._decide("wrong", {"refs": inc.refs, "kind": kind}, editor, reason)
        if part not in ("low", "best", "high") or value is None or value < 0:
            raise ReviewError("a correction needs --low, --best or --high with a count of 0 or more")
        from tollbook.extract.numbers import CEILING

        if value > CEILING:  # no toll comes near it, and the index stores 64-bit integers
            raise ReviewError(f"a count of {value} is over the ceiling of {CEILING:,} people")
        f = inc.figure(kind)
        best = f.best if f is not None else None
        if best is not None and ((part == "low" and value > best) or (part == "high" and value < best)):
            raise ReviewError(f"{part} {value} would put the range on the wrong side of the best figure {best}; "
                              "correct the best figure first (low <= best <= high)")
        return self._decide("correct", {"refs": inc.refs, "kind": kind, "part": part, "value": value},
                            editor, reason)

    def review_log(self) -> list[dict]:
        """Every decision, oldest first, with what it touched (event refs and one line) and, when
        withdrawn, who withdrew it, when and why. The CLI and the HTTP API print this same list."""
        from tollbook.reconcile.review import describe, touched, withdrawn

        log = self.store.reviews()
        gone = withdrawn(log)
        out = []
        for e in log:
            w = gone.get(e["id"])
            out.append({**e, "touched": touched(e), "summary": describe(e),
                        "withdrawn": None if w is None else {"review": w["id"], "editor": w["editor"],
                                                             "at": w["at"], "reason": w["reason"]}})
        return out

    # -- re-extraction -----------------------------------------------------------------------------

    def reports_to_extract(self, *, all_reports: bool = False) -> set[str]:
        """Ids of the reports ``reextract`` would read again (for a progress bar's total)."""
        if all_reports:
            return {r.id for r in self.store.reports(with_text=False)}
        return set(self.store.reports_needing_extraction(self.extractor.version))

    def reextract(self, *, all_reports: bool = False, progress: Progress | None = None, workers: int = 1,
                  cluster: str | None = None, scheduler: str | None = None, runner=None) -> int:
        """Extract again the reports whose events an older extractor made (or all of them).
        Old events are kept, marked not current. Returns how many reports were re-read. Extraction
        runs where ``ingest``'s does (``workers``, ``cluster``, ``scheduler``); this process writes."""
        done = 0
        version = ""  # the workers' extractor's, asked once the runner is up

        def batches() -> Iterable[tuple[list[Report], list[Report]]]:
            stale = None if all_reports else self.store.reports_needing_extraction(version)
            batch: list[Report] = []
            for report in self.store.reports(with_text=True):
                if stale is not None and report.id not in stale:
                    continue
                batch.append(report)
                if len(batch) >= self.settings.batch_size:
                    yield batch, batch
                    batch = []
            if batch:
                yield batch, batch

        with self._runner_for(runner, workers, cluster, scheduler) as runner:
            version = runner.version
            for batch, outcomes in runner.map(batches()):
                for report, outcome in zip(batch, outcomes):
                    if isinstance(outcome, Exception):
                        _tell(progress, report.id, "failed")
                        continue
                    with_pages(outcome, self._pages_of(report.id))
                    try:
                        self.store.replace_events(report.id, outcome, extractor=version)
                    except Exception:  # noqa: BLE001 - that report keeps its old events; the others go on
                        _tell(progress, report.id, "failed")
                        continue
                    done += 1
                    _tell(progress, report.id, "extracted")
        return done


@dataclass(slots=True)
class FetchResult:
    """What ``Tollbook.fetch`` did: the ingest result, and per URL its outcome ("stored",
    "duplicate", "failed", "disallowed") with the report id or the reason."""

    ingest: IngestResult
    outcomes: dict[str, tuple[str, str]] = field(default_factory=dict)
    captured: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: {"fetching": 0.0, "parsing": 0.0, "extracting": 0.0})

    def count(self, outcome: str) -> int:
        return sum(1 for o, _ in self.outcomes.values() if o == outcome)

    def merge(self, other: FetchResult) -> None:
        """Add ``other`` (a later slice of one round) to this result."""
        mine, theirs = self.ingest, other.ingest
        mine.added += theirs.added
        mine.duplicates += theirs.duplicates
        mine.failed += theirs.failed
        mine.skipped += theirs.skipped
        mine.events += theirs.events
        self.outcomes.update(other.outcomes)
        self.captured += other.captured
        for key, value in other.seconds.items():
            self.seconds[key] = self.seconds.get(key, 0.0) + value

    def to_dict(self) -> dict:
        return {**self.ingest.to_dict(), "captured": self.captured,
                "outcomes": {u: {"outcome": o, "detail": d} for u, (o, d) in self.outcomes.items()},
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


@dataclass(slots=True)
class RoundResult:
    """One round of ``tollbook watch``."""

    number: int = 1
    feeds: int = 0
    unchanged: int = 0  # answered 304 Not Modified
    items: int = 0  # listed by the feeds that changed
    feed_errors: list[IngestError] = field(default_factory=list)
    fetched: FetchResult | None = None
    incidents: dict = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=lambda: {"fetching": 0.0, "parsing": 0.0, "extracting": 0.0,
                                                               "incidents": 0.0, "total": 0.0})

    def count(self, outcome: str) -> int:
        return self.fetched.count(outcome) if self.fetched else 0

    @property
    def new(self) -> int:
        return len(self.fetched.outcomes) if self.fetched else 0

    def summary(self) -> str:
        inc = self.incidents
        changes = ("incidents unchanged" if inc.get("fresh") or not inc else
                   f"incidents +{inc.get('added', 0)} ~{inc.get('changed', 0)} -{inc.get('removed', 0)}")
        return (f"round {self.number}: {self.feeds} feed(s) ({self.unchanged} unchanged, "
                f"{len(self.feed_errors)} failed),"
                f" {self.new} new item(s): {self.count('stored')} stored, {self.count('duplicate')} already stored,"
                f" {self.count('failed')} failed, {self.count('disallowed')} disallowed by robots.txt; {changes}"
                f" ({self.seconds['total']:.1f} s)")

    def to_dict(self) -> dict:
        return {"round": self.number, "feeds": self.feeds, "unchanged": self.unchanged, "items": self.items,
                "feed_errors": [{"source": e.source, "reason": e.reason} for e in self.feed_errors],
                "fetched": self.fetched.to_dict() if self.fetched else None, "incidents": self.incidents,
                "seconds": {k: round(v, 3) for k, v in self.seconds.items()}}


def _read_capture(capture, published: dt.date | None) -> list[Submission]:
    """The report(s) in a fetched body, with the capture's custody: final URL, time, site."""
    import dataclasses

    from tollbook.ingest.readers import date_in_url

    fmt = capture.format
    if fmt is None:
        raise IngestError(capture.url, f"{capture.media_type} is not a report (HTML, plain text or PDF)")
    subs = []
    # plain text is decoded as its Content-Type says (HTML pages say it themselves, and are read so)
    encoding = capture.charset if fmt == "txt" and capture.charset and capture.charset.lower() != "utf-8" else None
    for item in read_bytes(capture.final_url, capture.content, fmt=fmt, published=published, encoding=encoding):
        if isinstance(item, IngestError):
            raise IngestError(capture.url, item.reason)
        if isinstance(item, Submission):
            item.original = dataclasses.replace(item.original, received_at=capture.retrieved_at)
            item.url = capture.final_url
            item.retrieved = capture.retrieved_at
            item.source = item.source or outlet_of(capture.final_url)[0]
            item.published = item.published or date_in_url(capture.final_url)
            subs.append(item)
    return subs


def _refs_in_order(inc) -> list[str]:
    """An incident's refs ordered as its events sorted by (report, id): the n-th event of a report
    is "report#n" in the store's order (reconcile.event_refs)."""
    return sorted(inc.refs, key=lambda r: (r.split("#")[0], int(r.split("#")[1])))


def _report_of(sub: Submission) -> Report:
    return Report.from_text(
        sub.text, title=sub.title, source=sub.source, url=sub.url, published=sub.published,
        retrieved=sub.retrieved, language=sub.language, original_sha256=sub.original.sha256,
    )


def _guarded(items: Iterable, result: IngestResult) -> Iterable:
    """The items of a reader; a reader that breaks down ends with an error line, not a traceback."""
    it = iter(items)
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - the readers catch per record; this is the last net
            result.failed.append(IngestError("<input>", f"reading stopped ({_why(exc)})"))
            return
        yield item


def _why(exc: BaseException) -> str:
    """An unexpected exception as one line: its type and message, cut short."""
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _tell(progress: Progress | None, origin: str, outcome: str) -> None:
    if progress is not None:
        progress(origin, outcome)


def open(target: str | Path | None = None, *, config: str | Path | None = None, create: bool = True,  # noqa: A001
         **settings) -> Tollbook:
    """Open (or, with ``create``, create) a store: a SQLite file path or a SQLAlchemy URL. Without
    ``create`` a SQLite file that does not exist is an error (a mistyped path, not a new empty store)."""
    s = Settings.load(config, db=str(target) if target is not None else None, **settings)
    if not create:
        from tollbook.store.db import database_url

        url = database_url(s.db)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            path = Path(url.removeprefix("sqlite:///"))
            if not path.exists():
                raise NotFound(f"no store at {s.db}: check --db (only `tollbook ingest` and `tollbook demo` "
                               "create one)")
    return Tollbook(Store.open(s.db), settings=s)


def _table_fits(table, events: int) -> bool:
    """Whether grouping may go on weighing words by ``table``: until the collection has doubled or
    halved since it was made, the weights drift little."""
    return table.n > 0 and table.n / 2 <= events <= 2 * table.n
