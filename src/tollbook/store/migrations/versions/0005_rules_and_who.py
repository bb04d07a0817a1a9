"""the rule that read each value (events, figures, places, dates, actors, flags); figures.who

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("events", "figures", "places", "dates", "actors", "flags")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("rule", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("who", sa.String(24), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("who")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("rule")
