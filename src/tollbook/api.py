"""The Python API: one object over a store, used by the CLI, the HTTP API and scripts alike.

    import tollbook
    tb = tollbook.open("tollbook.db")
    result = tb.ingest(["reports/"], published=None)
    for event in tb.events():
        print(event.type, event.figure("killed"))
"""

from __future__ import annotations

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
from tollbook.ingest.readers import Notice, Skipped, Submission, iter_submissions, read_bytes
from tollbook.records import Event, Report, text_sha256
from tollbook.store.db import Store

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
        # The last grouping, with the store state it was computed from: exports and the index
        # reuse it until events, reports or the review log change, and then only the incidents
        # the changes reach are grouped again (reconcile.update_incidents).
        # (store state, reconcile.IncidentState, id of the word table it grouped with)
        self._grouped: tuple[str, Any, str | None] | None = None
        # An update re-uses (and sets the flags of) the items of the last grouping: one at a time
        # (the web app serves requests on several threads).
        self._grouping_lock = threading.RLock()

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
    ) -> IngestResult:
        """Read, extract and store every report under ``paths``. Bad inputs are collected in
        ``result.failed``; the rest still goes in. Each report is stored in one transaction."""
        items = iter_submissions(
            paths, max_bytes=self.settings.max_bytes, published=published, fmt=fmt, encoding=encoding, stdin=stdin
        )
        return self._ingest_items(items, progress)

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

    def _ingest_items(self, items: Iterable, progress: Progress | None) -> IngestResult:
        result = IngestResult()
        run = self.store.start_run("ingest", None)
        pending: dict[str, Submission] = {}
        later_duplicates: list[tuple[str, Submission]] = []

        def flush() -> None:
            if not pending:
                return
            subs = list(pending.values())
            reports = [_report_of(s) for s in subs]
            for sub, outcome in zip(subs, self._extract_safely(reports)):
                if isinstance(outcome, Exception):
                    result.failed.append(IngestError(sub.origin, f"extraction failed ({outcome!r}); not stored"))
                    _tell(progress, sub.origin, "failed")
                    continue
                stored, events = self.store.add_report(sub, outcome, extractor=self.extractor.version)
                result.added.append(stored.id)
                result.events += len(events)
                _tell(progress, sub.origin, "added")
            for report_id, sub in later_duplicates:
                self.store.add_duplicate(report_id, sub)
            pending.clear()
            later_duplicates.clear()

        for item in items:
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
            sha = text_sha256(item.text)
            existing = self.store.find_report_id(sha)
            if existing is None and sha in pending:
                existing = _report_of(pending[sha]).id
                later_duplicates.append((existing, item))
                result.duplicates.append((item.origin, existing))
                _tell(progress, item.origin, "duplicate")
                continue
            if existing is not None:
                self.store.add_duplicate(existing, item)
                result.duplicates.append((item.origin, existing))
                _tell(progress, item.origin, "duplicate")
                continue
            if item.published is None:
                # relative dates ("on Sunday") stay unread and no year is guessed: the user should know
                result.warnings.append(Notice(item.origin, NO_DATE))
            pending[sha] = item
            if len(pending) >= self.settings.batch_size:
                flush()
        flush()
        self.store.finish_run(run, added=len(result.added), duplicates=len(result.duplicates),
                              failed=len(result.failed))
        return result

    def _extract_safely(self, reports: list[Report]) -> list[list[Event] | Exception]:
        """Events per report; a report the extractor trips on gets its exception, the batch goes on."""
        try:
            return list(self.extractor.pipe(reports, batch_size=self.settings.batch_size))
        except Exception:  # noqa: BLE001 - find which report, then carry on with the others
            out: list[list[Event] | Exception] = []
            for r in reports:
                try:
                    out.append(self.extractor(r))
                except Exception as exc:  # noqa: BLE001 - reported to the user as a failed report
                    out.append(exc)
            return out

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
        found = update_incidents(events, reports, self.store.reviews(), previous, table)
        if previous is None and table is None:
            with self.store.engine.begin() as conn:
                table_id = index.save_word_table(conn, found.table.to_json())
        self._grouped = (state, found, table_id)
        return found.incidents

    def regroup(self) -> dict:
        """Group every report again with a word table made from the whole collection now (adding
        reports regroups only the incidents they reach, with the table of the last full grouping:
        see docs/reconcile.md). Returns the counts of the incident index update."""
        from tollbook.store import index

        with self._index_lock, self._grouping_lock:
            with self.store.engine.begin() as conn:
                index.save_word_table(conn, None)
            self._grouped = None
        return self.refresh_index(force=True)

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

    def timeline(self, query=None, *, by: str = "auto") -> dict:
        """Incidents and killed per day / week / month / year, empty periods included (``auto``:
        the finest of those that gives at most 120 periods)."""
        from tollbook.store import index

        self.refresh_index()
        if by not in ("auto", *index.BUCKETS):
            raise ReviewError(f"timeline by {', '.join(index.BUCKETS)} or auto, not {by!r}")
        q = query or index.IncidentQuery()
        with self.store.engine.connect() as conn:
            # the same chart is asked for again and again (every visit of the home page): keep the
            # last answers until the index changes
            key = (index.state(conn), tuple(sorted(q.to_params().items())), by)
            if key not in self._timelines:
                if len(self._timelines) >= 128:
                    self._timelines.clear()
                self._timelines[key] = index.periods(index.timeline(conn, q, fts=self.store.fts), by)
        return self._timelines[key]

    def map_points(self, query=None, *, limit: int = 20000) -> dict:
        from tollbook.store import index

        self.refresh_index()
        with self.store.engine.connect() as conn:
            pts, more = index.points(conn, query or index.IncidentQuery(), fts=self.store.fts, limit=limit)
        return {"points": pts, "truncated": more}

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

    def reextract(self, *, all_reports: bool = False, progress: Progress | None = None) -> int:
        """Extract again the reports whose events an older extractor made (or all of them).
        Old events are kept, marked not current. Returns how many reports were re-read."""
        version = self.extractor.version
        done = 0
        batch: list[Report] = []

        def flush() -> None:
            nonlocal done
            for report, outcome in zip(batch, self._extract_safely(batch)):
                if isinstance(outcome, Exception):
                    _tell(progress, report.id, "failed")
                    continue
                self.store.replace_events(report.id, outcome, extractor=version)
                done += 1
                _tell(progress, report.id, "extracted")
            batch.clear()

        stale = None if all_reports else self.store.reports_needing_extraction(version)
        for report in self.store.reports(with_text=True):
            if stale is not None and report.id not in stale:
                continue
            batch.append(report)
            if len(batch) >= self.settings.batch_size:
                flush()
        flush()
        return done


def _refs_in_order(inc) -> list[str]:
    """An incident's refs ordered as its events sorted by (report, id): the n-th event of a report
    is "report#n" in the store's order (reconcile.event_refs)."""
    return sorted(inc.refs, key=lambda r: (r.split("#")[0], int(r.split("#")[1])))


def _report_of(sub: Submission) -> Report:
    return Report.from_text(
        sub.text, title=sub.title, source=sub.source, url=sub.url, published=sub.published,
        retrieved=sub.retrieved, language=sub.language, original_sha256=sub.original.sha256,
    )


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
