"""Schema migrations with Alembic, run in-process when a store is opened.

A new database is built by the migrations (not by ``create_all``), so the path every user's
database takes is the one that is tested. A database made by a newer tollbook is refused.

Atomic and race-free on SQLite: the Python driver commits DDL on its own even inside
``engine.begin()``, so a kill in the middle of a migration used to leave a store half made
("table originals already exists" on every later open). Here the migrations run on a connection
whose driver-level transaction handling is switched off (SQLAlchemy's documented pysqlite
recipe) inside one ``BEGIN IMMEDIATE`` ... ``COMMIT``: SQLite's DDL is transactional, so the
creation or the upgrade lands whole or not at all. ``BEGIN IMMEDIATE`` takes the database's
write lock, so processes that open a new store at the same time wait for one another, and each
checks the revision again once it holds the lock.

On PostgreSQL DDL is transactional as it is: the migrations run in one transaction that first
takes a transaction-level advisory lock (``pg_advisory_xact_lock``), so that processes opening a
new store at the same time wait for one another, and each checks the revision again once it holds
the lock (as on SQLite). The lock goes with the transaction's end, commit, rollback or a lost client.

A store left half made by an older tollbook (tables of the next revision created, its revision
not recorded) is repaired on open: objects the recorded revision does not have are dropped
before the migrations run again (see ``_repair``).
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

from tollbook.errors import StoreError

SCRIPT_LOCATION = "tollbook.store:migrations"
# How long an open waits for another process that is creating or upgrading the same store.
LOCK_WAIT_SECONDS = 300
_TMP_PREFIX = "_alembic_tmp_"  # tables Alembic's batch mode builds aside on SQLite
# The PostgreSQL advisory lock key of schema changes (any constant; "tollbook" in ASCII, as a bigint).
MIGRATION_LOCK = 0x746F6C6C626F6F6B


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op when it is there already."""
    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    known = {rev.revision for rev in script.walk_revisions()}
    current = current_revision(engine)
    if current == head:
        return
    _refuse_newer(current, known)
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:  # transactional DDL where the database has it (PostgreSQL)
            if engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'")
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                current = MigrationContext.configure(conn).get_current_revision()
                if current == head:
                    return  # another process made or upgraded it while this one waited
                _refuse_newer(current, known)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return
    locked = _sqlite_ddl_engine(engine)
    try:
        with locked.begin() as conn:  # BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error
            current = MigrationContext.configure(conn).get_current_revision()
            if current == head:
                return  # another process made or upgraded it while this one waited
            _refuse_newer(current, known)
            _repair(conn, current)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if bad:  # raising here rolls the whole upgrade back
                raise StoreError(f"the upgrade would break {len(bad)} references between tables; nothing was changed")
    finally:
        locked.dispose()


def _refuse_newer(current: str | None, known: set[str]) -> None:
    if current is not None and current not in known:
        raise StoreError(
            f"the database has schema revision {current}, made by a newer tollbook; upgrade tollbook to open it"
        )


def _sqlite_ddl_engine(engine: Engine) -> Engine:
    """An engine on the same file whose transactions are real SQLite transactions, DDL included."""
    ddl = create_engine(engine.url, future=True)

    @event.listens_for(ddl, "connect")
    def _connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
        dbapi_conn.isolation_level = None  # the driver no longer begins or commits on its own
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT_SECONDS * 1000}")
        cur.execute("PRAGMA foreign_keys=OFF")  # batch mode copies tables; checked once at the end
        cur.close()

    @event.listens_for(ddl, "begin")
    def _begin(conn) -> None:  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return ddl


def _objects(conn) -> dict[str, dict]:  # noqa: ANN001
    """Tables (with their columns) and indexes of a SQLite database, by name."""
    out: dict[str, dict] = {}
    rows = conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name, table, sql in rows:
        entry = {"type": kind, "table": table, "virtual": bool(sql and sql.upper().startswith("CREATE VIRTUAL"))}
        if kind == "table":
            entry["columns"] = [r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{name}")')]
        out[name] = entry
    return out


def _expected(revision: str | None) -> dict[str, dict]:
    """The objects a store at ``revision`` has, from the migrations run on an empty database."""
    if revision is None:
        return {}
    ref = create_engine("sqlite://", future=True)
    try:
        with ref.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            return _objects(conn)
    finally:
        ref.dispose()


def _repair(conn, revision: str | None) -> None:  # noqa: ANN001
    """Drop what a killed older tollbook left of the next migration, so that it can run again.

    Only objects the recorded revision does not have are touched: tables and indexes made by a
    later migration, columns a later migration added, and batch mode's temporary tables. A store
    without a recorded revision is only rebuilt when it holds no report."""
    have = _objects(conn)
    if not have:
        return
    want = _expected(revision)
    if revision is None and "reports" in have and conn.exec_driver_sql("SELECT 1 FROM reports LIMIT 1").first():
        raise StoreError("the database holds reports but no schema revision; it was not made by tollbook "
                         "or its version table was removed")
    # virtual tables first: dropping one drops its shadow tables
    for name in sorted(have, key=lambda n: not have[n]["virtual"]):
        if name == "alembic_version" or name in want:
            continue
        entry = have[name]
        if entry["type"] == "table" and name not in _objects(conn):
            continue  # a shadow table already gone with its virtual table
        if entry["type"] == "table":
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
        elif entry["type"] == "index" and not name.startswith(_TMP_PREFIX):
            conn.exec_driver_sql(f'DROP INDEX IF EXISTS "{name}"')
        elif entry["type"] in ("view", "trigger"):
            conn.exec_driver_sql(f'DROP {entry["type"].upper()} IF EXISTS "{name}"')
    for name, entry in want.items():
        if entry["type"] != "table" or entry["virtual"] or name not in have:
            continue
        for column in have[name].get("columns", []):
            if column not in entry["columns"]:
                conn.exec_driver_sql(f'ALTER TABLE "{name}" DROP COLUMN "{column}"')
