"""Booking.com (properties, each in its own time zone): reservations, reviews, scores, opt-ins.

Shapes the data for Preferred Partner (docs/rules/booking_preferred.md): monthly property scores
(performance 40-100 by archetype; a pricing score only where the country reports one),
guest reviews on a 10-point scale, and program memberships: most properties opt in (before or
during the window), some opt out mid-quarter, a few rejoin, some never opt in. Borderline
properties sit on the bars (performance exactly 70 or 80 in some months). Timestamps always
carry an offset or ``Z`` (never naive: the property's zone is not the marketplace's).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seller_standing.generate.clock import DAY, HOUR, NULL_TS, Zones, first_day, month_add
from seller_standing.generate.core import (
    BOR,
    MARKETPLACE_ZONES,
    TRAVEL_HOURS,
    Counters,
    Market,
    MonthCtx,
    SellerSet,
    base_sellers,
    engineered,
    finish,
    monthly_orders,
    null_after,
    order_cancellations,
    order_cols,
    orders_table,
    pick_names,
    place_orders,
    reviews_table,
    seller_rng,
    up_to_cutoff,
)
from seller_standing.generate.writer import NULL_INT, Batch

MARKET = Market(
    name="booking",
    prefix="bk",
    zone=MARKETPLACE_ZONES["booking"],
    currency="EUR",
    index=4,
    season=(0.8, 0.8, 0.9, 1.0, 1.0, 1.1, 1.35, 1.35, 1.0, 0.95, 0.8, 1.1),
    forms=(0.6, 0.4, 0.0),
)
PROGRAM = "booking_preferred"

# country, zone, currency, reports a pricing score, phone prefix
COUNTRIES = (
    ("TH", "Asia/Bangkok", "THB", True, "+66 2"),
    ("FR", "Europe/Paris", "EUR", False, "+33 1"),
    ("DE", "Europe/Berlin", "EUR", False, "+49 30"),
    ("JP", "Asia/Tokyo", "JPY", True, "+81 3"),
    ("ES", "Europe/Madrid", "EUR", False, "+34 91"),
    ("US", "America/New_York", "USD", True, "+1 212"),
)
COUNTRY_CYCLE = (0, 1, 2, 3, 0, 2, 1, 3, 4, 0, 5, 1)
_NAMES = (
    (("Baan ", "Sabai ", "Chiang Mai "), ("Riverside Hotel", "Boutique Resort", "Guesthouse")),
    (("Hôtel ", "Maison "), ("Le Marais", "des Arts", "Saint-Germain, Paris")),
    (("Pension ", "Hotel "), ("Müller", "Am See", "Zur Post")),
    (("旅館 ", "ホテル "), ("さくら", "京都", "富士")),
    (("Hostal ", "Hotel "), ("La Plaza", "Sol y Mar")),
    (("The ", "Hudson "), ("Brooklyn Inn", "Midtown Suites")),
)
# performance score level per archetype (excellent, borderline, average, poor)
PERF_LEVEL = np.array([90.0, 75.0, 79.0, 58.0])
PERF_SD = np.array([4.0, 5.0, 6.0, 8.0])
REVIEW_MEAN = np.array([9.0, 7.6, 8.2, 6.2])
# membership plan per position (cycle of 6): before window, before, never, out, mid, rejoin
PLAN_CYCLE = ("before", "before", "never", "out", "mid", "rejoin")
PRICE_PER_NIGHT = {"THB": 2500.0, "EUR": 120.0, "JPY": 15000.0, "USD": 180.0}


def make_sellers(zones: Zones, n: int, seed: int, window: Sequence[tuple[int, int]]) -> SellerSet:
    rng = seller_rng(seed, MARKET)
    arch, size, mean, registered = base_sellers(zones, MARKET, window, n, rng)
    zones.add(MARKET.zone)
    cidx = np.array([COUNTRY_CYCLE[i % len(COUNTRY_CYCLE)] for i in range(n)], dtype=np.int64)
    zone = np.array([zones.add(COUNTRIES[c][1]) for c in cidx], dtype=np.int64)
    # registered in the property's own local business hours
    registered = zones.to_utc(zone, (registered // DAY) * DAY + rng.integers(9, 18, n) * HOUR)
    params = {
        "country_idx": cidx,
        "perf": PERF_LEVEL[arch] + rng.normal(0, 3, n),
        "pricing_level": np.where(arch == 3, 62.0, 78.0) + rng.normal(0, 6, n),
        "review_mean": REVIEW_MEAN[arch] + rng.normal(0, 0.25, n),
    }
    return SellerSet(
        market=MARKET,
        num=np.arange(1, n + 1),
        arch=arch,
        size=size,
        mean=mean * 0.8,
        zone=zone,
        own_zone=np.ones(n, dtype=bool),
        registered_at=registered,
        new=np.zeros(n, dtype=bool),
        country=[COUNTRIES[c][0] for c in cidx],
        name=[pick_names(rng, 1, (_NAMES[c],))[0] for c in cidx],
        timezone=[COUNTRIES[c][1] for c in cidx],
        phone_prefix=[COUNTRIES[c][4] for c in cidx],
        params=params,
    )


def setup(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    """Program memberships of the whole window (a handful of rows per property)."""
    rng = np.random.default_rng([int(ctx.rng.integers(0, 2**31)), 7])
    w_start = int(ctx.start.min())
    y, m = ctx.year, ctx.month
    quarters = []  # local first day of each quarter that starts inside the window
    for k in range(ctx.months + 3):
        yy, mm = month_add(y, m, k)
        if mm in (1, 4, 7, 10) and k < ctx.months:
            quarters.append(first_day(yy, mm))
    if not quarters:
        quarters = [first_day(y, m)]
    seller_rows, acted, action = [], [], []
    for i in range(sellers.n):
        plan = PLAN_CYCLE[i % len(PLAN_CYCLE)]
        if plan == "never":
            continue
        zone = sellers.zone[i]
        if plan in ("before", "out", "rejoin"):
            t_in = w_start - int(rng.integers(30, 700)) * DAY + int(rng.integers(0, DAY))
        else:
            q = quarters[int(rng.integers(0, len(quarters)))]
            local = (q + int(rng.integers(10, 80))) * DAY + int(rng.integers(8, 22)) * HOUR
            t_in = int(ctx.zones.to_utc(zone, np.array([local]))[0])
        seller_rows.append(i)
        acted.append(t_in)
        action.append("opt_in")
        if plan in ("out", "rejoin"):
            q = quarters[min(len(quarters) - 1, int(rng.integers(0, max(1, len(quarters) - 1))))]
            local = (q + int(rng.integers(30, 60))) * DAY + int(rng.integers(8, 22)) * HOUR
            t_out = max(int(ctx.zones.to_utc(zone, np.array([local]))[0]), t_in + DAY)
            seller_rows.append(i)
            acted.append(t_out)
            action.append("opt_out")
            if plan == "rejoin":
                seller_rows.append(i)
                acted.append(t_out + int(rng.integers(30, 200)) * DAY + int(rng.integers(0, DAY)))
                action.append("opt_in")
    rows = np.array(seller_rows, dtype=np.int64)
    at = np.array(acted, dtype=np.int64)
    order = np.lexsort((rows, at))
    cols = {
        "seller_id": sellers.num[rows[order]],
        "program_id": np.full(len(rows), PROGRAM, dtype=object),
        "action": np.array(action, dtype=object)[order],
        "acted_at": at[order],
    }
    return {
        "program_memberships": finish(
            ctx, sellers, "program_memberships", rows[order], cols, naive_ok=False
        )
    }


def _status(cols: dict[str, np.ndarray], cancel_at: np.ndarray, at: np.ndarray) -> np.ndarray:
    cancelled = (cancel_at != NULL_TS) & (cancel_at <= at)
    stayed = (cols["departure_date"] * DAY + 2 * DAY) <= (at // DAY) * DAY
    return np.select([cancelled, stayed], ["cancelled", "completed"], "placed").astype(object)


def month(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    rng, zones = ctx.rng, ctx.zones
    p = sellers.params
    per_seller = monthly_orders(ctx, sellers)
    so, t, onum = place_orders(ctx, sellers, ids, per_seller, TRAVEL_HOURS)
    n = len(t)
    zone = sellers.zone[so]
    lead = np.minimum(rng.geometric(1 / 30, n), 300)
    checkin = zones.to_local(zone, t) // DAY + lead
    nights = rng.choice(5, size=n, p=[0.35, 0.3, 0.15, 0.1, 0.1]) + 1
    checkin_at = zones.to_utc(zone, checkin * DAY + 15 * HOUR)
    cancel = rng.random(n) < 0.12
    cancel_at = np.where(
        cancel, t + (rng.uniform(0.05, 0.95, n) * (checkin_at - t)).astype(np.int64), NULL_TS
    )
    cancel_at = null_after(cancel_at, ctx.cutoff)
    currency = np.array([COUNTRIES[c][2] for c in range(len(COUNTRIES))], dtype=object)[
        p["country_idx"][so]
    ]
    orders = order_cols(sellers, so, onum, t, currency) | {"departure_date": checkin}
    batch: Batch = {
        "orders": orders_table(ctx, sellers, so, orders, cancel_at, _status, naive_ok=False)
    }
    c_rows = np.flatnonzero(cancel_at != NULL_TS)
    c_rows = c_rows[np.argsort(cancel_at[c_rows], kind="stable")]
    batch["cancellations"] = order_cancellations(
        ctx,
        sellers,
        ids,
        so[c_rows],
        onum[c_rows],
        cancel_at[c_rows],
        p_customer=0.9,
        reasons=("customer_request", "other"),
        naive_ok=False,
    )

    # guest reviews after check-out
    checkout = zones.to_utc(zone, (checkin + nights) * DAY + 11 * HOUR)
    rows = np.flatnonzero((cancel_at == NULL_TS) & (rng.random(n) < 0.25))
    at = checkout[rows] + rng.integers(HOUR, 20 * DAY, len(rows))
    due = up_to_cutoff(at, ctx.cutoff)
    rows, at = rows[due], at[due]
    rating = np.clip(np.rint(rng.normal(p["review_mean"][so[rows]], 1.3)), 1, 10).astype(np.int64)
    batch["reviews"] = reviews_table(
        ctx, sellers, ids, so[rows], onum[rows], at, rating, scale=10, naive_ok=False
    )
    batch["property_scores"] = _scores(ctx, sellers)
    return batch


def _scores(ctx: MonthCtx, sellers: SellerSet) -> dict[str, np.ndarray]:
    """One observation per property per month (a few months missing)."""
    rng = ctx.rng
    p = sellers.params
    n = sellers.n
    drift = rng.normal(0, 1.5, n)
    p["perf"] = np.clip(p["perf"] + drift - 0.15 * (p["perf"] - PERF_LEVEL[sellers.arch]), 40, 100)
    perf = np.clip(np.rint(p["perf"] + rng.normal(0, PERF_SD[sellers.arch] / 2, n)), 40, 100)
    eng = engineered(sellers, ctx.mi)
    perf = np.where(eng, np.where((ctx.mi // 3 + sellers.num) % 2 == 0, 70, 80), perf)
    perf = np.where((sellers.arch == BOR) & ~eng & (rng.random(n) < 0.15), 70, perf)
    has_pricing = np.array([COUNTRIES[c][3] for c in p["country_idx"]], dtype=bool)
    pricing = np.clip(np.rint(p["pricing_level"] + rng.normal(0, 5, n)), 40, 100).astype(np.int64)
    pricing = np.where(has_pricing, pricing, NULL_INT)
    observed = rng.random(n) < 0.93
    reg_ok = sellers.registered_at < ctx.start
    rows = np.flatnonzero(observed & reg_ok)
    local_day = ctx.day0 + rng.integers(0, 5, len(rows))
    at = ctx.zones.to_utc(
        sellers.zone[rows], local_day * DAY + rng.integers(2 * HOUR, 6 * HOUR, len(rows))
    )
    order = np.lexsort((rows, at))
    rows, at = rows[order], at[order]
    cols = {
        "seller_id": sellers.num[rows],
        "observed_at": at,
        "performance_score": perf[rows].astype(np.int64),
        "pricing_score": pricing[rows],
    }
    return finish(ctx, sellers, "property_scores", rows, cols, naive_ok=False)
