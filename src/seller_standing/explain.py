"""`seller-standing explain MARKETPLACE SELLER_ID`: a seller's standing in the terminal.

Per program: the latest status and its validity window, each metric's latest value, bar,
grade and headroom (in words), and the fee lines of the last billing months. Read from the
published warehouse, read-only, with the same queries as the report's seller pages."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from seller_standing.report import words
from seller_standing.report.data import ReportError, SellerProgram, connect, load_sellers

FEE_MONTHS = 3


def _table(rows: list[list[str]], headers: list[str], out: TextIO, right: set[int]) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(values: list[str]) -> str:
        cells = [
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ]
        return "    " + "  ".join(cells).rstrip()

    out.write(line(headers) + "\n")
    out.write("    " + "  ".join("-" * w for w in widths) + "\n")
    for r in rows:
        out.write(line(r) + "\n")


def explain_program(s: SellerProgram, out: TextIO, fee_months: int = FEE_MONTHS) -> None:
    out.write(f"\n{words.program_label(s.program_id)} ({s.program_id})\n")
    latest = s.latest
    if latest is None:
        out.write("  No status decided yet.\n")
    else:
        period = words.period_label(latest.period_start, latest.period_end)
        change = {
            "promoted": f", promoted from {words.status_label(latest.previous_status)}",
            "demoted": f", demoted from {words.status_label(latest.previous_status)}",
            "kept": ", unchanged",
            "new": ", first evaluated period",
        }.get(latest.status_change, "")
        out.write(
            f"  Status: {words.status_label(latest.status)} from {latest.valid_from} to "
            f"{latest.valid_to} (decided on {period}{change})\n"
        )
        if latest.ranking_penalty:
            out.write("  Ranking penalty in the same window.\n")
        if latest.failing_metrics:
            rows = {
                r.metric_id: r for r in s.latest_metrics() if r.period_start == latest.period_start
            }
            out.write("  Held back by:\n")
            for metric_id in latest.failing_metrics.split(","):
                row = rows.get(metric_id.strip())
                text = (
                    words.failing_text(s.program_id, row)
                    if row
                    else words.metric(metric_id.strip()).label
                )
                out.write(f"    - {text}\n")
    latest_metrics = s.latest_metrics()
    if latest_metrics:
        rows = []
        sentences = []
        for m in latest_metrics:
            period = words.period_label(m.period_start, m.period_end)
            rows.append(
                [
                    words.metric(m.metric_id).label,
                    period,
                    words.fmt_value(m.metric_id, m.value),
                    words.fmt_count(m.numerator, m.denominator)
                    if words.metric(m.metric_id).kind in ("rate", "count")
                    else "",
                    words.fmt_bar(m.metric_id, m.bar_value),
                    words.row_grade_word(s.program_id, m),
                    "" if m.headroom is None else str(m.headroom),
                ]
            )
            sentence = words.headroom_sentence(
                s.program_id, m.metric_id, m.grade, m.headroom, period
            )
            if sentence:
                sentences.append(f"{words.metric(m.metric_id).label}: {sentence}")
        out.write("  Metrics:\n")
        _table(
            rows,
            ["metric", "period", "value", "counted", "bar", "grade", "headroom"],
            out,
            right={2, 3, 4, 6},
        )
        for sentence in sentences:
            out.write(f"  - {sentence}\n")
    months: dict = defaultdict(list)
    for f in s.fees:
        months[f.billing_month].append(f)
    if not months:
        out.write("  No fee lines.\n")
        return
    last = sorted(months)[-fee_months:]
    out.write(f"  Fee lines, last {len(last)} billing month(s) with fees:\n")
    for month in last:
        totals: dict[str, object] = {}
        for f in months[month]:
            totals[f.currency] = totals.get(f.currency, 0) + f.amount
        total_text = ", ".join(words.fmt_amount(t, c) for c, t in sorted(totals.items()))
        out.write(f"    billed {month:%Y-%m}: {total_text}\n")
        for f in months[month]:
            out.write(
                f"      {words.fmt_amount(f.amount, f.currency):>16}  "
                f"{words.fee_type_label(f.fee_type)}: {f.explanation}\n"
            )


def explain(db: Path, marketplace: str, seller_id: str, out: TextIO = sys.stdout) -> None:
    """Print the seller's standing; ReportError for a missing warehouse or unknown seller."""
    con = connect(db)
    try:
        sellers = load_sellers(con, "seller", marketplace, seller_id)
        if not sellers:
            known = con.execute(
                "select count(*) from marts.dim_sellers where marketplace = ? and seller_id = ?",
                [marketplace, seller_id],
            ).fetchone()[0]
            markets = [
                r[0]
                for r in con.execute(
                    "select distinct marketplace from marts.dim_sellers order by 1"
                ).fetchall()
            ]
    finally:
        con.close()
    if not sellers:
        if known:
            raise ReportError(
                f"Seller {seller_id!r} of {marketplace} has no evaluated period, metric or fee "
                "line yet."
            )
        hint = (
            f"marketplaces in this warehouse: {', '.join(markets)}"
            if marketplace not in markets
            else "check the seller_id (as exported; ids are case-sensitive)"
        )
        raise ReportError(
            f"No seller {seller_id!r} on marketplace {marketplace!r} in {db}: {hint}."
        )
    first = next(iter(sellers.values()))
    out.write(
        f"{first.seller_name or seller_id} — {words.marketplace_label(marketplace)} seller "
        f"{seller_id}{' (' + first.country_code + ')' if first.country_code else ''}\n"
    )
    for key in sorted(sellers):
        explain_program(sellers[key], out)
