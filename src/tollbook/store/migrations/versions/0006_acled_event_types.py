"""events.type: tollbook's old vocabulary rewritten as ACLED's sub-event types

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Written out here, not imported from records.py: a migration must keep doing what it did when it
# was written, whatever the vocabulary becomes later.
LEGACY = {
    "armed attack": "Attack",
    "bombing": "Remote explosive/landmine/IED",
    "shelling/airstrike": "Shelling/artillery/missile attack",
    "mass killing": "Attack",
    "abduction": "Abduction/forced disappearance",
    "arson": "Looting/property destruction",
    "armed clash": "Armed clash",
    "other violence": "Attack",
}
# The way back: each new type to the old name that covers it (the other new types have no old name).
BACK = {
    "Attack": "armed attack", "Remote explosive/landmine/IED": "bombing", "Suicide bomb": "bombing",
    "Grenade": "bombing", "Shelling/artillery/missile attack": "shelling/airstrike",
    "Air/drone strike": "shelling/airstrike", "Abduction/forced disappearance": "abduction",
    "Looting/property destruction": "arson", "Armed clash": "armed clash",
    "Government regains territory": "armed clash", "Non-state actor overtakes territory": "armed clash",
}
# incident_index is a cache of the incidents (rebuilt by refresh_index); its types are kept in step.
TABLES = ("events", "incident_index")


def _rewrite(mapping: dict[str, str], default: str | None) -> None:
    conn = op.get_bind()
    tables = set(sa.inspect(conn).get_table_names())
    for table in TABLES:
        if table not in tables:
            continue
        for old, new in mapping.items():
            conn.execute(sa.text(f"UPDATE {table} SET type = :new WHERE type = :old"), {"new": new, "old": old})
        if default is not None:
            known = sorted(set(mapping.values()))
            marks = ", ".join(f":k{i}" for i in range(len(known)))
            conn.execute(sa.text(f"UPDATE {table} SET type = :d WHERE type NOT IN ({marks})"),
                         {"d": default, **{f"k{i}": k for i, k in enumerate(known)}})


def upgrade() -> None:
    _rewrite(LEGACY, None)


def downgrade() -> None:
    # the old vocabulary had no name for a protest, an arrest or a disaster: "other violence"
    _rewrite(BACK, "other violence")
