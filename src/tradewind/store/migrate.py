"""Apply, reset and check the schema migrations, programmatically (no alembic.ini needed).

`check` and `current_revision` read the version table with plain SQL, so that every CLI command
can verify the schema without importing Alembic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tradewind.errors import DatabaseNotInitialized
from tradewind.store.database import Database
from tradewind.store.schema import metadata

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"
# The newest revision under migrations/versions; a test keeps the two in step.
SCHEMA_REVISION = "0002"


def _script() -> tuple[Any, Any]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config, ScriptDirectory.from_config(config)


def head_revision() -> str:
    """The newest revision the shipped migration scripts reach."""
    head = _script()[1].get_current_head()
    if head is None:
        raise DatabaseNotInitialized(f"no migration scripts found in {MIGRATIONS_DIR}: reinstall Tradewind")
    return str(head)


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None when it has never been migrated."""
    with db.read() as conn:
        if not sa.inspect(conn).has_table(VERSION_TABLE):
            return None
        return conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema up to `revision` (the newest by default), in one transaction."""
    from alembic.runtime.environment import EnvironmentContext

    config, script = _script()

    def steps(current: Any, _context: Any) -> Any:
        return script._upgrade_revs(revision, current)

    with db.write() as conn:
        with EnvironmentContext(config, script, fn=steps, destination_rev=revision) as env:
            env.configure(connection=conn, target_metadata=metadata, render_as_batch=db.is_sqlite,
                          version_table=VERSION_TABLE)
            env.run_migrations()


def reset(db: Database) -> None:
    """Drop every Tradewind table (and the migration marker), then migrate from scratch."""
    ours = {t.name for t in metadata.sorted_tables} | {VERSION_TABLE}
    with db.write() as conn:
        _reflect_existing(conn, ours).drop_all(conn)
    upgrade(db)


def _reflect_existing(conn: sa.Connection, names: set[str]) -> sa.MetaData:
    """The subset of `names` that exists in the database, reflected so that it can be dropped."""
    present = set(sa.inspect(conn).get_table_names()) & names
    reflected = sa.MetaData()
    reflected.reflect(conn, only=sorted(present))
    return reflected


def check(db: Database) -> str:
    """Return the current revision; raise DatabaseNotInitialized when the schema is missing or behind."""
    try:
        current = current_revision(db)
    except sa.exc.OperationalError as exc:
        raise DatabaseNotInitialized(f"cannot reach the metadata database {db!r}: {exc.orig}; check [database] "
                                     "sql_alchemy_conn, then run `airflow db init`") from None
    if current is None:
        raise DatabaseNotInitialized(
            f"the metadata database {db!r} has no schema: run `airflow db init` (or `airflow db migrate`)")
    if current != SCHEMA_REVISION:
        raise DatabaseNotInitialized(
            f"the metadata database {db!r} is at revision {current}, this Tradewind needs {SCHEMA_REVISION}: "
            "run `airflow db migrate`")
    return current
