"""reports from where they are published: web captures (WARC), feeds and their items, stories of
syndicated copies, page starts of PDF reports

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("retrieved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256", name="fk_captures_sha256_originals"),
                  nullable=False),
        sa.Column("report_id", sa.String(20), sa.ForeignKey("reports.id", name="fk_captures_report_id_reports")),
        sa.Column("warc", sa.LargeBinary(), nullable=False),
        sa.Column("warc_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_captures_report_id", "captures", ["report_id"])
    op.create_index("ix_captures_url", "captures", ["url"])
    op.create_table(
        "feeds",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("etag", sa.Text()),
        sa.Column("last_modified", sa.Text()),
        sa.Column("checked_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "feed_items",
        sa.Column("url", sa.Text(), primary_key=True),
        sa.Column("feed", sa.Text(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text()),
        sa.Column("report_id", sa.String(20)),
    )
    op.create_table(
        "stories",
        sa.Column("report_id", sa.String(20), sa.ForeignKey("reports.id", name="fk_stories_report_id_reports"),
                  primary_key=True),
        sa.Column("story_id", sa.String(20), nullable=False),
        sa.Column("signature", sa.LargeBinary()),
    )
    op.create_index("ix_stories_story_id", "stories", ["story_id"])
    op.create_table(
        "report_pages",
        sa.Column("report_id", sa.String(20), sa.ForeignKey("reports.id", name="fk_report_pages_report_id_reports"),
                  primary_key=True),
        sa.Column("starts", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_pages")
    op.drop_index("ix_stories_story_id", "stories")
    op.drop_table("stories")
    op.drop_table("feed_items")
    op.drop_table("feeds")
    op.drop_index("ix_captures_url", "captures")
    op.drop_index("ix_captures_report_id", "captures")
    op.drop_table("captures")
