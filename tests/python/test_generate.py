"""Tests of the synthetic landing-data generator (seller_standing.generate)."""

from __future__ import annotations

import csv
import re
import tracemalloc
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import pytest

from seller_standing.contract import landing_tables, node_meta
from seller_standing.generate import MARKETPLACES, generate, marketplace_windows, split_sellers
from seller_standing.generate.schema import SCHEMAS
from seller_standing.project import marketplace_timezones

# The landing contract (models/staging/landing/_landing__sources.yml): each table's columns in
# order; and the marketplaces' time zones (dbt_project.yml var marketplace_timezones).
CONTRACT_COLUMNS: dict[str, list[str]] = {
    table["name"]: [column["name"] for column in table["columns"]] for table in landing_tables()
}
MARKET_ZONES = marketplace_timezones()
ALLOWED = {
    ("orders", "status"): {"placed", "processed", "shipped", "delivered", "completed", "cancelled"},
    ("orders", "confirm_mode"): {"instant", "within_hours", "before_departure"},
    ("cancellations", "initiated_by"): {"seller", "customer", "platform", "system"},
    ("returns", "status"): {"processing", "accepted", "rejected", "completed"},
    ("after_sales_requests", "request_type"): {
        "refund_only_unshipped",
        "refund_only_shipped",
        "return_refund",
    },
    ("after_sales_requests", "seller_decision"): {"approved", "rejected"},
    ("after_sales_requests", "completed_by"): {"seller", "system", "platform", "buyer_withdrew"},
    ("disputes", "liability"): {"merchant", "buyer", "platform", "none"},
    ("messages", "sender_role"): {"customer", "seller", "platform"},
    ("violations", "status"): {"confirmed", "appealed", "overturned"},
    ("customer_issues", "issue_type"): {"missing", "complaint", "regret", "other"},
    ("customer_issues", "status"): {"open", "closed", "withdrawn"},
    ("program_memberships", "action"): {"opt_in", "opt_out"},
}
OFFSET_FORM = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
Z_FORM = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
NAIVE_FORM = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
MONEY = re.compile(r"^\d+\.\d\d$")

SMALL = {"sellers": 20, "months": 6}


def read_table(root: Path, table: str) -> list[dict[str, str]]:
    """All rows of a table, files in name order (empty field -> '')."""
    rows: list[dict[str, str]] = []
    for path in sorted((root / table).glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def parse_ts(value: str, marketplace: str) -> datetime:
    if NAIVE_FORM.match(value):
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(MARKET_ZONES[marketplace]))
    assert OFFSET_FORM.match(value) or Z_FORM.match(value), value
    return datetime.fromisoformat(value)


def export_time(row: dict[str, str]) -> datetime:
    if not row["_exported_at"]:
        return datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    return parse_ts(row["_exported_at"], row["marketplace"])


def latest(rows: list[dict[str, str]], key: str) -> dict[tuple[str, str], dict[str, str]]:
    """Deduplicate re-exports: the latest _exported_at wins, else the last row."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:
        k = (row["marketplace"], row[key])
        old = out.get(k)
        if old is None or export_time(row) >= export_time(old):
            out[k] = row
    return out


def test_generator_schemas_are_the_source_yaml_columns() -> None:
    """The generator writes exactly the contract's tables and columns, in its order, and
    encodes each column as its contract type says (ids and decimals are strings/numbers)."""
    text_kinds = {"string": {"str", "id"}, "timestamp": {"ts"}, "date": {"date"}}
    number_kinds = {"integer": {"int"}, "decimal": {"int", "money", "float"}}
    expected_kinds = text_kinds | number_kinds | {"boolean": {"bool"}}
    tables = landing_tables()
    assert list(SCHEMAS) == [table["name"] for table in tables]
    for table in tables:
        assert [name for name, _, _ in SCHEMAS[table["name"]]] == CONTRACT_COLUMNS[table["name"]]
        for (name, kind, _), column in zip(SCHEMAS[table["name"]], table["columns"], strict=True):
            contract_type = node_meta(column)["type"]
            assert kind in expected_kinds[contract_type], (table["name"], name, contract_type)
    assert set(MARKETPLACES) == set(MARKET_ZONES)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("raw")
    messages: list[str] = []
    rows = generate(out, **SMALL, progress=messages.append)
    assert messages, "progress was never called"
    return out, rows


@pytest.fixture(scope="module")
def tables(small_run: tuple[Path, dict[str, int]]) -> dict[str, list[dict[str, str]]]:
    root, _ = small_run
    return {t: read_table(root, t) for t in CONTRACT_COLUMNS}


def test_every_table_written_with_contract_header(small_run: tuple[Path, dict[str, int]]) -> None:
    root, rows = small_run
    assert set(rows) == set(CONTRACT_COLUMNS)
    for table, columns in CONTRACT_COLUMNS.items():
        files = sorted((root / table).iterdir())
        assert files, table
        total = 0
        for path in files:
            assert re.fullmatch(rf"{table}_20\d\d\.csv", path.name), path.name
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                assert next(reader) == columns, path
                total += sum(1 for _ in reader)
        assert total == rows[table] > 0, table


def test_allowed_values_and_formats(tables: dict[str, list[dict[str, str]]]) -> None:
    for (table, column), allowed in ALLOWED.items():
        seen = {row[column] for row in tables[table]} - {""}
        assert seen <= allowed, (table, column, seen - allowed)
    statuses = {row["status"] for row in tables["orders"]}
    assert {"placed", "processed", "completed", "cancelled", "delivered"} <= statuses
    assert {row["marketplace"] for row in tables["orders"]} == set(MARKET_ZONES)
    for row in tables["order_lines"]:
        assert MONEY.match(row["unit_price"]) and float(row["unit_price"]) > 0
        assert int(row["quantity"]) > 0
    assert {row["in_campaign"] for row in tables["orders"]} == {"", "true", "false"}
    for row in tables["reviews"]:
        assert 1 <= int(row["rating"]) <= int(row["rating_scale"])
        assert row["rating_scale"] == ("10" if row["marketplace"] == "booking" else "5")
    for row in tables["violations"]:
        assert 1 <= int(row["points"]) <= 5
    for row in tables["sellers"]:
        assert row["email"] == f"{row['seller_id']}@example.invalid"
        assert re.fullmatch(r"\+\d+ \d+ \d{5}", row["phone"]), row["phone"]
        assert bool(row["timezone"]) == (row["marketplace"] == "booking") or row["seller_id"] in {
            "kk-s0002",
            "ov-s0002",
        }


def test_keys_unique_and_referential_integrity(tables: dict[str, list[dict[str, str]]]) -> None:
    def keys(table: str, *cols: str) -> list[tuple[str, ...]]:
        return [(row["marketplace"], *(row[c] for c in cols)) for row in tables[table]]

    for table, cols in [
        ("sellers", ("seller_id",)),
        ("order_lines", ("order_id", "line_id")),
        ("cancellations", ("cancellation_id",)),
        ("returns", ("return_id",)),
        ("return_reason_corrections", ("correction_id",)),
        ("after_sales_requests", ("request_id",)),
        ("disputes", ("dispute_id",)),
        ("messages", ("message_id",)),
        ("reviews", ("review_id",)),
        ("violations", ("violation_id",)),
        ("customer_issues", ("issue_id",)),
        ("css_ratings", ("rating_id",)),
        ("property_scores", ("seller_id", "observed_at")),
        ("program_memberships", ("seller_id", "program_id", "acted_at")),
    ]:
        found = keys(table, *cols)
        assert len(found) == len(set(found)), table

    sellers = set(keys("sellers", "seller_id"))
    orders = latest(tables["orders"], "order_id")
    lines = {
        k: row
        for k, row in zip(
            keys("order_lines", "order_id", "line_id"), tables["order_lines"], strict=True
        )
    }
    returns = set(keys("returns", "return_id"))
    requests = set(keys("after_sales_requests", "request_id"))
    issues = set(keys("customer_issues", "issue_id"))
    for (mk, _), row in orders.items():
        assert (mk, row["seller_id"]) in sellers
    for mk, order_id, _ in lines:
        assert (mk, order_id) in orders
    for row in tables["cancellations"]:
        assert (row["marketplace"], row["order_id"]) in orders
        if row["line_id"]:
            line = lines[(row["marketplace"], row["order_id"], row["line_id"])]
            assert 0 < int(row["quantity"]) <= int(line["quantity"])
        else:
            assert row["quantity"] == ""
    for row in tables["returns"]:
        line = lines[(row["marketplace"], row["order_id"], row["line_id"])]
        assert 0 < int(row["quantity"]) <= int(line["quantity"])
    for row in tables["return_reason_corrections"]:
        assert (row["marketplace"], row["return_id"]) in returns
    for row in tables["after_sales_requests"]:
        assert (row["marketplace"], row["order_id"]) in orders
    for row in tables["disputes"]:
        assert (row["marketplace"], row["request_id"]) in requests
    for row in tables["customer_issues"]:
        assert (row["marketplace"], row["order_id"], row["line_id"]) in lines
    for row in tables["css_ratings"]:
        assert (row["marketplace"], row["issue_id"]) in issues
    for table in ("messages", "reviews"):
        for row in tables[table]:
            assert (row["marketplace"], row["seller_id"]) in sellers
            if row["order_id"]:
                order = orders[(row["marketplace"], row["order_id"])]
                assert order["seller_id"] == row["seller_id"]
    for table in ("violations", "property_scores", "program_memberships"):
        for row in tables[table]:
            assert (row["marketplace"], row["seller_id"]) in sellers


def test_events_happen_after_the_order(tables: dict[str, list[dict[str, str]]]) -> None:
    orders = latest(tables["orders"], "order_id")
    checked = 0
    for (mk, _), row in orders.items():
        ordered = parse_ts(row["ordered_at"], mk)
        for col in ("confirmed_at", "redeemed_at", "ship_by_at", "shipped_at", "delivered_at"):
            if row[col]:
                assert parse_ts(row[col], mk) >= ordered, (row["order_id"], col)
                checked += 1
        if row["shipped_at"] and row["delivered_at"]:
            assert parse_ts(row["delivered_at"], mk) > parse_ts(row["shipped_at"], mk)
    for table, col in [
        ("cancellations", "cancelled_at"),
        ("returns", "requested_at"),
        ("after_sales_requests", "requested_at"),
        ("customer_issues", "reported_at"),
        ("messages", "sent_at"),
        ("reviews", "reviewed_at"),
    ]:
        for row in tables[table]:
            if row.get("order_id"):
                mk = row["marketplace"]
                order = orders[(mk, row["order_id"])]
                assert parse_ts(row[col], mk) > parse_ts(order["ordered_at"], mk), (table, row)
                checked += 1
    for row in tables["returns"]:
        if row["closed_at"]:
            assert parse_ts(row["closed_at"], "ovoko") > parse_ts(row["requested_at"], "ovoko")
    assert checked > 1000


def test_deterministic_byte_identical(
    tmp_path: Path, small_run: tuple[Path, dict[str, int]]
) -> None:
    first, _ = small_run
    second = tmp_path / "again"
    generate(second, **SMALL)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    other = tmp_path / "other_seed"
    generate(other, **SMALL, seed=7)
    assert (other / "orders").exists()
    differs = [
        n
        for n in names
        if (other / n).exists() and (other / n).read_bytes() != (first / n).read_bytes()
    ]
    assert differs


def test_rerun_replaces_earlier_files(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    generate(out, sellers=5, months=2, fmt="parquet")
    rows = generate(out, sellers=5, months=2)
    assert not list(out.rglob("*.parquet"))
    assert sum(1 for _ in read_table(out, "orders")) == rows["orders"]


def test_more_sellers_means_proportionally_more_orders(tmp_path: Path) -> None:
    small = generate(tmp_path / "a", sellers=20, months=3)
    large = generate(tmp_path / "b", sellers=80, months=3)
    assert 3.0 < large["orders"] / small["orders"] < 5.0
    assert 3.0 < large["messages"] / small["messages"] < 5.0
    assert split_sellers(80) == dict.fromkeys(MARKET_ZONES, 16)
    assert split_sellers(3) == dict.fromkeys(MARKET_ZONES, 1)
    assert sum(split_sellers(203).values()) == 203


def test_demo_volume_is_in_range(small_run: tuple[Path, dict[str, int]]) -> None:
    _, rows = small_run
    # 20 sellers x 6 months; the 200 x 24 demo is 40 times that: 150k-300k orders
    assert 150_000 / 40 < rows["orders"] < 300_000 / 40


def test_windows_cover_rule_changes() -> None:
    for months in (2, 6, 24):
        windows = marketplace_windows(months, "2026-10")
        assert all(len(w) == months for w in windows.values())
        assert windows["kkday"][-1] == windows["booking"][-1] == (2026, 10)
        assert (2025, 5) in windows["ovoko"] and (2025, 6) in windows["ovoko"]
        assert (2022, 10) in windows["fyndiq"] and (2022, 11) in windows["fyndiq"]
        assert (2022, 1) in windows["kuaishou"] and (2022, 2) in windows["kuaishou"]
    w24 = marketplace_windows(24, "2025-03")
    assert w24["ovoko"][0] == (2024, 6) and w24["ovoko"][-1] == (2026, 5)
    assert w24["kkday"][0] == (2023, 4)
    with pytest.raises(ValueError):
        marketplace_windows(6, "2026/10")


def test_data_straddles_each_rule_date(tables: dict[str, list[dict[str, str]]]) -> None:
    def instants(mk: str, table: str = "orders", col: str = "ordered_at") -> list[datetime]:
        return [parse_ts(r[col], mk) for r in tables[table] if r["marketplace"] == mk]

    def around(times: list[datetime], pivot: datetime) -> bool:
        return min(times) < pivot <= max(times)

    assert around(instants("ovoko"), datetime(2025, 6, 1, tzinfo=ZoneInfo("Europe/Vilnius")))
    assert around(instants("fyndiq"), datetime(2022, 11, 1, tzinfo=ZoneInfo("Europe/Stockholm")))
    shanghai = ZoneInfo("Asia/Shanghai")
    requested = instants("kuaishou", "after_sales_requests", "requested_at")
    start = datetime(2022, 1, 25, tzinfo=shanghai)
    end = datetime(2022, 2, 8, 23, 59, 59, tzinfo=shanghai)
    assert any(start <= t <= end for t in requested)
    assert any(t < start for t in requested) and any(t > end for t in requested)
    # requests exactly on the window edges (23:59:59 / 00:00:00 local)
    assert start in requested and end + timedelta(seconds=1) in requested


def test_timestamps_mix_forms_and_avoid_dst_trouble(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for table, rows in tables.items():
        ts_cols = [c for c in CONTRACT_COLUMNS[table] if c.endswith("_at")]
        for row in rows:
            for col in ts_cols:
                value = row[col]
                if not value:
                    continue
                if OFFSET_FORM.match(value):
                    forms[row["marketplace"]]["offset"] += 1
                elif Z_FORM.match(value):
                    forms[row["marketplace"]]["z"] += 1
                else:
                    assert NAIVE_FORM.match(value), (table, col, value)
                    forms[row["marketplace"]]["naive"] += 1
                    naive = datetime.fromisoformat(value)
                    zone = ZoneInfo(MARKET_ZONES[row["marketplace"]])
                    a = naive.replace(tzinfo=zone, fold=0)
                    b = naive.replace(tzinfo=zone, fold=1)
                    assert a.utcoffset() == b.utcoffset(), f"ambiguous or in a gap: {value}"
    for mk in ("kkday", "ovoko", "kuaishou", "fyndiq"):
        assert set(forms[mk]) == {"offset", "z", "naive"}, mk
    assert set(forms["booking"]) == {"offset", "z"}
    # the same instant, written differently, is still the same instant
    sample = tables["orders"][0]
    assert parse_ts(sample["ordered_at"], sample["marketplace"]).tzinfo is not None


def test_reexported_orders_have_later_export(tables: dict[str, list[dict[str, str]]]) -> None:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    pairs = 0
    for row in tables["orders"]:  # files in name order, rows in file order
        key = (row["marketplace"], row["order_id"])
        if key in seen:
            first = seen[key]
            mk = row["marketplace"]
            assert first["_exported_at"] and row["_exported_at"]
            assert parse_ts(row["_exported_at"], mk) > parse_ts(first["_exported_at"], mk)
            assert parse_ts(first["ordered_at"], mk) == parse_ts(row["ordered_at"], mk)
            pairs += 1
        seen[key] = row
    assert 0.0005 < pairs / len(seen) < 0.01
    with_export = sum(1 for r in tables["orders"] if r["_exported_at"])
    assert pairs * 2 < with_export < len(tables["orders"])


def test_marketplace_behaviour_is_realistic(tables: dict[str, list[dict[str, str]]]) -> None:
    orders = latest(tables["orders"], "order_id")

    # kkday: the excellent big seller confirms on time far more often than the poor one
    def late_share(seller: str) -> float:
        late = total = 0
        for (mk, _), row in orders.items():
            if mk != "kkday" or row["seller_id"] != seller or row["confirm_mode"] != "within_hours":
                continue
            deadline = parse_ts(row["ordered_at"], mk) + timedelta(
                hours=int(row["confirm_within_hours"])
            )
            total += 1
            late += not row["confirmed_at"] or parse_ts(row["confirmed_at"], mk) > deadline
        return late / total

    assert late_share("kk-s0001") < 0.03 < late_share("kk-s0002")
    roles = Counter(r["sender_role"] for r in tables["messages"])
    assert roles["customer"] > roles["seller"] > roles["platform"] > 0
    # ovoko: line-level and whole-order cancellations, corrections before and after closing
    ov_cancels = [r for r in tables["cancellations"] if r["marketplace"] == "ovoko"]
    assert any(r["line_id"] for r in ov_cancels) and any(not r["line_id"] for r in ov_cancels)
    assert {"out_of_stock", "buyer_request", "payment_failed"} <= {
        r["reason_code"] for r in ov_cancels
    }
    assert {r["country_code"] for r in tables["sellers"] if r["marketplace"] == "ovoko"} <= {
        "LT",
        "LV",
        "PL",
        "EE",
    }
    assert {r["status"] for r in tables["returns"]} == ALLOWED[("returns", "status")]
    # fyndiq: every price band, whole kronor
    prices = [float(r["unit_price"]) for r in tables["order_lines"] if r["marketplace"] == "fyndiq"]
    assert min(prices) < 499 and any(499 <= p < 999 for p in prices) and max(prices) >= 999
    assert sum(p < 499 for p in prices) > len(prices) / 2
    assert {r["satisfied"] for r in tables["css_ratings"]} == {"true", "false"}
    # kuaishou: late and on-time handling, disputes with liabilities
    assert {r["completed_by"] for r in tables["after_sales_requests"]} - {""} == ALLOWED[
        ("after_sales_requests", "completed_by")
    ]
    # booking: pricing score only where the country reports one; opt-outs exist
    country = {r["seller_id"]: r["country_code"] for r in tables["sellers"]}
    for row in tables["property_scores"]:
        assert 40 <= int(row["performance_score"]) <= 100
        assert bool(row["pricing_score"]) == (country[row["seller_id"]] in {"TH", "JP", "US"})
    assert {r["action"] for r in tables["program_memberships"]} == {"opt_in", "opt_out"}
    currencies = {r["currency"] for r in orders.values() if r["marketplace"] == "booking"}
    assert {"THB", "EUR", "JPY"} <= currencies


def test_parquet_output_matches_csv(tmp_path: Path, small_run: tuple[Path, dict[str, int]]) -> None:
    _, csv_rows = small_run
    out = tmp_path / "pq"
    rows = generate(out, **SMALL, fmt="parquet")
    assert rows == csv_rows
    for table, columns in CONTRACT_COLUMNS.items():
        files = sorted((out / table).glob("*.parquet"))
        assert files and not list((out / table).glob("*.csv"))
        data = [pq.read_table(f) for f in files]
        assert all(t.column_names == columns for t in data), table
        assert sum(t.num_rows for t in data) == rows[table]
    orders = pq.read_table(sorted((out / "orders").glob("*.parquet"))[0])
    assert str(orders.schema.field("departure_date").type) == "date32[day]"
    lines = pq.read_table(sorted((out / "order_lines").glob("*.parquet"))[0])
    assert str(lines.schema.field("unit_price").type) == "decimal128(18, 2)"


def test_memory_does_not_grow_with_months(tmp_path: Path) -> None:
    def peak(months: int) -> tuple[int, int]:
        tracemalloc.start()
        try:
            rows = generate(tmp_path / f"m{months}", sellers=40, months=months)
            return tracemalloc.get_traced_memory()[1], rows["orders"]
        finally:
            tracemalloc.stop()

    generate(tmp_path / "warm_up", sellers=5, months=1)  # lazy imports and caches
    short, short_orders = peak(3)
    long, long_orders = peak(12)
    assert long_orders > 3.5 * short_orders
    assert long < 1.5 * short, (short, long)


def test_bad_arguments_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fmt"):
        generate(tmp_path, sellers=5, months=1, fmt="json")
    with pytest.raises(ValueError, match="months"):
        generate(tmp_path, sellers=5, months=0)
    with pytest.raises(ValueError, match="YYYY-MM"):
        generate(tmp_path, sellers=5, months=1, end_month="October")
