"""Alembic migrations of the metadata database, run programmatically by tradewind.store.migrate."""
