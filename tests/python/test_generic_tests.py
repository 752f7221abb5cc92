"""The project's own generic data tests, run as dbt compiled them, against rows made to fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from _warehouse import Workspace

SEED = "calendar__public_holidays"  # a seed: a table in the build file, columns known


def compiled_test(ws: Workspace, test: str, node: str) -> str:
    """The SQL dbt compiled for the `test` generic test on `node` in the build `ws` made."""
    compiled = (ws.root / "target" / "compiled").rglob(f"{test}_*.sql")
    found = [path for path in compiled if f'."{node}"' in path.read_text(encoding="utf-8")]
    assert len(found) == 1, f"expected one compiled {test} test on {node}, found {found}"
    return found[0].read_text(encoding="utf-8")


def failing_rows(ws: Workspace, tmp_path: Path, sql: str, *changes: str) -> list[tuple]:
    """The test query's rows on a copy of the build file after `changes` (SQL statements)."""
    db = tmp_path / ws.build_db.name  # same file name: the same catalog name the SQL uses
    shutil.copyfile(ws.build_db, db)
    con = duckdb.connect(str(db))
    try:
        for change in changes:
            con.execute(change)
        return sorted(con.execute(sql).fetchall())
    finally:
        con.close()


def test_not_null_columns_names_each_column_with_nulls_and_counts_them(
    built_warehouse: Workspace, tmp_path: Path
) -> None:
    sql = compiled_test(built_warehouse, "not_null_columns", SEED)
    relation = sql.split(" from ", 1)[1].split()[0]  # as dbt rendered it: "db"."schema"."table"
    assert relation.endswith(f'"{SEED}"'), relation

    # As built: no nulls, no rows.
    assert failing_rows(built_warehouse, tmp_path, sql) == []

    # Three rows lose their country, one of them also its date: one row per column, its count.
    assert failing_rows(
        built_warehouse,
        tmp_path,
        sql,
        f"update {relation} set country_code = null where rowid in (0, 1, 2)",
        f"update {relation} set holiday_date = null where rowid = 2",
    ) == [("country_code", 3), ("holiday_date", 1)]

    # One null among many rows still fails, naming only its column.
    assert failing_rows(
        built_warehouse, tmp_path, sql, f"update {relation} set holiday_date = null where rowid = 5"
    ) == [("holiday_date", 1)]
