"""Kuaishou shop (Asia/Shanghai): orders, after-sales requests and disputes.

Shapes the data for the after-sales SLA:
(docs/rules/kuaishou_after_sales.md) refund-only (before and after
shipping) and return-refund requests, some modified by the buyer (the deadline restarts),
seller handling around the 24 h / 48 h deadlines and, inside the 2022 Spring Festival window
(2022-01-25 00:00:00 .. 2022-02-08 23:59:59 local), around the 48 h / 5 day ones (sellers are
slower then, couriers pause), requests created exactly at 23:59:59 and 00:00:00 on the window
edges, buyer return shipping, receipt confirmation (some auto-confirmed at the deadline),
completion by seller / system / platform / buyer withdrawal, and disputes with liability.
Orders in official campaigns carry ``in_campaign = true``.

Engineered months of borderline sellers: exactly 20 requests with 1 handled late (5 %), or
100 requests with 5 late and 1 merchant-liable dispute (1 %).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seller_standing.generate.clock import (
    DAY,
    HOUR,
    NULL_TS,
    Zones,
    date_day,
    first_day,
    month_add,
)
from seller_standing.generate.core import (
    BIG,
    MARKETPLACE_ZONES,
    SHOP_HOURS,
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
    shipped_status,
)
from seller_standing.generate.writer import Batch

MARKET = Market(
    name="kuaishou",
    prefix="ks",
    zone=MARKETPLACE_ZONES["kuaishou"],
    currency="CNY",
    index=2,
    season=(1.3, 0.7, 0.95, 0.95, 1.0, 1.2, 0.95, 0.95, 0.95, 1.0, 1.5, 1.2),
    forms=(0.2, 0.1, 0.7),
)

UNSHIPPED, SHIPPED, RETURN = 0, 1, 2
TYPES = np.array(["refund_only_unshipped", "refund_only_shipped", "return_refund"], dtype=object)
# festival window (local, both ends inclusive) and the couriers' pause
FESTIVAL = (date_day(2022, 1, 25) * DAY, date_day(2022, 2, 8) * DAY + DAY - 1)
COURIER_PAUSE = (date_day(2022, 1, 28), date_day(2022, 2, 6))  # local days, inclusive
CAMPAIGNS = ((1, 10, 2, 8), (6, 1, 6, 18), (10, 20, 11, 11), (12, 1, 12, 12))  # m/d .. m/d

# per archetype: excellent, borderline, average, poor
P_REQUEST = np.array([0.05, 0.07, 0.07, 0.11])
P_LATE = np.array([0.01, 0.05, 0.035, 0.14])
P_UNHANDLED = np.array([0.0, 0.005, 0.005, 0.03])
P_REJECT = np.array([0.06, 0.14, 0.12, 0.25])
P_MERCHANT = np.array([0.05, 0.15, 0.12, 0.45])
CONFIRM_HOURS = np.array([6.0, 20.0, 16.0, 60.0])  # mean seller delay to confirm a return

_NAMES = (
    (
        ("义乌", "杭州", "广州", "深圳", "临沂", "泉州", "成都"),
        ("好物小店", "服饰旗舰店", "农家特产", "美妆专营店", "家居小店", "零食铺"),
    ),
)


def make_sellers(zones: Zones, n: int, seed: int, window: Sequence[tuple[int, int]]) -> SellerSet:
    rng = seller_rng(seed, MARKET)
    arch, size, mean, registered = base_sellers(zones, MARKET, window, n, rng)
    home = zones.add(MARKET.zone)
    return SellerSet(
        market=MARKET,
        num=np.arange(1, n + 1),
        arch=arch,
        size=size,
        mean=mean,
        zone=np.full(n, home, dtype=np.int64),
        own_zone=np.zeros(n, dtype=bool),
        registered_at=registered,
        new=np.zeros(n, dtype=bool),
        country=["CN"] * n,
        name=pick_names(rng, n, _NAMES),
        timezone=[None] * n,
        phone_prefix=["+86 138"] * n,
    )


def _in_festival(local: np.ndarray) -> np.ndarray:
    return (local >= FESTIVAL[0]) & (local <= FESTIVAL[1])


def _in_campaign(local_day: np.ndarray) -> np.ndarray:
    year = local_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    out = np.zeros(len(local_day), dtype=bool)
    for y in np.unique(year):
        for m0, d0, m1, d1 in CAMPAIGNS:
            out |= (
                (year == y)
                & (local_day >= date_day(int(y), m0, d0))
                & (local_day <= date_day(int(y), m1, d1))
            )
    return out


_status = shipped_status(completed_after=7 * DAY, processed_after=2 * HOUR)


Arrays = dict[str, np.ndarray]


def month(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    rng, zones = ctx.rng, ctx.zones
    eng = engineered(sellers, ctx.mi)
    eng_big = eng & (sellers.size == BIG)
    per_seller = monthly_orders(ctx, sellers)
    per_seller = np.where(eng_big, np.maximum(per_seller, 150), per_seller)
    per_seller = np.where(eng & ~eng_big, np.maximum(per_seller, 30), per_seller)
    so, t, onum = place_orders(ctx, sellers, ids, per_seller, SHOP_HOURS)
    n = len(t)
    zone = sellers.zone[so]
    local = zones.to_local(zone, t)
    in_campaign = np.where(_in_campaign(local // DAY), rng.random(n) < 0.6, rng.random(n) < 0.03)
    shipped, delivered = _shipments(ctx, zone, t)

    req = _requests(ctx, sellers, so, t, shipped, delivered, eng, eng_big)
    r = _handling(ctx, sellers, req, so, zone, eng_big)
    r |= _return_shipping(ctx, sellers, req, r, so, zone)
    r |= _disputes(ctx, sellers, req, r, so, eng_big)
    r |= _completion(ctx, req, r)
    r = _as_of_export(ctx, req, r)

    # orders: an approved (or timed-out) refund before shipping cancels the order
    o, cut = req["order_row"], ctx.cutoff
    cancels = (req["type"] == UNSHIPPED) & ((r["approved_at"] != NULL_TS) | r["unhandled"])
    cancels &= r["keep"]
    completed = r["completed"]
    cancel_at = np.full(n, NULL_TS, dtype=np.int64)
    cancel_at[o[cancels]] = np.where(completed[cancels] != NULL_TS, completed[cancels], NULL_TS)
    no_ship = np.zeros(n, dtype=bool)
    no_ship[o[cancels]] = True
    shipped = np.where(no_ship, NULL_TS, null_after(shipped, cut))
    delivered = np.where(no_ship | (shipped == NULL_TS), NULL_TS, null_after(delivered, cut))
    orders = order_cols(sellers, so, onum, t, MARKET.currency) | {
        "shipped_at": shipped,
        "delivered_at": delivered,
        "in_campaign": in_campaign.astype(np.int8),
    }
    batch: Batch = {"orders": orders_table(ctx, sellers, so, orders, cancel_at, _status)}
    batch |= _request_tables(ctx, sellers, ids, req, r, so[o], onum)
    return batch


def _shipments(ctx: MonthCtx, zone: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Shipment and delivery of every order, with the couriers' Spring Festival pause."""
    rng, zones = ctx.rng, ctx.zones
    n = len(t)
    shipped = t + rng.integers(4 * HOUR, 60 * HOUR, n)
    ship_day = zones.to_local(zone, shipped) // DAY
    paused = (ship_day >= COURIER_PAUSE[0]) & (ship_day <= COURIER_PAUSE[1])
    resume = (COURIER_PAUSE[1] + 1) * DAY + rng.integers(8 * HOUR, 44 * HOUR, n)
    shipped = np.where(paused, zones.to_utc(zone, resume), shipped)
    return shipped, shipped + rng.integers(DAY, 5 * DAY, n)


def _handling(
    ctx: MonthCtx,
    sellers: SellerSet,
    req: Arrays,
    so: np.ndarray,
    zone: np.ndarray,
    eng_big: np.ndarray,
) -> Arrays:
    """The seller's handling of each request, against the deadline of the policy in force at
    the trigger (creation or last modification): on time, exactly at it, late, never."""
    rng, zones = ctx.rng, ctx.zones
    o, rtype = req["order_row"], req["type"]
    r_seller = so[o]
    m = len(o)
    trigger = np.where(req["modified"] != NULL_TS, req["modified"], req["requested"])
    festival = _in_festival(zones.to_local(zone[o], trigger))
    limit = (
        np.where(rtype == UNSHIPPED, np.where(festival, 48, 24), np.where(festival, 120, 48)) * HOUR
    )
    arch = sellers.arch[r_seller]
    unhandled = np.zeros(m, dtype=bool)
    free = ~req["fixed"] & ~req["eng"]
    idx = np.flatnonzero(free)
    unhandled[idx] = binomial_pick(r_seller[idx], P_UNHANDLED[sellers.arch], sellers.n, rng)[0]
    late = np.zeros(m, dtype=bool)
    idx = np.flatnonzero(free & ~unhandled)
    late[idx] = binomial_pick(r_seller[idx], P_LATE[sellers.arch], sellers.n, rng)[0]
    idx = np.flatnonzero(req["eng"])
    k_late = np.where(eng_big, 5, 1)
    late[idx] = pick(r_seller[idx], k_late, rng)
    share = np.where(festival, rng.beta(2.0, 2.0, m), rng.beta(1.3, 3.0, m))
    on_time = trigger + np.maximum(120, (share * limit).astype(np.int64))
    on_time = np.where(rng.random(m) < 0.02, trigger + limit, on_time)  # exactly at the deadline
    late_at = trigger + limit + 1 + rng.exponential(10 * HOUR, m).astype(np.int64)
    late_at = np.where(rng.random(m) < 0.06, trigger + limit + 1, late_at)  # one second late
    handled = np.where(late, late_at, on_time)
    handled = np.where(req["fixed"], trigger + req["delay"], handled)
    handled = np.where(unhandled, NULL_TS, handled)
    rejected = (rng.random(m) < P_REJECT[arch]) & ~req["fixed"] & (handled != NULL_TS)
    rejected &= ~req["eng"] | (rng.random(m) < 0.1)
    decision = np.where(handled == NULL_TS, None, np.where(rejected, "rejected", "approved"))
    return {
        "trigger": trigger,
        "limit": limit,
        "unhandled": unhandled,
        "handled": handled,
        "rejected": rejected,
        "decision": decision,
        "approved_at": np.where(decision == "approved", handled, NULL_TS),
    }


def _return_shipping(
    ctx: MonthCtx, sellers: SellerSet, req: Arrays, r: Arrays, so: np.ndarray, zone: np.ndarray
) -> Arrays:
    """Approved returns: the buyer ships (most do) and the seller or the system confirms."""
    rng, zones = ctx.rng, ctx.zones
    o = req["order_row"]
    m = len(o)
    arch = sellers.arch[so[o]]
    approved_at = r["approved_at"]
    is_return = (req["type"] == RETURN) & (approved_at != NULL_TS)
    fest_approved = _in_festival(zones.to_local(zone[o], approved_at))
    ship_window = np.where(fest_approved, 15, 10) * DAY
    buyer_ships = is_return & (rng.random(m) < 0.93)
    ship_after = HOUR + rng.exponential(1.2 * DAY, m).astype(np.int64)
    buyer_shipped = np.where(
        buyer_ships,
        approved_at + np.minimum(ship_after, (ship_window * 0.95).astype(np.int64)),
        NULL_TS,
    )
    fest_shipped = _in_festival(zones.to_local(zone[o], buyer_shipped))
    receipt_window = np.where(fest_shipped, 15, 7) * DAY
    transit = rng.integers(DAY, 3 * DAY, m)
    seller_confirm = (
        buyer_shipped + transit + rng.exponential(CONFIRM_HOURS[arch] * HOUR).astype(np.int64)
    )
    auto = (seller_confirm >= buyer_shipped + receipt_window) | (rng.random(m) < 0.08)
    receipt = np.where(auto, buyer_shipped + receipt_window, seller_confirm)
    return {
        "is_return": is_return,
        "ship_window": ship_window,
        "buyer_ships": buyer_ships,
        "buyer_shipped": buyer_shipped,
        "auto": auto,
        "receipt": np.where(buyer_ships, receipt, NULL_TS),
    }


def _disputes(
    ctx: MonthCtx,
    sellers: SellerSet,
    req: Arrays,
    r: Arrays,
    so: np.ndarray,
    eng_big: np.ndarray,
) -> Arrays:
    """Disputes over rejected or unhandled requests; engineered big sellers lose one."""
    rng = ctx.rng
    o = req["order_row"]
    m = len(o)
    r_seller = so[o]
    arch = sellers.arch[r_seller]
    rejected, unhandled = r["rejected"], r["unhandled"]
    dispute = (rejected & (rng.random(m) < 0.45)) | (unhandled & (rng.random(m) < 0.3))
    dispute &= ~req["eng"]
    opened = np.where(
        unhandled,
        r["trigger"] + r["limit"] + rng.integers(HOUR, 2 * DAY, m),
        r["handled"] + rng.integers(HOUR, 3 * DAY, m),
    )
    eng_dispute = np.zeros(m, dtype=bool)
    idx = np.flatnonzero(req["eng"])
    eng_dispute[idx] = pick(r_seller[idx], np.where(eng_big, 1, 0), rng)
    dispute |= eng_dispute
    resolved = opened + rng.integers(DAY, 10 * DAY, m)
    liability = np.where(
        rng.random(m) < P_MERCHANT[arch],
        "merchant",
        choice(rng, ("buyer", "platform", "none"), (0.6, 0.15, 0.25), m),
    ).astype(object)
    return {
        "dispute": dispute,
        "opened": np.where(dispute, opened, NULL_TS),
        "resolved": resolved,
        "liability": np.where(eng_dispute, "merchant", liability),
    }


def _completion(ctx: MonthCtx, req: Arrays, r: Arrays) -> Arrays:
    """How and when each request ended (first matching way wins)."""
    rng = ctx.rng
    m = len(req["order_row"])
    rtype = req["type"]
    is_return, buyer_ships = r["is_return"], r["buyer_ships"]
    handled, approved_at, receipt = r["handled"], r["approved_at"], r["receipt"]
    withdrew = r["rejected"] & ~r["dispute"] & (rng.random(m) < 0.45)
    ends = [
        r["unhandled"],
        (rtype != RETURN) & (approved_at != NULL_TS),
        is_return & buyer_ships & r["auto"],
        is_return & buyer_ships,
        is_return,
        withdrew,
        r["dispute"],
    ]
    completed = np.select(
        ends,
        [
            r["trigger"] + r["limit"],
            handled + rng.integers(60, 2 * HOUR, m),
            receipt,
            receipt + rng.integers(60, 6 * HOUR, m),
            approved_at + r["ship_window"] + rng.integers(0, DAY, m),
            handled + rng.integers(HOUR, 3 * DAY, m),
            r["resolved"],
        ],
        NULL_TS,
    )
    completed_by = np.select(
        ends,
        ["system", "seller", "system", "seller", "buyer_withdrew", "buyer_withdrew", "platform"],
        "",
    ).astype(object)
    return {"completed": completed, "completed_by": completed_by}


def _as_of_export(ctx: MonthCtx, req: Arrays, r: Arrays) -> Arrays:
    """What the export knows: later events are not there yet (``keep``: requested by then)."""
    cut = ctx.cutoff
    out = dict(r)
    out["handled"] = null_after(r["handled"], cut)
    out["decision"] = np.where(out["handled"] == NULL_TS, None, r["decision"])
    for name in ("approved_at", "buyer_shipped", "receipt", "completed"):
        out[name] = null_after(r[name], cut)
    out["completed_by"] = np.where(out["completed"] == NULL_TS, None, r["completed_by"]).astype(
        object
    )
    out["resolved"] = null_after(r["resolved"], cut)
    out["modified"] = null_after(req["modified"], cut)
    out["keep"] = req["requested"] <= cut
    return out


def _request_tables(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    req: Arrays,
    r: Arrays,
    r_seller: np.ndarray,
    onum: np.ndarray,
) -> Batch:
    """The after-sales requests and disputes tables, each in time order."""
    o, keep, opened, resolved = req["order_row"], r["keep"], r["opened"], r["resolved"]
    rows = np.flatnonzero(keep)
    rows = rows[np.lexsort((rows, req["requested"][rows]))]
    rnum = np.full(len(o), -1, dtype=np.int64)
    rnum[rows] = ids.take("request", len(rows))
    requests = {
        "request_id": rnum[rows],
        "order_id": onum[o[rows]],
        "request_type": TYPES[req["type"][rows]],
        "requested_at": req["requested"][rows],
        "modified_at": r["modified"][rows],
        "seller_handled_at": r["handled"][rows],
        "seller_decision": r["decision"][rows],
        "seller_approved_at": r["approved_at"][rows],
        "buyer_shipped_at": r["buyer_shipped"][rows],
        "receipt_confirmed_at": r["receipt"][rows],
        "completed_at": r["completed"][rows],
        "completed_by": r["completed_by"][rows],
    }
    batch: Batch = {
        "after_sales_requests": finish(
            ctx, sellers, "after_sales_requests", r_seller[rows], requests
        )
    }
    d_rows = np.flatnonzero(keep & (opened != NULL_TS) & (opened <= ctx.cutoff))
    d_rows = d_rows[np.lexsort((d_rows, opened[d_rows]))]
    disputes = {
        "dispute_id": ids.take("dispute", len(d_rows)),
        "request_id": rnum[d_rows],
        "opened_at": opened[d_rows],
        "liability": np.where(resolved[d_rows] == NULL_TS, "none", r["liability"][d_rows]).astype(
            object
        ),
        "resolved_at": resolved[d_rows],
    }
    batch["disputes"] = finish(ctx, sellers, "disputes", r_seller[d_rows], disputes)
    return batch


def _requests(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    t: np.ndarray,
    shipped: np.ndarray,
    delivered: np.ndarray,
    eng: np.ndarray,
    eng_big: np.ndarray,
) -> dict[str, np.ndarray]:
    """Which orders get an after-sales request, of what type, when (and fixed edge cases)."""
    rng, zones = ctx.rng, ctx.zones
    n = len(t)
    on_eng = eng[so]
    # natural requests
    natural = (rng.random(n) < P_REQUEST[sellers.arch[so]]) & ~on_eng
    # engineered: exactly 20 (or 100) requests inside the month, before shipping
    cand = np.flatnonzero(on_eng & (t < ctx.end[so] - 4 * DAY))
    chosen = np.zeros(n, dtype=bool)
    chosen[cand] = pick(so[cand], np.where(eng_big, 100, np.where(eng, 20, 0)), rng)

    o_nat = np.flatnonzero(natural)
    k = len(o_nat)
    rtype = rng.choice(3, size=k, p=[0.35, 0.2, 0.45])
    requested = np.select(
        [rtype == UNSHIPPED, rtype == SHIPPED],
        [
            t[o_nat] + (rng.uniform(0.05, 0.95, k) * (shipped[o_nat] - t[o_nat])).astype(np.int64),
            shipped[o_nat]
            + (rng.uniform(0.1, 0.9, k) * (delivered[o_nat] - shipped[o_nat])).astype(np.int64),
        ],
        delivered[o_nat] + rng.integers(2 * HOUR, 6 * DAY, k),
    )
    # a request landing in the seller's next month is dropped if that month is engineered
    ny, nm = month_add(ctx.year, ctx.month, 2)
    next_end = zones.to_utc(sellers.zone, np.full(sellers.n, first_day(ny, nm) * DAY))
    nxt = engineered(sellers, ctx.mi + 1)
    s_nat = so[o_nat]
    spill = (requested >= ctx.end[s_nat]) & (requested < next_end[s_nat]) & nxt[s_nat]
    o_nat, rtype, requested = o_nat[~spill], rtype[~spill], requested[~spill]
    k = len(o_nat)
    modified = np.where(rng.random(k) < 0.12, requested + rng.integers(600, 20 * HOUR, k), NULL_TS)
    modified = np.where((rtype == UNSHIPPED) & (modified >= shipped[o_nat]), NULL_TS, modified)

    o_eng = np.flatnonzero(chosen)
    q = len(o_eng)
    eng_end = np.minimum(shipped[o_eng], ctx.end[so[o_eng]] - 60)
    eng_req = t[o_eng] + (rng.uniform(0.1, 0.9, q) * (eng_end - t[o_eng])).astype(np.int64)

    taken = natural | chosen
    f_o, f_req, f_mod, f_type, fix_delay = _festival_edges(
        ctx, t, shipped, delivered, taken, on_eng
    )
    p = len(f_o)
    return {
        "order_row": np.concatenate([o_nat, o_eng, f_o]),
        "type": np.concatenate([rtype, np.full(q, UNSHIPPED), f_type]),
        "requested": np.concatenate([requested, eng_req, f_req]),
        "modified": np.concatenate([modified, np.full(q, NULL_TS), f_mod]),
        "eng": np.concatenate([np.zeros(k, bool), np.ones(q, bool), np.zeros(p, bool)]),
        "fixed": np.concatenate([np.zeros(k, bool), np.zeros(q, bool), np.ones(p, bool)]),
        "delay": np.concatenate([np.zeros(k + q, dtype=np.int64), fix_delay]),
    }


def _festival_edges(
    ctx: MonthCtx,
    t: np.ndarray,
    shipped: np.ndarray,
    delivered: np.ndarray,
    taken: np.ndarray,
    on_eng: np.ndarray,
) -> tuple[np.ndarray, ...]:
    """Festival edge cases: requests created at 23:59:59 / 00:00:00 local on both window ends
    (and one modified after the window opened), on orders without a request yet.

    Returns order row, requested, modified, type and handling delay of each."""
    zones = ctx.zones
    fix_o, fix_req, fix_mod = [], [], []
    zone0 = zones.idx(MARKET.zone)
    edges = (FESTIVAL[0] - 1, FESTIVAL[0], FESTIVAL[1], FESTIVAL[1] + 1)
    for e_local in edges + (FESTIVAL[0] - 5 * HOUR,):
        e = int(zones.to_utc(zone0, np.array([e_local]))[0])
        if not ctx.start.min() <= e < ctx.end.max():
            continue
        modify = e_local == FESTIVAL[0] - 5 * HOUR  # modified after the window opened
        ok = ~taken & ~on_eng & (t < e - HOUR) & (t > e - 4 * DAY)
        if modify:
            ok &= shipped > e + 7 * HOUR
        for o in np.flatnonzero(ok)[:2]:
            taken[o] = True
            fix_o.append(o)
            fix_req.append(e)
            fix_mod.append(e + 6 * HOUR if modify else NULL_TS)
    f_o = np.array(fix_o, dtype=np.int64)
    f_req = np.array(fix_req, dtype=np.int64)
    f_mod = np.array(fix_mod, dtype=np.int64)
    f_type = np.where(
        shipped[f_o] > f_req, UNSHIPPED, np.where(delivered[f_o] > f_req, SHIPPED, RETURN)
    )
    # 30 h (refund only, not shipped) or 72 h: late under the normal policy, in time during
    # the festival
    fix_delay = np.where(f_type == UNSHIPPED, 30 * HOUR, 72 * HOUR)
    return f_o, f_req, f_mod, f_type, fix_delay
