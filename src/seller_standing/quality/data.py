"""Reading the rows a suite validates from the warehouse into a pandas DataFrame.

Great Expectations' SQL datasource does not work on DuckDB (see STACK-NOTES.md), so each
suite's rows are read with the read-only DuckDB connection and validated as a DataFrame.
DuckDB does the work that is cheap there and costly in pandas: the suite's filter, its derived
columns, the ``where`` of each expectation (one boolean column per condition), dropping the
columns no expectation reads, and the sample.

Sampling keeps a table of any size within memory: above ``max_rows`` rows, a row is kept when
a hash of its sample columns (by default the suite's first uniqueness check) falls in the
kept share. The same warehouse always gives the same sample, and rows that share a key are
kept or dropped together, so a duplicated key is still found when it is sampled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from seller_standing.quality.suites import SuiteSpec, quote

HASH_BUCKETS = 1_000_000


@dataclass
class Frame:
    """The rows of one suite, or why there are none."""

    df: pd.DataFrame | None = None
    absent: bool = False
    error: str | None = None
    total_rows: int = 0
    derived_errors: dict[str, str] = field(default_factory=dict)
    where_columns: dict[str, str] = field(default_factory=dict)

    @property
    def sampled(self) -> bool:
        return self.df is not None and len(self.df) < self.total_rows


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
        wanted = table_columns + [c for c in wanted if c not in table_columns]

    select: list[str] = []
    for name in wanted:
        if name in suite.derived:
            error = computes(suite.derived[name])
            if error is None:
                select.append(f"{suite.derived[name]} as {quote(name)}")
                continue
            if name not in table_columns:
                frame.derived_errors[name] = error
                continue
        if name in table_columns:
            select.append(quote(name))
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

    filter_sql = f" where ({suite.where})" if suite.where else ""
    try:
        row = con.execute(f"select count(*) from {source}{filter_sql}").fetchone()
        frame.total_rows = int(row[0]) if row else 0
        sample_sql = ""
        if frame.total_rows > suite.max_rows:
            by = [c for c in suite.sample_by if c in table_columns] or table_columns
            keep = max(1, math.floor(HASH_BUCKETS * suite.max_rows / frame.total_rows))
            hashed = f"hash({', '.join(quote(c) for c in by)}) % {HASH_BUCKETS} < {keep}"
            sample_sql = f" and {hashed}" if filter_sql else f" where {hashed}"
        frame.df = con.execute(
            f"select {', '.join(select)} from {source}{filter_sql}{sample_sql}"
        ).df()
    except duckdb.Error as exc:
        frame.error = f"cannot read {suite.label}: {_first_line(exc)}"
        frame.df = None
    return frame
