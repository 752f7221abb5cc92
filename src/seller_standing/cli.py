"""`seller-standing`: the command line around the dbt project.

seller-standing generate --sellers 200 --months 24 --out data/demo
seller-standing build            # dbt build -> quality suites -> publish
seller-standing check            # quality suites on the private build (or --db) file
seller-standing summary          # one-screen summary of the published warehouse
seller-standing publish          # publish the last private build (no checks): marts, rules
seller-standing report           # static site of the published warehouse (--all, --seller)
seller-standing explain ovoko ov-s0002  # a seller's standing in the terminal
seller-standing what-if RULES.csv  # re-grade history under proposed rule rows
"""

from __future__ import annotations

import argparse
import sys
import time
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


def _cmd_build(args: argparse.Namespace) -> int:
    from seller_standing.build import BuildError, build

    paths = Paths.from_env()
    dbt_vars = {"evaluation_date": args.evaluation_date} if args.evaluation_date else None
    try:
        build(
            paths,
            dbt_vars=dbt_vars,
            run_checks=not args.skip_checks,
            select=args.select,
            verbose=args.verbose,
        )
    except BuildError as error:
        print(f"\nBUILD FAILED\n{error}", file=sys.stderr)
        return 1
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from seller_standing.quality import run_checks

    paths = Paths.from_env()
    # The suites read landing and staging too: only the private build file holds them.
    db = Path(args.db) if args.db else paths.build_db
    if not db.exists():
        print(f"No build at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    return 0 if run_checks(db, docs_dir=paths.docs_dir) else 1


def _cmd_summary(args: argparse.Namespace) -> int:
    from seller_standing.summary import summarize

    db = Path(args.db) if args.db else Paths.from_env().published_db
    if not db.exists():
        print(f"No warehouse at {db}: run `seller-standing build` first.", file=sys.stderr)
        return 1
    summarize(db)
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from seller_standing.publish import PublishError, publish

    paths = Paths.from_env()
    try:
        published = publish(paths.build_db, paths.published_db)
    except (FileNotFoundError, PublishError) as error:
        print(str(error), file=sys.stderr)
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
    bld.add_argument("-v", "--verbose", action="store_true", help="show all of dbt's output")
    bld.set_defaults(func=_cmd_build)

    chk = commands.add_parser("check", help="run the quality suites")
    chk.add_argument("--db", help="warehouse file (default: the private build file)")
    chk.set_defaults(func=_cmd_check)

    summ = commands.add_parser("summary", help="one-screen summary of the warehouse")
    summ.add_argument("--db", help="warehouse file (default: the published one)")
    summ.set_defaults(func=_cmd_summary)

    pub = commands.add_parser("publish", help="publish the last build without checks")
    pub.set_defaults(func=_cmd_publish)

    # report, explain, what-if (issue 13): defined in standing_commands.py
    from seller_standing.standing_commands import register

    register(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
