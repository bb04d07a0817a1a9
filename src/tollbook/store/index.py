"""The incident index: the last computed incidents, one row each, for fast listing and filtering.

Incidents are derived data (events + the review log, through reconcile/). Serving 100k of them
from a fresh grouping on every request would be slow, so ``write`` keeps one row per incident
with the columns people filter on, and ``find`` / ``timeline`` / ``points`` answer from it.
``state`` fingerprints what the index was built from; when the store has changed since,
``Tollbook.refresh_index`` rebuilds it, rewriting only the rows whose content changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.sql import ColumnElement

from tollbook.store import schema as s

# Each sort: (column, direction, where PostgreSQL must be told to put NULLs) in order. PostgreSQL
# puts NULLs last going up and first going down, SQLite the other way round: said explicitly there,
# so that both list the same incidents in the same order (incidents without a date or a toll at the
# end of the newest-first and the deadliest-first lists). Migration 0009 made indexes in these orders.
_SORT_KEYS = {
    "-date": (("latest", "desc", "last"), ("id", "desc", None)),
    "date": (("earliest", "asc", "first"), ("id", "asc", None)),
    "-killed": (("killed_best", "desc", "last"), ("id", "asc", None)),
    "-reports": (("reports", "desc", None), ("id", "asc", None)),
}


def _order_by(columns, sort: str, *, postgresql: bool) -> tuple:
    """The ORDER BY of ``sort`` over ``columns`` (the index table's, or a subquery's of the same names)."""
    out = []
    for name, direction, nulls in _SORT_KEYS[sort]:
        c = columns[name].desc() if direction == "desc" else columns[name].asc()
        if postgresql and nulls:
            c = c.nulls_last() if nulls == "last" else c.nulls_first()
        out.append(c)
    return tuple(out)


SORTS = {name: _order_by(s.incident_index.c, name, postgresql=False) for name in _SORT_KEYS}


def _sort(conn, sort: str) -> tuple:
    return _order_by(s.incident_index.c, sort, postgresql=conn.dialect.name == "postgresql")


# Advisory lock keys on PostgreSQL (transaction-level): writers of the incident index and of the
# grouping's word table wait for one another instead of failing on each other's keys.
INDEX_LOCK = 0x746F6C6C01
WORDS_LOCK = 0x746F6C6C02


def _lock(conn, key: int) -> None:
    """Serialise writers of one thing until the transaction ends, so that what a writer reads first
    (the index's rows) is not changed by another before it writes. PostgreSQL: an advisory lock.
    SQLite: its database write lock, taken now by a statement that writes nothing (Python's driver
    begins a transaction only at the first write, so the reads before it would run unlocked)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")
    elif conn.dialect.name == "sqlite":
        conn.execute(delete(s.meta).where(s.meta.c.key == ""))


@dataclass(slots=True)
class IncidentQuery:
    """Filters over incidents; every one is optional and they combine with AND."""

    since: dt.date | None = None  # the incident's dates overlap [since, until]
    until: dt.date | None = None
    country: str | None = None  # name or ISO code, case-insensitive
    admin1: str | None = None
    place: str | None = None  # part of the place or city name
    type: str | None = None
    actor: str | None = None  # part of a perpetrator claim
    flag: str | None = None  # the kind of one of its flags, exactly ("toll contradiction")
    source: str | None = None  # the outlet of one of its reports, exactly
    min_killed: int | None = None  # best killed figure at least this
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    q: str | None = None  # words in the text or title of one of its reports

    def to_params(self) -> dict[str, str]:
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None or v == "":
                continue
            out[f.name] = ",".join(str(x) for x in v) if f.name == "bbox" else str(v)
        return out


def fingerprint(conn) -> str:
    """What the incidents are computed from: events (re-extraction adds rows) and the review log."""
    ev = conn.execute(select(func.max(s.events.c.id), func.count()).select_from(s.events)
                      .where(s.events.c.current.is_(True))).one()
    rv = conn.execute(select(func.max(s.reviews.c.id))).scalar()
    rp = conn.execute(select(func.count()).select_from(s.reports)).scalar()
    return f"events={ev[0]}/{ev[1]} reviews={rv} reports={rp}"


def state(conn) -> str | None:
    return conn.execute(select(s.meta.c.value).where(s.meta.c.key == "index_state")).scalar()


def _set_meta(conn, key: str, value: str) -> None:
    if conn.execute(update(s.meta).where(s.meta.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(insert(s.meta).values(key=key, value=value))


def word_table(conn) -> str | None:
    """The frozen word table of grouping (``reconcile.grouping.WordTable``, as JSON), if any."""
    return conn.execute(select(s.meta.c.value).where(s.meta.c.key == "grouping_words")).scalar()


def word_table_id(conn) -> str | None:
    """A digest of the stored word table: cheap to read, to tell whether another process made a new one."""
    return conn.execute(select(s.meta.c.value).where(s.meta.c.key == "grouping_words_id")).scalar()


def save_word_table(conn, value: str | None) -> str | None:
    """Store the word table (None: forget it); returns its id (``word_table_id``)."""
    _lock(conn, WORDS_LOCK)
    if value is None:
        conn.execute(delete(s.meta).where(s.meta.c.key.in_(("grouping_words", "grouping_words_id"))))
        return None
    digest = hashlib.sha256(value.encode()).hexdigest()[:16]
    _set_meta(conn, "grouping_words", value)
    _set_meta(conn, "grouping_words_id", digest)
    return digest


def row_of(inc, summary: dict[str, Any]) -> dict[str, Any]:
    """The index row of one incident (``summary``: the export row of it, export/formats.row)."""
    p = inc.place

    def fig(kind: str, part: str) -> int | None:
        f = inc.figure(kind)
        return getattr(f, part) if f and not f.wrong else None

    data = {**inc.to_dict(), "summary": summary}
    blob = json.dumps(data, sort_keys=True, default=str)
    return {
        "id": inc.id, "type": inc.type, "earliest": inc.earliest, "latest": inc.latest,
        "country": p.country if p else None, "country_code": p.country_code if p else None,
        "admin1": p.admin1 if p else None, "city": p.city if p else None, "place": p.name if p else None,
        "country_key": p.country.lower() if p and p.country else None,
        "admin1_key": p.admin1.lower() if p and p.admin1 else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None, "precision": p.precision if p else None,
        "killed_low": fig("killed", "low"), "killed_best": fig("killed", "best"),
        "killed_high": fig("killed", "high"), "injured_low": fig("injured", "low"),
        "injured_best": fig("injured", "best"), "injured_high": fig("injured", "high"),
        "abducted_best": fig("abducted", "best"), "reports": len(inc.reports), "sources": inc.sources,
        "actors": (summary.get("perpetrators_said") or "").lower(), "flags": len(inc.flags),
        "digest": hashlib.sha1(blob.encode()).hexdigest(), "data": json.loads(blob),
        "facets": facet_values(inc, summary),
    }


FACETS = ("country", "admin1", "type", "claim", "flag", "source")


def facet_values(inc, summary: dict[str, Any]) -> list[tuple[str, str]]:
    """(facet, value) pairs of one incident, as the index's facet table holds them."""
    p = inc.place
    out = {("type", inc.type)}
    if p and p.country:
        out.add(("country", p.country))
    if p and p.admin1:
        out.add(("admin1", p.admin1))
    # claims as the actor filter reads them: lower case, without the hedge the summary adds
    for said in (summary.get("perpetrators_said") or "").split("; "):
        said = said.removesuffix(" (alleged)").strip().lower()
        if said:
            out.add(("claim", said))
    out.update(("flag", f.kind) for f in inc.flags if f.kind)
    # outlets; a report with no outlet is listed by its URL (a web address's host stands for it; other
    # schemes name no outlet) or its id (left out)
    for x in (summary.get("source_list") or "").split("; "):
        x = x.strip()
        if re.match(r"[a-z][a-z0-9+.-]*:\S", x):
            x = (urlsplit(x).hostname or "") if x.startswith(("http://", "https://")) else ""
        if x and x not in inc.reports:
            out.add(("source", x.removeprefix("www.")))
    return sorted(out)


def write(conn, rows: Iterable[dict[str, Any]], new_state: str, *, fts: bool | None = None) -> dict[str, int]:
    """Bring the index to ``rows`` in the caller's transaction; unchanged rows are not touched.
    ``fts``: keep SQLite's FTS5 table of the index in step (PostgreSQL's word columns are
    generated by the database itself)."""
    _lock(conn, INDEX_LOCK)  # first: what is in the index is read once no other writer is at it
    t, docs = s.incident_index, s.incident_docs
    old = dict(conn.execute(select(docs.c.id, docs.c.digest)).all())
    seen, added, changed = set(), [], []
    for r in rows:
        seen.add(r["id"])
        if r["id"] not in old:
            added.append(r)
        elif old[r["id"]] != r["digest"]:
            changed.append(r)
    gone = [i for i in old if i not in seen]
    touched = gone + [r["id"] for r in changed]
    if fts is None:
        fts = conn.dialect.name == "sqlite"  # the FTS5 table of the index is SQLite's
    for chunk in _chunks(touched, 500):
        conn.execute(delete(s.incident_facets).where(s.incident_facets.c.n.in_(select(t.c.n).where(
            t.c.id.in_(chunk)))))
        if fts:  # the FTS rows share the index rows' key ``n``: delete them first
            conn.execute(text("DELETE FROM incident_fts WHERE rowid IN (SELECT n FROM incident_index "
                              "WHERE id IN :ids)").bindparams(bindparam("ids", expanding=True)), {"ids": chunk})
        for table, col in ((t, t.c.id), (docs, docs.c.id), (s.incident_reports, s.incident_reports.c.incident_id)):
            conn.execute(delete(table).where(col.in_(chunk)))
    columns = [c.name for c in t.columns if c.name != "n"]
    for chunk in _chunks(added + changed, 2000):
        conn.execute(insert(t), [{c: r[c] for c in columns} for r in chunk])
        conn.execute(insert(docs), [{"id": r["id"], "digest": r["digest"], "data": r["data"]} for r in chunk])
        links = [{"incident_id": r["id"], "report_id": rep} for r in chunk for rep in r["data"]["reports"]]
        if links:
            conn.execute(insert(s.incident_reports), links)
        key = dict(conn.execute(select(t.c.id, t.c.n).where(t.c.id.in_([r["id"] for r in chunk]))).all())
        values = [{"facet": f, "value": v, "n": key[r["id"]]} for r in chunk for f, v in r.get("facets", ())]
        if values:
            conn.execute(insert(s.incident_facets), values)
        if fts:
            conn.exec_driver_sql("INSERT INTO incident_fts (rowid, incident_id, place, actors) VALUES (?, ?, ?, ?)",
                                 [(key[r["id"]], r["id"], " ".join(x for x in (r["place"], r["city"], r["admin1"])
                                                                   if x), r["actors"]) for r in chunk])
    _set_meta(conn, "index_state", new_state)
    return {"added": len(added), "changed": len(changed), "removed": len(gone), "total": len(seen)}


def _fts_ids(sql: str, **params: str):
    """A one-column SELECT over an FTS5 table, usable inside ``IN (...)``."""
    from sqlalchemy import column

    return select(text(sql).bindparams(**params).columns(column("id")).subquery().c.id)


# What people type into a search box: words (all required), "phrases in quotes" (those words
# next to one another, in that order) and prefix* (any word that starts so). Everything else is a
# separator, so no input is a syntax error. Words are runs of letters and digits, as FTS5's
# unicode61 tokenizer cuts them.
_TERM = re.compile(r'"([^"]*)"(\*?)|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")


def search_terms(query: str) -> list[tuple[tuple[str, ...], bool]]:
    """The terms of a search: (words of a word or phrase, whether its last word is a prefix)."""
    out = []
    for quoted, star, bare in _TERM.findall(query or ""):
        words = tuple(_WORD.findall(quoted if not bare else bare))
        if words:
            out.append((words, bool(star) if not bare else bare.endswith("*")))
    return out


def fts5_query(terms: list[tuple[tuple[str, ...], bool]]) -> str:
    """Search terms as an FTS5 query: each a quoted phrase (``"pre"*`` for a prefix), all required."""
    return " AND ".join('"' + " ".join(words) + '"' + ("*" if prefix else "") for words, prefix in terms)


def tsquery(terms: list[tuple[tuple[str, ...], bool]]) -> str:
    """Search terms as a PostgreSQL ``to_tsquery`` text: ``'a' <-> 'b'`` for a phrase, ``:*`` for a
    prefix, ``&`` between terms. Words hold only letters and digits, so quoting them is safe."""
    parts = []
    for words, prefix in terms:
        quoted = [f"'{w}'" for w in words]
        if prefix:
            quoted[-1] += ":*"
        parts.append("(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts)


# The same expressions as the GIN indexes of migration 0009 (PostgreSQL uses an expression index
# only for that very expression).
# The words of each text on PostgreSQL: generated tsvector columns under GIN indexes (migration
# 0009; ASCII punctuation made spaces first, so that words are cut as FTS5 cuts them).
_TSCONFIG = "'tollbook_words'::regconfig"
_PG_DOCS = {"reports": "reports.words", "place": "incident_index.place_words", "actors": "incident_index.actor_words"}


def _pg_match(doc: str, terms, name: str) -> ColumnElement:
    return text(f"{_PG_DOCS[doc]} @@ to_tsquery({_TSCONFIG}, :{name})").bindparams(**{name: tsquery(terms)})


def _like(value: str) -> str:
    return "%" + value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def conditions(q: IncidentQuery, *, fts: bool | str) -> list[ColumnElement]:
    """The filters of ``q`` as SQL. ``fts``: how words are searched (``Store.fts``): ``"postgresql"``
    through tsvector expressions, ``"sqlite"`` (or True) through FTS5 tables, false by substrings."""
    t = s.incident_index
    pg = fts == "postgresql"
    where: list[ColumnElement] = []
    if q.since:
        where.append(t.c.latest >= q.since)
    if q.until:
        where.append(t.c.earliest <= q.until)
    if q.country:
        c = q.country.strip()
        where.append(t.c.country_code == c.upper() if len(c) == 2 else t.c.country_key == c.lower())
    if q.admin1:
        where.append(t.c.admin1_key == q.admin1.strip().lower())
    if q.type:
        where.append(t.c.type == q.type)
    for column, value in (("place", q.place), ("actors", q.actor)):
        if not value or not value.strip():
            continue
        if fts:
            # word prefixes ("acap" finds Acapulco) through the incidents' own full-text table
            terms = [((w,), True) for w in _WORD.findall(value)]
            if not terms:
                continue
            if pg:
                where.append(_pg_match(column, terms, f"words_{column}"))
            else:
                match = f"{column} : (" + fts5_query(terms) + ")"
                sql = "SELECT rowid AS id FROM incident_fts WHERE incident_fts MATCH :m"
                where.append(t.c.n.in_(_fts_ids(sql, m=match)))
        elif column == "place":
            pat = _like(value.strip())
            where.append(or_(func.lower(t.c.place).like(pat, escape="\\"),
                             func.lower(t.c.city).like(pat, escape="\\")))
        else:
            where.append(t.c.actors.like(_like(value.strip()), escape="\\"))
    for facet, value in (("flag", q.flag), ("source", q.source)):
        if value and value.strip():
            f = s.incident_facets
            where.append(t.c.n.in_(select(f.c.n).where(f.c.facet == facet, f.c.value == value.strip())))
    if q.min_killed is not None:
        where.append(t.c.killed_best >= q.min_killed)
    if q.bbox:
        west, south, east, north = q.bbox
        where.append(and_(t.c.lat >= south, t.c.lat <= north))
        # a box across the antimeridian has west > east
        where.append(and_(t.c.lon >= west, t.c.lon <= east) if west <= east
                     else or_(t.c.lon >= west, t.c.lon <= east))
    if q.q and q.q.strip():
        if fts:
            terms = search_terms(q.q)
            if terms:
                if pg:
                    reports = select(s.reports.c.id).where(_pg_match("reports", terms, "words"))
                else:
                    reports = _fts_ids("SELECT report_id AS id FROM report_fts WHERE report_fts MATCH :m",
                                       m=fts5_query(terms))
                where.append(t.c.id.in_(select(s.incident_reports.c.incident_id)
                                        .where(s.incident_reports.c.report_id.in_(reports))))
        else:
            pat = _like(q.q.strip())
            reps = select(s.reports.c.id).where(or_(func.lower(s.reports.c.text).like(pat, escape="\\"),
                                                    func.lower(s.reports.c.title).like(pat, escape="\\")))
            where.append(t.c.id.in_(select(s.incident_reports.c.incident_id)
                                    .where(s.incident_reports.c.report_id.in_(reps))))
    return where


LIST_COLUMNS = ("id", "type", "earliest", "latest", "country", "admin1", "city", "place", "lat", "lon", "precision",
                "killed_low", "killed_best", "killed_high", "injured_low", "injured_best", "injured_high",
                "abducted_best", "reports", "sources", "flags")


def find(conn, q: IncidentQuery, *, fts: bool | str, limit: int, offset: int, sort: str = "-date",
         count: bool = True) -> tuple[int | None, list[dict[str, Any]]]:
    t = s.incident_index
    where = conditions(q, fts=fts)
    order = _sort(conn, sort)
    cols = [t.c[c] for c in LIST_COLUMNS] + [t.c.actors]
    total = None
    if where and conn.dialect.name == "postgresql":
        # PostgreSQL 15 costs count(*) OVER () as if rows streamed through it, so with a LIMIT it walks
        # the sort's index over the whole table and filters every row. The matches are gathered first
        # (MATERIALIZED: planned on their own, through their filters' indexes), then counted and sorted.
        names = [name for name, _, _ in _SORT_KEYS[sort]]
        matches = (select(t.c.n, *(t.c[name] for name in names if name != "n")).where(*where)
                   .cte("matches").prefix_with("MATERIALIZED"))
        keyed = conn.execute(select(matches.c.n, func.count().over())
                             .order_by(*_order_by(matches.c, sort, postgresql=True)).limit(limit).offset(offset)).all()
        keys = [k for k, _ in keyed]
        total = keyed[0][1] if keyed else None
    elif where:
        # filtered: the page's keys and the number of matches in one pass, so that an expensive
        # filter (full text) runs once, not once for the page and again for the count
        keyed = conn.execute(select(t.c.n, func.count().over()).where(*where).order_by(*order)
                             .limit(limit).offset(offset)).all()
        keys = [k for k, _ in keyed]
        total = keyed[0][1] if keyed else None
    else:
        # everything: walk the sort's index for the page's keys (covering, so deep pages are cheap)
        keys = list(conn.execute(select(t.c.n).order_by(*order).limit(limit).offset(offset)).scalars())
    rows = [dict(r._mapping) for r in conn.execute(select(*cols).where(t.c.n.in_(keys)).order_by(*order))]
    if count and total is None:
        total = conn.execute(select(func.count()).select_from(t).where(*where)).scalar()
    return total, rows


BUCKETS = ("day", "week", "month", "year")


def timeline(conn, q: IncidentQuery, *, fts: bool | str) -> list[tuple[dt.date, int, int]]:
    """(day, incidents, killed) per first date of the incidents that match."""
    t = s.incident_index
    where = conditions(q, fts=fts) + [t.c.earliest.is_not(None)]
    stmt = select(t.c.earliest, func.count(), func.coalesce(func.sum(t.c.killed_best), 0)).where(*where).group_by(
        t.c.earliest).order_by(t.c.earliest)
    return [(d if isinstance(d, dt.date) else dt.date.fromisoformat(d), n, int(k or 0)) for d, n, k in
            conn.execute(stmt)]


def split_outlying(days: list[tuple[dt.date, int, int]], *, share: float = 0.1, few: int = 3,
                   gap_ratio: float = 2.0) -> tuple[list[tuple[dt.date, int, int]], list[dict[str, Any]]]:
    """``days`` without a few incidents far before or after all the others, and those few summed.

    A handful of incidents (at most ``few``, or ``share`` of all) cut off from the rest by a gap
    longer than ``gap_ratio`` times the rest's own span would stretch the time axis over empty years
    (one report dated only "2019" beside months of 2024): they are taken out of the axis and named."""
    total = sum(n for _, n, _ in days)
    limit = max(few, share * total)
    outside = []
    for side in ("before", "after"):
        seq = days if side == "before" else days[::-1]
        cut, widest, count = 0, 0, 0
        for i in range(len(seq) - 1):
            count += seq[i][1]
            if count > limit:
                break
            gap = abs((seq[i + 1][0] - seq[i][0]).days)
            rest = abs((seq[-1][0] - seq[i + 1][0]).days)
            if gap > gap_ratio * max(rest, 1) and gap > widest:
                cut, widest = i + 1, gap
        if cut:
            gone = seq[:cut]
            outside.append({"side": side, "from": min(d for d, _, _ in gone).isoformat(),
                            "to": max(d for d, _, _ in gone).isoformat(), "incidents": sum(n for _, n, _ in gone),
                            "killed": sum(k for _, _, k in gone)})
            days = seq[cut:] if side == "before" else seq[cut:][::-1]
    return days, outside


def bucket_start(day: dt.date, by: str) -> dt.date:
    if by == "week":
        return day - dt.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    if by == "year":
        return day.replace(month=1, day=1)
    return day


def _next(start: dt.date, by: str) -> dt.date:
    if by == "day":
        return start + dt.timedelta(days=1)
    if by == "week":
        return start + dt.timedelta(days=7)
    if by == "month":
        return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def label(start: dt.date, by: str) -> str:
    if by == "week":
        y, w, _ = start.isocalendar()
        return f"{y}-W{w:02d}"
    return {"day": start.isoformat(), "month": start.strftime("%Y-%m"), "year": str(start.year)}[by]


def periods(days: list[tuple[dt.date, int, int]], by: str = "auto", *, most: int = 120) -> dict[str, Any]:
    """Sum ``days`` into periods, with the empty ones between, so the time axis is honest."""
    if not days:
        return {"by": "month" if by == "auto" else by, "periods": []}
    first, last = days[0][0], days[-1][0]
    if by == "auto":
        span = (last - first).days + 1
        by = next((b for b, size in (("day", 1), ("week", 7), ("month", 30.5)) if span / size <= most), "year")
    sums: dict[dt.date, list[int]] = {}
    for d, n, k in days:
        c = sums.setdefault(bucket_start(d, by), [0, 0])
        c[0] += n
        c[1] += k
    out, cur, end = [], bucket_start(first, by), bucket_start(last, by)
    while cur <= end and len(out) < 5000:
        n, k = sums.get(cur, (0, 0))
        nxt = _next(cur, by)
        out.append({"period": label(cur, by), "start": cur.isoformat(),
                    "end": (nxt - dt.timedelta(days=1)).isoformat(), "incidents": n, "killed": k})
        cur = nxt
    return {"by": by, "periods": out}


def points(conn, q: IncidentQuery, *, fts: bool | str, limit: int) -> tuple[list[list[Any]], bool]:
    """[id, lat, lon, killed, place, date, type] for the map, biggest tolls first; and whether more
    were left out. Rounded and typed in SQL: the map may ask for tens of thousands."""
    from sqlalchemy import Float, Numeric, String, cast, type_coerce

    t = s.incident_index
    where = conditions(q, fts=fts) + [t.c.lat.is_not(None), t.c.lon.is_not(None)]
    if conn.dialect.name == "postgresql":
        # round() of a double takes no digits there, and a date comes back as a date, not its text
        lat, lon = (cast(func.round(cast(c, Numeric), 5), Float) for c in (t.c.lat, t.c.lon))
        day, order = cast(t.c.earliest, String), t.c.killed_best.desc().nulls_last()
    else:
        lat, lon = func.round(t.c.lat, 5), func.round(t.c.lon, 5)
        day, order = type_coerce(t.c.earliest, String), t.c.killed_best.desc()
    stmt = (select(t.c.id, lat, lon, func.coalesce(t.c.killed_best, 0), func.coalesce(t.c.place, ""),
                   func.coalesce(day, ""), t.c.type)
            .where(*where).order_by(order, t.c.id).limit(limit + 1))
    rows = [list(r) for r in conn.execute(stmt)]
    return rows[:limit], len(rows) > limit


def data(conn, incident_id: str) -> dict[str, Any] | None:
    return conn.execute(select(s.incident_docs.c.data).where(s.incident_docs.c.id == incident_id)).scalar()


def incidents_of_report(conn, report_id: str) -> list[str]:
    return list(conn.execute(select(s.incident_reports.c.incident_id)
                             .where(s.incident_reports.c.report_id == report_id)).scalars())


def facets(conn) -> dict[str, list[str]]:
    """The values the filter form offers: types and countries present."""
    t = s.incident_index
    types = [r for r in conn.execute(select(t.c.type).distinct().order_by(t.c.type)).scalars() if r]
    countries = [r for r in conn.execute(select(t.c.country).distinct().order_by(t.c.country)).scalars() if r]
    return {"types": types, "countries": countries}


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def facet_counts(conn, q: IncidentQuery, *, fts: bool | str, size: int = 10) -> dict[str, dict[str, Any]]:
    """For each facet, its ``size`` most frequent values among the incidents matching ``q`` with their
    counts (``[[value, n], ...]``), and whether there are more values.

    One query for all the facets: the filter (a full-text match, say) runs once, and SQLite walks
    the facet table's ``n`` index from the matching keys; unfiltered, it reads the facet table's key."""
    f, t = s.incident_facets, s.incident_index
    where = conditions(q, fts=fts)
    stmt = select(f.c.facet, f.c.value, func.count()).group_by(f.c.facet, f.c.value)
    if where:
        stmt = stmt.where(f.c.n.in_(select(t.c.n).where(*where)))
    found: dict[str, list[tuple[int, str]]] = {name: [] for name in FACETS}
    for facet, value, n in conn.execute(stmt):
        if facet in found:
            found[facet].append((-n, value))
    out = {}
    for name, pairs in found.items():
        pairs.sort()
        out[name] = {"values": [[v, -n] for n, v in pairs[:size]], "truncated": len(pairs) > size}
    return out
