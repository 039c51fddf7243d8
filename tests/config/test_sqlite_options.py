"""The embedded profile's SQLite connection is set for concurrent writes (tests/config/test_concurrent_writes.py
shows why): WAL journal, a busy timeout, transactions that take the write lock when they begin."""

from django.db import connection


def test_sqlite_connections_use_wal_a_busy_timeout_and_immediate_transactions(db, settings):
    if connection.vendor != "sqlite":
        # The SQLite options are for SQLite alone: PostgreSQL would refuse them.
        assert "transaction_mode" not in settings.DATABASES["default"].get("OPTIONS", {})
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000  # milliseconds
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL: safe in WAL, without a disk flush at every commit
    assert connection.transaction_mode == "IMMEDIATE"
