"""Parity of the marts built on DuckDB and on Spark: the same columns, the same rows.

The Spark marts are read from their Parquet files under the Spark warehouse folder (the
files BI tools can read too), the DuckDB marts from the warehouse file. Rows are compared
after sorting both sides the same way: decimals, integers, text, dates and booleans exactly,
timestamps to the second, doubles to 1e-9. The first differing rows of a mart are shown.

    python -m seller_standing.parity compare build/ci/published.duckdb build/spark/warehouse
    python -m seller_standing.parity ci build/spark-ci    # what `make spark-test` runs
    python -m seller_standing.parity landing exports/ build/parity [--evaluation-date D]

`ci` generates the CI dataset (25 sellers x 14 months, seed 7) plus the hand-made bad rows of
tests/spark/landing_extra/, builds it with `dbt build` on DuckDB and on Spark (timing both),
and compares the marts. `landing` does the same for any landing folder (a user's exports).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import duckdb

MART_SCHEMAS = ("marts", "main_marts")

# DuckDB type of a mart column -> the Spark type the same contract gives (see docs/spark.md),
# as DuckDB reports a column of Spark's Parquet files.
SPARK_TYPE_AS_READ = {
    "VARCHAR": ("VARCHAR",),
    "BIGINT": ("BIGINT",),
    "INTEGER": ("INTEGER",),
    "BOOLEAN": ("BOOLEAN",),
    "DATE": ("DATE",),
    "DOUBLE": ("DOUBLE",),
    "TIMESTAMP": ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS"),
}
SHOWN = 5


@dataclass
class MartResult:
    name: str
    duckdb_rows: int = 0
    spark_rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.problems


def _mart_tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select table_schema, table_name from information_schema.tables "
        f"where table_catalog = 'duckdb_db' and table_schema in {MART_SCHEMAS} "
        "and table_type = 'BASE TABLE' order by table_name"
    ).fetchall()


def _spark_mart_dir(spark_warehouse: Path, table: str) -> Path | None:
    """The folder of a Spark mart table: marts.db/<table> under the warehouse folder."""
    candidates = sorted(spark_warehouse.glob(f"*marts.db/{table}"))
    return candidates[0] if candidates else None


def _same_type(duck_type: str, spark_type: str) -> bool:
    if duck_type.startswith("DECIMAL"):
        return duck_type == spark_type
    return spark_type in SPARK_TYPE_AS_READ.get(duck_type, (duck_type,))


def _normal(value: object) -> object:
    """A value as compared: timestamps to the second, without a zone (both are UTC)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.replace(microsecond=0)
    return value


def _equal(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return _normal(a) == _normal(b)


def _fmt(columns: Sequence[str], row: Sequence[object] | None) -> str:
    if row is None:
        return "(no row)"
    return ", ".join(f"{c}={v!r}" for c, v in zip(columns, row, strict=True))


def compare_mart(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, spark_dir: Path | None
) -> MartResult:
    result = MartResult(table)
    duck_cols = con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = 'duckdb_db' and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [schema, table],
    ).fetchall()
    if spark_dir is None:
        result.problems.append("no Spark table (no Parquet folder) for this mart")
        return result
    parquet = f"read_parquet('{spark_dir.as_posix()}/*.parquet')"
    spark_cols = [
        tuple(row[:2]) for row in con.execute(f"describe select * from {parquet}").fetchall()
    ]
    duck_names, spark_names = [c for c, _ in duck_cols], [c for c, _ in spark_cols]
    if duck_names != spark_names:
        result.problems.append(f"columns differ: DuckDB {duck_names} / Spark {spark_names}")
        return result
    for (name, duck_type), (_, spark_type) in zip(duck_cols, spark_cols, strict=True):
        if not _same_type(duck_type, spark_type):
            result.problems.append(f"column {name}: DuckDB {duck_type}, Spark {spark_type}")
    if result.problems:
        return result
    columns = [c for c, _ in duck_cols]
    # Sort by every non-double column first (doubles may differ in the last bits).
    doubles = {c for c, t in duck_cols if t in ("DOUBLE", "FLOAT")}
    order = [f'"{c}"' for c in columns if c not in doubles] + [f'"{c}"' for c in doubles]
    selected = ", ".join(
        f'date_trunc(\'second\', cast("{c}" as timestamp)) as "{c}"'
        if t.startswith("TIMESTAMP")
        else f'"{c}"'
        for c, t in duck_cols
    )
    order_sql = ", ".join(f"{o} nulls last" for o in order)
    duck_rows = con.execute(
        f'select {selected} from duckdb_db."{schema}"."{table}" order by {order_sql}'
    ).fetchall()
    spark_rows = con.execute(f"select {selected} from {parquet} order by {order_sql}").fetchall()
    result.duckdb_rows, result.spark_rows = len(duck_rows), len(spark_rows)
    if len(duck_rows) != len(spark_rows):
        result.problems.append(
            f"row counts differ: DuckDB {len(duck_rows)}, Spark {len(spark_rows)}"
        )
    for index in range(max(len(duck_rows), len(spark_rows))):
        a = duck_rows[index] if index < len(duck_rows) else None
        b = spark_rows[index] if index < len(spark_rows) else None
        if a is not None and b is not None and all(map(_equal, a, b)):
            continue
        differing = (
            [c for c, x, y in zip(columns, a, b, strict=True) if not _equal(x, y)]
            if a is not None and b is not None
            else columns
        )
        result.problems.append(
            f"first difference at sorted row {index + 1} (columns {', '.join(differing)}):"
        )
        for offset in range(SHOWN):
            at = index + offset
            if at >= max(len(duck_rows), len(spark_rows)):
                break
            da = duck_rows[at] if at < len(duck_rows) else None
            sb = spark_rows[at] if at < len(spark_rows) else None
            result.problems.append(f"  DuckDB row {at + 1}: {_fmt(columns, da)}")
            result.problems.append(f"  Spark  row {at + 1}: {_fmt(columns, sb)}")
        break
    return result


def compare(duckdb_file: Path, spark_warehouse: Path) -> list[MartResult]:
    con = duckdb.connect()
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{duckdb_file.as_posix()}' as duckdb_db (read_only)")
        return [
            compare_mart(con, schema, table, _spark_mart_dir(spark_warehouse, table))
            for schema, table in _mart_tables(con)
        ]
    finally:
        con.close()


def report(duckdb_file: Path, spark_warehouse: Path) -> int:
    for path in (duckdb_file, spark_warehouse):
        if not path.exists():
            print(f"parity: {path} does not exist; build both warehouses first.", file=sys.stderr)
            return 2
    results = compare(duckdb_file, spark_warehouse)
    if not results:
        print(f"parity: no marts in {duckdb_file}.", file=sys.stderr)
        return 2
    for result in results:
        mark = "identical" if result.identical else "DIFFERS"
        print(
            f"{result.name:28} {mark:9} DuckDB {result.duckdb_rows} rows, Spark {result.spark_rows}"
        )
        for line in result.problems:
            print(f"    {line}")
    failed = [r.name for r in results if not r.identical]
    if failed:
        print(f"parity: FAILED, {len(failed)} of {len(results)} marts differ: {', '.join(failed)}")
        return 1
    print(f"parity: all {len(results)} marts identical on DuckDB and Spark")
    return 0


CI_SELLERS, CI_MONTHS, CI_SEED, CI_EVALUATION_DATE = 25, 14, 7, "2026-11-01"


def _duckdb_build(raw: Path, duck: Path, evaluation_date: str) -> tuple[int, float, str]:
    """`dbt build` of the landing folder on DuckDB (ci target, as `make dbt-test`): exit code,
    seconds and, on a failure, what went wrong (a landing file DuckDB could not read, or dbt's
    error)."""
    import os
    import subprocess
    import time

    from seller_standing.dbt_run import _error_digest
    from seller_standing.paths import PROJECT_DIR
    from seller_standing.preflight import translate_read_error

    duck.mkdir(parents=True)
    env = dict(os.environ)
    env.update(
        SELLER_STANDING_TARGET="ci",
        SELLER_STANDING_RAW_DIR=str(raw),
        SELLER_STANDING_BUILD_DB=str(duck / "seller_standing.duckdb"),
        SELLER_STANDING_TEMP_DIR=str(duck / "tmp"),
        DBT_TARGET_PATH=str(duck / "target"),
        DBT_LOG_PATH=str(duck / "logs"),
    )
    dbt = str(Path(sys.executable).with_name("dbt"))
    project = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    dbt_vars = f'{{"evaluation_date": "{evaluation_date}"}}'
    log_path = duck / "dbt.log"
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        code = subprocess.call(
            [dbt, "build", "--vars", dbt_vars, *project],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log,
            stderr=log,
        )
    seconds = time.monotonic() - started
    if code == 0:
        return code, seconds, ""
    output = log_path.read_text(encoding="utf-8", errors="replace")
    problem = translate_read_error(output, raw) or _error_digest(output.splitlines(True))
    return code, seconds, problem


def run_landing(
    raw: Path, out_dir: Path, evaluation_date: str | None = None, out: TextIO | None = None
) -> int:
    """Build one landing folder on DuckDB and on Spark, time both, compare every mart.

    0: every mart identical; 1: marts differ or a build failed (one message, no traceback);
    2: the arguments are wrong. Both builds go under out_dir (duckdb/, spark/), which is
    emptied first; the landing folder is only read."""
    import datetime as dt_
    import os
    import shutil
    import time

    from seller_standing.preflight import LandingFileError, check_landing
    from seller_standing.settings import SettingError, check_evaluation_date
    from seller_standing.spark import check_csv_files
    from seller_standing.spark import run as run_spark

    out = out or sys.stdout
    raw, out_dir = raw.resolve(), out_dir.resolve()
    try:
        check_evaluation_date(evaluation_date)
    except SettingError as error:
        out.write(f"parity: {error}\n")
        return 2
    if not raw.is_dir():
        out.write(
            f"parity: the landing folder {raw} does not exist (or is not a folder); give the "
            "folder holding one sub-folder per table (sellers/, orders/, ...).\n"
        )
        return 2
    duck, spark_state = out_dir / "duckdb", out_dir / "spark"
    for folder in (duck, spark_state):
        if raw == folder or folder in raw.parents:
            out.write(f"parity: the landing folder {raw} is inside {folder}, which is emptied.\n")
            return 2
    evaluation_date = evaluation_date or dt_.datetime.now(dt_.UTC).date().isoformat()
    try:
        for note in check_landing(raw):
            out.write(f"parity: noticed: {note}\n")
        check_csv_files(raw)
    except LandingFileError as error:
        out.write(f"parity: the landing folder {raw} stops the build on both engines:\n{error}\n")
        return 1
    for folder in (duck, spark_state):
        shutil.rmtree(folder, ignore_errors=True)
    out.write(f"parity: DuckDB build of {raw} (evaluation date {evaluation_date}) ...\n")
    out.flush()
    code, duck_seconds, problem = _duckdb_build(raw, duck, evaluation_date)
    out.write(
        f"parity: DuckDB dbt build {duck_seconds:.0f} s (exit {code}; log {duck / 'dbt.log'})\n"
    )
    if code != 0:
        out.write(
            f"parity: the DuckDB build of {raw} failed, so there is nothing to compare "
            f"(Spark not started):\n{problem}\n"
        )
        return 1
    os.environ["SELLER_STANDING_SPARK_DIR"] = str(spark_state)
    os.environ["SELLER_STANDING_RAW_DIR"] = str(raw)
    for name in ("DBT_TARGET_PATH", "DBT_LOG_PATH"):
        os.environ.pop(name, None)
    out.write("parity: Spark build of the same landing folder ...\n")
    out.flush()
    started = time.monotonic()
    spark_log = out_dir / "spark-dbt.log"
    code = run_spark(["build"], evaluation_date, out=out, log=spark_log)
    spark_seconds = time.monotonic() - started
    out.write(f"parity: Spark dbt build {spark_seconds:.0f} s (exit {code}; log {spark_log})\n")
    if code != 0:
        out.write(
            f"parity: the Spark build of {raw} failed where the DuckDB one passed (see the "
            f"lines above, {spark_log} and {spark_state / 'logs'}).\n"
        )
        return 1
    out.write(
        f"parity: build time on this machine: DuckDB {duck_seconds:.0f} s, Spark (local) "
        f"{spark_seconds:.0f} s, ratio {spark_seconds / duck_seconds:.1f}x\n"
    )
    (out_dir / "timings.json").write_text(
        f'{{"duckdb_seconds": {duck_seconds:.1f}, "spark_seconds": {spark_seconds:.1f}}}\n',
        encoding="utf-8",
    )
    out.flush()
    return report(duck / "seller_standing.duckdb", spark_state / "warehouse")


def run_ci(out_dir: Path) -> int:
    """Generate the CI dataset, add the hand-made bad rows, build both engines, compare."""
    import shutil

    from seller_standing.generate import generate
    from seller_standing.paths import PROJECT_DIR

    out_dir = out_dir.resolve()
    shutil.rmtree(out_dir, ignore_errors=True)
    raw = out_dir / "raw"
    generate(raw, sellers=CI_SELLERS, months=CI_MONTHS, seed=CI_SEED)
    extra = PROJECT_DIR / "tests" / "spark" / "landing_extra"
    for path in sorted(extra.glob("*/*.csv")):
        (raw / path.parent.name).mkdir(exist_ok=True)
        shutil.copy(path, raw / path.parent.name / path.name)
    return run_landing(raw, out_dir, CI_EVALUATION_DATE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare", help="compare the marts of two builds")
    cmp_.add_argument("duckdb_file", type=Path, help="DuckDB warehouse built from the landing set")
    cmp_.add_argument("spark_warehouse", type=Path, help="Spark warehouse folder of the same build")
    ci = sub.add_parser("ci", help="build the CI dataset on both engines and compare")
    ci.add_argument("out_dir", type=Path, help="folder for the landing set and both builds")
    landing = sub.add_parser("landing", help="build a landing folder on both engines and compare")
    landing.add_argument("raw_dir", type=Path, help="landing folder (one sub-folder per table)")
    landing.add_argument("out_dir", type=Path, help="folder for both builds (emptied first)")
    landing.add_argument(
        "--evaluation-date", help="YYYY-MM-DD, the same on both engines (default today, UTC)"
    )
    args = parser.parse_args(argv)
    if args.command == "compare":
        return report(args.duckdb_file, args.spark_warehouse)
    if args.command == "landing":
        return run_landing(args.raw_dir, args.out_dir, args.evaluation_date)
    return run_ci(args.out_dir)


if __name__ == "__main__":
    sys.exit(main())
