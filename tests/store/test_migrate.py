"""Migrations: the migrated schema equals schema.metadata; check, reset and revisions behave."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tradewind.errors import DatabaseNotInitialized
from tradewind.store import migrate, variables
from tradewind.store.database import Database
from tradewind.store.schema import metadata


def test_migrated_schema_equals_metadata(db: Database) -> None:
    with db.read() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        assert compare_metadata(context, metadata) == []


def test_check_refuses_an_empty_database_then_passes_after_upgrade(db_url: str) -> None:
    database = Database(db_url)
    with pytest.raises(DatabaseNotInitialized, match="airflow db init"):
        migrate.check(database)
    assert migrate.current_revision(database) is None
    migrate.upgrade(database)
    assert migrate.check(database) == migrate.head_revision()
    migrate.upgrade(database)  # a second upgrade is a no-op
    assert migrate.current_revision(database) == migrate.head_revision()
    database.dispose()


def test_reset_drops_data_and_recreates_the_schema(db: Database) -> None:
    with db.write() as conn:
        variables.set_variable(conn, "k", "v")
    migrate.reset(db)
    with db.read() as conn:
        assert variables.get_variable(conn, "k") is None
        tables = set(sa.inspect(conn).get_table_names())
    assert {t.name for t in metadata.sorted_tables} <= tables
    assert migrate.check(db) == migrate.head_revision()


def test_migration_scripts_ship_as_package_files() -> None:
    scripts = sorted(p.name for p in (migrate.MIGRATIONS_DIR / "versions").glob("*.py"))
    assert "0001_initial.py" in scripts
    assert (migrate.MIGRATIONS_DIR / "__init__.py").exists()


def test_the_revision_check_uses_matches_the_newest_script() -> None:
    assert migrate.SCHEMA_REVISION == migrate.head_revision()


def test_a_database_behind_the_scripts_is_refused(db: Database) -> None:
    with db.write() as conn:
        conn.execute(sa.text(f"UPDATE {migrate.VERSION_TABLE} SET version_num = '0000'"))
    with pytest.raises(DatabaseNotInitialized, match="airflow db migrate"):
        migrate.check(db)


def test_a_database_at_the_first_revision_gets_the_callback_request_table(db_url: str) -> None:
    database = Database(db_url)
    migrate.upgrade(database, "0001")
    with database.read() as conn:
        assert "callback_request" not in sa.inspect(conn).get_table_names()
    with pytest.raises(DatabaseNotInitialized, match="airflow db migrate"):
        migrate.check(database)
    migrate.upgrade(database)
    with database.read() as conn:
        assert "callback_request" in sa.inspect(conn).get_table_names()
    assert migrate.check(database) == "0002"
    database.dispose()
