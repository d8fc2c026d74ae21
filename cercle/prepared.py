"""Queries the ORM builds once per database and each request only executes.

For a hot page, building and compiling a queryset with a few subqueries costs several times
more than SQLite takes to run it. A `Prepared` query is written as usual, with the ORM, from
stand-in integers where the request's values go (a viewer's id, a member's id); its SQL is
compiled on first use and each call swaps the stand-ins in the parameter list for the real
values. The SQL is the ORM's own, so the rules written in selectors stay the only rules.
"""

from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

_STANDIN_BASE = -7_000_000  # no id, count or flag in a query is ever this negative


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *names: str):
        """`build(vendor=…, **{name: stand_in_int})` returns the queryset (usually `.values(...)`)."""
        self._build = build
        self._standins = {name: _STANDIN_BASE - i for i, name in enumerate(names, start=1)}
        self._compiled: dict[str, tuple[str, list]] = {}

    def reset(self) -> None:
        self._compiled.clear()

    def _compile(self, using: str) -> tuple[str, list]:
        if using not in self._compiled:
            queryset = self._build(vendor=connections[using].vendor, **self._standins)
            sql, params = queryset.using(using).query.sql_with_params()
            self._compiled[using] = (sql, list(params))
        return self._compiled[using]

    def sql(self, using: str = "default") -> str:
        return self._compile(using)[0]

    def rows(
        self, *, using: str = "default", suffix: str = "", suffix_params=(), suffix_sql=("", ""), **values
    ) -> tuple[list[str], list]:
        """(column names, rows) for these values. `suffix` is appended SQL (e.g. LIMIT/OFFSET) and
        `suffix_sql` a (before, after) pair wrapped around the query (e.g. a COUNT)."""
        sql, params = self._compile(using)
        sql = suffix_sql[0] + sql + suffix_sql[1]
        swap = {self._standins[name]: value for name, value in values.items()}
        params = [swap.get(p, p) if type(p) is int else p for p in params]
        with connections[using].cursor() as cursor:
            cursor.execute(sql + suffix, [*params, *suffix_params])
            return [column[0] for column in cursor.description], cursor.fetchall()

    def dicts(self, **kwargs) -> list[dict]:
        columns, rows = self.rows(**kwargs)
        return [dict(zip(columns, row, strict=True)) for row in rows]
