"""PostgreSQL: full-text search (generated tsvector columns under GIN indexes) and sort indexes that
put NULLs where SQLite does; nothing on SQLite (its FTS5 tables are migration 0004's)

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
# what FTS5's ``unicode61 remove_diacritics 2`` tokenizer does on SQLite. ASCII punctuation becomes
# spaces before the parser reads a text: it would keep "3.5", e-mail addresses, host names and URLs
# as single tokens and shift the positions of words after a hyphenated one; FTS5 cuts all of them
# into words, and so does this. The words are kept in generated columns (computed by the database
# on every insert and update, so no code keeps them in step), which the queries of store/index.py
# match; the columns are not in schema.py, so nothing else reads or writes them.
CONFIG = "tollbook_words"
PUNCTUATION = '\'!"#$%&\'\'()*+,-./:;<=>?@[\\]^_`{|}~\''
SPACES = "'                                '"


def _words(text: str) -> str:
    return f"to_tsvector('tollbook_words'::regconfig, translate({text}, {PUNCTUATION}, {SPACES}))"


WORD_COLUMNS = {  # (table, column): the text it holds the words of
    ("reports", "words"): "coalesce(title, '') || ' ' || text",
    ("incident_index", "place_words"): "coalesce(place, '') || ' ' || coalesce(city, '') || ' ' || coalesce(admin1, '')",
    ("incident_index", "actor_words"): "actors",
}

# SQLite sorts NULLs first going up and last going down; PostgreSQL the other way round. The queries
# say NULLS FIRST / LAST on PostgreSQL (store/index.py), and these indexes follow them, so a page of
# the list and the map's biggest tolls are read from an index there too.
SORT_INDEXES = {
    # INCLUDE (n): a page of the unfiltered list is read from the index alone (as SQLite's, which
    # holds the rowid n), not from 20,000 table rows for the 400th page
    "ix_incident_index_pg_latest": "latest DESC NULLS LAST, id DESC) INCLUDE (n",
    "ix_incident_index_pg_earliest": "earliest ASC NULLS FIRST, id) INCLUDE (n",
    "ix_incident_index_pg_killed": "killed_best DESC NULLS LAST, id) INCLUDE (n",
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
    for (table, column), text in WORD_COLUMNS.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} tsvector GENERATED ALWAYS AS ({_words(text)}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} USING gin ({column})")
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
    for table, column in WORD_COLUMNS:
        op.drop_index(f"ix_{table}_{column}", table)
        op.drop_column(table, column)
    op.execute(f"DROP TEXT SEARCH CONFIGURATION {CONFIG}")
