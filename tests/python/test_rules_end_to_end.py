"""The rules at their edges, through a full build: hand-made landing rows, asserted marts.

Each case is a few rows a marketplace could send; the expected numbers are worked out by hand
from the rulebook (docs/rules/). One build holds every case (each on its own sellers), so the
outcome is read back per seller from the published marts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _warehouse import Workspace, output_of

MARTS = "marts"

SELLERS = "marketplace,seller_id,seller_name,country_code,registered_at\n"
ORDERS = "marketplace,order_id,seller_id,ordered_at,currency,status"
LINES = "marketplace,order_id,line_id,product_id,quantity,unit_price\n"
CANCELLATIONS = "marketplace,cancellation_id,order_id,cancelled_at,initiated_by,reason_code\n"


def _fyndiq_rows(ws: Workspace) -> None:
    """Product p9 at 199 SEK: October 2022 (before the first fee version) has 10 order lines
    and 3 complaints, November 2022 10 lines and none."""
    ws.write("sellers", "fyndiq.csv", SELLERS + "fyndiq,f1,Fyndiq Seller,SE,2022-01-01T00:00:00Z\n")
    orders = [f"{ORDERS}\n"]
    lines = [LINES]
    for month, prefix in (("2022-10-12", "oct"), ("2022-11-12", "nov")):
        for i in range(1, 11):
            order_id = f"{prefix}-{i:02d}"
            orders.append(f"fyndiq,{order_id},f1,{month}T10:00:00+02:00,SEK,delivered\n")
            lines.append(f"fyndiq,{order_id},l1,p9,1,199.00\n")
    ws.write("orders", "fyndiq.csv", "".join(orders))
    ws.write("order_lines", "fyndiq.csv", "".join(lines))
    ws.write(
        "customer_issues",
        "fyndiq.csv",
        "marketplace,issue_id,order_id,line_id,issue_type,reported_at,status\n"
        "fyndiq,i1,oct-01,l1,complaint,2022-10-20T10:00:00Z,closed\n"
        "fyndiq,i2,oct-02,l1,complaint,2022-10-21T10:00:00Z,open\n"
        "fyndiq,i3,oct-03,l1,complaint,2022-11-02T10:00:00Z,closed\n"
        # withdrawn: never counts
        "fyndiq,i4,oct-04,l1,complaint,2022-11-02T10:00:00Z,withdrawn\n",
    )


def _ovoko_rows(ws: Workspace) -> None:
    """Seller o1, version 2 (July 2025, Vilnius, UTC+3): sales on Tuesday 1 July are overdue
    from Thursday 3 July. Seller o2, version 1 (May 2025): overdue after ship_by_at."""
    ws.write(
        "sellers",
        "ovoko.csv",
        SELLERS
        + "ovoko,o1,Parts LT,LT,2024-01-01T00:00:00Z\n"
        + "ovoko,o2,Parts LT 2,LT,2024-01-01T00:00:00Z\n",
    )
    header = f"{ORDERS},ship_by_at,shipped_at\n"
    ws.write(
        "orders",
        "ovoko.csv",
        header
        # handed over the next business day: on time
        + "ovoko,v2-shipped,o1,2025-07-01T10:00:00+03:00,EUR,shipped,,2025-07-02T10:00:00+03:00\n"
        # never shipped; the seller cancels on Saturday 5 July, after it became overdue
        + "ovoko,v2-seller,o1,2025-07-01T10:00:00+03:00,EUR,cancelled,,\n"
        # never shipped; cancelled by the system for seller inactivity on 10 July
        + "ovoko,v2-inactive,o1,2025-07-01T10:00:00+03:00,EUR,cancelled,,\n"
        # cancelled by the seller the same day, before it could become overdue
        + "ovoko,v2-early,o1,2025-07-01T10:00:00+03:00,EUR,cancelled,,\n"
        # version 1: shipped before ship_by_at, and never shipped but cancelled after it
        + "ovoko,v1-shipped,o2,2025-05-06T10:00:00+03:00,EUR,shipped,"
        "2025-05-08T12:00:00+03:00,2025-05-07T10:00:00+03:00\n"
        + "ovoko,v1-seller,o2,2025-05-06T10:00:00+03:00,EUR,cancelled,"
        "2025-05-08T12:00:00+03:00,\n",
    )
    ws.write(
        "cancellations",
        "ovoko.csv",
        CANCELLATIONS
        + "ovoko,c1,v2-seller,2025-07-05T09:00:00+03:00,seller,out_of_stock\n"
        + "ovoko,c2,v2-inactive,2025-07-10T09:00:00+03:00,system,seller_inactivity\n"
        + "ovoko,c3,v2-early,2025-07-01T12:00:00+03:00,seller,out_of_stock\n"
        + "ovoko,c4,v1-seller,2025-05-09T09:00:00+03:00,seller,damaged_in_storage\n",
    )


def _kkday_rows(ws: Workspace) -> None:
    """Seller k1, March 2024: the seller cancels one order 'at the customer's request', the
    customer cancels another, a third goes ahead."""
    ws.write("sellers", "kkday.csv", SELLERS + "kkday,k1,Tours TW,TW,2023-01-01T00:00:00Z\n")
    ws.write(
        "orders",
        "kkday.csv",
        f"{ORDERS}\n"
        "kkday,k-seller,k1,2024-03-05T10:00:00+08:00,TWD,cancelled\n"
        "kkday,k-customer,k1,2024-03-06T10:00:00+08:00,TWD,cancelled\n"
        "kkday,k-kept,k1,2024-03-07T10:00:00+08:00,TWD,processed\n",
    )
    ws.write(
        "cancellations",
        "kkday.csv",
        CANCELLATIONS
        + "kkday,kc1,k-seller,2024-03-06T10:00:00+08:00,seller,customer_request\n"
        + "kkday,kc2,k-customer,2024-03-07T10:00:00+08:00,customer,customer_request\n",
    )


BOOKING_SCORES = [95, 90, 90, 90, 85] + [75] * 8


def _booking_rows(ws: Workspace) -> None:
    """13 opted-in Thai properties, reviews 9.0, scored in Q2 2026 as in the rule's example."""
    ids = [f"b{i:02d}" for i in range(1, len(BOOKING_SCORES) + 1)]
    ws.write(
        "sellers",
        "booking.csv",
        SELLERS + "".join(f"booking,{b},Hotel {b},TH,2020-01-01T00:00:00Z\n" for b in ids),
    )
    ws.write(
        "property_scores",
        "booking.csv",
        "marketplace,seller_id,observed_at,performance_score\n"
        + "".join(
            f"booking,{b},2026-05-15T00:00:00Z,{s}\n"
            for b, s in zip(ids, BOOKING_SCORES, strict=True)
        ),
    )
    ws.write(
        "reviews",
        "booking.csv",
        "marketplace,review_id,seller_id,rating,rating_scale,reviewed_at\n"
        + "".join(f"booking,r-{b},{b},9,10,2026-04-10T00:00:00Z\n" for b in ids),
    )
    ws.write(
        "program_memberships",
        "booking.csv",
        "marketplace,seller_id,program_id,action,acted_at\n"
        + "".join(f"booking,{b},booking_preferred,opt_in,2025-01-10T00:00:00Z\n" for b in ids),
    )


@pytest.fixture(scope="module")
def rules_build(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    ws = Workspace(Path(tmp_path_factory.mktemp("rules")))
    _fyndiq_rows(ws)
    _ovoko_rows(ws)
    _kkday_rows(ws)
    _booking_rows(ws)
    # the marts are what these tests read; the quality suites run on the other test builds
    result = ws.build("--skip-checks")
    assert result.returncode == 0, output_of(result)[-6000:]
    return ws


def test_fyndiq_product_fee_counts_complaints_of_months_before_the_first_fee_version(
    rules_build: Workspace,
) -> None:
    # November 2022: 3 complaints in the trailing months (all October) over 10 lines = 30 %,
    # above 15 % with at least 3 -> the fixed 500 SEK product fee, billed in January 2023.
    rows = rules_build.query(
        "select fee_type, product_id, period_start, billing_month, basis_count, issue_count, "
        f"amount, currency from {MARTS}.fct_fee_lines where seller_id = 'f1' order by all"
    )
    assert [(r[0], r[1], str(r[2]), str(r[3]), r[4], r[5], float(r[6]), r[7]) for r in rows] == [
        ("product_issue", "p9", "2022-11-01", "2023-01-01", 10, 3, 500.0, "SEK")
    ]


def test_ovoko_unshipped_orders_cancelled_after_becoming_overdue_are_overdue(
    rules_build: Workspace,
) -> None:
    # Version 2, July 2025: the shipped order (on time), the seller's late cancellation and
    # the inactivity cancellation are shipments; the latter two are overdue; the early
    # cancellation stays out: 2 / 3. Version 1, May 2025: 1 overdue of 2.
    rows = rules_build.query(
        f"select seller_id, period_start, numerator, denominator from {MARTS}.fct_seller_metrics "
        "where program_id = 'ovoko_seller_status' and metric_id = 'overdue_shipment_rate' "
        "and seller_id in ('o1', 'o2') and denominator > 0 order by all"
    )
    assert [(r[0], str(r[1]), r[2], r[3]) for r in rows] == [
        ("o1", "2025-07-01", 2, 3),
        ("o2", "2025-05-01", 1, 2),
    ]


def test_kkday_seller_initiated_cancellation_is_seller_fault_whatever_its_code(
    rules_build: Workspace,
) -> None:
    # The seller's customer_request cancellation is seller fault; the customer's own
    # cancellation leaves numerator and denominator: 1 of 2 orders.
    [(numerator, denominator, grade)] = rules_build.query(
        f"select numerator, denominator, grade from {MARTS}.fct_seller_metrics "
        "where seller_id = 'k1' and metric_id = 'order_cancellation_rate' "
        "and period_start = '2024-03-01'"
    )
    assert (numerator, denominator, grade) == (1, 2, "needs_improvement")


def test_booking_top_ten_percent_keeps_ties_across_the_cut_out(rules_build: Workspace) -> None:
    # 13 preferred properties scoring 95, 90 x 3, 85, 75 x 8: only the 95 is in the top 10 %.
    rows = rules_build.query(
        f"select seller_id, status from {MARTS}.fct_program_status "
        "where program_id = 'booking_preferred' and period_start = '2026-04-01' order by seller_id"
    )
    expected = [
        (f"b{i:02d}", "preferred_plus" if score == 95 else "preferred")
        for i, score in enumerate(BOOKING_SCORES, 1)
    ]
    assert rows == expected
