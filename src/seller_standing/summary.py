"""The one-screen summary of a published warehouse."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import duckdb

MARTS = (
    "dim_sellers",
    "fct_seller_metrics",
    "fct_program_status",
    "fct_fee_lines",
    "fct_after_sales_requests",
    "fct_quarantined_rows",
)


def _table(rows: list[tuple], headers: list[str], out: TextIO, indent: str = "  ") -> None:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def fmt(values: list[str]) -> str:
        return (
            indent
            + "  ".join(
                v.rjust(w) if i and _numeric(v) else v.ljust(w)
                for i, (v, w) in enumerate(zip(values, widths, strict=True))
            ).rstrip()
        )

    out.write(fmt(headers) + "\n")
    out.write(indent + "  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(fmt(row) + "\n")


def _numeric(value: str) -> bool:
    return value.replace(".", "", 1).replace("-", "", 1).isdigit()


def _existing(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]
    ).fetchall()
    return {r[0] for r in rows}


def summarize(db_path: Path, out: TextIO = sys.stdout) -> None:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        marts = _existing(con, "marts")
        out.write(f"seller_standing warehouse: {db_path}\n\nRows per mart\n")
        counts = [
            (name, con.execute(f"select count(*) from marts.{name}").fetchone()[0])
            for name in MARTS
            if name in marts
        ]
        _table(counts, ["mart", "rows"], out)

        out.write("\nSellers per status, latest evaluated period of each program\n")
        rows = con.execute(
            """
            with latest as (
                select program_id, max(period_start) as period_start
                from marts.fct_program_status group by program_id
            )
            select s.program_id, strftime(s.period_start, '%Y-%m') as period, s.status,
                count(*) as sellers
            from marts.fct_program_status as s
            inner join latest using (program_id, period_start)
            group by all order by s.program_id, sellers desc, s.status
            """
        ).fetchall()
        _table(rows, ["program", "period", "status", "sellers"], out)

        out.write("\nSeller-periods per status, all periods\n")
        rows = con.execute(
            """
            select program_id, string_agg(status || ' ' || n, ', ' order by n desc, status)
            from (
                select program_id, status, count(*) as n
                from marts.fct_program_status group by all
            ) group by program_id order by program_id
            """
        ).fetchall()
        _table(rows, ["program", "statuses"], out)

        out.write("\nFee totals per billing month (each program's last 6 billing months)\n")
        rows = con.execute(
            """
            with per_month as (
                select program_id, strftime(billing_month, '%Y-%m') as billing_month, currency,
                    count(*) as lines, sum(amount) as amount
                from marts.fct_fee_lines group by all
            ),
            ranked as (
                select *, row_number() over (
                    partition by program_id order by billing_month desc) as recency
                from per_month
            )
            select program_id, billing_month, lines, amount, currency
            from ranked where recency <= 6
            order by program_id, billing_month
            """
        ).fetchall()
        _table(rows, ["program", "billing month", "lines", "amount", "currency"], out)

        quarantine_table = (
            "marts.fct_quarantined_rows"
            if "fct_quarantined_rows" in marts
            else "staging.stg_landing__quarantined_rows"
        )
        rows = con.execute(
            f"""
            select table_name, reason, count(*) as n_rows from (
                select table_name,
                    case when reason like 'duplicate key%' then 'duplicate key (superseded)'
                         else regexp_replace(reason, ':.*$', '') end as reason
                from {quarantine_table}
            ) group by all order by n_rows desc limit 15
            """
        ).fetchall()
        total = con.execute(f"select count(*) from {quarantine_table}").fetchone()[0]
        out.write(f"\nQuarantined landing rows: {total}\n")
        if rows:
            _table(rows, ["table", "reason", "rows"], out)
    finally:
        con.close()
