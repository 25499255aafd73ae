"""Alembic environment for docstore.

Used both by docstore (which passes an open connection in `config.attributes`) and by
plain `alembic` commands from a checkout (database from `-x db=...`, $DOCSTORE_DB or
./docstore.db).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from docstore.db import make_engine, resolve_url
from docstore.migrate import include_name
from docstore.models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_offline() -> None:
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    context.configure(
        url=url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    engine = make_engine(url)
    with engine.begin() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
