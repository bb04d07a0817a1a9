"""incident_facets: each indexed incident's facet values (country, admin1, type, claim, flag, source);
covering indexes for the map's points

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
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
    # the map's points biggest tolls first, for all incidents and for one country, from the index alone
    cols = ["id", "lat", "lon", "place", "earliest", "type"]
    op.create_index("ix_incident_index_map", "incident_index", [sa.text("killed_best DESC"), *cols])
    op.create_index("ix_incident_index_map_country", "incident_index",
                    ["country_key", sa.text("killed_best DESC"), *cols])
    # The incident index is a cache: empty it so that the next refresh writes every incident again,
    # facet values included.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DELETE FROM incident_fts")
    for table in ("incident_reports", "incident_docs", "incident_index"):
        op.execute(f"DELETE FROM {table}")
    op.execute("DELETE FROM meta WHERE key = 'index_state'")


def downgrade() -> None:
    op.drop_index("ix_incident_index_map_country", "incident_index")
    op.drop_index("ix_incident_index_map", "incident_index")
    op.drop_index("ix_incident_facets_n", "incident_facets")
    op.drop_table("incident_facets")
