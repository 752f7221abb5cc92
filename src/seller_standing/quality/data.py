"""Reading the rows a suite validates from the warehouse into a pandas DataFrame.

Great Expectations' SQL datasource does not work on DuckDB (see STACK-NOTES.md), so each
suite's rows are read with the read-only DuckDB connection and validated as a DataFrame.
DuckDB does the work that is cheap there and costly in pandas: the suite's filter, its derived
columns, the ``where`` of each expectation (one boolean column per condition), dropping the
columns no expectation reads, and the sample.

No table reaches pandas whole. Above ``max_rows`` rows, a row is kept when a hash of its
sample columns (by default the suite's first uniqueness check) falls in the kept share: the
same warehouse always gives the same sample, and rows that share a key are kept or dropped
together. For such a sampled suite DuckDB also counts, over every row, what the common
expectations report (rows, nulls, unexpected rows: null, regex, value set, range, uniqueness
and row-count checks; see ``exact_check_sql``), and adds up to ``EXAMPLE_ROWS`` unexpected
rows of each failing check to the frame, so Great Expectations shows real examples; the
runner then puts the exact counts in the result (console and Data Docs).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd

from seller_standing.quality.suites import ExpectationSpec, SuiteSpec, quote

HASH_BUCKETS = 1_000_000
# Unexpected rows of each failing check added to a sampled frame: the examples it shows.
EXAMPLE_ROWS = 20

UNIQUE_CHECKS = frozenset(
    {"expect_compound_columns_to_be_unique", "expect_column_values_to_be_unique"}
)
ROW_COUNT_CHECKS = frozenset(
    {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
)


@dataclass(frozen=True)
class Exact:
    """What DuckDB counted over every row of a sampled suite for one expectation."""

    element_count: int
    unexpected_count: int = 0
    missing_count: int = 0
    observed_value: int | None = None  # row-count checks: the number of rows


@dataclass
class Frame:
    """The rows of one suite, or why there are none."""

    df: pd.DataFrame | None = None
    absent: bool = False
    error: str | None = None
    total_rows: int = 0
    derived_errors: dict[str, str] = field(default_factory=dict)
    where_columns: dict[str, str] = field(default_factory=dict)
    # index of the expectation in the suite -> its counts over every row (sampled suites)
    exact: dict[int, Exact] = field(default_factory=dict)
    sample_rows: int = 0  # rows of the hash sample (the frame also holds the examples)

    @property
    def sampled(self) -> bool:
        return self.df is not None and self.sample_rows < self.total_rows


def relation_sql(relation: str) -> str:
    return ".".join(quote(part) for part in relation.split("."))


def relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, name = relation.split(".")
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])


def where_column(condition: str) -> str:
    """Name of the boolean column holding an expectation's ``where`` (the condition itself)."""
    return f"where {condition}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def sql_value(value: Any) -> str:
    """A literal of a suite file's value (text, number, boolean) in DuckDB SQL."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def exact_check_sql(
    spec: ExpectationSpec, expr: Callable[[str], str | None]
) -> tuple[str, str] | None:
    """(SQL true on an unexpected row, SQL true on a missing row) of an expectation whose
    counts DuckDB can make over every row, as Great Expectations counts them on a DataFrame;
    None for any other expectation (its counts are those of the sample). ``expr`` gives the
    SQL of a column (None when it cannot be read)."""
    kwargs = spec.kwargs
    if spec.type in UNIQUE_CHECKS or spec.type in ROW_COUNT_CHECKS:
        return None  # counted by read_frame itself
    column = kwargs.get("column")
    if not isinstance(column, str) or (sql := expr(column)) is None:
        return None
    if spec.type == "expect_column_values_to_not_be_null":
        return f"{sql} is null", "false"
    if spec.type == "expect_column_values_to_be_null":
        return f"{sql} is not null", "false"
    missing = f"{sql} is null"
    if spec.type == "expect_column_values_to_match_regex" and isinstance(kwargs.get("regex"), str):
        return f"not regexp_matches(cast({sql} as varchar), {sql_value(kwargs['regex'])})", missing
    if spec.type in ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set"):
        values = kwargs.get("value_set")
        if not isinstance(values, list | tuple) or not values:
            return None
        test = "not in" if spec.type.endswith("_to_be_in_set") else "in"
        return f"{sql} {test} ({', '.join(sql_value(v) for v in values)})", missing
    if spec.type == "expect_column_values_to_be_between":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        outside = []
        if isinstance(low, int | float) and not isinstance(low, bool):
            outside.append(f"{sql} {'<=' if kwargs.get('strict_min') else '<'} {low!r}")
        if isinstance(high, int | float) and not isinstance(high, bool):
            outside.append(f"{sql} {'>=' if kwargs.get('strict_max') else '>'} {high!r}")
        if not outside:
            return None
        return " or ".join(outside), missing
    return None


def read_frame(con: duckdb.DuckDBPyConnection, suite: SuiteSpec) -> Frame:
    """The suite's rows (sampled when there are more than ``suite.max_rows``)."""
    frame = Frame()
    if suite.relation is not None:
        if not relation_exists(con, suite.relation):
            frame.absent = True
            return frame
        source = relation_sql(suite.relation)
    else:
        source = f"({suite.query}) as suite_query"
    try:
        con.execute(f"select * from {source} limit 0")
        table_columns = [d[0] for d in con.description or []]
    except duckdb.Error as exc:
        frame.error = f"cannot read {suite.label}: {_first_line(exc)}"
        return frame

    def computes(expr: str) -> str | None:
        try:
            con.execute(f"select {expr} from {source} limit 0")
        except duckdb.Error as exc:
            return _first_line(exc)
        return None

    read_all = any(spec.is_schema() for spec in suite.expectations)
    wanted: list[str] = []
    for spec in suite.expectations:
        for name in spec.columns():
            if name not in wanted:
                wanted.append(name)
    if read_all:
        everything = list(suite.derived) if suite.columns_are_derived else table_columns
        wanted = everything + [c for c in wanted if c not in everything]

    select: list[str] = []
    column_sql: dict[str, str] = {}  # column of the frame -> its SQL
    for name in wanted:
        if name in suite.derived:
            error = computes(suite.derived[name])
            if error is None:
                select.append(f"{suite.derived[name]} as {quote(name)}")
                column_sql[name] = f"({suite.derived[name]})"
                continue
            if name not in table_columns:
                frame.derived_errors[name] = error
                continue
        if name in table_columns:
            select.append(quote(name))
            column_sql[name] = quote(name)
    for spec in suite.expectations:
        if spec.where and spec.where not in frame.where_columns:
            name = where_column(spec.where)
            expr = f"coalesce(({spec.where}), false)"
            error = computes(expr)
            if error is None:
                frame.where_columns[spec.where] = name
                select.append(f"{expr} as {quote(name)}")
            else:
                frame.derived_errors[name] = error
    if not select and table_columns:
        select.append(quote(table_columns[0]))  # row counts only: any one column will do

    filter_sql = f"({suite.where})" if suite.where else "true"
    try:
        row = con.execute(f"select count(*) from {source} where {filter_sql}").fetchone()
        frame.total_rows = int(row[0]) if row else 0
        if frame.total_rows <= suite.max_rows:
            frame.df = con.execute(
                f"select {', '.join(select)} from {source} where {filter_sql}"
            ).df()
            frame.sample_rows = len(frame.df)
            return frame
        by = [
            column_sql.get(c) or (quote(c) if c in table_columns else None) for c in suite.sample_by
        ]
        by = [c for c in by if c] or [quote(c) for c in table_columns]
        keep = max(1, math.floor(HASH_BUCKETS * suite.max_rows / frame.total_rows))
        hashed = f"hash({', '.join(by)}) % {HASH_BUCKETS} < {keep}"
        examples = _count_exactly(con, suite, frame, source, filter_sql, column_sql)
        frame.df = con.execute(
            f"select {', '.join(select)}, ({hashed}) as _in_sample from {source} "
            f"where {filter_sql} and ({' or '.join([hashed, *examples])})"
        ).df()
        frame.sample_rows = int(frame.df["_in_sample"].sum())
        frame.df = frame.df.drop(columns="_in_sample")
    except duckdb.Error as exc:
        frame.error = f"cannot read {suite.label}: {_first_line(exc)}"
        frame.df = None
    return frame


def _count_exactly(
    con: duckdb.DuckDBPyConnection,
    suite: SuiteSpec,
    frame: Frame,
    source: str,
    filter_sql: str,
    column_sql: dict[str, str],
) -> list[str]:
    """Counts of a sampled suite's common checks over every row (into ``frame.exact``), in one
    scan; returns the SQL conditions that add up to EXAMPLE_ROWS unexpected rows of each
    failing check to the frame (none for a view or query, which have no row ids)."""
    has_rowid = _computes(con, f"select rowid from {source} limit 0")
    counts: list[str] = []
    plans: list[tuple[int, str, str]] = []  # (index, where, unexpected)
    for index, spec in enumerate(suite.expectations):
        where = f"coalesce(({spec.where}), false)" if spec.where else "true"
        if spec.where and where_column(spec.where) in frame.derived_errors:
            continue
        if spec.type in ROW_COUNT_CHECKS:
            plans.append((index, where, ""))
            counts.append(f"count(*) filter (where {where})")
            continue
        if spec.type in UNIQUE_CHECKS:
            continue
        found = exact_check_sql(spec, column_sql.get)
        if found is None:
            continue
        unexpected, missing = found
        plans.append((index, where, unexpected))
        counts += [
            f"count(*) filter (where {where})",
            f"count(*) filter (where {where} and ({missing}))",
            f"count(*) filter (where {where} and not ({missing}) and ({unexpected}))",
        ]
    examples: list[str] = []
    values: list[Any] = []
    if counts:
        try:
            found_row = con.execute(
                f"select {', '.join(counts)} from {source} where {filter_sql}"
            ).fetchone()
            values = list(found_row or [])
        except duckdb.Error:  # e.g. a value set of another type: counts of the sample only
            plans = []
    if values:
        for index, where, unexpected in plans:
            if not unexpected:
                rows = int(values.pop(0))
                frame.exact[index] = Exact(element_count=rows, observed_value=rows)
                continue
            element, missing_n, unexpected_n = (int(values.pop(0)) for _ in range(3))
            frame.exact[index] = Exact(element, unexpected_n, missing_n)
            if unexpected_n and has_rowid:
                examples.append(
                    f"rowid in (select rowid from {source} where {filter_sql} and {where} "
                    f"and ({unexpected}) is true order by rowid limit {EXAMPLE_ROWS})"
                )
    for index, spec in enumerate(suite.expectations):
        if spec.type not in UNIQUE_CHECKS or (
            spec.where and where_column(spec.where) in frame.derived_errors
        ):
            continue
        key = [column_sql.get(c) for c in spec.columns()]
        if not key or None in key:
            continue
        where = f"coalesce(({spec.where}), false)" if spec.where else "true"
        # Great Expectations leaves out a row whose key is all null (one column: null)
        present = " or ".join(f"{k} is not null" for k in key)
        keys = ", ".join(str(k) for k in key)
        named = ", ".join(f"{k} as _key_{i}" for i, k in enumerate(key))
        aliases = ", ".join(f"_key_{i}" for i in range(len(key)))
        groups = (
            f"select {named}, count(*) as n from {source} "
            f"where {filter_sql} and {where} and ({present}) group by all having count(*) > 1"
        )
        try:
            row = con.execute(
                f"select count(*) filter (where {where}), "
                f"count(*) filter (where {where} and not ({present})), "
                f"(select coalesce(sum(n), 0) from ({groups})) from {source} where {filter_sql}"
            ).fetchone()
        except duckdb.Error:
            continue
        element, missing_n, unexpected_n = (int(v) for v in row or (0, 0, 0))
        frame.exact[index] = Exact(element, unexpected_n, missing_n)
        if unexpected_n:
            examples.append(
                f"hash({keys}) in (select hash({aliases}) from ({groups}) "
                f"order by hash({aliases}) limit {EXAMPLE_ROWS})"
            )
    return examples


def _computes(con: duckdb.DuckDBPyConnection, sql: str) -> bool:
    try:
        con.execute(sql)
    except duckdb.Error:
        return False
    return True
