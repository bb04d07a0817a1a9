"""Alembic environment: uses the connection tollbook passes in, or ``sqlalchemy.url``
from an alembic.ini when a developer runs ``alembic`` by hand."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from tollbook.store.schema import metadata


def run(connection) -> None:
    # Batch mode lets ALTER TABLE migrations work on SQLite too.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = engine_from_config(
        context.config.get_section(context.config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        run(conn)
        conn.commit()
