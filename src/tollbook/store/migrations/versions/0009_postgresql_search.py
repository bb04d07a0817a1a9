"""PostgreSQL: full-text search (tsvector under GIN indexes) and sort indexes that put NULLs where
SQLite does; nothing on SQLite (its FTS5 tables are migration 0004's)

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The text search configuration: PostgreSQL's parser, every word lower-cased and (where the
# ``unaccent`` extension is installed) stripped of its diacritics, no stemming and no stop words:
# what FTS5's ``unicode61 remove_diacritics 2`` tokenizer does on SQLite. The expressions are
# written out here, not imported: a migration keeps doing what it did when it was written, and the
# queries in store/index.py use the same text (an expression index is used only by that expression).
# ASCII punctuation becomes spaces before the parser reads a text: PostgreSQL's parser would keep
# "3.5", e-mail addresses, host names and URLs as single tokens and shift the positions of words
# after a hyphenated one; FTS5 cuts all of them into words, and so does this.
CONFIG = "tollbook_words"
PUNCTUATION = '\'!"#$%&\'\'()*+,-./:;<=>?@[\\]^_`{|}~\''
SPACES = "'                                '"


def _doc(text: str) -> str:
    return f"to_tsvector('tollbook_words'::regconfig, translate({text}, {PUNCTUATION}, {SPACES}))"


REPORT_DOC = _doc("coalesce(title, '') || ' ' || text")
PLACE_DOC = _doc("coalesce(place, '') || ' ' || coalesce(city, '') || ' ' || coalesce(admin1, '')")
ACTORS_DOC = _doc("actors")

# SQLite sorts NULLs first going up and last going down; PostgreSQL the other way round. The queries
# say NULLS FIRST / LAST on PostgreSQL (store/index.py), and these indexes follow them, so a page of
# the list and the map's biggest tolls are read from an index there too.
SORT_INDEXES = {
    "ix_incident_index_pg_latest": "latest DESC NULLS LAST, id DESC",
    "ix_incident_index_pg_earliest": "earliest ASC NULLS FIRST, id",
    "ix_incident_index_pg_killed": "killed_best DESC NULLS LAST, id",
    "ix_incident_index_pg_map": "killed_best DESC NULLS LAST, id, lat, lon, place, earliest, type",
    "ix_incident_index_pg_map_country": "country_key, killed_best DESC NULLS LAST, id, lat, lon, place, earliest, type",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    conn = op.get_bind()
    unaccent = conn.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'").first() is not None
    if unaccent:
        # a trusted extension: the database's owner may create it without being a superuser
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
    if unaccent:
        op.execute(f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word "
                   "WITH unaccent, simple")
    op.execute(f"CREATE INDEX ix_reports_words ON reports USING gin (({REPORT_DOC}))")
    op.execute(f"CREATE INDEX ix_incident_index_place_words ON incident_index USING gin (({PLACE_DOC}))")
    op.execute(f"CREATE INDEX ix_incident_index_actors_words ON incident_index USING gin (({ACTORS_DOC}))")
    for name, columns in SORT_INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON incident_index ({columns})")
    # the map indexes of 0007 sort NULLs first on PostgreSQL: replaced by the two above
    op.drop_index("ix_incident_index_map", "incident_index")
    op.drop_index("ix_incident_index_map_country", "incident_index")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    import sqlalchemy as sa

    cols = ["id", "lat", "lon", "place", "earliest", "type"]
    op.create_index("ix_incident_index_map", "incident_index", [sa.text("killed_best DESC"), *cols])
    op.create_index("ix_incident_index_map_country", "incident_index",
                    ["country_key", sa.text("killed_best DESC"), *cols])
    for name in SORT_INDEXES:
        op.drop_index(name, "incident_index")
    for name, table in (("ix_reports_words", "reports"), ("ix_incident_index_place_words", "incident_index"),
                        ("ix_incident_index_actors_words", "incident_index")):
        op.drop_index(name, table)
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIG}")
