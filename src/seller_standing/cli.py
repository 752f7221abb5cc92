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
import traceback

from seller_standing import commands as cmd


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
    gen.set_defaults(func=cmd.run_generate)

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
    bld.set_defaults(func=cmd.run_build)

    chk = commands.add_parser("check", help="run the quality suites")
    chk.add_argument("--db", help="warehouse file (default: the private build file)")
    chk.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    chk.set_defaults(func=cmd.run_check)

    summ = commands.add_parser("summary", help="one-screen summary of the warehouse")
    summ.add_argument("--db", help="warehouse file (default: the published one)")
    summ.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    summ.set_defaults(func=cmd.run_summary)

    pub = commands.add_parser("publish", help="publish the last build without checks")
    pub.add_argument("-v", "--verbose", action="store_true", help="show tracebacks")
    pub.set_defaults(func=cmd.run_publish)

    # report, explain, what-if: defined in standing_commands.py
    from seller_standing.standing_commands import register

    register(commands)
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
        print(f"\n{heading}\n{cmd.explain(error)}", file=sys.stderr)
        if args.verbose:
            traceback.print_exc()
        elif not isinstance(error, OSError) and type(error).__name__ != "SettingError":
            print("(run again with -v to see the traceback)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
