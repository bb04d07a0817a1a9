"""Metadata that opens a store in Datasette described: tables, columns, facets, hidden parts.

    tollbook datasette-metadata --db cases.db > metadata.json
    datasette cases.db --metadata metadata.json

Datasette keys a database's metadata by its name (the file name without ``.db``), so the file is
made for one store. The editors' tables (password hashes, token and session digests) are denied
to every Datasette visitor; the full-text tables' internals are hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TABLES: dict[str, dict[str, Any]] = {
    "reports": {
        "description": "One row per news report: its text exactly as stored (evidence offsets point into it), "
                       "title, outlet (source), URL and publication date.",
        "facets": ["source", "language"], "sortable_columns": ["published", "ingested_at"], "label_column": "title",
    },
    "originals": {"description": "The bytes each report was read from (HTML, PDF, text), by SHA-256.", "hidden": True},
    "custody": {"description": "Where each report came from and when: a chain of custody, one row per arrival.",
                "facets": ["origin", "duplicate"]},
    "events": {
        "description": "What one report says happened: one row per event and extraction run (current = the "
                       "newest run's). Its figures, places, dates, actors and flags point at it.",
        "facets": ["type", "current", "rule"],
    },
    "figures": {
        "description": "Counts read from a report (killed, injured, abducted, ...) as low/high with the "
                       "qualifier and the evidence span; who says whose dead they are.",
        "facets": ["kind", "qualifier", "who", "rule"],
    },
    "places": {"description": "Where, as geocoded from the report, with precision and the evidence span.",
               "facets": ["country", "admin1", "precision", "rule"]},
    "dates": {"description": "When, as a day range with its precision and the evidence span.",
              "facets": ["precision", "rule"]},
    "actors": {"description": "Perpetrators (claims as reported, hedged or not, and by whom), victims, targets "
                              "and weapons.", "facets": ["role", "kind", "hedged", "rule"]},
    "flags": {"description": "Contradictions and doubts within a report, with the evidence on each side.",
              "facets": ["kind", "rule"]},
    "runs": {"description": "Each ingest or extraction run: when, which extractor, how many reports."},
    "reviews": {"description": "The append-only review log: every editor's correction, merge, split and move.",
                "facets": ["editor", "action"], "sortable_columns": ["at"]},
    "incident_index": {
        "description": "The incidents as last computed (reports grouped and reconciled): one row each, with "
                       "the best killed figure and its low-high range. A cache: `tollbook serve` rebuilds it.",
        "facets": ["country", "admin1", "type", "precision"],
        "sortable_columns": ["earliest", "latest", "killed_best", "injured_best", "reports", "sources", "flags"],
        "label_column": "place",
        "columns": {
            "earliest": "first possible day of the incident", "latest": "last possible day",
            "killed_low": "smallest killed count any report gives", "killed_best": "the latest report's count",
            "killed_high": "largest count any report gives (empty: open-ended)",
            "reports": "reports behind the incident", "sources": "distinct outlets",
            "actors": "perpetrator claims as reported, lower case", "flags": "number of flags",
            "precision": "how precisely the place is known",
        },
    },
    "incident_facets": {
        "description": "Each incident's facet values, one row per value (country, admin1, type, claim, flag, "
                       "source); n is incident_index.n.",
        "facets": ["facet"],
    },
    "incident_docs": {"description": "Each incident's full record as JSON (figures, history, flags).",
                      "hidden": True},
    "incident_reports": {"description": "Which reports each incident is made of.", "hidden": True},
    "meta": {"description": "The store's own bookkeeping (the index's state).", "hidden": True},
    # reports from the web (tollbook fetch / watch, migration 0008)
    "captures": {"description": "Each web page fetched: the URL asked for, the final URL, the HTTP status, when, "
                                "the body's SHA-256 and the exchange as gzipped WARC records.",
                 "facets": ["status"], "sortable_columns": ["retrieved_at"], "columns": {"warc": "gzipped WARC/1.1"}},
    "feeds": {"description": "The feeds watched, with their ETag and Last-Modified for conditional requests."},
    "feed_items": {"description": "Every feed item seen, what became of it (stored, failed, disallowed) and why.",
                   "facets": ["feed", "outcome"], "sortable_columns": ["first_seen"]},
    "stories": {"description": "Syndicated copies: the story each report belongs to (copies of one wire story "
                               "share a story_id).", "facets": ["story_id"]},
    "report_pages": {"description": "Where each page of a PDF report starts in its text.", "hidden": True},
    # password hashes and digests of tokens and sessions: no Datasette visitor may read them
    "editors": {"description": "Editors' accounts.", "allow": False, "hidden": True},
    "api_tokens": {"description": "Digests of API tokens.", "allow": False, "hidden": True},
    "sessions": {"description": "Digests of login sessions.", "allow": False, "hidden": True},
}
# SQLite's full-text tables and their shadow tables
FTS = ("report_fts", "incident_fts")


def metadata_of(store) -> dict[str, Any]:
    """``metadata`` for an open store; a StoreError unless it is a SQLite file (what Datasette opens)."""
    from tollbook.errors import StoreError

    path = store.engine.url.database
    if store.engine.dialect.name != "sqlite" or not path or path == ":memory:":
        raise StoreError(f"Datasette opens SQLite files; this store is {store.engine.url.render_as_string()}")
    return metadata(path)


def metadata(db: str | Path) -> dict[str, Any]:
    """Datasette's metadata for the store at ``db`` (a path: its name keys the metadata)."""
    name = Path(db).stem
    tables = {t: dict(v) for t, v in TABLES.items()}
    for fts in FTS:
        tables[fts] = {"hidden": True}
        for part in ("config", "content", "data", "docsize", "idx"):
            tables[f"{fts}_{part}"] = {"hidden": True}
    tables["alembic_version"] = {"hidden": True}
    return {
        "title": "tollbook",
        "description": "Incidents reconciled from news reports, each value with its evidence. Figures are "
                       "machine readings of the reports; perpetrators are claims, as reported.",
        "databases": {name: {"tables": tables}},
    }
