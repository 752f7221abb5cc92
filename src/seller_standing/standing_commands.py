"""The `report`, `explain` and `what-if` subcommands (registered by cli.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from seller_standing.paths import Paths


def _published(args: argparse.Namespace) -> Path:
    return Path(args.db).resolve() if args.db else Paths.from_env().published_db


def _cmd_report(args: argparse.Namespace) -> int:
    from seller_standing.report import ReportError, render_report, report_dir

    db = _published(args)
    out = Path(args.out).resolve() if args.out else report_dir(db)
    seller = None
    mode = "all" if args.all else "notable"
    if args.seller:
        marketplace, sep, seller_id = args.seller.partition(":")
        if not sep or not marketplace or not seller_id:
            print(
                f"--seller {args.seller!r}: write MARKETPLACE:SELLER_ID "
                "(e.g. --seller ovoko:ov-s0002).",
                file=sys.stderr,
            )
            return 2
        seller, mode = (marketplace, seller_id), "seller"
    try:
        site = render_report(db, out, mode=mode, seller=seller)
    except (ReportError, OSError) as error:
        print(f"REPORT FAILED\n{error}", file=sys.stderr)
        return 1
    print(
        f"Wrote {site.pages} pages ({site.seller_pages} seller pages) in {site.seconds:.1f} s: "
        f"{site.out_dir / 'index.html'}"
    )
    return 0


def _cmd_explain(args: argparse.Namespace) -> int:
    from seller_standing.explain import explain
    from seller_standing.report import ReportError

    try:
        explain(_published(args), args.marketplace, args.seller_id)
    except ReportError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 0


def _cmd_what_if(args: argparse.Namespace) -> int:
    from seller_standing.whatif import WhatIfError, what_if

    try:
        what_if(
            Path(args.rules),
            seed=args.seed,
            out=Path(args.out).resolve() if args.out else None,
            evaluation_date=args.evaluation_date,
            keep=args.keep,
        )
    except (WhatIfError, OSError) as error:
        print(f"WHAT-IF FAILED\n{error}", file=sys.stderr)
        return 1
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    rep = commands.add_parser(
        "report", help="static site: program pages, seller pages (from the published warehouse)"
    )
    rep.add_argument("--db", help="published warehouse (default: SELLER_STANDING_DB)")
    rep.add_argument("--out", help="folder to write (default: report/ beside the warehouse)")
    which = rep.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="a page for every seller")
    which.add_argument("--seller", metavar="MARKETPLACE:SELLER_ID", help="one seller's pages")
    rep.set_defaults(func=_cmd_report)

    exp = commands.add_parser("explain", help="a seller's standing in the terminal")
    exp.add_argument("marketplace", help="kkday, ovoko, kuaishou, fyndiq or booking")
    exp.add_argument("seller_id")
    exp.add_argument("--db", help="published warehouse (default: SELLER_STANDING_DB)")
    exp.set_defaults(func=_cmd_explain)

    wif = commands.add_parser(
        "what-if", help="re-grade history under proposed rule rows (scratch build)"
    )
    wif.add_argument("rules", help="CSV with the columns of one seeds/rules/ file")
    wif.add_argument(
        "--seed", help="seed the rows are for (default: from the file name, else its columns)"
    )
    wif.add_argument("--out", help="folder for the result page (default: what-if/ beside it)")
    wif.add_argument(
        "--evaluation-date",
        help="YYYY-MM-DD (default: the one the private build was built with)",
    )
    wif.add_argument("--keep", action="store_true", help="keep the scratch folder")
    wif.set_defaults(func=_cmd_what_if)
