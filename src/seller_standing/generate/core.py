"""Shared machinery of the generator: marketplaces, sellers and archetypes, sampling helpers.

Archetypes and size classes come from one fixed cycle of 20 (archetype, size) pairs over the
seller's position in its marketplace (not from the random stream), so every run of a given
size has the same mix and every archetype comes in every size:

- archetypes per 20: 6 excellent, 4 borderline, 6 average, 4 poor. On ovoko, positions 5, 11
  and 17 of the cycle are *new* sellers (registered inside the window; poor for their first
  two months, then average).
- sizes per 20: 4 big, 5 medium, 7 small, 4 tiny; base orders per month 130 / 50 / 26 / 8
  (tiny sellers stay below 15 orders a month).
- borderline sellers have *engineered* months (every third month, staggered): counts are
  set so that a metric lands exactly on a bar (for example 100 items and 3 cancelled = 3 %).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from seller_standing.generate.clock import (
    DAY,
    FORM_NAIVE,
    FORM_OFFSET,
    HOUR,
    NULL_TS,
    Zones,
    days_in_month,
    first_day,
    month_add,
)
from seller_standing.generate.schema import SCHEMAS, TS
from seller_standing.generate.writer import NULL_INT
from seller_standing.project import marketplace_timezones

EXC, BOR, AVG, POOR = 0, 1, 2, 3
ARCHETYPES = ("excellent", "borderline", "average", "poor")
BIG, MEDIUM, SMALL, TINY = 0, 1, 2, 3
SIZES = ("big", "medium", "small", "tiny")
SIZE_MEAN = (130.0, 50.0, 26.0, 8.0)
CYCLE = (
    (EXC, BIG),
    (POOR, SMALL),
    (BOR, MEDIUM),
    (AVG, TINY),
    (EXC, SMALL),
    (AVG, MEDIUM),
    (BOR, SMALL),
    (AVG, SMALL),
    (EXC, TINY),
    (POOR, MEDIUM),
    (EXC, SMALL),
    (POOR, TINY),
    (BOR, BIG),
    (AVG, SMALL),
    (EXC, MEDIUM),
    (AVG, BIG),
    (BOR, TINY),
    (AVG, MEDIUM),
    (EXC, SMALL),
    (POOR, BIG),
)
NEW_POSITIONS = (5, 11, 17)  # ovoko only

# Marketplace -> time zone, from the project (dbt var marketplace_timezones).
MARKETPLACE_ZONES: dict[str, str] = marketplace_timezones()

# status_at(order columns, cancellation instant per order, instant) -> status per order
StatusFn = Callable[[dict[str, np.ndarray], np.ndarray, np.ndarray], np.ndarray]

SHOP_HOURS = np.array(
    [1.2, 0.7, 0.4, 0.3, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4.0, 4.0]
    + [4.5, 4.5, 4.0, 4.0, 4.0, 4.5, 5.0, 6.0, 6.5, 6.0, 4.0, 2.2]
)
TRAVEL_HOURS = np.array(
    [0.8, 0.4, 0.2, 0.2, 0.2, 0.3, 0.8, 1.8, 3.0, 4.0, 4.5, 4.5]
    + [4.0, 4.0, 4.5, 4.5, 4.2, 4.0, 4.0, 4.5, 5.0, 4.5, 3.0, 1.6]
)


@dataclass(frozen=True)
class Market:
    name: str
    prefix: str
    zone: str
    currency: str
    index: int
    season: tuple[float, ...]  # order volume multiplier per calendar month
    forms: tuple[float, float, float]  # probability of offset / Z / naive timestamps


@dataclass
class SellerSet:
    """The sellers of one marketplace (position i = seller number i + 1)."""

    market: Market
    num: np.ndarray  # 1..n
    arch: np.ndarray
    size: np.ndarray
    mean: np.ndarray  # base orders per month
    zone: np.ndarray  # zone index per seller
    own_zone: np.ndarray  # True: seller zone differs from marketplace zone (no naive times)
    registered_at: np.ndarray
    new: np.ndarray
    country: list[str]
    name: list[str]
    timezone: list[str | None]
    phone_prefix: list[str]
    params: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.num)


@dataclass
class MonthCtx:
    market: Market
    zones: Zones
    rng: np.random.Generator
    year: int
    month: int
    mi: int  # index of the month in the marketplace window
    months: int
    cutoff: int  # UTC instant of the export: later events have not happened yet
    day0: int  # days since epoch of the local first day
    dim: int
    start: np.ndarray  # per seller: UTC instant of the local month start
    end: np.ndarray  # per seller: UTC instant of the next month's local start

    @property
    def naive_start(self) -> int:
        return self.day0 * DAY


def month_ctx(
    market: Market,
    zones: Zones,
    sellers: SellerSet,
    seed: int,
    window: Sequence[tuple[int, int]],
    mi: int,
) -> MonthCtx:
    year, month = window[mi]
    last_y, last_m = month_add(*window[-1], 1)
    cutoff_local = (first_day(last_y, last_m) + 5) * DAY + 6 * HOUR
    cutoff = int(zones.to_utc(zones.idx(market.zone), np.array([cutoff_local]))[0])
    day0 = first_day(year, month)
    dim = days_in_month(year, month)
    start = zones.to_utc(sellers.zone, np.full(sellers.n, day0 * DAY))
    end = zones.to_utc(sellers.zone, np.full(sellers.n, (day0 + dim) * DAY))
    rng = np.random.default_rng([seed, market.index, 1000 + mi])
    return MonthCtx(market, zones, rng, year, month, mi, len(window), cutoff, day0, dim, start, end)


class Counters:
    """Next id number per kind of key, per marketplace (ids start at 1)."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, name: str, count: int) -> np.ndarray:
        start = self._next.get(name, 1)
        self._next[name] = start + count
        return np.arange(start, start + count, dtype=np.int64)


# --- sellers --------------------------------------------------------------------------------


def window_start_utc(zones: Zones, market: Market, window: Sequence[tuple[int, int]]) -> int:
    local = first_day(*window[0]) * DAY
    return int(zones.to_utc(zones.add(market.zone), np.array([local]))[0])


def seller_rng(seed: int, market: Market) -> np.random.Generator:
    """The random stream that draws a marketplace's sellers."""
    return np.random.default_rng([seed, market.index, 1])


def base_sellers(
    zones: Zones,
    market: Market,
    window: Sequence[tuple[int, int]],
    n: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Archetype, size class, base monthly orders and registration instant per seller."""
    start = window_start_utc(zones, market, window)
    pos = np.arange(n)
    arch = np.array([CYCLE[i % len(CYCLE)][0] for i in pos], dtype=np.int8)
    size = np.array([CYCLE[i % len(CYCLE)][1] for i in pos], dtype=np.int8)
    mean = np.array([SIZE_MEAN[s] for s in size]) * rng.lognormal(0.0, 0.2, n)
    mean = np.where(size == TINY, np.minimum(mean, 10.0), mean)
    age_days = rng.integers(60, 2900, n)
    sod = rng.integers(8 * HOUR, 20 * HOUR, n)
    registered = start - age_days * DAY + sod  # local business hours
    return arch, size, mean, registered


def seller_zones(
    zones: Zones, n: int, home: int, own_clock: str
) -> tuple[np.ndarray, list[str | None]]:
    """Zone index and ``timezone`` per seller: the marketplace's, but seller 2 keeps its own."""
    zone = np.full(n, home, dtype=np.int64)
    timezone: list[str | None] = [None] * n
    if n > 1:
        zone[1] = zones.add(own_clock)
        timezone[1] = own_clock
    return zone, timezone


def pick_names(
    rng: np.random.Generator, n: int, styles: Sequence[tuple[Sequence[str], Sequence[str]]]
) -> list[str]:
    """Names built from a (first part, second part) style chosen per seller."""
    style = rng.integers(0, len(styles), n)
    a = rng.random(n)
    b = rng.random(n)
    out = []
    for s, x, y in zip(style, a, b, strict=True):
        first, second = styles[s]
        out.append(f"{first[int(x * len(first))]}{second[int(y * len(second))]}")
    return out


# --- sampling -------------------------------------------------------------------------------


def pick(groups: np.ndarray, k: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mask choosing ``k[g]`` random members of each group ``g`` (all of them if fewer)."""
    groups = np.asarray(groups, dtype=np.int64)
    m = len(groups)
    if m == 0:
        return np.zeros(0, dtype=bool)
    order = np.lexsort((rng.random(m), groups))
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, np.arange(len(k)))
    rank = np.arange(m) - starts[sorted_groups]
    mask = np.zeros(m, dtype=bool)
    mask[order] = rank < np.asarray(k)[sorted_groups]
    return mask


def binomial_pick(
    groups: np.ndarray, p: np.ndarray, n_groups: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Per-group binomial counts with per-group probability ``p``, and the chosen mask."""
    counts = np.bincount(groups, minlength=n_groups)
    k = rng.binomial(counts, np.clip(p, 0.0, 1.0))
    return pick(groups, k, rng), k


def counts_in(groups: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(np.asarray(groups, dtype=np.int64), minlength=n_groups)


def choice(
    rng: np.random.Generator, values: Sequence[str], p: Sequence[float], n: int
) -> np.ndarray:
    probs = np.asarray(p, dtype=float)
    idx = rng.choice(len(values), size=n, p=probs / probs.sum())
    return np.asarray(values, dtype=object)[idx]


def monthly_orders(ctx: MonthCtx, sellers: SellerSet) -> np.ndarray:
    """Orders per seller this month: size x season x trend x noise, only while registered."""
    rng = ctx.rng
    season = ctx.market.season[ctx.month - 1]
    trend = 1.0 + 0.06 * (ctx.mi - ctx.months / 2) / 12
    lam = sellers.mean * season * trend * rng.gamma(10.0, 0.1, sellers.n)
    span = (ctx.end - ctx.start).astype(float)
    active = np.clip((ctx.end - np.maximum(sellers.registered_at, ctx.start)) / span, 0.0, 1.0)
    return rng.poisson(lam * active)


def order_times(
    ctx: MonthCtx,
    sellers: SellerSet,
    seller_of: np.ndarray,
    hours: np.ndarray,
) -> np.ndarray:
    """UTC instants of orders, in local business hours of the month, after registration."""
    rng = ctx.rng
    n = len(seller_of)
    hi = ctx.dim
    reg_local = ctx.zones.to_local(sellers.zone[seller_of], sellers.registered_at[seller_of])
    lo = np.clip((reg_local - ctx.naive_start) // DAY + 1, 0, hi - 1)
    day = lo + np.floor(rng.random(n) * (hi - lo)).astype(np.int64)
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    local = ctx.naive_start + day * DAY + hour * HOUR + rng.integers(0, HOUR, n)
    return ctx.zones.to_utc(sellers.zone[seller_of], local)


def place_orders(
    ctx: MonthCtx, sellers: SellerSet, ids: Counters, per_seller: np.ndarray, hours: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The month's orders in time order: seller index, UTC instant and order number of each."""
    so = np.repeat(np.arange(sellers.n), per_seller)
    t = order_times(ctx, sellers, so, hours)
    order = np.argsort(t, kind="stable")
    t, so = t[order], so[order]
    return so, t, ids.take("order", len(t))


def engineered(sellers: SellerSet, mi: int) -> np.ndarray:
    """Borderline sellers' bar-hitting months: every third month, staggered by seller."""
    pos = sellers.num - 1
    return (sellers.arch == BOR) & ((mi + pos) % 3 == 0)


def variant(sellers: SellerSet, mi: int, count: int) -> np.ndarray:
    pos = sellers.num - 1
    return (mi // 3 + pos // 3) % count


# --- assembling rows ------------------------------------------------------------------------


def finish(
    ctx: MonthCtx,
    sellers: SellerSet,
    table: str,
    seller_of: np.ndarray,
    cols: Mapping[str, np.ndarray],
    *,
    naive_ok: bool = True,
) -> dict[str, np.ndarray]:
    """Attach the per-row zone and timestamp form (offset / Z / naive) to a table's columns."""
    rng = ctx.rng
    seller_of = np.asarray(seller_of, dtype=np.int64)
    n = len(seller_of)
    zone = sellers.zone[seller_of]
    p = np.asarray(ctx.market.forms, dtype=float)
    form = rng.choice(3, size=n, p=p / p.sum()).astype(np.int8)
    unsafe = sellers.own_zone[seller_of] | (not naive_ok)
    for name, kind, _ in SCHEMAS[table]:
        if kind == TS and name in cols:
            values = np.asarray(cols[name], dtype=np.int64)
            present = values != NULL_TS
            if present.any():
                near = ctx.zones.near_transition(zone, np.where(present, values, 0))
                unsafe = unsafe | (near & present)
    form = np.where((form == FORM_NAIVE) & unsafe, FORM_OFFSET, form).astype(np.int8)
    out = {k: np.asarray(v) for k, v in cols.items()}
    out["_zone"] = zone
    out["_form"] = form
    return out


def up_to_cutoff(at: np.ndarray, cutoff: int) -> np.ndarray:
    """Positions of the instants up to ``cutoff`` (the rest has not happened), in time order."""
    keep = np.flatnonzero(at <= cutoff)
    return keep[np.argsort(at[keep], kind="stable")]


def take(cols: Mapping[str, np.ndarray], sel: np.ndarray) -> dict[str, np.ndarray]:
    return {k: np.asarray(v)[sel] for k, v in cols.items()}


def concat(parts: Sequence[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    keys = list(parts[0])
    return {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in keys}


def null_after(values: np.ndarray, at: np.ndarray | int) -> np.ndarray:
    """Null out instants later than ``at`` (events that have not happened yet)."""
    values = np.asarray(values, dtype=np.int64)
    return np.where((values != NULL_TS) & (values > at), NULL_TS, values)


def ts_max(*columns: np.ndarray) -> np.ndarray:
    stacked = np.vstack([np.asarray(c, dtype=np.int64) for c in columns])
    return stacked.max(axis=0)  # NULL_TS is the smallest int64, so it never wins


def ints(n: int, value: int = NULL_INT) -> np.ndarray:
    return np.full(n, value, dtype=np.int64)


def nulls_ts(n: int) -> np.ndarray:
    return np.full(n, NULL_TS, dtype=np.int64)


def reexport_orders(
    ctx: MonthCtx,
    orders: dict[str, np.ndarray],
    seller_of: np.ndarray,
    cancel_at: np.ndarray,
    status_at: StatusFn,
    rate: float = 0.002,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Turn ~``rate`` of the orders into a stale export plus a later, final re-export.

    The stale copy stays in place (earlier ``_exported_at``, events after it nulled, status
    as it was then); the final row is appended with a later ``_exported_at``. Returns the new
    orders columns and the seller index per row.
    """
    rng = ctx.rng
    n = len(seller_of)
    ts_cols = [name for name, kind, _ in SCHEMAS["orders"] if kind == TS and name in orders]
    event_cols = [c for c in ts_cols if c not in ("ordered_at", "ship_by_at", "_exported_at")]
    last = ts_max(*(orders[c] for c in event_cols), cancel_at)
    ordered = orders["ordered_at"]
    cand = np.flatnonzero(last > ordered + 2 * HOUR)
    k = min(len(cand), int(rng.binomial(n, rate)))
    exported = orders.get("_exported_at", nulls_ts(n)).copy()
    if k == 0:
        orders["_exported_at"] = exported
        orders["_main"] = ordered.copy()
        return orders, seller_of
    chosen = np.sort(rng.choice(cand, size=k, replace=False))
    final = take(orders, chosen)
    frac = rng.uniform(0.2, 0.8, k)
    t_stale = ordered[chosen] + (frac * (last[chosen] - ordered[chosen])).astype(np.int64)
    stale_cols = {c: orders[c][chosen].copy() for c in orders}
    for c in event_cols:
        stale_cols[c] = null_after(stale_cols[c], t_stale)
    stale_cols["status"] = status_at(stale_cols, cancel_at[chosen], t_stale)
    stale_export = t_stale + rng.integers(10 * 60, HOUR, k)
    for c in orders:
        orders[c][chosen] = stale_cols[c]
    exported[chosen] = stale_export
    final["_exported_at"] = last[chosen] + rng.integers(HOUR, 5 * DAY, k)
    orders["_exported_at"] = exported
    orders["_main"] = ordered.copy()
    final["_main"] = final["_exported_at"]
    merged = concat([orders, final])
    return merged, np.concatenate([seller_of, seller_of[chosen]])


# --- tables several marketplaces share ------------------------------------------------------


def shipped_status(completed_after: int, processed_after: int) -> StatusFn:
    """Order status of shipped goods: completed ``completed_after`` the delivery, processed
    ``processed_after`` the order."""

    def status_at(cols: dict[str, np.ndarray], cancel_at: np.ndarray, at: np.ndarray) -> np.ndarray:
        def happened(v: np.ndarray) -> np.ndarray:
            return (v != NULL_TS) & (v <= at)

        delivered = cols["delivered_at"]
        return np.select(
            [
                happened(cancel_at),
                happened(delivered) & (delivered + completed_after <= at),
                happened(delivered),
                happened(cols["shipped_at"]),
                cols["ordered_at"] + processed_after <= at,
            ],
            ["cancelled", "completed", "delivered", "shipped", "processed"],
            "placed",
        ).astype(object)

    return status_at


def order_cols(
    sellers: SellerSet, so: np.ndarray, onum: np.ndarray, t: np.ndarray, currency: str | np.ndarray
) -> dict[str, np.ndarray]:
    """The columns every orders table has (``currency``: one for all, or one per order)."""
    return {
        "order_id": onum,
        "seller_id": sellers.num[so],
        "ordered_at": t,
        "currency": np.full(len(so), currency, dtype=object),
    }


def orders_table(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    orders: dict[str, np.ndarray],
    cancel_at: np.ndarray,
    status_at: StatusFn,
    *,
    naive_ok: bool = True,
) -> dict[str, np.ndarray]:
    """The orders table: status as of the export, a few stale re-exports, zones and forms."""
    orders["status"] = status_at(orders, cancel_at, np.full(len(so), ctx.cutoff))
    orders, orders_seller = reexport_orders(ctx, orders, so, cancel_at, status_at)
    return finish(ctx, sellers, "orders", orders_seller, orders, naive_ok=naive_ok)


def order_cancellations(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    seller_of: np.ndarray,
    order_id: np.ndarray,
    cancelled_at: np.ndarray,
    *,
    p_customer: float,
    reasons: tuple[str, str],
    naive_ok: bool = True,
) -> dict[str, np.ndarray]:
    """Whole-order cancellations: by the customer with ``p_customer`` (reason ``reasons[0]``),
    else by the seller (``reasons[1]``)."""
    n = len(cancelled_at)
    by_customer = ctx.rng.random(n) < p_customer
    cols = {
        "cancellation_id": ids.take("cancellation", n),
        "order_id": order_id,
        "cancelled_at": cancelled_at,
        "initiated_by": np.where(by_customer, "customer", "seller").astype(object),
        "reason_code": np.where(by_customer, *reasons).astype(object),
        "quantity": ints(n),
    }
    return finish(ctx, sellers, "cancellations", seller_of, cols, naive_ok=naive_ok)


def reviews_table(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    seller_of: np.ndarray,
    order_id: np.ndarray,
    at: np.ndarray,
    rating: np.ndarray,
    *,
    scale: int,
    naive_ok: bool = True,
) -> dict[str, np.ndarray]:
    """Reviews (``rating`` out of ``scale``) of orders ``order_id``, written at ``at``."""
    n = len(at)
    cols = {
        "review_id": ids.take("review", n),
        "seller_id": sellers.num[seller_of],
        "rating": rating,
        "rating_scale": np.full(n, scale),
        "reviewed_at": at,
        "order_id": order_id,
    }
    return finish(ctx, sellers, "reviews", seller_of, cols, naive_ok=naive_ok)
