"""what-if: moving one bar changes exactly the sellers the rule says, in a scratch build that
leaves the published warehouse and the private build untouched.

The landing set is made by hand: four Ovoko sellers, each with 20 orders in September 2026 of
one line of 5 items (100 items), shipped the day they were ordered (no overdue shipment), no
returns; they differ only in seller-fault cancelled items. Ovoko's Top Seller bar for
cancelled items (version ovoko_v2) is `< 1 %`, its Below Standard bar `>= 3 %`; orders (20 >=
15), returns (0 %) and overdue shipments (0 %) meet their Top Seller bars for everyone, so:

| seller | cancelled items | rate | now (bar < 1 %) | proposed (bar < 2 %) |
|---|---|---|---|---|
| ov-edge-1  | 1 of 100 | 1.0 % | standard   | top_seller |
| ov-edge-15 | 3 of 200 | 1.5 % | standard   | top_seller |
| ov-edge-2  | 2 of 100 | 2.0 % | standard   | standard (2 % is not below 2 %) |
| ov-clean   | 0 of 100 | 0.0 % | top_seller | top_seller |

(ov-edge-15 has 40 orders of 5 items.) The proposal replaces the ovoko_v2 row of
cancelled_items_rate, so exactly ov-edge-1 and ov-edge-15 change, in September 2026, from
standard to top_seller; no fee changes (the surcharge is for Below Standard only).
"""

from __future__ import annotations

import csv
import hashlib
import subprocess
from pathlib import Path

import duckdb
import pytest
from _warehouse import CLI, PROJECT_DIR, Workspace, output_of

SELLERS = {"ov-edge-1": (20, 1), "ov-edge-15": (40, 3), "ov-edge-2": (20, 2), "ov-clean": (20, 0)}
BARS_HEADER = (
    "program_id,metric_id,rule_version,valid_from,valid_to,grading,comparator,excellent_bar,"
    "good_bar,pass_bar,headroom_applies"
)


def _landing(ws: Workspace) -> None:
    sellers = ["marketplace,seller_id,seller_name,country_code,registered_at"]
    orders = ["marketplace,order_id,seller_id,ordered_at,currency,status,shipped_at,delivered_at"]
    lines = ["marketplace,order_id,line_id,product_id,quantity,unit_price,vat_rate"]
    cancels = [
        "marketplace,cancellation_id,order_id,cancelled_at,initiated_by,reason_code,line_id,"
        "quantity"
    ]
    for seller, (n_orders, cancelled) in SELLERS.items():
        sellers.append(f"ovoko,{seller},Parts {seller},LT,2024-01-10T08:00:00Z")
        for i in range(n_orders):
            # 2026-09-01 is a Tuesday; orders on working days 1..28, shipped the same day
            day = 1 + i % 28
            order = f"{seller}-o{i:03d}"
            orders.append(
                f"ovoko,{order},{seller},2026-09-{day:02d}T07:00:00Z,EUR,completed,"
                f"2026-09-{day:02d}T09:00:00Z,2026-09-{min(day + 2, 30):02d}T09:00:00Z"
            )
            lines.append(f"ovoko,{order},{order}-l1,p-{seller},5,20.00,0.21")
        for c in range(cancelled):
            # one item of the first orders' lines, out of stock (seller fault), before shipping
            order = f"{seller}-o{c:03d}"
            day = 1 + c % 28
            cancels.append(
                f"ovoko,{seller}-c{c},{order},2026-09-{day:02d}T08:00:00Z,seller,out_of_stock,"
                f"{order}-l1,1"
            )
    # The same seller on Fyndiq (same id, same name up to case and spaces): linked pages. A
    # Fyndiq seller with the id of an Ovoko seller but another name: a stranger, not linked.
    sellers.append("fyndiq,ov-clean,PARTS  ov-clean,SE,2024-01-10T08:00:00Z")
    sellers.append("fyndiq,ov-edge-2,Other Shop,SE,2024-01-10T08:00:00Z")
    for seller in ("ov-clean", "ov-edge-2"):
        order = f"fy-{seller}-o1"
        orders.append(f"fyndiq,{order},{seller},2026-09-08T07:00:00Z,SEK,completed,,")
        lines.append(f"fyndiq,{order},{order}-l1,p1,1,200.00,0.25")
    ws.write("sellers", "sellers.csv", "\n".join(sellers) + "\n")
    ws.write("orders", "orders.csv", "\n".join(orders) + "\n")
    ws.write("order_lines", "order_lines.csv", "\n".join(lines) + "\n")
    ws.write("cancellations", "cancellations.csv", "\n".join(cancels) + "\n")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(ws: Workspace, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], cwd=PROJECT_DIR, env=ws.env(), capture_output=True, text=True, timeout=900
    )


def _top_seller_bar_at_2_percent(folder: Path) -> Path:
    """The proposal of the table above: the ovoko_v2 Top Seller bar for cancelled items < 2 %."""
    rules = folder / "proposal.csv"
    rules.write_text(
        BARS_HEADER + "\n"
        "ovoko_seller_status,cancelled_items_rate,ovoko_v2,2025-06-01,,excellent_good,<,0.02,"
        "0.03,,true\n",
        encoding="utf-8",
    )
    return rules


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(tmp_path_factory.mktemp("whatif"))
    _landing(ws)
    # the marts are what these tests read; the quality suites run on the other test builds
    result = ws.build("--skip-checks")
    assert result.returncode == 0, output_of(result)[-4000:]
    return ws


def test_the_landing_set_grades_as_the_rule_says(edge: Workspace) -> None:
    """Precondition of the what-if test: today's grades are those of the table above."""
    rows = edge.query(
        "select seller_id, value, grade from marts.fct_seller_metrics "
        "where metric_id = 'cancelled_items_rate' and period_start = '2026-09-01'"
    )
    assert {r[0]: (round(r[1], 6), r[2]) for r in rows} == {
        "ov-edge-1": (0.01, "good"),
        "ov-edge-15": (0.015, "good"),
        "ov-edge-2": (0.02, "good"),
        "ov-clean": (0.0, "excellent"),
    }
    status = edge.query(
        "select seller_id, status from marts.fct_program_status where period_start = '2026-09-01'"
    )
    assert dict(status) == {
        "ov-edge-1": "standard",
        "ov-edge-15": "standard",
        "ov-edge-2": "standard",
        "ov-clean": "top_seller",
    }


def test_moving_the_top_seller_bar_changes_exactly_the_sellers_at_the_edge(
    edge: Workspace, tmp_path: Path
) -> None:
    rules = _top_seller_bar_at_2_percent(tmp_path)
    published, private = _digest(edge.published), _digest(edge.build_db)
    out = tmp_path / "result"
    result = _run(edge, "what-if", str(rules), "--out", str(out))
    assert result.returncode == 0, output_of(result)[-4000:]
    assert "ovoko_seller_status__metric_bars: 1 row(s) replaced, 0 added" in result.stdout
    assert "Evaluation date 2026-11-01" in result.stdout  # read from the build

    with open(out / "status_changes.csv", encoding="utf-8") as handle:
        changes = {
            (r["seller_id"], r["period_start"], r["status_before"], r["status_after"])
            for r in csv.DictReader(handle)
        }
    assert changes == {
        ("ov-edge-1", "2026-09-01", "standard", "top_seller"),
        ("ov-edge-15", "2026-09-01", "standard", "top_seller"),
    }
    with open(out / "fee_changes.csv", encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == []
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'data-seller="ovoko:ov-edge-1"' in page and "<svg" in page
    assert 'data-seller="ovoko:ov-edge-2"' not in page
    # the published warehouse and the private build are untouched
    assert _digest(edge.published) == published
    assert _digest(edge.build_db) == private
    assert edge.query(
        "select excellent_bar from rules.ovoko_seller_status__metric_bars "
        "where metric_id = 'cancelled_items_rate' and rule_version = 'ovoko_v2'"
    ) == [(0.01,)]


def test_a_new_version_is_added_and_only_applies_from_its_valid_from(
    edge: Workspace, tmp_path: Path
) -> None:
    """A new version from 2026-10 leaves September 2026 as it is: nothing changes."""
    rules = tmp_path / "ovoko_seller_status__metric_bars_v3.csv"
    rules.write_text(
        BARS_HEADER + "\n"
        "ovoko_seller_status,cancelled_items_rate,ovoko_v2,2025-06-01,2026-09-30,excellent_good,"
        "<,0.01,0.03,,true\n"
        "ovoko_seller_status,cancelled_items_rate,ovoko_v3,2026-10-01,,excellent_good,<,0.02,"
        "0.03,,true\n",
        encoding="utf-8",
    )
    result = _run(edge, "what-if", str(rules), "--out", str(tmp_path / "r"))
    assert result.returncode == 0, output_of(result)[-4000:]
    assert "1 row(s) replaced, 1 added" in result.stdout
    with open(tmp_path / "r" / "status_changes.csv", encoding="utf-8") as handle:
        changes = list(csv.DictReader(handle))
    # September keeps the old bar; there is no later month with orders: nothing changes.
    assert changes == []


def test_a_second_what_if_reuses_the_parse_and_the_scratch_copy_is_removed(
    edge: Workspace, tmp_path: Path
) -> None:
    rules = _top_seller_bar_at_2_percent(tmp_path)
    scratch = edge.build_db.parent / f".what-if-{edge.build_db.name}"
    first = _run(edge, "what-if", str(rules), "--out", str(tmp_path / "a"))
    assert first.returncode == 0, output_of(first)[-4000:]
    # the copy of the build and of the project are gone; dbt's parse stays for the next one
    assert sorted(p.name for p in scratch.iterdir()) == ["target"]
    second = _run(edge, "what-if", str(rules), "--out", str(tmp_path / "b"), "--keep")
    assert second.returncode == 0, output_of(second)[-4000:]
    log = (scratch / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "Unable to do partial parsing" not in log and "full parse" not in log
    assert (tmp_path / "a" / "status_changes.csv").read_text(encoding="utf-8") == (
        tmp_path / "b" / "status_changes.csv"
    ).read_text(encoding="utf-8")


def test_one_what_if_at_a_time_per_build(edge: Workspace, tmp_path: Path) -> None:
    from seller_standing.lock import BuildLock

    rules = _top_seller_bar_at_2_percent(tmp_path)
    scratch = edge.build_db.parent / f".what-if-{edge.build_db.name}"
    with BuildLock(scratch / "what-if"):
        result = _run(edge, "what-if", str(rules))
    assert result.returncode == 1
    assert "Another what-if on this build is running" in result.stderr
    assert "Traceback" not in output_of(result)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "program_id,metric_id,rule_version,excellent_bar\novoko_seller_status,x,v,0.1\n",
            "columns (program_id, metric_id, rule_version, excellent_bar) are not those of any",
        ),
        (
            BARS_HEADER + "\novoko_seller_status,cancelled_items_rate,ovoko_v2,2025-06-01,,"
            "excellent_good,<,two percent,0.03,,true\n",
            "line 2, column excellent_bar: 'two percent' is not a number",
        ),
        (
            BARS_HEADER + "\novoko_seller_status,cancelled_items_rate,ovoko_v2,June,,"
            "excellent_good,<,0.02,0.03,,true\n",
            "line 2, column valid_from: 'June' is not a date (YYYY-MM-DD)",
        ),
    ],
)
def test_a_bad_proposal_gets_a_message_not_a_traceback(
    edge: Workspace, tmp_path: Path, text: str, expected: str
) -> None:
    rules = tmp_path / "proposal.csv"
    rules.write_text(text, encoding="utf-8")
    result = _run(edge, "what-if", str(rules))
    assert result.returncode == 1
    assert expected in result.stderr
    assert "Traceback" not in output_of(result)


def test_what_if_without_a_private_build_says_so(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    rules = tmp_path / "p.csv"
    rules.write_text(
        BARS_HEADER + "\novoko_seller_status,cancelled_items_rate,ovoko_v2,2025-06-01,,"
        "excellent_good,<,0.02,0.03,,true\n",
        encoding="utf-8",
    )
    result = _run(ws, "what-if", str(rules))
    assert result.returncode == 1
    assert "No private build at" in result.stderr
    assert "Traceback" not in output_of(result)


CI_DIR = PROJECT_DIR / "build" / "ci"


def test_what_if_on_the_ci_dataset_matches_the_rule(tmp_path: Path) -> None:
    """The same proposal on the CI dataset (`make dbt-test`): the seller-months that change are
    those whose cancelled-items rate is at least 1 % and below 2 % while every other Ovoko
    metric met its Top Seller bar, from June 2025 (ovoko_v2) on; each goes from standard to
    top_seller. Expected set computed from fct_seller_metrics' values, not from the what-if."""
    published, private = CI_DIR / "published.duckdb", CI_DIR / "seller_standing.duckdb"
    if not (published.exists() and private.exists()):
        pytest.fail(f"No CI warehouse in {CI_DIR}: run `make dbt-test` first.")
    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute(
            "select seller_id, period_start, metric_id, value, grade from marts.fct_seller_metrics "
            "where program_id = 'ovoko_seller_status' and period_start >= '2025-06-01'"
        ).fetchall()
    finally:
        con.close()
    per_month: dict[tuple, dict[str, tuple]] = {}
    for seller, start, metric, value, grade in rows:
        per_month.setdefault((seller, start.isoformat()), {})[metric] = (value, grade)
    expected = {
        (seller, start, "standard", "top_seller")
        for (seller, start), metrics in per_month.items()
        if metrics["cancelled_items_rate"][0] is not None
        and 0.01 <= metrics["cancelled_items_rate"][0] < 0.02
        and all(g == "excellent" for m, (_, g) in metrics.items() if m != "cancelled_items_rate")
    }
    assert expected, "the CI dataset should have a seller-month between the two bars"
    rules = tmp_path / "proposal.csv"
    rules.write_text(
        BARS_HEADER + "\novoko_seller_status,cancelled_items_rate,ovoko_v2,2025-06-01,,"
        "excellent_good,<,0.02,0.03,,true\n",
        encoding="utf-8",
    )
    ws = Workspace(tmp_path)
    env = ws.env()
    env.update(SELLER_STANDING_DB=str(published), SELLER_STANDING_BUILD_DB=str(private))
    before = _digest(private)
    result = subprocess.run(
        [CLI, "what-if", str(rules), "--out", str(tmp_path / "out")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, output_of(result)[-4000:]
    with open(tmp_path / "out" / "status_changes.csv", encoding="utf-8") as handle:
        changes = {
            (r["seller_id"], r["period_start"], r["status_before"], r["status_after"])
            for r in csv.DictReader(handle)
        }
    assert changes == expected
    assert _digest(private) == before


def test_a_sellers_programs_on_several_marketplaces_are_linked_by_id_and_name(
    edge: Workspace, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    result = _run(edge, "report", "--all", "--out", str(out))
    assert result.returncode == 0, output_of(result)
    from seller_standing.report import seller_page_path

    same = (out / seller_page_path("ovoko", "ov-clean", "ovoko_seller_status")).read_text()
    assert 'href="../' + seller_page_path("fyndiq", "ov-clean", "fyndiq_performance") in same
    back = (out / seller_page_path("fyndiq", "ov-clean", "fyndiq_performance")).read_text()
    assert 'href="../' + seller_page_path("ovoko", "ov-clean", "ovoko_seller_status") in back
    stranger = (out / seller_page_path("ovoko", "ov-edge-2", "ovoko_seller_status")).read_text()
    assert "fyndiq__ov-edge-2" not in stranger


def test_a_new_version_that_overlaps_the_one_in_force_is_refused() -> None:
    """A new Fyndiq fee version from 2026-01 while fyndiq_2022_11 is still open: both would
    charge the same issues. The message says to end the earlier one."""
    from seller_standing.whatif import WhatIfError, check_overlaps, merge, seed_names

    for seed in seed_names():  # the seeds as they are have no overlap
        check_overlaps(seed, merge(seed, []))
    new = {
        "rule_version": "fyndiq_2026",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "fee_type": "missing_issue",
        "price_band": "0-498",
        "price_from": "0",
        "price_to": "499",
        "threshold_rate": "0.05",
        "minimum_issues": "3",
        "unit_fee": "150",
        "billing_lag_months": "2",
        "currency": "SEK",
    }
    seed = "fyndiq_performance__fee_schedule"
    with pytest.raises(WhatIfError, match="fyndiq_2022_11 .* and fyndiq_2026 .* End the earlier"):
        check_overlaps(seed, merge(seed, [new]))
    ended = {**new, "rule_version": "fyndiq_2022_11", "valid_from": "2022-11-01"}
    ended.update(valid_to="2025-12-31", threshold_rate="0.04")
    check_overlaps(seed, merge(seed, [new, ended]))  # ended the day before: accepted
