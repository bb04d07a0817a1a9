"""incident index, report full-text search, editors, API tokens and sessions

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_index",
        sa.Column("n", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(16), nullable=False, unique=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("earliest", sa.Date()),
        sa.Column("latest", sa.Date()),
        sa.Column("country", sa.Text()),
        sa.Column("country_code", sa.String(2)),
        sa.Column("admin1", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("place", sa.Text()),
        sa.Column("country_key", sa.Text()),
        sa.Column("admin1_key", sa.Text()),
        sa.Column("lat", sa.Float()),
        sa.Column("lon", sa.Float()),
        sa.Column("precision", sa.String(16)),
        sa.Column("killed_low", sa.Integer()),
        sa.Column("killed_best", sa.Integer()),
        sa.Column("killed_high", sa.Integer()),
        sa.Column("injured_low", sa.Integer()),
        sa.Column("injured_best", sa.Integer()),
        sa.Column("injured_high", sa.Integer()),
        sa.Column("abducted_best", sa.Integer()),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("actors", sa.Text(), nullable=False),
        sa.Column("flags", sa.Integer(), nullable=False),
    )
    for cols in (["latest", "id"], ["earliest", "killed_best"], ["country_key"], ["country_code"], ["admin1_key"],
                 ["killed_best"], ["lat", "lon"], ["type"]):
        op.create_index("ix_incident_index_" + "_".join(cols), "incident_index", cols)
    op.create_table(
        "incident_docs",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("digest", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_table(
        "incident_reports",
        sa.Column("incident_id", sa.String(16), primary_key=True),
        sa.Column("report_id", sa.String(20), primary_key=True),
    )
    op.create_index("ix_incident_reports_report_id", "incident_reports", ["report_id"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "editors",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("editor", sa.String(80), sa.ForeignKey("editors.name"), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("editor", sa.String(80), sa.ForeignKey("editors.name"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Full-text search over report titles and texts (SQLite's FTS5; PostgreSQL falls back to ILIKE).
        op.execute("CREATE VIRTUAL TABLE report_fts USING fts5("
                   "report_id UNINDEXED, title, text, tokenize='unicode61 remove_diacritics 2')")
        op.execute("INSERT INTO report_fts (report_id, title, text) SELECT id, coalesce(title, ''), text FROM reports")
        # the incident index's place names and perpetrator claims, for word-prefix filters
        op.execute("CREATE VIRTUAL TABLE incident_fts USING fts5("
                   "incident_id UNINDEXED, place, actors, tokenize='unicode61 remove_diacritics 2')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE report_fts")
        op.execute("DROP TABLE incident_fts")
    for name in ("sessions", "api_tokens", "editors", "meta", "incident_reports", "incident_docs", "incident_index"):
        op.drop_table(name)
