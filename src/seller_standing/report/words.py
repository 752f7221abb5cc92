"""The programs' own words: labels of programs, statuses, metrics, grades and bands, the bad
event a headroom counts, and how numbers are written. One place, used by the site, `explain`
and `what-if`."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Program:
    program_id: str
    label: str
    marketplace: str
    marketplace_label: str


PROGRAMS: dict[str, Program] = {
    p.program_id: p
    for p in (
        Program("kkday_trusted_partner", "KKday Trusted Partner", "kkday", "KKday"),
        Program("ovoko_seller_status", "Ovoko seller status", "ovoko", "Ovoko"),
        Program("kuaishou_after_sales", "Kuaishou after-sales service", "kuaishou", "Kuaishou"),
        Program("fyndiq_performance", "Fyndiq performance", "fyndiq", "Fyndiq"),
        Program("booking_preferred", "Booking.com Preferred Partner", "booking", "Booking.com"),
    )
}

STATUS_LABELS = {
    "trusted_partner": "Trusted Partner",
    "regular": "Regular",
    "top_seller": "Top Seller",
    "standard": "Standard",
    "below_standard": "Below Standard",
    "meets_targets": "Meets targets",
    "below_targets": "Below targets",
    "satisfactory": "Satisfactory",
    "no_ratings": "No ratings",
    "warning": "Warning",
    "warning_fee": "Warning and fee",
    "notice_warning_fee": "Notice, warning and fee",
    "notice_assisted_service": "Notice and assisted service",
    "assisted_service": "Assisted service",
    "preferred_plus": "Preferred Plus",
    "preferred": "Preferred",
    "eligible_not_enrolled": "Eligible, not enrolled",
    "opted_out": "Opted out",
    "not_eligible": "Not eligible",
}

FEE_TYPE_LABELS = {
    "below_standard_surcharge": "Below Standard surcharge",
    "missing_issue": "Missing-item issues",
    "complaint_issue": "Complaint issues",
    "product_issue": "Product issues",
    "css_dissatisfied": "Dissatisfied ratings",
    "assisted_service": "Assisted service",
}


@dataclass(frozen=True)
class Metric:
    label: str
    kind: str  # rate (shown in %), count, score, hours
    bad_one: str = ""  # the bad event headroom counts, singular and plural
    bad_many: str = ""


METRICS: dict[str, Metric] = {
    "order_fulfillment_rate": Metric(
        "Order fulfilment rate",
        "rate",
        "order confirmed late (or not at all)",
        "orders confirmed late (or not at all)",
    ),
    "message_response_rate": Metric(
        "Message response rate",
        "rate",
        "customer message answered late (or not at all)",
        "customer messages answered late (or not at all)",
    ),
    "order_cancellation_rate": Metric(
        "Order cancellation rate", "rate", "seller-fault cancellation", "seller-fault cancellations"
    ),
    "traveler_review_score": Metric("Traveler review score (of 5)", "score"),
    "violation_points": Metric("Violation points", "count", "violation point", "violation points"),
    "orders_count": Metric("Orders", "count"),
    "cancelled_items_rate": Metric(
        "Cancelled items rate",
        "rate",
        "seller-fault cancelled item",
        "seller-fault cancelled items",
    ),
    "returned_items_rate": Metric(
        "Returned items rate", "rate", "seller-fault returned item", "seller-fault returned items"
    ),
    "overdue_shipment_rate": Metric(
        "Overdue shipment rate", "rate", "overdue shipment", "overdue shipments"
    ),
    "handling_timeout_rate": Metric(
        "Handling timeout rate",
        "rate",
        "request handled late (or not at all)",
        "requests handled late (or not at all)",
    ),
    "refund_only_completion_hours": Metric("Refund-only completion time", "hours"),
    "return_refund_completion_hours": Metric("Return-and-refund completion time", "hours"),
    "merchant_dispute_rate": Metric(
        "Merchant-liable dispute rate",
        "rate",
        "merchant-liable dispute",
        "merchant-liable disputes",
    ),
    "customer_satisfaction_score": Metric(
        "Customer satisfaction score (CSS)", "rate", "dissatisfied rating", "dissatisfied ratings"
    ),
    "performance_score": Metric("Performance score (of 100)", "score"),
    "review_score": Metric("Review score (of 10)", "score"),
    "pricing_score": Metric("Pricing score (of 100)", "score"),
}

_ISSUE_RATE = re.compile(r"^(missing_issue|complaint_issue)_rate_band_(.+)$")


def metric(metric_id: str) -> Metric:
    if metric_id in METRICS:
        return METRICS[metric_id]
    found = _ISSUE_RATE.match(metric_id)
    if found:
        kind, band = found.groups()
        band = band.replace("_plus", "+").replace("_", "-")
        noun = "missing-item issue" if kind == "missing_issue" else "complaint issue"
        title = "Missing-item" if kind == "missing_issue" else "Complaint"
        return Metric(f"{title} issue rate, price band {band} SEK", "rate", noun, noun + "s")
    return Metric(metric_id.replace("_", " ").capitalize(), "score")


def is_issue_rate(metric_id: str) -> bool:
    return bool(_ISSUE_RATE.match(metric_id))


# Grade words and the bands of the charts, best first, in each program's own terms.
GRADE_WORDS = {
    "kkday_trusted_partner": {
        "excellent": "Excellent",
        "good": "Good",
        "needs_improvement": "Needs improvement",
    },
    "ovoko_seller_status": {
        "excellent": "Meets the Top Seller bar",
        "good": "Standard",
        "needs_improvement": "Hits the Below Standard bar",
    },
    "kuaishou_after_sales": {"pass": "Meets the target", "fail": "Misses the target"},
    "fyndiq_performance": {"pass": "Pass", "fail": "Fee or action due"},
    "booking_preferred": {"pass": "Meets the bar", "fail": "Below the bar"},
}


def grade_word(program_id: str, metric_id: str, grade: str, has_good_bar: bool = True) -> str:
    """The grade in the program's words (has_good_bar: the metric has a lower bar)."""
    if grade == "insufficient_data":
        return "Not enough data"
    if program_id == "ovoko_seller_status" and grade == "good" and not has_good_bar:
        return "Short of the Top Seller bar"
    if program_id == "fyndiq_performance" and is_issue_rate(metric_id):
        return {"pass": "No fee", "fail": "Fee due"}.get(grade, grade)
    return GRADE_WORDS.get(program_id, {}).get(grade, grade.replace("_", " ").capitalize())


def band_names(program_id: str, metric_id: str, grading: str, has_good_bar: bool) -> list[str]:
    """Names of the chart's bands, best first."""
    if program_id == "ovoko_seller_status":
        return (
            ["Top Seller", "Standard", "Below Standard"]
            if has_good_bar
            else [
                "Top Seller",
                "Short of Top Seller",
            ]
        )
    if program_id == "kkday_trusted_partner":
        return (
            ["Excellent", "Good", "Needs improvement"]
            if has_good_bar
            else [
                "Excellent",
                "Good",
            ]
        )
    if program_id == "kuaishou_after_sales":
        return ["Target met", "Target missed"]
    if program_id == "fyndiq_performance":
        if is_issue_rate(metric_id):
            return ["Free", "Above the threshold (a fee once the minimum count is passed)"]
        return ["Satisfactory", "Ladder action"]
    if program_id == "booking_preferred":
        return ["Eligible", "Not eligible"]
    if grading == "pass_fail":
        return ["Pass", "Fail"]
    return ["Excellent", "Good", "Needs improvement"] if has_good_bar else ["Excellent", "Good"]


# For a grade that can drop: how headroom keeps it, and where one event too many takes it.
_KEEP_LOSE = {
    ("ovoko_seller_status", "excellent"): ("at Top Seller", "below the Top Seller bar"),
    ("ovoko_seller_status", "good"): ("clear of Below Standard", "to Below Standard"),
    ("kkday_trusted_partner", "excellent"): ("at Excellent", "down to Good"),
    ("kkday_trusted_partner", "good"): ("at Good", "down to Needs improvement"),
    ("kuaishou_after_sales", "pass"): ("within the target", "over the target"),
}


def headroom_sentence(
    program_id: str, metric_id: str, grade: str, headroom: int | None, period: str
) -> str | None:
    """ "2 more seller-fault cancelled items in 2026-09 would still have kept you at Top
    Seller; 3 would have taken you below the Top Seller bar." None where headroom is null."""
    if headroom is None:
        return None
    m = metric(metric_id)
    if not m.bad_one:
        return None
    if program_id == "fyndiq_performance" and is_issue_rate(metric_id):
        keep, lose = "free of fees", "into a fee"
    elif program_id == "fyndiq_performance" or program_id == "booking_preferred":
        keep, lose = "at or above the bar", "below the bar"
    else:
        keep, lose = _KEEP_LOSE.get((program_id, grade), ("at this grade", "to a lower grade"))
    h = int(headroom)
    if h == 0:
        return f"No room left: one more {m.bad_one} in {period} would have taken you {lose}."
    noun = m.bad_one if h == 1 else m.bad_many
    return (
        f"{h} more {noun} in {period} would still have kept you {keep}; "
        f"{h + 1} would have taken you {lose}."
    )


def status_label(status: str | None) -> str:
    if status is None:
        return "—"
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def fee_type_label(fee_type: str) -> str:
    return FEE_TYPE_LABELS.get(fee_type, fee_type.replace("_", " ").capitalize())


def program_label(program_id: str) -> str:
    p = PROGRAMS.get(program_id)
    return p.label if p else program_id


def marketplace_label(marketplace: str) -> str:
    for p in PROGRAMS.values():
        if p.marketplace == marketplace:
            return p.marketplace_label
    return marketplace


@functools.lru_cache(maxsize=4096)
def period_label(start: date, end: date) -> str:
    """2026-09 for a month, 2026 Q3 for a quarter, else start..end."""
    if start.day == 1 and (end - start).days < 31 and end.month == start.month:
        return start.strftime("%Y-%m")
    if start.day == 1 and start.month in (1, 4, 7, 10) and 88 <= (end - start).days <= 92:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return f"{start.isoformat()} – {end.isoformat()}"


def fmt_value(metric_id: str, value: float | None) -> str:
    """A metric value as the pages show it (rates in %, two decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    kind = metric(metric_id).kind
    if kind == "rate":
        return f"{value * 100:.2f} %"
    if kind == "count":
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if kind == "hours":
        return f"{value:.1f} h"
    return f"{value:.2f}"


CMP_WORDS = {"<": "below", "<=": "at most", ">=": "at least", ">": "above"}


def fmt_bar(metric_id: str, value: float | None) -> str:
    if value is None:
        return "—"
    kind = metric(metric_id).kind
    if kind == "rate":
        return f"{value * 100:g} %"
    if kind == "hours":
        return f"{value:g} h"
    return f"{value:g}"


def fmt_amount(amount: object, currency: str | None = None) -> str:
    text = f"{amount:,.2f}"  # a decimal(18, 2) from the marts: exact to the cent
    return f"{text} {currency}" if currency else text


def fmt_count(numerator: float | None, denominator: float | None) -> str:
    def num(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"

    if numerator is None:
        return ""
    if denominator is None:
        return num(numerator)
    return f"{num(numerator)} of {num(denominator)}"


def row_grade_word(program_id: str, row) -> str:
    """grade_word for a metric row carrying the bars in force (report.data.MetricRow)."""
    bars = getattr(row, "bars", None)
    has_good = bars is None or bars.grading == "pass_fail" or bars.good is not None
    return grade_word(program_id, row.metric_id, row.grade, has_good_bar=has_good)


def failing_text(program_id: str, row) -> str:
    """ "Overdue shipment rate 33.33 %: short of the Top Seller bar (below 10 %)"."""
    label = metric(row.metric_id).label
    text = f"{label} {fmt_value(row.metric_id, row.value)}: {row_grade_word(program_id, row)}"
    bars = getattr(row, "bars", None)
    if row.bar_value is not None:
        needed = CMP_WORDS.get(bars.comparator, "") if bars else ""
        if row.grade == "needs_improvement" and needed:
            needed = {
                "below": "at or above",
                "at most": "above",
                "at least": "below",
                "above": "at or below",
            }[needed]
            text += f" ({needed} {fmt_bar(row.metric_id, row.bar_value)})"
        elif needed:
            text += f" (the bar: {needed} {fmt_bar(row.metric_id, row.bar_value)})"
        else:
            text += f" (bar {fmt_bar(row.metric_id, row.bar_value)})"
    return text
