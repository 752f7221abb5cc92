"""The peer of `make bench`: the Ovoko program's monthly metrics in one polars script.

    python -m seller_standing.bench_peer RAW_DIR --evaluation-date 2026-11-01 [--compare DB]

From the landing files under RAW_DIR it computes the rows the project's Ovoko models put in
``marts.fct_seller_metrics`` (program ``ovoko_seller_status``): per seller and complete local
month, ``orders_count``, ``cancelled_items_rate``, ``returned_items_rate`` and
``overdue_shipment_rate`` with numerator, denominator, value, grade and rule version
(docs/rules/ovoko_seller_status.md). It is written from the rulebook and the contract, not
from the SQL: staging as the contract says (text trimmed, empty = null; types, required
columns, allowed values, ranges and references checked; a key re-exported keeps its latest
export), then the four metrics and their grades. With ``--compare`` it reads those rows from a
built warehouse and counts the rows that differ (both ways); the exit status is 1 if any do.

polars and the rules seeds only: no DuckDB, no dbt. `make bench` times it beside the Ovoko
models' own execution time (dbt's run_results.json) on the same files.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from seller_standing.paths import PROJECT_DIR

SOURCES = PROJECT_DIR / "models" / "staging" / "landing" / "_landing__sources.yml"
SEEDS = PROJECT_DIR / "seeds"
PROGRAM = "ovoko_seller_status"
MARKETPLACE = "ovoko"
TABLES = [
    "sellers",
    "orders",
    "order_lines",
    "cancellations",
    "returns",
    "return_reason_corrections",
]
COMPARED = ["numerator", "denominator", "value", "grade", "rule_version"]
# An offset after a time, as staging reads it (offset_pattern): a date alone has none.
OFFSET = r"(Z|z|[+-][0-9]{2}(:?[0-9]{2})?| UTC)$"
TIME_THEN_OFFSET = r"[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?" + OFFSET
NOTHING = pl.lit(None)


def _project() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))


def _contract() -> dict[str, dict[str, Any]]:
    tables = yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"][0]["tables"]

    def meta(item: dict[str, Any]) -> dict[str, Any]:
        return dict(item.get("meta") or {}) | dict((item.get("config") or {}).get("meta") or {})

    return {
        t["name"]: {"meta": meta(t), "columns": [(c["name"], meta(c)) for c in t["columns"]]}
        for t in tables
    }


def _seed(name: str) -> pl.DataFrame:
    """A rules seed as text (empty = null)."""
    return pl.read_csv(next(SEEDS.rglob(f"{name}.csv")), infer_schema=False)


def _in_force(at: pl.Expr) -> pl.Expr:
    """Is the rule row (valid_from / valid_to, null = open) in force on date `at`?"""
    start = pl.col("valid_from").str.to_date("%Y-%m-%d", strict=False)
    end = pl.col("valid_to").str.to_date("%Y-%m-%d", strict=False)
    return (start.is_null() | (at >= start)) & (end.is_null() | (at <= end))


# --- landing files to staged rows ------------------------------------------------------------


def _read(raw: Path, table: str, names: list[str]) -> pl.LazyFrame:
    """Every CSV file of a landing table as text, with its file and 1-based data row; only the
    Ovoko rows (marketplace as staging reads it)."""
    parts = []
    for path in sorted((raw / table).glob("*.csv")):
        if path.stat().st_size == 0:
            continue
        frame = pl.scan_csv(path, infer_schema=False)
        parts.append(
            frame.with_row_index("_source_row", offset=1).with_columns(
                pl.lit(f"{table}/{path.name}").alias("_source_file")
            )
        )
    if not parts:
        empty = {n: pl.String for n in names} | {
            "_source_row": pl.UInt32,
            "_source_file": pl.String,
        }
        return pl.LazyFrame(schema=empty)
    frame = pl.concat(parts, how="diagonal_relaxed")
    have = set(frame.collect_schema().names())
    frame = frame.with_columns(pl.lit(None, pl.String).alias(n) for n in names if n not in have)
    cleaned = [(pl.col(n).str.strip_chars().replace("", None)).alias(n) for n in names]
    frame = frame.with_columns(cleaned).with_columns(pl.col("marketplace").str.to_lowercase())
    return frame.filter(pl.col("marketplace") == MARKETPLACE)


def _naive(text: pl.Expr) -> pl.Expr:
    """ISO 8601 date or date-time text (no offset) as a naive datetime, else null."""
    normal = text.str.replace("T", " ")
    normal = (
        pl.when(normal.str.len_chars() == 10)
        .then(normal + " 00:00:00")
        .when(normal.str.contains(r"^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}$"))
        .then(normal + ":00")
        .otherwise(normal)
    )
    return pl.coalesce(
        normal.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us"),
        normal.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us"),
    )


def _to_utc(text: pl.Expr, tz: str) -> tuple[pl.Expr, pl.Expr]:
    """(UTC time, wall-clock time that does not exist in tz) of timestamp text: text with an
    offset is honoured, text without one is wall-clock time of tz."""
    has_offset = text.str.contains(TIME_THEN_OFFSET)
    bare = pl.when(has_offset).then(text.str.replace(OFFSET, "")).otherwise(text)
    sign = (
        pl.when(text.str.extract(r"([+-])[0-9]{2}(:?[0-9]{2})?$", 1) == "-").then(1).otherwise(-1)
    )
    hours = text.str.extract(r"[+-]([0-9]{2})(:?([0-9]{2}))?$", 1).cast(pl.Int64, strict=False)
    minutes = text.str.extract(r"[+-]([0-9]{2})(:?([0-9]{2}))?$", 3).cast(pl.Int64, strict=False)
    shift = (sign * (hours.fill_null(0) * 60 + minutes.fill_null(0))).fill_null(0)
    with_offset = _naive(bare) + pl.duration(minutes=shift)
    local = _naive(text)
    in_zone = local.dt.replace_time_zone(tz, ambiguous="latest", non_existent="null")
    from_local = in_zone.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    utc = pl.when(has_offset).then(with_offset).otherwise(from_local)
    missing_time = (~has_offset) & local.is_not_null() & in_zone.is_null()
    return utc, missing_time


def _stage(raw: Path, contract: dict[str, Any], staged: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The staged (not quarantined) Ovoko rows of one landing table, as the contract says."""
    table, spec = contract["name"], contract["spec"]
    columns = spec["columns"]
    names = [n for n, _ in columns]
    frame = _read(raw, table, names)
    tz = _project()["vars"]["marketplace_timezones"][MARKETPLACE]
    typed: list[pl.Expr] = []
    broken: list[pl.Expr] = []
    for name, meta in columns:
        kind = meta.get("type", "string")
        text = pl.col(name)
        if kind == "timestamp":
            value, missing_time = _to_utc(text, tz)
            typed.append(value.alias(f"{name}_utc"))
            broken.append(missing_time)
            parsed = pl.col(f"{name}_utc")
        elif kind == "integer":
            ok = text.str.contains(r"^[+-]?[0-9]+([.]0*)?$")
            number = text.str.replace(r"[.]0*$", "").cast(pl.Int64, strict=False)
            typed.append(pl.when(ok).then(number).alias(name))
            parsed = pl.col(name)
        elif kind == "decimal":
            typed.append(text.cast(pl.Float64, strict=False).round(4).alias(name))
            parsed = pl.col(name)
        elif kind == "date":
            typed.append(text.str.to_date("%Y-%m-%d", strict=False).alias(name))
            parsed = pl.col(name)
        elif kind == "boolean":
            lower = text.str.to_lowercase()
            typed.append(
                pl.when(lower == "true").then(True).when(lower == "false").then(False).alias(name)
            )
            parsed = pl.col(name)
        else:
            parsed = pl.col(name)
        if meta.get("required"):
            broken.append(pl.col(f"_text_{name}").is_null())
        if kind != "string":
            broken.append(pl.col(f"_text_{name}").is_not_null() & parsed.is_null())
        values = meta.get("values")
        if meta.get("values_from_var"):
            values = list(_project()["vars"][meta["values_from_var"]])
        if values:
            broken.append(pl.col(f"_text_{name}").is_not_null() & ~parsed.is_in(values))
        if meta.get("min") is not None:
            broken.append(parsed < meta["min"])
        if meta.get("max") is not None:
            broken.append(parsed > meta["max"])
        if meta.get("timezone"):
            known = sorted(zoneinfo.available_timezones())
            broken.append(parsed.is_not_null() & ~parsed.is_in(known))
    frame = frame.with_columns(pl.col(n).alias(f"_text_{n}") for n in names).with_columns(typed)
    frame = frame.with_columns(pl.any_horizontal(b.fill_null(False) for b in broken).alias("_bad"))
    for reference in spec["meta"].get("references", []):
        keys = reference["columns"]
        good = (
            staged[reference["table"]]
            .lazy()
            .select(keys)
            .unique()
            .with_columns(pl.lit(True).alias("_found"))
        )
        frame = (
            frame.join(good, on=keys, how="left", nulls_equal=False)
            .with_columns(
                (
                    pl.col("_bad")
                    | (
                        pl.col("_found").is_null()
                        & pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
                    )
                ).alias("_bad")
            )
            .drop("_found")
        )
    key = [
        f"{k}_utc" if dict(columns)[k].get("type") == "timestamp" else k
        for k in spec["meta"]["key"]
    ]
    order = ["_source_file", "_source_row"]
    if "_exported_at" in names:
        order = ["_exported_at_utc", *order]
    # a key exported more than once keeps its latest export (then the last file and row)
    frame = (
        frame.filter(~pl.col("_bad"))
        .sort(order, descending=True, nulls_last=True)
        .group_by(key)
        .first()
    )
    return frame.collect()


def staged_rows(raw: Path) -> dict[str, pl.DataFrame]:
    contract = _contract()
    staged: dict[str, pl.DataFrame] = {}
    for table in TABLES:
        staged[table] = _stage(raw, {"name": table, "spec": contract[table]}, staged)
    return staged


# --- the program -----------------------------------------------------------------------------


def _local(utc: pl.Expr, tz: pl.Expr | str) -> pl.Expr:
    if isinstance(tz, str):
        return utc.dt.replace_time_zone("UTC").dt.convert_time_zone(tz).dt.replace_time_zone(None)
    raise TypeError


def _per_zone(frame: pl.DataFrame, utc: str, alias: str) -> pl.DataFrame:
    """Wall-clock time of `utc` in each row's effective_timezone."""
    parts = []
    for (tz,), part in frame.group_by(["effective_timezone"]):
        parts.append(part.with_columns(_local(pl.col(utc), str(tz)).alias(alias)))
    if not parts:
        return frame.with_columns(pl.lit(None, pl.Datetime("us")).alias(alias))
    return pl.concat(parts, how="vertical_relaxed")


def metrics(
    raw: Path, evaluation_date: date, timings: dict[str, float] | None = None
) -> pl.DataFrame:
    """The Ovoko rows of marts.fct_seller_metrics, computed from the landing files
    (``timings``: gets the seconds spent reading and staging the files)."""
    started = time.monotonic()
    staged = staged_rows(raw)
    if timings is not None:
        timings["staging_seconds"] = time.monotonic() - started
    project = _project()
    zone = project["vars"]["marketplace_timezones"][MARKETPLACE]
    weekend = [int(d) for d in project["vars"]["weekend_iso_days"]]
    calendar_start = date.fromisoformat(str(project["vars"]["calendar_start_date"]))
    calendar_end = date.fromisoformat(str(project["vars"]["calendar_end_date"]))
    reasons = _seed("marketplace__reason_codes").filter(pl.col("marketplace") == MARKETPLACE)
    rules = _seed(f"{PROGRAM}__rule_versions")
    bars = _seed(f"{PROGRAM}__metric_bars")
    holidays = _seed("calendar__public_holidays").with_columns(
        pl.col("holiday_date").str.to_date("%Y-%m-%d")
    )

    sellers = staged["sellers"].with_columns(
        pl.coalesce(pl.col("timezone"), pl.lit(zone)).alias("effective_timezone"),
        _local(pl.col("registered_at_utc"), zone).alias("registered_at_local"),
    )
    orders = staged["orders"].join(
        sellers.select("seller_id", "country_code", "effective_timezone"), on="seller_id"
    )
    orders = _per_zone(orders, "ordered_at_utc", "ordered_local")
    orders = _per_zone(orders, "shipped_at_utc", "shipped_local")
    orders = orders.with_columns(
        pl.col("ordered_local").dt.date().alias("sale_date"),
        pl.col("ordered_local").dt.truncate("1mo").dt.date().alias("order_month"),
        pl.col("shipped_local").dt.date().alias("shipped_date"),
    )

    # business days per country (calendar range, weekends and public holidays off)
    days = pl.DataFrame(
        {"calendar_date": pl.date_range(calendar_start, calendar_end, eager=True)}
    ).filter(pl.col("calendar_date") < calendar_end)
    countries = pl.concat(
        [sellers.select("country_code"), holidays.select("country_code")]
    ).unique()
    business = (
        countries.join(days, how="cross")
        .join(
            holidays.select(
                "country_code",
                pl.col("holiday_date").alias("calendar_date"),
                pl.lit(True).alias("_holiday"),
            ),
            on=["country_code", "calendar_date"],
            how="left",
        )
        .with_columns(
            (
                ~pl.col("calendar_date").dt.weekday().is_in(weekend) & pl.col("_holiday").is_null()
            ).alias("is_business_day")
        )
        .sort(["country_code", "calendar_date"])
        .with_columns(
            pl.col("is_business_day")
            .cast(pl.Int64)
            .cum_sum()
            .over("country_code")
            .alias("business_day_index")
        )
        .select("country_code", "calendar_date", "is_business_day", "business_day_index")
    )

    # cancellations: seller fault by reason code in force on the (UTC) cancellation date
    cancel_reasons = reasons.filter(pl.col("event_type") == "cancellation")
    cancellations = staged["cancellations"].with_columns(
        pl.col("cancelled_at_utc").dt.date().alias("_on")
    )
    classified = (
        cancellations.join(
            cancel_reasons.select("reason_code", "reason_class", "valid_from", "valid_to"),
            on="reason_code",
            how="left",
        )
        .with_columns(
            (_in_force(pl.col("_on")).fill_null(False) & (pl.col("reason_class") == "seller_fault"))
            .fill_null(False)
            .alias("_fault")
        )
        .group_by(["cancellation_id"])
        .agg(
            pl.col("order_id", "line_id", "quantity", "cancelled_at_utc", "initiated_by").first(),
            pl.col("_fault").any().alias("is_seller_fault"),
        )
    )
    order_cancellations = classified.group_by("order_id").agg(
        pl.col("cancelled_at_utc").max(),
        ((pl.col("initiated_by") == "seller") | pl.col("is_seller_fault"))
        .any()
        .alias("seller_side"),
    )

    # shipments
    ship = orders.join(order_cancellations, on="order_id", how="left").with_columns(
        pl.col("seller_side").fill_null(False)
    )
    ship = _per_zone(ship, "cancelled_at_utc", "cancelled_local").with_columns(
        pl.col("cancelled_local").dt.date().alias("cancelled_date")
    )
    rule_rows = rules.select(
        "rule_version",
        "valid_from",
        "valid_to",
        "overdue_method",
        pl.col("overdue_business_days").cast(pl.Int64, strict=False),
    )
    ship = ship.join(rule_rows, how="cross").filter(_in_force(pl.col("order_month")))
    index = business.select("country_code", "calendar_date", "business_day_index")
    ship = ship.join(
        index.rename({"calendar_date": "sale_date", "business_day_index": "sale_index"}),
        on=["country_code", "sale_date"],
        how="left",
    ).join(
        index.rename({"calendar_date": "shipped_date", "business_day_index": "shipped_index"}),
        on=["country_code", "shipped_date"],
        how="left",
    )
    due = (
        business.filter(pl.col("is_business_day"))
        .group_by(["country_code", "business_day_index"])
        .agg(pl.col("calendar_date").min().alias("overdue_from_date"))
    )
    ship = ship.with_columns(
        (pl.col("sale_index") + pl.col("overdue_business_days")).alias("_due_index")
    ).join(
        due.rename({"business_day_index": "_due_index"}),
        on=["country_code", "_due_index"],
        how="left",
    )
    ship = ship.with_columns(
        pl.when(
            ~((pl.col("overdue_method") == "business_days") & pl.col("shipped_at_utc").is_null())
        )
        .then(None)
        .otherwise(pl.col("overdue_from_date"))
        .alias("overdue_from_date")
    )
    evaluation = pl.lit(evaluation_date)
    by_time = pl.col("overdue_method") == "ship_by_time"
    shipped = pl.col("shipped_at_utc").is_not_null()
    cancelled = pl.col("status") == "cancelled"
    overdue = (
        pl.when(by_time & shipped)
        .then(pl.col("shipped_at_utc") > pl.col("ship_by_at_utc"))
        .when(by_time & cancelled)
        .then(pl.col("seller_side") & (pl.col("cancelled_at_utc") > pl.col("ship_by_at_utc")))
        .when(by_time)
        .then(pl.col("ship_by_at_utc") < evaluation.cast(pl.Datetime("us")))
        .when(shipped)
        .then(pl.col("shipped_index") - pl.col("sale_index") >= pl.col("overdue_business_days"))
        .when(cancelled)
        .then(pl.col("seller_side") & (pl.col("cancelled_date") >= pl.col("overdue_from_date")))
        .otherwise(pl.col("overdue_from_date") < evaluation)
    )
    ship = ship.with_columns(overdue.alias("_overdue")).with_columns(
        ((shipped | pl.col("_overdue")) & ((~by_time) | pl.col("ship_by_at_utc").is_not_null()))
        .fill_null(False)
        .alias("counts"),
        pl.col("_overdue").fill_null(False).alias("is_overdue"),
    )
    shipment_counts = ship.group_by(["seller_id", "order_month"]).agg(
        pl.col("counts").sum().alias("shipments"),
        (pl.col("counts") & pl.col("is_overdue")).sum().alias("overdue_shipments"),
    )

    # items: lines of staged orders, month of their order
    lines = staged["order_lines"].join(
        orders.select("order_id", "seller_id", "order_month"), on="order_id"
    )
    line_cancels = (
        classified.join(
            lines.select("order_id", "line_id", pl.col("quantity").alias("_line_qty")).rename(
                {"line_id": "_line"}
            ),
            on="order_id",
        )
        .filter(pl.col("line_id").is_null() | (pl.col("line_id") == pl.col("_line")))
        .with_columns(
            pl.when(pl.col("line_id").is_null())
            .then(pl.col("_line_qty"))
            .otherwise(pl.coalesce(pl.col("quantity"), pl.col("_line_qty")))
            .alias("_qty")
        )
        .group_by(["order_id", "_line"])
        .agg(
            pl.when(pl.col("is_seller_fault"))
            .then(pl.col("_qty"))
            .otherwise(0)
            .sum()
            .alias("_cancelled")
        )
        .rename({"_line": "line_id"})
    )
    returns = staged["returns"]
    corrections = (
        staged["return_reason_corrections"]
        .join(returns.select("return_id", "closed_at_utc"), on="return_id")
        .filter(
            pl.col("closed_at_utc").is_null()
            | (pl.col("corrected_at_utc") <= pl.col("closed_at_utc"))
        )
        .sort(["corrected_at_utc", "correction_id"], descending=True)
        .unique(subset=["return_id"], keep="first")
        .select("return_id", pl.col("reason_code").alias("_corrected"))
    )
    return_reasons = reasons.filter(pl.col("event_type") == "return")
    returned = (
        returns.filter(pl.col("status") != "rejected")
        .join(corrections, on="return_id", how="left")
        .with_columns(
            pl.coalesce("_corrected", "reason_code").alias("_reason"),
            pl.col("requested_at_utc").dt.date().alias("_on"),
        )
        .join(
            return_reasons.select(
                pl.col("reason_code").alias("_reason"), "reason_class", "valid_from", "valid_to"
            ),
            on="_reason",
            how="left",
        )
        .with_columns(
            (_in_force(pl.col("_on")).fill_null(False) & (pl.col("reason_class") == "seller_fault"))
            .fill_null(False)
            .alias("_fault")
        )
        .group_by(["return_id"])
        .agg(pl.col("order_id", "line_id", "quantity").first(), pl.col("_fault").any())
        .group_by(["order_id", "line_id"])
        .agg(
            pl.when(pl.col("_fault")).then(pl.col("quantity")).otherwise(0).sum().alias("_returned")
        )
    )
    lines = (
        lines.join(line_cancels, on=["order_id", "line_id"], how="left")
        .join(returned, on=["order_id", "line_id"], how="left")
        .with_columns(
            pl.min_horizontal(pl.col("_cancelled").fill_null(0), "quantity").alias("_cancelled"),
            pl.min_horizontal(pl.col("_returned").fill_null(0), "quantity").alias("_returned"),
        )
    )
    item_counts = lines.group_by(["seller_id", "order_month"]).agg(
        pl.col("order_id").n_unique().alias("orders_count"),
        pl.col("quantity").sum().alias("ordered_items"),
        pl.col("_cancelled").sum().alias("cancelled_items"),
        pl.col("_returned").sum().alias("returned_items"),
    )

    # seller months: from the later of registration and the first order month of the
    # marketplace, to the earlier of its last order month and the last complete month
    order_local = staged["orders"].select(
        _local(pl.col("ordered_at_utc"), zone).dt.truncate("1mo").dt.date().alias("m")
    )
    first, last = order_local["m"].min(), order_local["m"].max()
    months = pl.DataFrame(
        {"period_start": pl.date_range(calendar_start, calendar_end, "1mo", eager=True)}
    ).with_columns(pl.col("period_start").dt.month_end().alias("period_end"))
    months = months.filter(
        (pl.col("period_start") >= first)
        & (pl.col("period_start") <= last)
        & (pl.col("period_end") < evaluation_date)
    )
    spine = (
        sellers.select(
            "seller_id", pl.col("registered_at_local").dt.truncate("1mo").dt.date().alias("_from")
        )
        .join(months, how="cross")
        .filter(pl.col("period_start") >= pl.col("_from"))
        .drop("_from")
    )
    monthly = (
        spine.join(
            item_counts.rename({"order_month": "period_start"}),
            on=["seller_id", "period_start"],
            how="left",
        )
        .join(
            shipment_counts.rename({"order_month": "period_start"}),
            on=["seller_id", "period_start"],
            how="left",
        )
        .with_columns(
            pl.col(c).fill_null(0)
            for c in (
                "orders_count",
                "ordered_items",
                "cancelled_items",
                "returned_items",
                "shipments",
                "overdue_shipments",
            )
        )
    )

    def metric(metric_id: str, numerator: str, denominator: str | None) -> pl.DataFrame:
        num = pl.col(numerator).cast(pl.Float64)
        den = pl.col(denominator).cast(pl.Float64) if denominator else pl.lit(None, pl.Float64)
        value = num / pl.when(den != 0).then(den) if denominator else num
        return monthly.select(
            "seller_id",
            "period_start",
            "period_end",
            pl.lit(metric_id).alias("metric_id"),
            num.alias("numerator"),
            den.alias("denominator"),
            value.alias("value"),
        )

    values = pl.concat(
        [
            metric("orders_count", "orders_count", None),
            metric("cancelled_items_rate", "cancelled_items", "ordered_items"),
            metric("returned_items_rate", "returned_items", "ordered_items"),
            metric("overdue_shipment_rate", "overdue_shipments", "shipments"),
        ]
    )
    bar_rows = bars.filter(pl.col("program_id") == PROGRAM).with_columns(
        pl.col("excellent_bar", "good_bar").cast(pl.Float64, strict=False)
    )
    graded = values.join(bar_rows, on="metric_id").filter(_in_force(pl.col("period_start")))

    def meets(bar: str) -> pl.Expr:
        value, limit = pl.col("value"), pl.col(bar)
        return (
            pl.when(pl.col("comparator") == "<")
            .then(value < limit)
            .when(pl.col("comparator") == "<=")
            .then(value <= limit)
            .when(pl.col("comparator") == ">=")
            .then(value >= limit)
            .when(pl.col("comparator") == ">")
            .then(value > limit)
        )

    graded = graded.with_columns(
        pl.when(pl.col("value").is_null())
        .then(pl.lit("insufficient_data"))
        .when(meets("excellent_bar"))
        .then(pl.lit("excellent"))
        .when(pl.col("good_bar").is_null() | meets("good_bar"))
        .then(pl.lit("good"))
        .otherwise(pl.lit("needs_improvement"))
        .alias("grade")
    )
    return graded.select(
        pl.lit(MARKETPLACE).alias("marketplace"),
        "seller_id",
        "metric_id",
        "period_start",
        "period_end",
        pl.col("numerator").round(9),
        pl.col("denominator").round(9),
        pl.col("value").round(9),
        "grade",
        "rule_version",
    ).sort(["seller_id", "metric_id", "period_start"])


def compare(peer: pl.DataFrame, db: Path) -> dict[str, int]:
    """Rows of the peer and of marts.fct_seller_metrics (Ovoko) that differ, both ways."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        mart = con.execute(
            "select marketplace, seller_id, metric_id, period_start, period_end, numerator, "
            "denominator, value, grade, rule_version from marts.fct_seller_metrics "
            "where program_id = ?",
            [PROGRAM],
        ).df()
    finally:
        con.close()
    mart = pl.from_pandas(mart).with_columns(pl.col("period_start", "period_end").cast(pl.Date))
    key = ["marketplace", "seller_id", "metric_id", "period_start", "period_end"]
    numbers = ("numerator", "denominator", "value")
    both = peer.join(mart, on=key, how="full", suffix="_mart", nulls_equal=True)
    differs = [
        pl.col(f"{key[1]}").is_null() | pl.col(f"{key[1]}_mart").is_null(),
        *(
            (pl.col(c).is_null() != pl.col(f"{c}_mart").is_null())
            | ((pl.col(c).cast(pl.Float64) - pl.col(f"{c}_mart")).abs() > 1e-9).fill_null(False)
            for c in numbers
        ),
        *(~pl.col(c).eq_missing(pl.col(f"{c}_mart")) for c in ("grade", "rule_version")),
    ]
    mismatched = both.filter(pl.any_horizontal(differs))
    return {
        "peer_rows": peer.height,
        "mart_rows": mart.height,
        "mismatched_rows": mismatched.height,
        "mismatch_examples": [
            {k: str(v) for k, v in row.items()} for row in mismatched.head(5).to_dicts()
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m seller_standing.bench_peer", description=__doc__
    )
    parser.add_argument("raw", type=Path, help="the landing folder")
    parser.add_argument("--evaluation-date", required=True)
    parser.add_argument("--compare", type=Path, help="a built warehouse to compare with")
    parser.add_argument("--json", type=Path, help="write the timing and comparison here")
    args = parser.parse_args(argv)
    started = time.monotonic()
    timings: dict[str, float] = {}
    rows = metrics(args.raw, date.fromisoformat(args.evaluation_date), timings)
    seconds = time.monotonic() - started
    report: dict[str, Any] = {
        "peer_seconds": round(seconds, 2),
        "staging_seconds": round(timings["staging_seconds"], 2),
        "program_seconds": round(seconds - timings["staging_seconds"], 2),
        "rows": rows.height,
        "polars": pl.__version__,
    }
    if args.compare:
        report |= compare(rows, args.compare)
    print(json.dumps(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 1 if report.get("mismatched_rows") else 0


if __name__ == "__main__":
    sys.exit(main())
