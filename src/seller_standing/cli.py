"""`seller-standing`: the command line around the dbt project.

seller-standing generate --sellers 200 --months 24 --out data/demo
seller-standing build            # dbt build -> quality suites -> publish
seller-standing check            # quality suites on the private build (or --db) file
seller-standing summary          # one-screen summary of the published warehouse
seller-standing publish          # publish the last private build (no checks): marts, rules
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

from seller_standing.paths import Paths


def _cmd_generate(args: argparse.Namespace) -> int:
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


def _settings(need_raw_dir: bool = False) -> Paths:
    """Every setting checked before any work; unknown SELLER_STANDING_* names are noted."""
    from seller_standing.settings import check_environment, check_paths

    for note in check_environment():
        print(f"Note: {note}", file=sys.stderr)
    paths = Paths.from_env()
    check_paths(paths, need_raw_dir=need_raw_dir)
    return paths


def _cmd_build(args: argparse.Namespace) -> int:
    from seller_standing.build import BuildError, build
    from seller_standing.settings import check_evaluation_date

    check_evaluation_date(args.evaluation_date)
    paths = _settings(need_raw_dir=True)
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


def _cmd_check(args: argparse.Namespace) -> int:
    from seller_standing.quality import run_checks

    paths = _settings()
    # The suites read landing and staging too: only the private build file holds them.
    db = Path(args.db) if args.db else paths.build_db
    if not db.exists():
        print(f"No build at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    return 0 if run_checks(db, docs_dir=paths.docs_dir) else 1


def _cmd_summary(args: argparse.Namespace) -> int:
    from seller_standing.summary import summarize

    db = Path(args.db) if args.db else _settings().published_db
    if not db.exists():
        print(f"No warehouse at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    summarize(db)
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from seller_standing.lock import BuildLock, LockedError
    from seller_standing.publish import PublishError, publish

    paths = _settings()
    try:
        with BuildLock(paths.build_db, paths.published_db):
            published = publish(paths.build_db, paths.published_db)
    except (FileNotFoundError, LockedError, PublishError) as error:
        print(f"\nPUBLISH FAILED\n{error}", file=sys.stderr)
        return 1
    print(f"Published {published}.")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="seller-standing",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = root.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate", help="write a synthetic landing set")
    gen.add_argument("--out", default="data/demo", help="landing folder to write")
    gen.add_argument("--sellers", type=int, default=200, help="sellers over all marketplaces")
    gen.add_argument("--months", type=int, default=24, help="months per marketplace")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument(
        "--end-month",
        default="2026-10",
        help="last month of the kkday and booking windows (YYYY-MM)",
    )
    gen.add_argument("--format", choices=["csv", "parquet"], default="csv")
    gen.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    gen.set_defaults(func=_cmd_generate)

    bld = commands.add_parser("build", help="dbt build, quality suites, publish")
    bld.add_argument(
        "--evaluation-date",
        help="YYYY-MM-DD; periods ending before it are evaluated (default: today)",
    )
    bld.add_argument("--select", help="dbt node selection to build (default: everything)")
    bld.add_argument(
        "--skip-checks", action="store_true", help="publish after dbt's own tests only"
    )
    bld.add_argument(
        "--full-refresh",
        action="store_true",
        help="parse every landing file again and rebuild everything (default: files already "
        "loaded are not parsed again)",
    )
    bld.add_argument(
        "--with-unit-tests",
        action="store_true",
        help="also run dbt's unit tests (make test does; a production build skips them)",
    )
    bld.add_argument("-v", "--verbose", action="store_true", help="show all of dbt's output")
    bld.set_defaults(func=_cmd_build)

    chk = commands.add_parser("check", help="run the quality suites")
    chk.add_argument("--db", help="warehouse file (default: the private build file)")
    chk.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    chk.set_defaults(func=_cmd_check)

    summ = commands.add_parser("summary", help="one-screen summary of the warehouse")
    summ.add_argument("--db", help="warehouse file (default: the published one)")
    summ.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    summ.set_defaults(func=_cmd_summary)

    pub = commands.add_parser("publish", help="publish the last build without checks")
    pub.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    pub.set_defaults(func=_cmd_publish)
    return root


def main(argv: list[str] | None = None) -> int:
    """Run one command. Every way out ends in one message; -v adds the traceback."""
    args = parser().parse_args(argv)
    heading = f"{args.command.upper()} FAILED"
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: one message
        print(f"\n{heading}\n{_explain(error)}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        elif not isinstance(error, OSError) and type(error).__name__ != "SettingError":
            print("(run again with -v to see the traceback)", file=sys.stderr)
        return 1


def _explain(error: Exception) -> str:
    from seller_standing.settings import SettingError

    if isinstance(error, SettingError):
        return f"{error}\nNothing was built or changed."
    if isinstance(error, OSError):
        from seller_standing.build import machine_error

        return str(machine_error(error, Paths.from_env()))
    return f"Unexpected error ({type(error).__name__}): {error}"


if __name__ == "__main__":
    sys.exit(main())
