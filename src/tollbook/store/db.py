"""The store: reports, their originals, chain of custody and extracted events, in SQL.

SQLite by default (one file), or PostgreSQL for a team sharing one server
(``postgresql+psycopg://user@host/db``; see docs/postgresql.md). Both are tested the same way.
Each report is written in one transaction, with its original and its events: a crash
leaves the whole report or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, insert, make_url, select, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, SQLAlchemyError

from tollbook.errors import NotFound, StoreError
from tollbook.ingest.readers import Original, Submission
from tollbook.records import Actor, Event, Evidence, Figure, Flag, Place, Report, When, report_id_for, text_sha256
from tollbook.store import schema as s
from tollbook.store.migrate import upgrade


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# PostgreSQL URLs without a driver name mean psycopg 3, the driver tollbook installs (SQLAlchemy's
# own default for them is psycopg2, which it does not).
_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_url(target: str | Path) -> str:
    """A path becomes a SQLite URL; a URL (``postgresql://...``) is used as it is, with psycopg 3
    as the driver when it names none."""
    text = str(target)
    for scheme in _POSTGRES_SCHEMES:
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text.removeprefix(scheme)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def shown_url(url: str) -> str:
    """A database URL fit for messages and logs: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


class AlreadyStored(StoreError):
    """The text was stored by another process between the look-up and the insert; the arrival
    has been recorded in the chain of custody as a duplicate of ``report_id``."""

    def __init__(self, report_id: str) -> None:
        super().__init__(f"already stored as report {report_id}")
        self.report_id = report_id


class Store:
    """Reports and events in a SQL database. Pass a path or a SQLAlchemy URL."""

    def __init__(self, engine: Engine, *, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, target: str | Path = "tollbook.db", *, migrate: bool = True) -> Store:
        url = database_url(target)
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            folder = Path(url.removeprefix("sqlite:///")).parent
            if not folder.is_dir():
                raise StoreError(f"cannot create database {target}: folder {folder} does not exist")
        shown = shown_url(url) if "://" in str(target) else str(target)
        try:
            # pre-ping: a server restarted under a long-running `tollbook serve` costs one retry, not an error
            engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open database {shown}: {exc}") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "handle_error", _postgres_refusals)
        store = cls(engine, url=url)
        if migrate:
            try:
                upgrade(engine)
            except DBAPIError as exc:  # cannot connect, no such database, no right to create tables
                engine.dispose()
                reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__
                raise StoreError(f"cannot open database {shown}: {reason}") from None
        return store

    @property
    def fts(self) -> str:
        """How reports and incidents are searched by words: ``"sqlite"`` (FTS5 tables, migration
        0004), ``"postgresql"`` (generated tsvector columns under GIN indexes, migration 0009), or
        ``""`` (another database: substring matches)."""
        name = self.engine.dialect.name
        return name if name in ("sqlite", "postgresql") else ""

    def close(self) -> None:
        self.engine.dispose()

    # -- reports -----------------------------------------------------------------------

    def find_report_id(self, sha256: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(s.reports.c.id).where(s.reports.c.sha256 == sha256)).scalar()

    def add_report(
        self,
        submission: Submission,
        events: Sequence[Event],
        *,
        extractor: str,
    ) -> tuple[Report, list[Event]]:
        """Store a new report, its original, its custody line and its events, atomically.

        When another process (a second ingest of the same files) stored the same text first, the
        arrival is recorded as a duplicate and ``AlreadyStored`` is raised."""
        sha = text_sha256(submission.text)
        report = Report(
            id=report_id_for(sha),
            text=submission.text,
            sha256=sha,
            title=submission.title,
            source=submission.source,
            url=submission.url,
            published=submission.published,
            retrieved=submission.retrieved,
            language=submission.language,
            original_sha256=submission.original.sha256,
        )
        now = _now()
        try:
            with self.engine.begin() as conn:
                self._insert_report(conn, report, submission, events, extractor, now)
        except IntegrityError:
            existing = self.find_report_id(sha)
            if existing is None:
                raise
            self.add_duplicate(existing, submission)
            raise AlreadyStored(existing) from None
        return report, list(events)

    def _insert_report(self, conn: Connection, report: Report, submission: Submission, events: Sequence[Event],
                       extractor: str, now: dt.datetime) -> None:
        sha = report.sha256
        self._put_original(conn, submission.original)
        conn.execute(
            insert(s.reports).values(
                id=report.id, sha256=sha, text=report.text, title=report.title, source=report.source,
                url=report.url, published=report.published, retrieved=report.retrieved,
                language=report.language, original_sha256=report.original_sha256, ingested_at=now,
                extracted_with=extractor,
            )
        )
        self._put_custody(conn, report.id, submission, duplicate=False)
        self._insert_events(conn, report.id, events, extractor)
        if self.fts == "sqlite":  # PostgreSQL: a generated column of the row
            conn.exec_driver_sql("INSERT INTO report_fts (report_id, title, text) VALUES (?, ?, ?)",
                                 (report.id, report.title or "", report.text))

    def add_duplicate(self, report_id: str, submission: Submission) -> None:
        """Record that an already stored text came in again (and from where)."""
        with self.engine.begin() as conn:
            self._put_original(conn, submission.original)
            self._put_custody(conn, report_id, submission, duplicate=True)

    def _put_original(self, conn: Connection, original: Original) -> None:
        exists = conn.execute(
            select(s.originals.c.sha256).where(s.originals.c.sha256 == original.sha256)
        ).scalar()
        if not exists:
            # ignore a conflict: another process may store the same original between the look-up and
            # here (OR IGNORE on SQLite; ON CONFLICT DO NOTHING on PostgreSQL, which waits for that
            # process's transaction and then does nothing, instead of aborting this one)
            values = dict(sha256=original.sha256, name=original.name, media_type=original.media_type,
                          size=len(original.content), content=original.content, received_at=original.received_at)
            if conn.dialect.name == "postgresql":
                conn.execute(postgresql.insert(s.originals).values(**values).on_conflict_do_nothing())
            else:
                conn.execute(insert(s.originals).prefix_with("OR IGNORE", dialect="sqlite").values(**values))

    def _put_custody(self, conn: Connection, report_id: str, sub: Submission, *, duplicate: bool) -> None:
        conn.execute(
            insert(s.custody).values(
                report_id=report_id, original_sha256=sub.original.sha256, origin=sub.original.name,
                locator=sub.locator, external_id=sub.external_id, received_at=sub.original.received_at,
                duplicate=duplicate,
            )
        )

    def resolve_report_id(self, ref: str) -> str:
        """A full report id, from an id or a unique prefix of one."""
        ref = ref.strip()
        with self.engine.connect() as conn:
            ids = conn.execute(
                select(s.reports.c.id).where(s.reports.c.id.startswith(ref, autoescape=True)).limit(2)
            ).scalars().all()
        if not ids:
            raise NotFound(f"no report {ref!r} in the store (see `tollbook reports`)")
        if len(ids) > 1 and ref not in ids:
            raise NotFound(f"{ref!r} is the start of several report ids; give more of it")
        return ref if ref in ids else ids[0]

    def report(self, ref: str) -> Report:
        report_id = self.resolve_report_id(ref)
        with self.engine.connect() as conn:
            row = conn.execute(select(s.reports).where(s.reports.c.id == report_id)).one()
        return _report(row._mapping)

    def reports(self, *, limit: int | None = None, offset: int = 0, with_text: bool = True,
                ids: Iterable[str] | None = None) -> list[Report]:
        """Reports by publication date; ``ids``: only these (in no particular order)."""
        cols = list(s.reports.c) if with_text else [c for c in s.reports.c if c.name != "text"]
        if ids is not None:
            with self.engine.connect() as conn:
                return [_report(r._mapping) for chunk in _chunks(sorted(set(ids)), 500)
                        for r in conn.execute(select(*cols).where(s.reports.c.id.in_(chunk)))]
        published = s.reports.c.published
        if self.engine.dialect.name == "postgresql":
            published = published.asc().nulls_first()  # where SQLite puts undated reports
        q = select(*cols).order_by(published, s.reports.c.id).offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_report(r._mapping) for r in conn.execute(q)]

    def count_reports(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(s.reports)).scalar_one()

    def custody(self, report_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(s.custody, s.originals.c.media_type, s.originals.c.size)
                .join(s.originals, s.originals.c.sha256 == s.custody.c.original_sha256)
                .where(s.custody.c.report_id == report_id)
                .order_by(s.custody.c.id)
            )
            return [dict(r._mapping) for r in rows]

    def original(self, sha256: str) -> bytes:
        with self.engine.connect() as conn:
            content = conn.execute(select(s.originals.c.content).where(s.originals.c.sha256 == sha256)).scalar()
        if content is None:
            raise NotFound(f"no original with SHA-256 {sha256}")
        return bytes(content)

    # -- events ------------------------------------------------------------------------

    def replace_events(self, report_id: str, events: Sequence[Event], *, extractor: str) -> list[Event]:
        """A new extraction of a report: old events are kept, marked not current."""
        with self.engine.begin() as conn:
            conn.execute(
                update(s.events).where(s.events.c.report_id == report_id, s.events.c.current.is_(True))
                .values(current=False)
            )
            conn.execute(update(s.reports).where(s.reports.c.id == report_id).values(extracted_with=extractor))
            return self._insert_events(conn, report_id, events, extractor)

    def reports_needing_extraction(self, extractor: str) -> set[str]:
        """Reports whose current events were made by another extractor version."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(s.reports.c.id).where(
                    (s.reports.c.extracted_with != extractor) | s.reports.c.extracted_with.is_(None)
                )
            )
            return {r[0] for r in rows}

    def _insert_events(self, conn: Connection, report_id: str, events: Sequence[Event], extractor: str) -> list[Event]:
        now = _now()
        for idx, ev in enumerate(events):
            if ev.report_id != report_id:
                raise StoreError(f"event of report {ev.report_id} stored under report {report_id}")
            ev.id = conn.execute(
                insert(s.events).values(
                    report_id=report_id, idx=idx, extractor=extractor, current=True, role=ev.role, type=ev.type,
                    rule=ev.rule, evidence=_ev(ev.evidence), created_at=now,
                )
            ).inserted_primary_key[0]
            if ev.figures:
                conn.execute(insert(s.figures), [
                    dict(event_id=ev.id, kind=f.kind, low=f.low, high=f.high, qualifier=f.qualifier, note=f.note,
                         rule=f.rule, who=f.who, basis=f.basis, evidence=_ev(f.evidence)) for f in ev.figures
                ])
            if ev.places:
                conn.execute(insert(s.places), [
                    dict(event_id=ev.id, idx=i, name=p.name, country=p.country, country_code=p.country_code,
                         admin1=p.admin1, admin2=p.admin2, lat=p.lat, lon=p.lon, precision=p.precision,
                         gazetteer_id=p.gazetteer_id, ambiguous=p.ambiguous, city=p.city, rule=p.rule,
                         evidence=_ev(p.evidence))
                    for i, p in enumerate(ev.places)
                ])
            if ev.dates:
                conn.execute(insert(s.dates), [
                    dict(event_id=ev.id, idx=i, earliest=w.earliest, latest=w.latest, precision=w.precision,
                         rule=w.rule, evidence=_ev(w.evidence)) for i, w in enumerate(ev.dates)
                ])
            if ev.actors:
                conn.execute(insert(s.actors), [
                    dict(event_id=ev.id, idx=i, role=a.role, text=a.text, kind=a.kind, hedged=a.hedged,
                         attributed_to=a.attributed_to, rule=a.rule, evidence=_ev(a.evidence))
                    for i, a in enumerate(ev.actors)
                ])
            if ev.flags:
                conn.execute(insert(s.flags), [
                    dict(event_id=ev.id, kind=f.kind, message=f.message, rule=f.rule, evidence=_ev(f.evidence))
                    for f in ev.flags
                ])
        return list(events)

    def events(
        self,
        *,
        report_id: str | None = None,
        role: str | None = None,
        current: bool = True,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Event]:
        q = select(s.events).order_by(s.events.c.report_id, s.events.c.idx, s.events.c.id).offset(offset)
        if current:
            q = q.where(s.events.c.current.is_(True))
        if report_id is not None:
            q = q.where(s.events.c.report_id == report_id)
        if role is not None:
            q = q.where(s.events.c.role == role)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            rows = [r._mapping for r in conn.execute(q)]
            return self._assemble(conn, rows)

    def events_by_id(self, ids: Iterable[int]) -> list[Event]:
        ids = list(ids)
        with self.engine.connect() as conn:
            rows = [r._mapping for chunk in _chunks(ids, 500)
                    for r in conn.execute(select(s.events).where(s.events.c.id.in_(chunk)))]
            return self._assemble(conn, rows)

    def current_event_ids(self) -> list[int]:
        """The ids of the current events (what ``events()`` would return), cheaply."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(s.events.c.id).where(s.events.c.current.is_(True))
                                     .order_by(s.events.c.id)).scalars())

    def _assemble(self, conn: Connection, rows: list[Any]) -> list[Event]:
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        children: dict[str, dict[int, list[Any]]] = {}
        for name, table in (("figures", s.figures), ("places", s.places), ("dates", s.dates),
                            ("actors", s.actors), ("flags", s.flags)):
            by_event: dict[int, list[Any]] = defaultdict(list)
            for chunk in _chunks(ids, 500):
                for r in conn.execute(select(table).where(table.c.event_id.in_(chunk)).order_by(table.c.id)):
                    by_event[r.event_id].append(r._mapping)
            children[name] = by_event
        out = []
        for r in rows:
            eid = r["id"]
            out.append(Event(
                id=eid,
                report_id=r["report_id"],
                type=r["type"],
                role=r["role"],
                evidence=_unev(r["evidence"]),
                rule=r["rule"],
                figures=[Figure(f["kind"], f["low"], f["high"], f["qualifier"], _unev(f["evidence"]), f["note"],
                                rule=f["rule"], who=f["who"], basis=f["basis"])
                         for f in children["figures"][eid]],
                places=[Place(name=p["name"], evidence=_unev(p["evidence"]), country=p["country"],
                              country_code=p["country_code"], admin1=p["admin1"], admin2=p["admin2"],
                              lat=p["lat"], lon=p["lon"], precision=p["precision"],
                              gazetteer_id=p["gazetteer_id"], ambiguous=bool(p["ambiguous"]), city=p["city"],
                              rule=p["rule"])
                        for p in children["places"][eid]],
                dates=[When(w["earliest"], w["latest"], w["precision"], _unev(w["evidence"]), rule=w["rule"])
                       for w in children["dates"][eid]],
                actors=[Actor(a["role"], a["text"], _unev(a["evidence"]), a["kind"], bool(a["hedged"]),
                              a["attributed_to"], rule=a["rule"]) for a in children["actors"][eid]],
                flags=[Flag(f["kind"], f["message"], _unev(f["evidence"]), rule=f["rule"])
                       for f in children["flags"][eid]],
            ))
        return out

    def extractors(self) -> dict[str, int]:
        """How many current events each extractor version made."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(s.events.c.extractor, func.count()).where(s.events.c.current.is_(True))
                .group_by(s.events.c.extractor)
            )
            return {r[0]: r[1] for r in rows}

    # -- runs --------------------------------------------------------------------------

    def start_run(self, command: str, extractor: str | None) -> int:
        with self.engine.begin() as conn:
            return conn.execute(
                insert(s.runs).values(command=command, extractor=extractor, started_at=_now())
            ).inserted_primary_key[0]

    def finish_run(self, run_id: int, *, added: int, duplicates: int, failed: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(s.runs).where(s.runs.c.id == run_id)
                .values(finished_at=_now(), added=added, duplicates=duplicates, failed=failed)
            )


    # -- review log (append-only: there is no update or delete) ------------------------------------

    def add_review(self, *, editor: str, action: str, target: dict[str, Any], reason: str) -> dict[str, Any]:
        at = _now()
        with self.engine.begin() as conn:
            rid = conn.execute(insert(s.reviews).values(at=at, editor=editor, action=action, target=target,
                                                         reason=reason)).inserted_primary_key[0]
        return {"id": rid, "at": at, "editor": editor, "action": action, "target": target, "reason": reason}

    def reviews(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(s.reviews).order_by(s.reviews.c.id))]


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=10000")  # first: the next pragma may wait for another process
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers (the web app) do not block the ingest
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; safe with WAL
    cur.close()


def _postgres_refusals(context: Any) -> None:
    """PostgreSQL's text cannot hold a NUL character (SQLite's can): a value with one, typed into a
    search, an address or a review's reason, is a one-line error of the input, not a fault of ours."""
    exc = context.original_exception
    if type(exc).__name__ == "DataError" and "NUL (0x00)" in str(exc):
        raise StoreError("a NUL character (\\x00) in a value: PostgreSQL text cannot hold one; remove it") from None


def _ev(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in evidence]


def _unev(data: Any) -> tuple[Evidence, ...]:
    return tuple(Evidence.from_dict(e) for e in data or ())


def _chunks(items: list[int], n: int) -> Iterable[list[int]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _report(row: Any) -> Report:
    retrieved = row["retrieved"]
    if retrieved is not None and retrieved.tzinfo is None:
        retrieved = retrieved.replace(tzinfo=dt.UTC)  # SQLite drops the zone; we store UTC
    return Report(
        id=row["id"],
        text=row.get("text", ""),
        sha256=row["sha256"],
        title=row["title"],
        source=row["source"],
        url=row["url"],
        published=row["published"],
        retrieved=retrieved,
        language=row["language"],
        original_sha256=row["original_sha256"],
    )
