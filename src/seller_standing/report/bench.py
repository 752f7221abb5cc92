"""Time `report --all` at scale on a synthesized warehouse.

    python -m seller_standing.report.bench --from build/ci/published.duckdb --sellers 10000

Copies the source warehouse's marts and rules into a new file, repeating every seller (with
its statuses, metrics and fee lines) under new seller ids until there are about --sellers
sellers, then renders the full site (every seller) and prints the time and page counts.
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from seller_standing.report import render_report


def synthesize(source: Path, target: Path, sellers: int) -> int:
    """Write a warehouse of about `sellers` sellers to `target`; return the seller count."""
    con = duckdb.connect(str(target))
    con.execute("set enable_progress_bar = false")
    try:
        con.execute(f"attach '{source}' as src (read_only)")
        base = con.execute("select count(*) from src.marts.dim_sellers").fetchone()[0]
        copies = max(1, math.ceil(sellers / base))
        con.execute("create schema marts")
        con.execute("create schema rules")
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'src' "
            "and schema_name = 'rules'"
        ).fetchall():
            con.execute(f"create table rules.{table} as select * from src.rules.{table}")
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'src' "
            "and schema_name = 'marts'"
        ).fetchall():
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() where database_name = 'src' "
                    "and schema_name = 'marts' and table_name = ?",
                    [table],
                ).fetchall()
            ]
            if "seller_id" not in columns:
                con.execute(f"create table marts.{table} as select * from src.marts.{table}")
                continue
            replace = [
                "case when k = 0 then seller_id else seller_id || '-x' || k end as seller_id"
            ]
            if "fee_line_id" in columns:
                replace.append("fee_line_id || '-' || k as fee_line_id")
            con.execute(
                f"create table marts.{table} as select * exclude (k) replace ({', '.join(replace)})"
                f" from src.marts.{table}, range({copies}) as r(k)"
            )
        return con.execute("select count(*) from marts.dim_sellers").fetchone()[0]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True, help="published warehouse")
    parser.add_argument("--sellers", type=int, default=10_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="report-bench-"))
    try:
        db = work / "warehouse.duckdb"
        started = time.monotonic()
        n = synthesize(Path(args.source).resolve(), db, args.sellers)
        print(f"Synthesized {n:,} sellers in {time.monotonic() - started:.1f} s.")
        con = duckdb.connect(str(db), read_only=True)
        rows = {
            t: con.execute(f"select count(*) from marts.{t}").fetchone()[0]
            for t in ("fct_program_status", "fct_seller_metrics", "fct_fee_lines")
        }
        con.close()
        print("Rows: " + ", ".join(f"{t} {c:,}" for t, c in rows.items()))
        site = render_report(db, work / "report", mode="all")
        size = sum(p.stat().st_size for p in site.out_dir.rglob("*.html"))
        print(
            f"report --all: {site.pages:,} pages ({site.seller_pages:,} seller pages, "
            f"{size / 1e6:.0f} MB) in {site.seconds:.1f} s"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
