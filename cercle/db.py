"""Database upkeep that no single app owns."""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    """Give SQLite's query planner table statistics (ANALYZE), bounded so it stays quick.

    Without them SQLite guesses, and e.g. the member search scans every profile through the
    discoverability index instead of starting from the few rows its text index found.
    PostgreSQL's autovacuum keeps its own statistics.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
