"""Ovoko (used car parts, Europe/Vilnius): orders with lines, cancellations, returns, corrections.

Shapes the data for the seller status:
(docs/rules/ovoko_seller_status.md) items cancelled or returned for
seller-fault and other reasons, line-level and whole-order cancellations, shipments on time,
late, over a weekend (a Friday-evening sale shipped on Monday is overdue under version 1 but
not under version 2), never shipped, and return-reason corrections dated before and after the
return was closed. Sellers are from LT, LV, PL and EE; some are *new* (registered inside the
window, so the below-standard fee does not apply yet).

Engineered months of borderline sellers hit the bars exactly: 15 orders; 1 or 3 cancelled
items out of 100; 11 returned out of 200; 4 returned out of 100; 10 overdue out of 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from seller_standing.generate.clock import DAY, HOUR, NULL_TS, Zones, first_day
from seller_standing.generate.core import (
    AVG,
    EXC,
    MARKETPLACE_ZONES,
    NEW_POSITIONS,
    POOR,
    SHOP_HOURS,
    SMALL,
    TINY,
    Counters,
    Market,
    MonthCtx,
    SellerSet,
    base_sellers,
    binomial_pick,
    choice,
    engineered,
    finish,
    monthly_orders,
    null_after,
    order_cols,
    orders_table,
    pick,
    pick_names,
    place_orders,
    seller_rng,
    seller_zones,
    shipped_status,
    ts_max,
    up_to_cutoff,
    variant,
)
from seller_standing.generate.writer import NULL_INT, Batch

MARKET = Market(
    name="ovoko",
    prefix="ov",
    zone=MARKETPLACE_ZONES["ovoko"],
    currency="EUR",
    index=1,
    season=(0.85, 0.9, 1.1, 1.15, 1.0, 0.95, 0.9, 0.9, 1.0, 1.1, 1.15, 1.3),
    forms=(0.25, 0.6, 0.15),
)

VAT = 0.21
COUNTRIES = ("LT", "LV", "PL", "EE")
PHONES = {"LT": "+370 600", "LV": "+371 200", "PL": "+48 500", "EE": "+372 500"}
HOLIDAYS = {  # fixed-date public holidays (MM-DD); sellers do not ship on them
    "LT": (
        "01-01",
        "02-16",
        "03-11",
        "05-01",
        "06-24",
        "07-06",
        "08-15",
        "11-01",
        "11-02",
        "12-24",
        "12-25",
        "12-26",
    ),
    "LV": (
        "01-01",
        "05-01",
        "05-04",
        "06-23",
        "06-24",
        "11-18",
        "12-24",
        "12-25",
        "12-26",
        "12-31",
    ),
    "PL": ("01-01", "01-06", "05-01", "05-03", "08-15", "11-01", "11-11", "12-25", "12-26"),
    "EE": ("01-01", "02-24", "05-01", "06-23", "06-24", "08-20", "12-24", "12-25", "12-26"),
}
_NAMES = (
    (('UAB "Autodalys ', 'UAB "Dalių ', 'UAB "Auto '), ('Centras"', 'Sandėlis"', 'Partneriai"')),
    (("SIA Auto ", "SIA Rezerves "), ("Parts, Riga", "Daļas", "Serviss")),
    (("Części Samochodowe ", "Auto-Części "), ("Kowalski", "Nowak", "Wiśniewski")),
    (("OÜ Varuosad ", "OÜ Autoosad "), ("Tallinn", "Tartu", "Pärnu")),
)

# per archetype: excellent, borderline, average, poor
SHIP_DAYS_P = np.array(
    [
        [0.45, 0.52, 0.02, 0.01],
        [0.32, 0.58, 0.07, 0.03],
        [0.35, 0.57, 0.06, 0.02],
        [0.15, 0.45, 0.25, 0.15],
    ]
)
P_NEVER_SHIPPED = np.array([0.002, 0.006, 0.005, 0.03])
P_CANCEL_LINE = np.array([0.003, 0.011, 0.011, 0.045])
P_RETURN_LINE = np.array([0.012, 0.04, 0.03, 0.075])
SELLER_CANCEL_REASONS = (
    ("out_of_stock", "damaged_in_storage", "defect_not_described"),
    (0.55, 0.25, 0.20),
)
SELLER_RETURN_REASONS = (
    (
        "not_working",
        "poor_quality",
        "not_as_described",
        "damaged_in_transit",
        "not_received",
        "wrong_item",
    ),
    (0.35, 0.15, 0.2, 0.15, 0.05, 0.1),
)
BUYER_RETURN_REASONS = (("buyer_changed_mind", "wrong_part_ordered", "other"), (0.5, 0.4, 0.1))

# engineered variants: orders, cancelled items, returned items, overdue shipments
VARIANTS = (
    (15, 0, 0, 0),
    (100, 1, 0, 0),
    (100, 3, 0, 0),
    (200, 0, 11, 0),
    (100, 0, 3, 10),
    (100, 0, 4, 9),
)


def _holidays(country: str, years: Sequence[int]) -> np.ndarray:
    return np.array([f"{y}-{md}" for y in years for md in HOLIDAYS[country]], dtype="datetime64[D]")


def make_sellers(zones: Zones, n: int, seed: int, window: Sequence[tuple[int, int]]) -> SellerSet:
    rng = seller_rng(seed, MARKET)
    arch, size, mean, registered = base_sellers(zones, MARKET, window, n, rng)
    home = zones.add(MARKET.zone)
    pos = np.arange(n)
    country_idx = rng.choice(4, size=n, p=[0.45, 0.2, 0.2, 0.15])
    zone, timezone = seller_zones(zones, n, home, "Europe/Warsaw")
    if n > 1:  # a Polish seller that keeps Warsaw time
        country_idx[1] = 2
    new = np.isin(pos % 20, NEW_POSITIONS)
    months = len(window)
    for j, i in enumerate(np.flatnonzero(new)):
        # registered 90 days (even) or 89 days and 10 hours (odd) before a month's first day
        k = min(months - 1, 3 + (j * 5) % max(1, months - 6))
        day = first_day(*window[k]) - 90
        local = day * DAY + (0 if j % 2 == 0 else DAY + 10 * HOUR)
        registered[i] = zones.to_utc(zone[i], np.array([local]))[0]
    country = [COUNTRIES[c] for c in country_idx]
    names = [pick_names(rng, 1, (_NAMES[c],))[0] for c in country_idx]
    years = range(window[0][0] - 1, window[-1][0] + 2)
    params = {
        "handling_days": np.where(
            arch == EXC, np.where(rng.random(n) < 0.7, 3, 2), np.where(rng.random(n) < 0.4, 3, 2)
        ),
        "saturday": (arch == EXC).astype(np.int8),
        "catalog": rng.integers(100, 3000, n),
        "country_idx": country_idx,
    }
    params["catalog_base"] = np.cumsum(params["catalog"]) - params["catalog"]
    for c in COUNTRIES:
        params[f"holidays_{c}"] = _holidays(c, years)
    return SellerSet(
        market=MARKET,
        num=pos + 1,
        arch=arch,
        size=size,
        mean=mean,
        zone=zone,
        own_zone=zone != home,
        registered_at=registered,
        new=new,
        country=country,
        name=names,
        timezone=timezone,
        phone_prefix=[PHONES[c] for c in country],
        params=params,
    )


def arch_now(ctx: MonthCtx, sellers: SellerSet) -> np.ndarray:
    """New sellers are poor in their first two months, then average."""
    age_months = (ctx.start - sellers.registered_at) / (30.44 * DAY)
    return np.where(sellers.new, np.where(age_months < 2, POOR, AVG), sellers.arch)


_status = shipped_status(completed_after=14 * DAY, processed_after=HOUR)


def _ship_day(
    sellers: SellerSet, so: np.ndarray, sale_day: np.ndarray, bdays: np.ndarray
) -> np.ndarray:
    """The business day ``bdays`` after the sale date (weekends, holidays skipped)."""
    out = np.zeros(len(so), dtype=np.int64)
    country = sellers.params["country_idx"][so]
    saturday = sellers.params["saturday"][so]
    for c in np.unique(country):
        for sat in (0, 1):
            sel = (country == c) & (saturday == sat)
            if not sel.any():
                continue
            mask = "1111110" if sat else "1111100"
            days = sale_day[sel].astype("datetime64[D]")
            hol = sellers.params[f"holidays_{COUNTRIES[c]}"]
            # d = 0: the sale day, or the next business day; d >= 1: the d-th business day
            # after the sale date (a Saturday sale's first business day after is Monday)
            same = np.busday_offset(days, 0, roll="forward", weekmask=mask, holidays=hol)
            later = np.busday_offset(days, bdays[sel], roll="backward", weekmask=mask, holidays=hol)
            out[sel] = np.where(bdays[sel] == 0, same, later).astype(np.int64)
    return out


@dataclass
class _Orders:
    """The month's orders and their lines (``lo``: the order row of each line)."""

    so: np.ndarray
    t: np.ndarray
    onum: np.ndarray
    zone: np.ndarray
    on_eng: np.ndarray
    arch: np.ndarray
    n_lines: np.ndarray
    lo: np.ndarray
    lnum: np.ndarray
    qty: np.ndarray


@dataclass
class _Cancels:
    """Who cancelled what: whole orders (buyer, payment, inactivity, every line) and lines."""

    buyer: np.ndarray
    payment: np.ndarray
    never: np.ndarray
    inactivity: np.ndarray
    all_cancelled: np.ndarray
    whole: np.ndarray
    line_cancel: np.ndarray
    cancel_qty: np.ndarray


def month(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    arch_s = arch_now(ctx, sellers)
    eng = engineered(sellers, ctx.mi) & ~sellers.new
    small = np.isin(sellers.size, (SMALL, TINY))
    var = np.where(small, 0, variant(sellers, ctx.mi, len(VARIANTS)))
    spec = np.array(VARIANTS)[var]  # per seller: orders, cancelled, returned, overdue
    per_seller = np.where(eng, spec[:, 0], monthly_orders(ctx, sellers))
    o, product, price = _lines(ctx, sellers, ids, per_seller, eng, arch_s)
    cx = _cancels(ctx, sellers, o, eng, spec, arch_s)
    ship_by, sale_day, shipped = _shipping(ctx, sellers, o)
    shipped = _engineered_shipping(ctx, sellers, o, eng, spec, sale_day, shipped)
    shipped = np.where(cx.whole | cx.never, NULL_TS, shipped)
    shipped = null_after(shipped, ctx.cutoff)
    delivered = _delivered(ctx, shipped)
    expected = ctx.zones.to_local(o.zone, ship_by) // DAY + 3
    seller_cancel_at, order_cancel_at = _cancel_times(ctx, o.t, cx, shipped, ship_by)
    cx.whole &= order_cancel_at != NULL_TS

    last = ts_max(o.t, shipped, delivered, order_cancel_at)
    orders = order_cols(sellers, o.so, o.onum, o.t, MARKET.currency) | {
        "ship_by_at": ship_by,
        "shipped_at": shipped,
        "expected_delivery_date": expected,
        "delivered_at": delivered,
        "_exported_at": last + ctx.rng.integers(HOUR, 30 * HOUR, len(o.t)),
    }
    batch: Batch = {"orders": orders_table(ctx, sellers, o.so, orders, order_cancel_at, _status)}
    lines = {
        "order_id": o.onum[o.lo],
        "line_id": o.lnum,
        "product_id": product,
        "quantity": o.qty,
        "unit_price": price,
        "vat_rate": np.full(len(o.lo), VAT),
        "_main": o.t[o.lo],
    }
    batch["order_lines"] = finish(ctx, sellers, "order_lines", o.so[o.lo], lines)
    batch["cancellations"] = _cancellations(
        ctx, sellers, ids, o, cx, seller_cancel_at, order_cancel_at
    )
    ret, corr = _returns(
        ctx,
        sellers,
        ids,
        o.so,
        o.lo,
        o.onum,
        o.lnum,
        o.qty - cx.cancel_qty,
        delivered,
        eng,
        spec,
        arch_s,
    )
    batch["returns"] = ret
    batch["return_reason_corrections"] = corr
    return batch


def _lines(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    per_seller: np.ndarray,
    eng: np.ndarray,
    arch_s: np.ndarray,
) -> tuple[_Orders, np.ndarray, np.ndarray]:
    """The orders and their lines: quantity 1-3, unit price incl. 21 % VAT.

    Returns the orders, and the product and price (cents) of each line."""
    rng = ctx.rng
    so, t, onum = place_orders(ctx, sellers, ids, per_seller, SHOP_HOURS)
    n = len(t)
    on_eng = eng[so]
    n_lines = np.where(on_eng, 1, rng.choice(3, size=n, p=[0.75, 0.18, 0.07]) + 1)
    lo = np.repeat(np.arange(n), n_lines)  # order row of each line
    n_l = len(lo)
    lnum = ids.take("line", n_l)
    qty = np.where(on_eng[lo], 1, rng.choice(3, size=n_l, p=[0.8, 0.15, 0.05]) + 1)
    product = (
        sellers.params["catalog_base"][so[lo]]
        + (rng.random(n_l) * sellers.params["catalog"][so[lo]]).astype(np.int64)
        + 1
    )
    price = np.round(np.clip(rng.lognormal(np.log(45.0), 1.0, n_l), 2.0, 1500.0) * 100).astype(
        np.int64
    )
    orders = _Orders(so, t, onum, sellers.zone[so], on_eng, arch_s[so], n_lines, lo, lnum, qty)
    return orders, product, price


def _cancels(
    ctx: MonthCtx,
    sellers: SellerSet,
    o: _Orders,
    eng: np.ndarray,
    spec: np.ndarray,
    arch_s: np.ndarray,
) -> _Cancels:
    """Whole-order cancellations by the buyer / payment, stuck orders (some cancelled by the
    platform), seller-fault line cancellations (items)."""
    rng = ctx.rng
    n, so, lo, qty = len(o.t), o.so, o.lo, o.qty
    free = ~o.on_eng
    buyer = free & (rng.random(n) < 0.03)
    payment = free & ~buyer & (rng.random(n) < 0.01)
    idx = np.flatnonzero(free & ~buyer & ~payment)
    never = np.zeros(n, dtype=bool)
    never[idx] = binomial_pick(so[idx], P_NEVER_SHIPPED[arch_s], sellers.n, rng)[0]
    inactivity = never & (rng.random(n) < 0.5)  # the platform cancels some stuck orders

    cand = np.flatnonzero(~buyer[lo] & ~payment[lo] & ~never[lo])
    counts = np.bincount(so[lo[cand]], minlength=sellers.n)
    k = np.where(eng, spec[:, 1], rng.binomial(counts, P_CANCEL_LINE[arch_s]))
    line_cancel = np.zeros(len(lo), dtype=bool)
    line_cancel[cand] = pick(so[lo[cand]], k, rng)
    partial = line_cancel & (qty > 1) & (rng.random(len(lo)) < 0.3)
    cancel_qty = np.where(line_cancel, np.where(partial, 1, qty), 0)
    cancelled_lines = np.bincount(lo, weights=line_cancel & ~partial, minlength=n).astype(int)
    all_cancelled = (cancelled_lines == o.n_lines) & ~buyer & ~payment & ~never
    whole = buyer | payment | inactivity | all_cancelled
    return _Cancels(
        buyer, payment, never, inactivity, all_cancelled, whole, line_cancel, cancel_qty
    )


def _shipping(
    ctx: MonthCtx, sellers: SellerSet, o: _Orders
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ship-by instant, local sale day and shipment: business days after the sale date, at a
    local working hour."""
    rng, zones = ctx.rng, ctx.zones
    n, so, t, zone = len(o.t), o.so, o.t, o.zone
    handling = sellers.params["handling_days"][so]
    ship_by = t + handling * DAY
    local = zones.to_local(zone, t)
    sale_day = local // DAY
    tod = local % DAY
    cum = np.cumsum(SHIP_DAYS_P[o.arch], axis=1)
    u = rng.random(n)
    bdays = (u[:, None] > cum[:, :-1]).sum(axis=1)
    bdays = np.where(bdays == 3, 3 + rng.geometric(0.6, n) - 1, bdays)
    ship_day = _ship_day(sellers, so, sale_day, bdays)
    same_day = ship_day == sale_day
    lo_tod = np.where(same_day, tod + 1800, 9 * HOUR)
    bump = lo_tod > 18 * HOUR + 1800
    ship_day = np.where(bump, _ship_day(sellers, so, sale_day, np.maximum(bdays, 1)), ship_day)
    lo_tod = np.where(bump | (ship_day != sale_day), 9 * HOUR, lo_tod)
    ship_tod = lo_tod + (rng.random(n) * (19 * HOUR - lo_tod)).astype(np.int64)
    return ship_by, sale_day, zones.to_utc(zone, ship_day * DAY + ship_tod)


def _engineered_shipping(
    ctx: MonthCtx,
    sellers: SellerSet,
    o: _Orders,
    eng: np.ndarray,
    spec: np.ndarray,
    sale_day: np.ndarray,
    shipped: np.ndarray,
) -> np.ndarray:
    """Engineered months: on time under both rule versions, or 4 business days late."""
    rng, zones = ctx.rng, ctx.zones
    n, so = len(o.t), o.so
    eng_idx = np.flatnonzero(o.on_eng)
    late_k = np.where(eng, spec[:, 3], 0)
    eng_late = np.zeros(n, dtype=bool)
    eng_late[eng_idx] = pick(so[eng_idx], late_k, rng)
    quick = o.t + rng.integers(HOUR, 20 * HOUR, n)
    slow_day = _ship_day(sellers, so, sale_day, np.full(n, 4))
    slow = zones.to_utc(o.zone, slow_day * DAY + rng.integers(10 * HOUR, 17 * HOUR, n))
    return np.where(o.on_eng, np.where(eng_late, slow, quick), shipped)


def _delivered(ctx: MonthCtx, shipped: np.ndarray) -> np.ndarray:
    """Delivery 20 hours to 4 days after the shipment, if it has happened by the export."""
    n = len(shipped)
    delivered = np.where(
        shipped != NULL_TS, shipped + ctx.rng.integers(20 * HOUR, 4 * DAY, n), NULL_TS
    )
    return null_after(delivered, ctx.cutoff)


def _cancel_times(
    ctx: MonthCtx, t: np.ndarray, cx: _Cancels, shipped: np.ndarray, ship_by: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """When the seller cancels (before shipping) and when a whole order is cancelled."""
    rng = ctx.rng
    n = len(t)
    until_ship = np.where(shipped != NULL_TS, shipped - t, 2 * DAY)
    seller_cancel_at = t + (rng.uniform(0.1, 0.9, n) * np.clip(until_ship, 600, 2 * DAY)).astype(
        np.int64
    )
    order_cancel_at = np.select(
        [cx.buyer, cx.payment, cx.inactivity, cx.all_cancelled],
        [
            t + rng.integers(600, 2 * DAY, n),
            t + rng.integers(300, 6 * HOUR, n),
            ship_by + rng.integers(2 * DAY, 5 * DAY, n),
            seller_cancel_at,
        ],
        NULL_TS,
    )
    return seller_cancel_at, null_after(order_cancel_at, ctx.cutoff)


def _cancellations(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    o: _Orders,
    cx: _Cancels,
    seller_cancel_at: np.ndarray,
    order_cancel_at: np.ndarray,
) -> dict[str, np.ndarray]:
    """Whole orders without line_id, seller line cancellations with it, in time order."""
    rng = ctx.rng
    lo = o.lo
    line_rows = np.flatnonzero(cx.line_cancel & ~cx.whole[lo])
    line_at = null_after(seller_cancel_at[lo[line_rows]], ctx.cutoff)
    line_rows, line_at = line_rows[line_at != NULL_TS], line_at[line_at != NULL_TS]
    o_rows = np.flatnonzero(cx.whole)
    m_o, m_l = len(o_rows), len(line_rows)
    o_by = np.select(
        [cx.buyer[o_rows], cx.payment[o_rows], cx.inactivity[o_rows]],
        ["customer", "system", "platform"],
        "seller",
    ).astype(object)
    o_reason = np.select(
        [cx.buyer[o_rows], cx.payment[o_rows], cx.inactivity[o_rows]],
        [
            np.where(rng.random(m_o) < 0.92, "buyer_request", "other"),
            "payment_failed",
            "seller_inactivity",
        ],
        choice(rng, *SELLER_CANCEL_REASONS, m_o),
    ).astype(object)
    cancels = {
        "order_row": np.concatenate([o_rows, lo[line_rows]]),
        "cancelled_at": np.concatenate([order_cancel_at[o_rows], line_at]),
        "initiated_by": np.concatenate([o_by, np.full(m_l, "seller", dtype=object)]),
        "reason_code": np.concatenate([o_reason, choice(rng, *SELLER_CANCEL_REASONS, m_l)]),
        "line_id": np.concatenate([np.full(m_o, -1), o.lnum[line_rows]]),
        "quantity": np.concatenate([np.full(m_o, NULL_INT), cx.cancel_qty[line_rows]]),
    }
    order = np.argsort(cancels["cancelled_at"], kind="stable")
    cancels = {k: v[order] for k, v in cancels.items()}
    rows = cancels.pop("order_row")
    cancels["cancellation_id"] = ids.take("cancellation", len(rows))
    cancels["order_id"] = o.onum[rows]
    return finish(ctx, sellers, "cancellations", o.so[rows], cancels)


def _returns(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    so: np.ndarray,
    lo: np.ndarray,
    onum: np.ndarray,
    lnum: np.ndarray,
    remaining: np.ndarray,
    delivered: np.ndarray,
    eng: np.ndarray,
    spec: np.ndarray,
    arch_s: np.ndarray,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    rng = ctx.rng
    n_l = len(lo)
    line_seller = so[lo]
    cand = np.flatnonzero((delivered[lo] != NULL_TS) & (remaining > 0))
    counts = np.bincount(line_seller[cand], minlength=sellers.n)
    k = np.where(eng, spec[:, 2], rng.binomial(counts, P_RETURN_LINE[arch_s]))
    fault = np.zeros(n_l, dtype=bool)
    fault[cand] = pick(line_seller[cand], k, rng)
    buyer = np.zeros(n_l, dtype=bool)
    buyer[cand] = (rng.random(len(cand)) < 0.02) & ~eng[line_seller[cand]]
    buyer &= ~fault
    rows = np.flatnonzero(fault | buyer)
    m = len(rows)
    on_eng = eng[line_seller[rows]]
    quantity = np.where(
        (remaining[rows] > 1) & (rng.random(m) < 0.4) & ~on_eng,
        1 + (rng.random(m) * (remaining[rows] - 1)).astype(np.int64),
        remaining[rows],
    )
    quantity = np.where(on_eng, 1, quantity)
    requested = delivered[lo[rows]] + np.where(
        on_eng, rng.integers(HOUR, 3 * DAY, m), rng.integers(HOUR, 14 * DAY, m)
    )
    reason = np.where(
        fault[rows], choice(rng, *SELLER_RETURN_REASONS, m), choice(rng, *BUYER_RETURN_REASONS, m)
    ).astype(object)
    outcome = rng.choice(4, size=m, p=[0.62, 0.15, 0.13, 0.10])  # completed/rejected/acc./proc.
    closed = np.select(
        [outcome == 0, outcome == 1],
        [requested + rng.integers(5 * DAY, 25 * DAY, m), requested + rng.integers(DAY, 7 * DAY, m)],
        NULL_TS,
    )
    still_open = (closed != NULL_TS) & (closed > ctx.cutoff)
    status = np.select(
        [still_open & (outcome == 0), still_open, outcome == 0, outcome == 1, outcome == 2],
        ["accepted", "processing", "completed", "rejected", "accepted"],
        "processing",
    ).astype(object)
    closed = np.where(still_open, NULL_TS, closed)
    sel = up_to_cutoff(requested, ctx.cutoff)
    rnum = ids.take("return", len(sel))
    returns = {
        "return_id": rnum,
        "order_id": onum[lo[rows[sel]]],
        "line_id": lnum[rows[sel]],
        "quantity": quantity[sel],
        "requested_at": requested[sel],
        "reason_code": reason[sel],
        "status": status[sel],
        "closed_at": closed[sel],
    }
    ret_seller = line_seller[rows[sel]]
    ret_cols = finish(ctx, sellers, "returns", ret_seller, returns)

    corr_cols = _corrections(
        ctx,
        sellers,
        ids,
        requested[sel],
        closed[sel],
        on_eng[sel],
        fault[rows[sel]],
        rnum,
        ret_seller,
    )
    return ret_cols, corr_cols


def _corrections(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    requested: np.ndarray,
    closed: np.ndarray,
    on_eng: np.ndarray,
    fault: np.ndarray,
    rnum: np.ndarray,
    ret_seller: np.ndarray,
) -> dict[str, np.ndarray]:
    """Reason corrections after a dispute: some while processing (they count), some after the
    return was closed (ignored). Arguments are per written return."""
    rng = ctx.rng
    c_idx = np.flatnonzero((rng.random(len(requested)) < 0.10) & ~on_eng)
    q = len(c_idx)
    req = requested[c_idx]
    clo = closed[c_idx]
    is_closed = clo != NULL_TS
    before = rng.random(q) < 0.55
    corrected = np.where(
        is_closed,
        np.where(
            before,
            req + (rng.uniform(0.1, 0.9, q) * np.maximum(clo - req, 60)).astype(np.int64),
            clo + rng.integers(HOUR, 20 * DAY, q),
        ),
        req + rng.integers(HOUR, 10 * DAY, q),
    )
    was_fault = fault[c_idx]
    new_reason = np.where(
        was_fault, choice(rng, *BUYER_RETURN_REASONS, q), choice(rng, *SELLER_RETURN_REASONS, q)
    ).astype(object)
    c_sel = up_to_cutoff(corrected, ctx.cutoff)
    corrections = {
        "correction_id": ids.take("correction", len(c_sel)),
        "return_id": rnum[c_idx[c_sel]],
        "corrected_at": corrected[c_sel],
        "reason_code": new_reason[c_sel],
    }
    return finish(ctx, sellers, "return_reason_corrections", ret_seller[c_idx[c_sel]], corrections)
