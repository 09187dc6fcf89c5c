"""Database upkeep: fresh planner statistics keep list pages on their indexes."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import connection


def test_optimize_database_gives_the_planner_statistics(db):
    out = StringIO()
    call_command("optimize_database", stdout=out)
    assert "Database statistics refreshed" in out.getvalue()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
        call_command("optimize_database", stdout=out)
        assert "PRAGMA optimize" in out.getvalue()
