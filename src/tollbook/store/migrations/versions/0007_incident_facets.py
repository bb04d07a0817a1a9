"""incident_facets: each indexed incident's facet values (country, admin1, type, claim, flag, source)

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_facets",
        sa.Column("facet", sa.String(16), primary_key=True),
        sa.Column("value", sa.Text(), primary_key=True),
        sa.Column("n", sa.Integer(), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_incident_facets_n", "incident_facets", ["n"])
    # The incident index is a cache: empty it so that the next refresh writes every incident again,
    # facet values included.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DELETE FROM incident_fts")
    for table in ("incident_reports", "incident_docs", "incident_index"):
        op.execute(f"DELETE FROM {table}")
    op.execute("DELETE FROM meta WHERE key = 'index_state'")


def downgrade() -> None:
    op.drop_index("ix_incident_facets_n", "incident_facets")
    op.drop_table("incident_facets")
