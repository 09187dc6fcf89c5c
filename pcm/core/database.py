"""Database upkeep that keeps query plans good on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.db import connection


def refresh_statistics(*, full: bool = False) -> str:
    """Give the query planner fresh table statistics; return what was done.

    Without statistics SQLite picks the agency-wide index for a caseworker's list and scans
    every case of the agency (measured: 30 ms instead of 6 ms at 200 000 cases). A full
    ANALYZE runs when asked or when no statistics exist yet; otherwise SQLite's own
    `PRAGMA optimize` decides what is worth re-analysing.
    """
    with connection.cursor() as cursor:
        if connection.vendor != "sqlite":
            cursor.execute("ANALYZE")
            return "ANALYZE"
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        has_statistics = cursor.fetchone()[0] > 0
        if full or not has_statistics:
            cursor.execute("ANALYZE")
            return "ANALYZE"
        cursor.execute("PRAGMA optimize")
        return "PRAGMA optimize"
