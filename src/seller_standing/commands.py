"""What each `seller-standing` command does (``cli`` parses the arguments and calls these).

Every command takes the parsed arguments and returns the exit code; settings are checked
before any work, and failures become one message.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from seller_standing.paths import Paths


def run_generate(args: argparse.Namespace) -> int:
    from seller_standing.generate import generate

    started = time.monotonic()
    out_dir = Path(args.out)
    print(
        f"Writing a synthetic landing set to {out_dir}: {args.sellers} sellers x {args.months} "
        f"months per marketplace, seed {args.seed}, {args.format}."
    )
    counts = generate(
        out_dir,
        sellers=args.sellers,
        months=args.months,
        seed=args.seed,
        end_month=args.end_month,
        fmt=args.format,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    width = max(len(t) for t in counts)
    for table, rows in counts.items():
        print(f"  {table.ljust(width)}  {rows:>12,}")
    print(f"Done in {time.monotonic() - started:.1f} s.")
    return 0


def checked_settings(need_raw_dir: bool = False) -> Paths:
    """Every setting checked before any work; unknown SELLER_STANDING_* names are noted."""
    from seller_standing.settings import check_environment, check_paths

    for note in check_environment(engine="duckdb"):
        print(f"Note: {note}", file=sys.stderr)
    paths = Paths.from_env()
    check_paths(paths, need_raw_dir=need_raw_dir)
    return paths


def run_build(args: argparse.Namespace) -> int:
    from seller_standing.build import BuildError, build
    from seller_standing.settings import check_evaluation_date

    check_evaluation_date(args.evaluation_date)
    paths = checked_settings(need_raw_dir=True)
    dbt_vars = {"evaluation_date": args.evaluation_date} if args.evaluation_date else None
    try:
        build(
            paths,
            dbt_vars=dbt_vars,
            run_checks=not args.skip_checks,
            select=args.select,
            verbose=args.verbose,
            unit_tests=args.with_unit_tests,
            full_refresh=args.full_refresh,
        )
    except BuildError as error:
        print(f"\nBUILD FAILED\n{error}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        return 1
    return 0


def run_check(args: argparse.Namespace) -> int:
    from seller_standing.quality import run_checks

    paths = checked_settings()
    # The suites read landing and staging too: only the private build file holds them.
    db = Path(args.db) if args.db else paths.build_db
    if not db.exists():
        print(f"No build at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    return 0 if run_checks(db, docs_dir=paths.docs_dir) else 1


def run_summary(args: argparse.Namespace) -> int:
    from seller_standing.summary import summarize

    db = Path(args.db) if args.db else checked_settings().published_db
    if not db.exists():
        print(f"No warehouse at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    summarize(db)
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from seller_standing.lock import BuildLock, LockedError
    from seller_standing.publish import PublishError, publish

    paths = checked_settings()
    try:
        with BuildLock(paths.build_db, paths.published_db):
            published = publish(paths.build_db, paths.published_db)
    except (FileNotFoundError, LockedError, PublishError) as error:
        print(f"\nPUBLISH FAILED\n{error}", file=sys.stderr)
        return 1
    print(f"Published {published}.")
    return 0


def explain(error: Exception) -> str:
    from seller_standing.settings import SettingError

    if isinstance(error, SettingError):
        return f"{error}\nNothing was built or changed."
    if isinstance(error, OSError):
        from seller_standing.build import machine_error

        return str(machine_error(error, Paths.from_env()))
    return f"Unexpected error ({type(error).__name__}): {error}"
