"""Parse each landing file once: a build that finds new and changed files loads only those,
restages only the rows they can change, and gives the same result as a full refresh on the
same files.

On the CI dataset: the first build sees every file but the last month's exports, and lacks one
order (its lines and returns are quarantined: no orders row). The second gets that month as new
files, the missing order among them, and two corrections of old files: a review's rating, and
another order moved to a seller that does not exist (its lines and returns lose their order).
The incremental second build and a full refresh of the same files must have identical marts
(row count and a hash of the sorted rows of each) and identical base tables (every loaded row
with its quarantine reason); the incremental one parses only the new and the corrected files.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import yaml
from _warehouse import EVALUATION_DATE, PROJECT_DIR, Workspace

from seller_standing.fingerprint import fingerprint

DBT = str(Path(sys.executable).with_name("dbt"))
NEW_MONTH = "2026-10"
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
SOURCES = PROJECT_DIR / "models" / "staging" / "landing" / "_landing__sources.yml"


def _main_timestamp(table: dict) -> str | None:
    """The first timestamp column of a landing table (its rows' month)."""
    for column in table["columns"]:
        meta = column.get("meta") or column.get("config", {}).get("meta", {})
        if meta.get("type") == "timestamp":
            return column["name"]
    return None


def _split_new_month(full: Path, first: Path, new_files: Path) -> int:
    """Copy `full` to `first` without the rows of NEW_MONTH; those rows go to
    `new_files/<table>/<table>_NEW_MONTH.csv`. Returns how many rows moved."""
    tables = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"][0]["tables"]
    moved = 0
    shutil.copytree(full, first)
    for table in tables:
        column = _main_timestamp(table)
        folder = first / table["name"]
        if column is None or not folder.is_dir():
            continue
        held: list[list[str]] = []
        header: list[str] = []
        for path in sorted(folder.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            if not rows:
                continue
            header, at = rows[0], rows[0].index(column)
            keep = [r for r in rows[1:] if not r[at].startswith(NEW_MONTH)]
            held += [r for r in rows[1:] if r[at].startswith(NEW_MONTH)]
            if len(keep) != len(rows) - 1:
                with open(path, "w", newline="", encoding="utf-8") as handle:
                    csv.writer(handle, lineterminator="\n").writerows([header, *keep])
        if held:
            target = new_files / table["name"] / f"{table['name']}_{NEW_MONTH}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", newline="", encoding="utf-8") as handle:
                csv.writer(handle, lineterminator="\n").writerows([header, *held])
            moved += len(held)
    return moved


def _correct_a_rating(raw: Path) -> str:
    """Change the rating of the first 5-star review of the oldest reviews file; returns it."""
    path = sorted((raw / "reviews").glob("*.csv"))[0]
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rating = rows[0].index("rating")
    row = next(r for r in rows[1:] if r[rating] == "5")
    row[rating] = "2"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return row[rows[0].index("review_id")]


def _rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _returned_orders(raw: Path) -> list[str]:
    """Order ids with a return (so with lines), that are in the orders files, in file order."""
    in_orders = {
        row[1] for path in sorted((raw / "orders").glob("*.csv")) for row in _rows(path)[1:]
    }
    returned = [
        row[2] for path in sorted((raw / "returns").glob("*.csv")) for row in _rows(path)[1:]
    ]
    return [order for order in dict.fromkeys(returned) if order in in_orders]


def _take_order_out(raw: Path, order_id: str) -> list[str]:
    """Remove the order's row from its orders file; return the row."""
    for path in sorted((raw / "orders").glob("*.csv")):
        rows = _rows(path)
        kept = [row for row in rows if row[1] != order_id]
        if len(kept) < len(rows):
            _write(path, kept)
            return next(row for row in rows if row[1] == order_id)
    raise AssertionError(f"order {order_id} is in no orders file")


def _move_to_unknown_seller(raw: Path, order_id: str) -> None:
    for path in sorted((raw / "orders").glob("*.csv")):
        rows = _rows(path)
        for row in rows[1:]:
            if row[1] == order_id:
                row[rows[0].index("seller_id")] = "no-such-seller"
                _write(path, rows)
                return
    raise AssertionError(f"order {order_id} is in no orders file")


def _lines_reasons(db: Path, order_id: str) -> dict[str, list[str | None]]:
    """Quarantine reasons of the order's lines and of their returns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: [
                reason
                for (reason,) in con.execute(
                    f"select _quarantine_reason from staging.base_landing__{table}"
                    " where order_id = ?",
                    [order_id],
                ).fetchall()
            ]
            for table in ("order_lines", "returns")
        }
    finally:
        con.close()


def _all_quarantined(reasons: dict[str, list[str | None]], order_id: str) -> bool:
    """Every line lacks its order, every return its line."""
    lines, returns = reasons["order_lines"], reasons["returns"]
    return (
        bool(lines)
        and bool(returns)
        and all(f"no orders row with this order_id: {order_id}" in (r or "") for r in lines)
        and all("no order_lines row with this order_id, line_id" in (r or "") for r in returns)
    )


def _all_staged(reasons: dict[str, list[str | None]]) -> bool:
    lines, returns = reasons["order_lines"], reasons["returns"]
    return bool(lines) and bool(returns) and set(lines + returns) == {None}


def _base_tables(db: Path) -> dict[str, tuple[int, str]]:
    """{base model: (rows, hash of its sorted rows)}: every loaded row and its reason."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = "
                "'staging' and table_name like 'base_landing__%' order by 1"
            ).fetchall()
        ]
        return {
            name: con.execute(
                "select count(*), md5(coalesce(string_agg(r, chr(10) order by r), ''))"
                f" from (select cast(t as varchar) as r from staging.{name} as t)"
            ).fetchone()
            for name in names
        }
    finally:
        con.close()


def _dbt(ws: Workspace, db: Path, *args: str) -> None:
    """dbt on the build file `db` (in the workspace), reusing the test process's parse."""
    with ws.via_stage() as root:
        env = ws.env(root)
        # the profile of the builds (Workspace.build), so that the parse is theirs
        env.update(SELLER_STANDING_BUILD_DB=str(root / db.relative_to(ws.root)))
        result = subprocess.run(
            [DBT, *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
            + ["--vars", f'{{evaluation_date: "{EVALUATION_DATE}"}}'],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=1200,
        )
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def _ci_landing(target: Path) -> None:
    made = os.environ.get("SELLER_STANDING_TEST_BUILD")
    if made and (Path(made) / "raw").is_dir():
        shutil.copytree(Path(made) / "raw", target)
        return
    from seller_standing.generate import generate

    generate(target, sellers=25, months=14, seed=7)


def _files_in_landing_view(db: Path, table: str) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "select sql from duckdb_views() where schema_name = 'landing' and view_name = ?",
            [table],
        ).fetchall()[0][0]
    finally:
        con.close()


def test_incremental_build_equals_full_refresh(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    full = tmp_path / "ci_raw"
    _ci_landing(full)
    moved = _split_new_month(full, ws.raw, tmp_path / "new_month")
    assert moved > 100, "the CI dataset should have rows in the month added"
    late_order, orphaned_order = _returned_orders(ws.raw)[:2]
    late_row = _take_order_out(ws.raw, late_order)

    incremental_db = tmp_path / "incremental.duckdb"
    _dbt(ws, incremental_db, "build", *NO_TESTS)
    before = fingerprint(incremental_db)
    assert _all_quarantined(_lines_reasons(incremental_db, late_order), late_order)
    assert _all_staged(_lines_reasons(incremental_db, orphaned_order))

    # A month arrives as new files, the late order among them; an old reviews file is
    # re-exported with one rating corrected, an old orders file with an order's seller changed
    # to one that does not exist.
    shutil.copytree(tmp_path / "new_month", ws.raw, dirs_exist_ok=True)
    new_orders = ws.raw / "orders" / f"orders_{NEW_MONTH}.csv"
    _write(new_orders, [*_rows(new_orders), late_row])
    review_id = _correct_a_rating(ws.raw)
    _move_to_unknown_seller(ws.raw, orphaned_order)
    # every data test (nothing lost per file among them) holds on the incremental build
    _dbt(ws, incremental_db, "build", "--exclude-resource-type", "unit_test")

    after = fingerprint(incremental_db)
    assert after != before
    assert after["fct_seller_metrics"]["rows"] > before["fct_seller_metrics"]["rows"]

    # Only the new month's files and the corrected file were parsed by the second build.
    orders_view = _files_in_landing_view(incremental_db, "orders__new_files")
    assert f"orders_{NEW_MONTH}.csv" in orders_view and "orders_2025.csv" not in orders_view
    reviews_view = _files_in_landing_view(incremental_db, "reviews__new_files")
    corrected = sorted((ws.raw / "reviews").glob("*.csv"))[0].name
    assert corrected in reviews_view
    con = duckdb.connect(str(incremental_db), read_only=True)
    try:
        ratings = con.execute(
            "select rating from staging.stg_landing__reviews where review_id = ?", [review_id]
        ).fetchall()
        withdrawn = con.execute(
            "select count(*) from staging.load_landing__reviews where _source_file like ? "
            "group by _source_file",
            [f"%{corrected}"],
        ).fetchall()
    finally:
        con.close()
    assert ratings == [(2,)]
    # the late order's lines and returns are staged now; the orphaned order's are quarantined
    assert _all_staged(_lines_reasons(incremental_db, late_order))
    assert _all_quarantined(_lines_reasons(incremental_db, orphaned_order), orphaned_order)
    incremental_base = _base_tables(incremental_db)
    # the corrected file's old rows were withdrawn: it is loaded once, not twice
    with open(sorted((ws.raw / "reviews").glob("*.csv"))[0], encoding="utf-8") as handle:
        assert withdrawn == [(sum(1 for _ in handle) - 1,)]

    # A full refresh of the same files (in the same build file, so that dbt reuses its parse:
    # every table is made again from the files) gives the same marts.
    _dbt(ws, incremental_db, "build", "--full-refresh", *NO_TESTS)
    refreshed_view = _files_in_landing_view(incremental_db, "orders__new_files")
    assert "orders_2025.csv" in refreshed_view, "a full refresh parses every file again"
    assert fingerprint(incremental_db) == after
    assert _base_tables(incremental_db) == incremental_base
