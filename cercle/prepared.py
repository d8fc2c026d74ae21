"""Queries the ORM builds once per database and each request only executes.

For a hot page, building and compiling a queryset with a few subqueries costs several times
more than SQLite takes to run it. A `Prepared` query is written as usual, with the ORM, from
stand-in integers where the request's values go (a viewer's id, a member's id); its SQL is
compiled on first use and each call swaps the stand-ins in the parameter list for the real
values. The SQL is the ORM's own, so the rules written in selectors stay the only rules.

On SQLite, the query's constant strings (statuses, kinds…) are written into the SQL instead of
being bound: SQLite recompiles a statement on every bind of a parameter that decides whether a
partial index applies (`WHERE status = 'pending'`), which made the profile page's state query
fifteen times slower than its literal twin.
"""

import enum
import functools
import sqlite3
from collections.abc import Callable
from typing import NamedTuple

from django.db import connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import QuerySet

_STANDIN_BASE = -7_000_000  # no id, count or flag in a query is ever this negative


class _Compiled(NamedTuple):
    sql: str
    params: list
    # The ORM's own converters (e.g. UTC datetimes on SQLite): (position, functions, expression),
    # the backend's ones unbound from the connection that compiled the query (see _unbound).
    converters: list


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], *names: str, convert: bool = True):
        """`build(vendor=…, **{name: stand_in_int})` returns the queryset (usually `.values(...)`).
        With `convert=False` the values stay as the database driver returns them (for a key)."""
        self._build = build
        self._convert = convert
        self._standins = {name: _STANDIN_BASE - i for i, name in enumerate(names, start=1)}
        self._compiled: dict[str, _Compiled] = {}

    def reset(self) -> None:
        self._compiled.clear()

    def _compile(self, using: str) -> _Compiled:
        if using not in self._compiled:
            vendor = connections[using].vendor
            compiler = self._build(vendor=vendor, **self._standins).query.get_compiler(using=using)
            sql, params = compiler.as_sql()
            params = list(params)
            if vendor == "sqlite":
                sql, params = _inline_strings(sql, params)
            selected = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
            found = compiler.get_converters(selected).items() if self._convert else ()
            converters = [(pos, _unbound(functions, compiler.connection.ops), expr) for pos, (functions, expr) in found]
            self._compiled[using] = _Compiled(sql, params, converters)
        return self._compiled[using]

    def sql(self, using: str = "default") -> str:
        return self._compile(using).sql

    def rows(
        self, *, using: str = "default", suffix: str = "", suffix_params=(), suffix_sql=("", ""), **values
    ) -> tuple[list[str], list]:
        """(column names, rows) for these values. `suffix` is appended SQL (e.g. LIMIT/OFFSET) and
        `suffix_sql` a (before, after) pair wrapped around the query (e.g. a COUNT)."""
        compiled = self._compile(using)
        swap = {self._standins[name]: value for name, value in values.items()}
        params = [swap.get(p, p) if type(p) is int else p for p in compiled.params]
        params.extend(suffix_params)
        sql = compiled.sql
        if suffix or suffix_sql != ("", ""):
            sql = suffix_sql[0] + sql + suffix_sql[1] + suffix
        # The unchanged string keeps its hash: _to_qmark's cache finds it without reading 4 kB again.
        columns, rows = fetch_rows(sql, params, using=using)
        if compiled.converters and suffix_sql == ("", ""):  # a wrapped query has other columns
            rows = _converted(rows, compiled.converters, connections[using])
        return columns, rows

    def dicts(self, **kwargs) -> list[dict]:
        columns, rows = self.rows(**kwargs)
        return [dict(zip(columns, row, strict=True)) for row in rows]


def fetch_rows(sql: str, params: list, *, using: str = "default") -> tuple[list[str], list]:
    """(column names, rows) of one SQL query, written with `%s` placeholders as Django's are.

    On SQLite the query skips Django's cursor wrapper (unless queries are being logged, as in
    tests and DEBUG): a tool that instruments that wrapper does not see it."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and not connection.queries_logged and not connection.execute_wrappers:
            # Django's SQLite cursor rewrites `%s` into `?` with a regex on every call, which costs
            # more than running a hot query: the rewritten SQL is kept and run by sqlite3 itself.
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors:
                sqlite3.Cursor.execute(cursor.cursor, _to_qmark(sql), params)
        else:
            cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


@functools.lru_cache(maxsize=256)
def _to_qmark(sql: str) -> str:
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def _unbound(functions: list, ops) -> list[tuple[bool, Callable]]:
    # A backend converter is a method of the compiling thread's connection: keep its function and
    # call it with the calling thread's own (connections are per thread).
    return [(True, f.__func__) if getattr(f, "__self__", None) is ops else (False, f) for f in functions]


def _converted(rows: list, converters: list, connection) -> list:
    """The rows as the ORM would return them (without this, SQLite's datetimes stay naive)."""
    ops = connection.ops
    converted = []
    for row in rows:
        row = list(row)
        for pos, functions, expression in converters:
            for of_backend, function in functions:
                args = (ops, row[pos]) if of_backend else (row[pos],)
                row[pos] = function(*args, expression, connection)
        converted.append(row)
    return converted


def _sql_string(value: str) -> str:
    # A SQL string literal, with `%` doubled since the SQL still goes through `%s` formatting.
    return "'" + value.replace("'", "''").replace("%", "%%") + "'"


def _inline_strings(sql: str, params: list) -> tuple[str, list]:
    """The SQL with every string parameter written in as a literal, and the parameters left.

    Only constants reach here: whatever varies per call is a stand-in integer."""
    pieces = FORMAT_QMARK_REGEX.split(sql)
    if len(pieces) != len(params) + 1:
        return sql, params  # not the shape expected: leave the query as the ORM wrote it
    out, kept = [pieces[0]], []
    for param, piece in zip(params, pieces[1:], strict=True):
        if isinstance(param, str) and "\x00" not in param:
            out.append(_sql_string(param.value if isinstance(param, enum.Enum) else param))
        else:
            out.append("%s")
            kept.append(param)
        out.append(piece)
    return "".join(out), kept
