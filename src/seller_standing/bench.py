"""`make bench`: time and measure the generator and the build at scale.

    python -m seller_standing.bench [--sellers 8500] [--months 24] [--skip-build]

Writes build/bench/results.json and prints a table: wall time, peak memory (RSS) of the
generator (this process) and of dbt (child processes), rows generated and rows in the marts.
Speed and memory targets are judged from these numbers, never from timed tests.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

import duckdb

from seller_standing.paths import PROJECT_DIR


def _peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="seller-standing-bench", description=__doc__)
    parser.add_argument("--sellers", type=int, default=8500, help="8500 x 24 is ~10M orders")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--out", default=str(PROJECT_DIR / "build" / "bench"))
    parser.add_argument("--skip-build", action="store_true", help="measure the generator only")
    args = parser.parse_args(argv)

    from seller_standing.build import BuildError, build
    from seller_standing.generate import generate
    from seller_standing.paths import Paths

    out = Path(args.out)
    raw = out / "raw"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    results: dict[str, object] = {"sellers": args.sellers, "months": args.months}

    started = time.monotonic()
    counts = generate(
        raw,
        sellers=args.sellers,
        months=args.months,
        seed=42,
        progress=lambda m: print(f"  {m}", flush=True),
    )
    results["generate_seconds"] = round(time.monotonic() - started, 1)
    results["generate_peak_rss_mb"] = round(_peak_rss_mb(resource.RUSAGE_SELF))
    results["landing_rows"] = counts
    results["landing_mb"] = round(
        sum(f.stat().st_size for f in raw.rglob("*") if f.is_file()) / 2**20
    )

    if not args.skip_build:
        os.environ.update(
            SELLER_STANDING_RAW_DIR=str(raw),
            SELLER_STANDING_DB=str(out / "seller_standing.duckdb"),
            SELLER_STANDING_TEMP_DIR=str(out / "tmp"),
            SELLER_STANDING_DOCS_DIR=str(out / "data_docs"),
            DBT_TARGET_PATH=str(out / "target"),
            DBT_LOG_PATH=str(out / "logs"),
        )
        paths = Paths.from_env()
        started = time.monotonic()
        try:
            with open(out / "build.log", "w") as log:
                build(paths, dbt_vars={"evaluation_date": "2026-11-01"}, out=log)
            results["build_ok"] = True
        except BuildError as error:
            results["build_ok"] = False
            print(f"build failed (see {out / 'build.log'}):\n{error}", file=sys.stderr)
        results["build_seconds"] = round(time.monotonic() - started, 1)
        results["build_peak_rss_mb"] = round(_peak_rss_mb(resource.RUSAGE_CHILDREN))
        if results["build_ok"]:
            con = duckdb.connect(str(paths.published_db), read_only=True)
            results["mart_rows"] = {
                name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]
                for (name,) in con.execute(
                    "select table_name from information_schema.tables "
                    "where table_schema = 'marts' order by 1"
                ).fetchall()
            }
            con.close()
            results["warehouse_mb"] = round(paths.published_db.stat().st_size / 2**20)

    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return 0 if results.get("build_ok", True) else 1


if __name__ == "__main__":
    sys.exit(main())
