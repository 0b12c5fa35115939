"""The metadata database as the commands open it: from the settings, refused when not migrated."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tradewind.config.settings import Settings
    from tradewind.store.database import Database


def checked_database(settings: "Settings") -> "Database":
    """The database of [database] sql_alchemy_conn; DatabaseNotInitialized (run `airflow db init`) without a schema."""
    from tradewind.store.database import Database
    from tradewind.store.migrate import check

    db = Database.from_settings(settings)
    check(db)
    return db
