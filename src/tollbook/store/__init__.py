"""Store: reports, their original bytes, chain of custody and extracted events.

SQLAlchemy Core over SQLite by default (one file); the schema is kept by Alembic
migrations so that PostgreSQL can be added without a rewrite.
"""

from tollbook.store.db import Store, database_url

__all__ = ["Store", "database_url"]
