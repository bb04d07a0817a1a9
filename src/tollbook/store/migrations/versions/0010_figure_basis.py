"""figures.basis: what a figure counts the people by ("shot": hit, their fate not told), a field
reconciliation computes with instead of reading the note written for people

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.add_column(sa.Column("basis", sa.String(8), nullable=False, server_default=""))
    # figures stored before: the note said it ("shot", "shot, 1 of them killed")
    op.execute("UPDATE figures SET basis = 'shot' WHERE kind = 'injured' AND (note = 'shot' OR note LIKE 'shot, %')")


def downgrade() -> None:
    with op.batch_alter_table("figures") as batch:
        batch.drop_column("basis")
