"""Alembic environment: migrates the database the app is configured for.

Run through `flask --app wsgi db upgrade` (app/migrations.py), which passes the engine in.
"""

from alembic import context

from app import models  # noqa: F401  (registers the tables on Base.metadata)
from app.db import Base

config = context.config
connectable = config.attributes["connection"]

context.configure(
    connection=connectable,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite can only change a table by copying it
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
