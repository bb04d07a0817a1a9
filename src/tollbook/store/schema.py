"""The database schema, in SQLAlchemy Core. Migrations in ``migrations/`` build exactly this
(a test compares them). Only portable types are used, so SQLite and PostgreSQL both work.

Evidence lists are JSON columns holding ``[{"report_id", "start", "end", "quote"}, ...]``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# The bytes each report came from, kept unmodified (chain of custody).
originals = Table(
    "originals",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("name", Text, nullable=False),  # file name or "<stdin>" as first received
    Column("media_type", String(40), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", String(20), primary_key=True),  # "r" + first 16 hex digits of sha256
    Column("sha256", String(64), nullable=False, unique=True),  # of text, UTF-8
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("source", Text),
    Column("url", Text),
    Column("published", Date),
    Column("retrieved", DateTime(timezone=True)),
    Column("language", String(16)),
    Column("original_sha256", String(64), ForeignKey("originals.sha256"), nullable=False),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
    Column("extracted_with", Text),  # the extractor version that made its current events
    Index(None, "published"),
)

# Every time a report was submitted, from which original, where in it, and when.
custody = Table(
    "custody",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(20), ForeignKey("reports.id"), nullable=False),
    Column("original_sha256", String(64), ForeignKey("originals.sha256"), nullable=False),
    Column("origin", Text, nullable=False),  # path as given, e.g. "reports/a.jsonl"
    Column("locator", Text),  # "line 4", "row 2"
    Column("external_id", Text),  # the record's own id in a batch
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("duplicate", Boolean, nullable=False),  # the text was already stored
    Index(None, "report_id"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", String(20), ForeignKey("reports.id"), nullable=False),
    Column("idx", Integer, nullable=False),  # order within the report's extraction
    Column("extractor", Text, nullable=False),  # version that made it
    Column("current", Boolean, nullable=False),  # False once a newer extraction replaced it
    Column("role", String(16), nullable=False),
    Column("type", String(40), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("rule", Text, nullable=False, server_default=""),  # the rule that chose the type (0005)
    Index(None, "report_id", "current"),
)

figures = Table(
    "figures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("low", Integer),
    Column("high", Integer),
    Column("qualifier", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("rule", Text, nullable=False, server_default=""),  # the rule that read it (0005)
    Column("who", String(24), nullable=False, server_default=""),  # civilians, security forces... (0005)
    Column("basis", String(8), nullable=False, server_default=""),  # "shot": hit, fate not told (0010)
    Index(None, "event_id"),
)

places = Table(
    "places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("country", Text),
    Column("country_code", String(2)),
    Column("admin1", Text),
    Column("admin2", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(16), nullable=False),
    Column("gazetteer_id", Text),
    Column("ambiguous", Boolean, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("city", Text),  # the city the place is or lies in (migration 0002)
    Column("rule", Text, nullable=False, server_default=""),  # (0005)
    Index(None, "event_id"),
)

dates = Table(
    "dates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("earliest", Date, nullable=False),
    Column("latest", Date, nullable=False),
    Column("precision", String(8), nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("rule", Text, nullable=False, server_default=""),  # (0005)
    Index(None, "event_id"),
)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("attributed_to", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("rule", Text, nullable=False, server_default=""),  # (0005)
    Index(None, "event_id"),
)

flags = Table(
    "flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Integer, ForeignKey("events.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("message", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("rule", Text, nullable=False, server_default=""),  # (0005)
    Index(None, "event_id"),
)

# One row per command that wrote to the store (ingest, extract, ...), for provenance.
runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("command", Text, nullable=False),
    Column("extractor", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("added", Integer),
    Column("duplicates", Integer),
    Column("failed", Integer),
)

# The review log: every decision a person takes on the record (merge, split, move, correct),
# with who, when and why. Append-only: rows are never updated or deleted (migration 0003).
reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("editor", Text, nullable=False),
    Column("action", String(20), nullable=False),
    Column("target", JSON, nullable=False),
    Column("reason", Text, nullable=False),
)

# -- the incident index (migration 0004) --------------------------------------------------------
# Incidents are computed from events and the review log (reconcile/); this table keeps the last
# computation, one row per incident with the columns the HTTP API filters and sorts on, so that
# listing 100k incidents does not regroup everything on each request. It is a cache: dropping it
# loses nothing, `Tollbook.refresh_index()` rebuilds it (``meta.index_state`` says from what).
incident_index = Table(
    "incident_index",
    metadata,
    # an integer key the FTS5 table shares as its rowid (a VACUUM keeps declared keys, unlike bare rowids)
    Column("n", Integer, primary_key=True, autoincrement=True),
    Column("id", String(16), nullable=False, unique=True),
    Column("type", String(40), nullable=False),
    Column("earliest", Date),
    Column("latest", Date),
    Column("country", Text),
    Column("country_code", String(2)),
    Column("admin1", Text),
    Column("city", Text),
    Column("place", Text),
    Column("country_key", Text),  # lower case: case-insensitive filters that still use an index
    Column("admin1_key", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("precision", String(16)),
    Column("killed_low", Integer),
    Column("killed_best", Integer),
    Column("killed_high", Integer),
    Column("injured_low", Integer),
    Column("injured_best", Integer),
    Column("injured_high", Integer),
    Column("abducted_best", Integer),
    Column("reports", Integer, nullable=False),
    Column("sources", Integer, nullable=False),
    Column("actors", Text, nullable=False),  # perpetrator claims, lower case, for the actor filter
    Column("flags", Integer, nullable=False),
    Index(None, "latest", "id"),  # covers deep pages: OFFSET walks the index, not the rows
    Index(None, "earliest", "killed_best"),  # covers the timeline
    Index(None, "country_key"),
    Index(None, "country_code"),
    Index(None, "admin1_key"),
    Index(None, "killed_best"),
    Index(None, "lat", "lon"),
    Index(None, "type"),
)

# The map's points (id, place, lat/lon, killed, date, type), biggest tolls first, read from the index
# alone: for all incidents and for one country (the map of a country of 15,000 incidents would
# otherwise fetch every row from all over the table and sort them).
MAP_COLUMNS = ("id", "lat", "lon", "place", "earliest", "type")
Index("ix_incident_index_map", incident_index.c.killed_best.desc(), *MAP_COLUMNS)
Index("ix_incident_index_map_country", incident_index.c.country_key, incident_index.c.killed_best.desc(),
      *MAP_COLUMNS)

# Facet values of each indexed incident, one row per value (an incident has one country but may have
# several perpetrator claims, flag kinds and sources): facet counts are one GROUP BY each, and the
# key (facet, value, n) covers them. ``n`` is incident_index.n. Part of the index (a cache).
incident_facets = Table(
    "incident_facets",
    metadata,
    Column("facet", String(16), primary_key=True),  # country, admin1, type, claim, flag, source
    Column("value", Text, primary_key=True),
    Column("n", Integer, primary_key=True),
    Index(None, "n"),
    sqlite_with_rowid=False,
)

# The whole record of each indexed incident, apart from the filter columns so that scans over
# those stay small (a page holds many rows) and big records are read only when shown.
incident_docs = Table(
    "incident_docs",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("digest", String(40), nullable=False),  # of ``data``: rows are rewritten only when it changes
    Column("data", JSON, nullable=False),  # Incident.to_dict() plus the export summary
)

incident_reports = Table(
    "incident_reports",
    metadata,
    Column("incident_id", String(16), primary_key=True),
    Column("report_id", String(20), primary_key=True),
    Index(None, "report_id"),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# -- editors (migration 0004) ---------------------------------------------------------------------
# The web site is read-only unless a person logs in as an editor (password hashed with Argon2id)
# or calls the API with a token; only SHA-256 digests of tokens and session ids are stored.
editors = Table(
    "editors",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("editor", String(80), ForeignKey("editors.name"), nullable=False),
    Column("label", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("editor", String(80), ForeignKey("editors.name"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# -- reports from where they are published (migration 0008) ----------------------------------------
# Each page fetched from the web: the URL asked for and the final one after redirects, when, the
# SHA-256 of the body (its bytes are the report's original) and the HTTP exchanges as WARC records.
captures = Table(
    "captures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False),
    Column("final_url", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("retrieved_at", DateTime(timezone=True), nullable=False),
    Column("sha256", String(64), ForeignKey("originals.sha256"), nullable=False),  # of the body
    Column("report_id", String(20), ForeignKey("reports.id")),  # None: nothing stored (not a report)
    Column("warc", LargeBinary, nullable=False),  # gzipped WARC/1.1 request and response records
    Column("warc_sha256", String(64), nullable=False),
    Index(None, "report_id"),
    Index(None, "url"),
)

# The feeds `tollbook watch` polls, with the validators of their last answer (conditional requests).
feeds = Table(
    "feeds",
    metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("checked_at", DateTime(timezone=True)),
)

# Every item a feed listed, once: what became of it (stored, duplicate, failed, disallowed).
feed_items = Table(
    "feed_items",
    metadata,
    Column("url", Text, primary_key=True),  # the item's link
    Column("feed", Text, nullable=False),
    Column("first_seen", DateTime(timezone=True), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("reason", Text),
    Column("report_id", String(20)),
)

# Syndicated copies: each report's MinHash signature and the story it belongs to (the id of the
# first stored report of its near-duplicates; a report alone is its own story).
stories = Table(
    "stories",
    metadata,
    Column("report_id", String(20), ForeignKey("reports.id"), primary_key=True),
    Column("story_id", String(20), nullable=False),
    Column("signature", LargeBinary),  # None: too short to compare
    Index(None, "story_id"),
)

# Where each page of a report read from a PDF starts in its text (character offsets).
report_pages = Table(
    "report_pages",
    metadata,
    Column("report_id", String(20), ForeignKey("reports.id"), primary_key=True),
    Column("starts", JSON, nullable=False),
)
