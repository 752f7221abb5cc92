"""Everything the pages show, read from the published warehouse in one pass of queries.

The warehouse is opened read-only. A handful of queries read every selected seller's rows at
once (never one query per seller); Python groups them per seller and program.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

REQUIRED_MARTS = ("dim_sellers", "fct_seller_metrics", "fct_program_status", "fct_fee_lines")


class ReportError(Exception):
    """The warehouse cannot be read for a report; the message says why and what to do."""


@dataclass
class Bars:
    """A metric's bars in force for one period (from the program's metric-bars seed)."""

    grading: str  # excellent_good or pass_fail
    comparator: str  # <, <=, >=, >
    excellent: float | None
    good: float | None
    passing: float | None
    rule_version: str


@dataclass
class MetricRow:
    metric_id: str
    period_start: date
    period_end: date
    numerator: float | None
    denominator: float | None
    value: float | None
    grade: str
    bar_value: float | None
    headroom: int | None
    rule_version: str
    bars: Bars | None = None


@dataclass
class StatusRow:
    period_start: date
    period_end: date
    status: str
    qualifies: bool
    valid_from: date
    valid_to: date
    previous_status: str | None
    status_change: str
    failing_metrics: str | None
    ranking_penalty: bool
    rule_version: str
    description: str | None


@dataclass
class FeeRow:
    fee_line_id: str
    fee_type: str
    period_start: date
    period_end: date
    billing_month: date
    amount: object  # Decimal
    currency: str
    explanation: str
    product_id: str | None
    price_band: str | None


@dataclass
class SellerProgram:
    """One seller in one program: what a seller page shows."""

    marketplace: str
    seller_id: str
    program_id: str
    seller_name: str | None = None
    country_code: str | None = None
    timezone: str | None = None
    statuses: list[StatusRow] = field(default_factory=list)
    metrics: dict[str, list[MetricRow]] = field(default_factory=dict)
    fees: list[FeeRow] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.marketplace, self.seller_id, self.program_id)

    @property
    def latest(self) -> StatusRow | None:
        return self.statuses[-1] if self.statuses else None

    def latest_metrics(self) -> list[MetricRow]:
        """Each metric's row of the latest period it was graded in."""
        return [rows[-1] for _, rows in sorted(self.metrics.items()) if rows]


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only, or explain why it cannot be."""
    if not db.exists():
        raise ReportError(
            f"No warehouse at {db}: run `seller-standing build` first (or point "
            "SELLER_STANDING_DB at the published warehouse)."
        )
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as error:
        raise ReportError(f"Cannot open the warehouse {db} read-only: {error}") from None
    con.execute("set enable_progress_bar = false")
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    missing = [m for m in REQUIRED_MARTS if m not in tables]
    if missing:
        con.close()
        raise ReportError(
            f"The warehouse {db} has no {', '.join('marts.' + m for m in missing)}: is it a "
            "seller_standing warehouse? Run `seller-standing build` to (re)build it."
        )
    return con


def _rules_tables(con: duckdb.DuckDBPyConnection, suffix: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'rules' "
        "and table_name like ? order by 1",
        ["%" + suffix],
    ).fetchall()
    return [r[0] for r in rows if re.fullmatch(r"[a-z0-9_]+", r[0])]


def load_bars(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple]]:
    """(program_id, metric_id) -> [(valid_from, valid_to, Bars)] from every metric-bars seed."""
    out: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for table in _rules_tables(con, "__metric_bars"):
        rows = con.execute(
            "select program_id, metric_id, valid_from, valid_to, grading, comparator, "
            f"excellent_bar, good_bar, pass_bar, rule_version from rules.{table}"
        ).fetchall()
        for prog, met, vf, vt, grading, comp, exc, good, pas, version in rows:
            out[(prog, met)].append((vf, vt, Bars(grading, comp, exc, good, pas, version)))
    return out


def bars_for(
    bars: dict[tuple[str, str], list[tuple]], program_id: str, row: MetricRow
) -> Bars | None:
    """The bars in force for the row's period; for Fyndiq's issue rates (whose bar is a row of
    the fee schedule) the threshold the row was graded against."""
    for vf, vt, b in bars.get((program_id, row.metric_id), []):
        if (vf is None or row.period_start >= vf) and (vt is None or row.period_start <= vt):
            return b
    if row.bar_value is not None and program_id == "fyndiq_performance":
        return Bars("pass_fail", "<=", None, None, row.bar_value, row.rule_version)
    return None


def load_status_descriptions(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple]:
    """(program_id, status) -> (status_level, qualifies, description)."""
    out = {}
    for table in _rules_tables(con, "__statuses"):
        for prog, status, level, qualifies, desc in con.execute(
            f"select program_id, status, status_level, qualifies, description from rules.{table}"
        ).fetchall():
            out[(prog, status)] = (level, qualifies, desc)
    return out


# Which sellers get a page. Each is a query returning marketplace, seller_id, program_id.
_ALL_SQL = """
    select marketplace, seller_id, program_id from marts.fct_program_status
    union
    select marketplace, seller_id, program_id from marts.fct_seller_metrics
    union
    select marketplace, seller_id, program_id from marts.fct_fee_lines
"""

# A status change in the seller's latest period, or a metric failing (needs improvement,
# fail) in the latest period the metric was graded in.
_NOTABLE_SQL = """
    select marketplace, seller_id, program_id from marts.fct_program_status
    qualify row_number() over (
        partition by marketplace, seller_id, program_id order by period_start desc) = 1
        and (status_change in ('promoted', 'demoted') or failing_metrics is not null)
    union
    select marketplace, seller_id, program_id from (
        select * from marts.fct_seller_metrics
        qualify row_number() over (
            partition by marketplace, seller_id, program_id, metric_id
            order by period_start desc) = 1
    ) where grade in ('needs_improvement', 'fail')
"""


def selection_sql(mode: str) -> str:
    if mode == "all":
        return _ALL_SQL
    if mode == "notable":
        return _NOTABLE_SQL
    if mode == "seller":
        return (
            _ALL_SQL.replace(
                "marts.fct_program_status", "(from marts.fct_program_status where {w})"
            )
            .replace("marts.fct_seller_metrics", "(from marts.fct_seller_metrics where {w})")
            .replace("marts.fct_fee_lines", "(from marts.fct_fee_lines where {w})")
            .format(w="marketplace = $marketplace and seller_id = $seller_id")
        )
    raise ValueError(mode)


def load_sellers(
    con: duckdb.DuckDBPyConnection,
    mode: str,
    marketplace: str | None = None,
    seller_id: str | None = None,
) -> dict[tuple[str, str, str], SellerProgram]:
    """Every selected seller-program with its statuses, metrics (with bars) and fee lines."""
    params = {"marketplace": marketplace, "seller_id": seller_id} if mode == "seller" else {}
    sel = f"selected as ({selection_sql(mode)})"
    pages: dict[tuple[str, str, str], SellerProgram] = {}
    for mkt, sid, prog in con.execute(f"with {sel} select * from selected", params).fetchall():
        pages[(mkt, sid, prog)] = SellerProgram(mkt, sid, prog)
    if not pages:
        return pages

    names = con.execute(
        f"""with {sel}
        select d.marketplace, d.seller_id, d.seller_name, d.country_code, d.timezone
        from marts.dim_sellers as d semi join selected using (marketplace, seller_id)""",
        params,
    ).fetchall()
    by_seller = {(m, s): (n, c, tz) for m, s, n, c, tz in names}
    for page in pages.values():
        page.seller_name, page.country_code, page.timezone = by_seller.get(
            (page.marketplace, page.seller_id), (None, None, None)
        )

    descriptions = load_status_descriptions(con)
    for row in con.execute(
        f"""with {sel}
        select s.marketplace, s.seller_id, s.program_id, s.period_start, s.period_end, s.status,
            s.qualifies, s.valid_from, s.valid_to, s.previous_status, s.status_change,
            s.failing_metrics, s.ranking_penalty, s.rule_version
        from marts.fct_program_status as s semi join selected using (marketplace, seller_id,
            program_id)
        order by s.marketplace, s.seller_id, s.program_id, s.period_start""",
        params,
    ).fetchall():
        page = pages[(row[0], row[1], row[2])]
        desc = descriptions.get((row[2], row[5]), (None, None, None))[2]
        page.statuses.append(StatusRow(*row[3:], description=desc))

    bars = load_bars(con)
    for row in con.execute(
        f"""with {sel}
        select m.marketplace, m.seller_id, m.program_id, m.metric_id, m.period_start,
            m.period_end, m.numerator, m.denominator, m.value, m.grade, m.bar_value, m.headroom,
            m.rule_version
        from marts.fct_seller_metrics as m semi join selected using (marketplace, seller_id,
            program_id)
        order by m.marketplace, m.seller_id, m.program_id, m.metric_id, m.period_start""",
        params,
    ).fetchall():
        page = pages[(row[0], row[1], row[2])]
        metric_row = MetricRow(*row[3:])
        metric_row.bars = bars_for(bars, row[2], metric_row)
        page.metrics.setdefault(row[3], []).append(metric_row)

    for row in con.execute(
        f"""with {sel}
        select f.marketplace, f.seller_id, f.program_id, f.fee_line_id, f.fee_type,
            f.period_start, f.period_end, f.billing_month, f.amount, f.currency, f.explanation,
            f.product_id, f.price_band
        from marts.fct_fee_lines as f semi join selected using (marketplace, seller_id,
            program_id)
        order by f.marketplace, f.seller_id, f.program_id, f.billing_month, f.fee_type,
            f.period_start, f.product_id, f.price_band""",
        params,
    ).fetchall():
        pages[(row[0], row[1], row[2])].fees.append(FeeRow(*row[3:]))
    return pages


def normalised_name(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def load_namesakes(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(seller_id, normalised name) -> [(marketplace, program_id)] over every program.

    Sellers of different marketplaces are the same seller when both their seller_id and their
    name (case and spacing ignored) are equal: seller ids are only unique within a
    marketplace, so an id alone would link strangers."""
    out: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    rows = con.execute(
        """select distinct d.seller_id, d.seller_name, s.marketplace, s.program_id
        from marts.dim_sellers as d
        inner join (select distinct marketplace, seller_id, program_id
                    from marts.fct_program_status
                    union select distinct marketplace, seller_id, program_id
                    from marts.fct_seller_metrics) as s using (marketplace, seller_id)
        order by s.marketplace, s.program_id"""
    ).fetchall()
    for sid, name, mkt, prog in rows:
        out[(sid, normalised_name(name))].append((mkt, prog))
    return out


@dataclass
class ProgramSummary:
    program_id: str
    periods: list[tuple[date, date]] = field(default_factory=list)
    # (period_start, status) -> sellers
    distribution: dict[tuple[date, str], int] = field(default_factory=dict)
    # status -> (status_level, qualifies, description)
    statuses: dict[str, tuple] = field(default_factory=dict)
    # period_start -> {promoted, demoted, kept, new}
    changes: dict[date, dict[str, int]] = field(default_factory=dict)
    # sellers whose status changes with the latest decided period
    next_changes: list[tuple] = field(default_factory=list)
    # (billing_month, fee_type, currency) -> (lines, amount)
    fees: dict[tuple[date, str, str], tuple[int, object]] = field(default_factory=dict)
    quarantine: list[tuple] = field(default_factory=list)  # (table, reason, rows)
    quarantine_examples: list[tuple] = field(default_factory=list)
    quarantine_total: int = 0


def load_programs(con: duckdb.DuckDBPyConnection) -> dict[str, ProgramSummary]:
    from seller_standing.report.words import PROGRAMS

    programs: dict[str, ProgramSummary] = {}
    descriptions = load_status_descriptions(con)

    def get(program_id: str) -> ProgramSummary:
        if program_id not in programs:
            programs[program_id] = ProgramSummary(program_id)
            programs[program_id].statuses = {
                s: v for (p, s), v in descriptions.items() if p == program_id
            }
        return programs[program_id]

    for prog, start, end, status, n in con.execute(
        """select program_id, period_start, period_end, status, count(*)
        from marts.fct_program_status group by all order by all"""
    ).fetchall():
        summary = get(prog)
        if (start, end) not in summary.periods:
            summary.periods.append((start, end))
        summary.distribution[(start, status)] = n
    for prog, start, change, n in con.execute(
        """select program_id, period_start, status_change, count(*)
        from marts.fct_program_status group by all order by all"""
    ).fetchall():
        get(prog).changes.setdefault(start, {})[change] = n
    for row in con.execute(
        """with latest as (
            select program_id, max(period_start) as period_start
            from marts.fct_program_status group by program_id
        )
        select s.program_id, s.marketplace, s.seller_id, d.seller_name, s.period_start,
            s.period_end, s.previous_status, s.status, s.status_change, s.valid_from, s.valid_to
        from marts.fct_program_status as s
        inner join latest using (program_id, period_start)
        left join marts.dim_sellers as d using (marketplace, seller_id)
        where s.status_change in ('promoted', 'demoted')
        order by s.program_id, s.status_change desc, s.marketplace, s.seller_id"""
    ).fetchall():
        get(row[0]).next_changes.append(row[1:])
    for prog, month, fee_type, currency, lines, amount in con.execute(
        """select program_id, billing_month, fee_type, currency, count(*), sum(amount)
        from marts.fct_fee_lines group by all order by all"""
    ).fetchall():
        get(prog).fees[(month, fee_type, currency)] = (lines, amount)

    has_quarantine = bool(
        con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'marts' "
            "and table_name = 'fct_quarantined_rows'"
        ).fetchone()[0]
    )
    # Quarantined rows touch a program when their marketplace (as exported) is the
    # program's marketplace.
    for program_id, p in PROGRAMS.items():
        if program_id not in programs or not has_quarantine:
            continue
        summary = programs[program_id]
        summary.quarantine = con.execute(
            """select table_name,
                case when reason like 'duplicate key%' then 'duplicate key (superseded)'
                     else regexp_replace(reason, ':.*$', '') end as reason_kind,
                count(*) from marts.fct_quarantined_rows where marketplace = ?
            group by all order by 3 desc, 1, 2""",
            [p.marketplace],
        ).fetchall()
        summary.quarantine_total = sum(r[2] for r in summary.quarantine)
        summary.quarantine_examples = con.execute(
            """select table_name, source_file, source_row, reason
            from marts.fct_quarantined_rows where marketplace = ?
            order by table_name, source_file, source_row limit 25""",
            [p.marketplace],
        ).fetchall()
    return programs
