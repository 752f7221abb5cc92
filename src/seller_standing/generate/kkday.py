"""KKday (travel experiences, Asia/Taipei): orders, cancellations, messages, reviews, violations.

Shapes the data for the Trusted Partner metrics:
(docs/rules/kkday_trusted_partner.md) confirmation deadlines
per confirm mode (some confirmations exactly at the deadline, some one second late, some
never), seller / customer / weather cancellations, orders redeemed before the departure date,
conversations whose customer messages get answered within 12 hours or not (a few replies
exactly 12:00:00 and 12:00:01 after the message, bursts answered by one reply), reviews on a
5-point scale and monthly violation points.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seller_standing.generate.clock import DAY, HOUR, NULL_TS, Zones
from seller_standing.generate.core import (
    BIG,
    MARKETPLACE_ZONES,
    MEDIUM,
    TRAVEL_HOURS,
    Counters,
    Market,
    MonthCtx,
    SellerSet,
    base_sellers,
    binomial_pick,
    choice,
    counts_in,
    engineered,
    finish,
    ints,
    monthly_orders,
    null_after,
    order_cols,
    orders_table,
    pick,
    pick_names,
    place_orders,
    reviews_table,
    seller_rng,
    seller_zones,
    up_to_cutoff,
)
from seller_standing.generate.writer import Batch

MARKET = Market(
    name="kkday",
    prefix="kk",
    zone=MARKETPLACE_ZONES["kkday"],
    currency="TWD",
    index=0,
    season=(1.1, 1.0, 0.85, 0.95, 0.9, 1.0, 1.3, 1.3, 0.85, 1.0, 0.85, 1.1),
    forms=(0.7, 0.15, 0.15),
)

INSTANT, WITHIN, BEFORE = 0, 1, 2
MODES = np.array(["instant", "within_hours", "before_departure"], dtype=object)

# per archetype: excellent, borderline, average, poor
P_LATE = np.array([0.008, 0.05, 0.04, 0.14])
P_NEVER = np.array([0.0, 0.01, 0.01, 0.04])
P_SELLER_CANCEL = np.array([0.002, 0.012, 0.012, 0.05])
P_EARLY_REDEEM = np.array([0.0, 0.002, 0.002, 0.012])
P_REPLY_LATE = np.array([0.02, 0.09, 0.07, 0.28])
P_NO_REPLY = np.array([0.0, 0.01, 0.02, 0.07])
RATING_P = np.array(
    [
        [0.0, 0.005, 0.02, 0.12, 0.855],
        [0.01, 0.01, 0.04, 0.25, 0.69],
        [0.01, 0.02, 0.06, 0.35, 0.56],
        [0.06, 0.08, 0.15, 0.35, 0.36],
    ]
)
VIOLATIONS_PER_MONTH = np.array([0.01, 0.08, 0.10, 0.5])
VIOLATION_CATEGORIES = (
    "external_communication",
    "listing_misrepresentation",
    "service_complaint",
    "no_show",
    "unauthorised_price_change",
)

_NAMES = (
    (
        ("Taipei ", "Formosa ", "Jiufen ", "Sun Moon Lake ", "Taroko ", "Kenting "),
        ("Day Tours", "Experiences", "Travel Co., Ltd.", "Adventures"),
    ),
    (("台北", "高雄", "花蓮", "九份", "墾丁"), ("旅行社", "一日遊", "旅遊")),
)
_COUNTRIES = (("TW", "+886 912"), ("JP", "+81 90"), ("KR", "+82 10"), ("TH", "+66 81"))


def make_sellers(zones: Zones, n: int, seed: int, window: Sequence[tuple[int, int]]) -> SellerSet:
    rng = seller_rng(seed, MARKET)
    arch, size, mean, registered = base_sellers(zones, MARKET, window, n, rng)
    home = zones.add(MARKET.zone)
    cidx = np.where(rng.random(n) < 0.8, 0, rng.integers(1, len(_COUNTRIES), n))
    zone, timezone = seller_zones(zones, n, home, "Asia/Tokyo")
    if n > 1:  # one Japanese operator keeps its own clock
        cidx[1] = 1
    mix = rng.dirichlet([10.0, 7.0, 3.0], n)
    params = {
        "mix": np.cumsum(mix, axis=1),
        "within_h": np.where(rng.random(n) < 0.75, 24, 48),
        "before_days": rng.integers(1, 4, n),
    }
    return SellerSet(
        market=MARKET,
        num=np.arange(1, n + 1),
        arch=arch,
        size=size,
        mean=mean,
        zone=zone,
        own_zone=zone != home,
        registered_at=registered,
        new=np.zeros(n, dtype=bool),
        country=[_COUNTRIES[i][0] for i in cidx],
        name=pick_names(rng, n, _NAMES),
        timezone=timezone,
        phone_prefix=[_COUNTRIES[i][1] for i in cidx],
        params=params,
    )


def _status(cols: dict[str, np.ndarray], cancel_at: np.ndarray, at: np.ndarray) -> np.ndarray:
    cancelled = (cancel_at != NULL_TS) & (cancel_at <= at)
    redeemed = (cols["redeemed_at"] != NULL_TS) & (cols["redeemed_at"] <= at)
    confirmed = (cols["confirmed_at"] != NULL_TS) & (cols["confirmed_at"] <= at)
    return np.select(
        [cancelled, redeemed, confirmed],
        ["cancelled", "completed", "processed"],
        "placed",
    ).astype(object)


def month(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    eng = engineered(sellers, ctx.mi)
    eng_big = eng & np.isin(sellers.size, (BIG, MEDIUM))
    per_seller = np.where(eng_big, 100, monthly_orders(ctx, sellers))
    so, t, onum = place_orders(ctx, sellers, ids, per_seller, TRAVEL_HOURS)
    n = len(t)
    mode, within_h, before_d, lead, dep_day, dep_start, deadline = _deadlines(ctx, sellers, so, t)
    never, confirmed = _confirmations(ctx, sellers, so, t, mode, deadline, dep_start)
    who, cancel_at, confirmed = _cancel_times(
        ctx, sellers, so, t, eng, eng_big, never, confirmed, deadline, dep_start
    )
    redeemed = _redemptions(ctx, sellers, so, t, eng[so], lead, cancel_at, confirmed, dep_start)
    orders = order_cols(sellers, so, onum, t, MARKET.currency) | {
        "confirm_mode": MODES[mode],
        "confirm_within_hours": np.where(mode == WITHIN, within_h, ints(n)),
        "confirm_days_before_departure": np.where(mode == BEFORE, before_d, ints(n)),
        "departure_date": dep_day,
        "confirmed_at": confirmed,
        "redeemed_at": redeemed,
    }
    batch: Batch = {"orders": orders_table(ctx, sellers, so, orders, cancel_at, _status)}
    batch["cancellations"] = _cancellations(ctx, sellers, ids, so, onum, mode, cancel_at, *who)
    batch["messages"] = _messages(ctx, sellers, ids, so, onum, t, dep_start, eng)
    batch["reviews"] = _reviews(ctx, sellers, ids, so, onum, redeemed)
    batch["violations"] = _violations(ctx, sellers, ids, eng)
    return batch


def _deadlines(
    ctx: MonthCtx, sellers: SellerSet, so: np.ndarray, t: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Confirm mode, its parameters, lead days, departure and the confirmation deadline."""
    rng, zones = ctx.rng, ctx.zones
    n = len(t)
    zone = sellers.zone[so]
    u = rng.random(n)
    mix = sellers.params["mix"][so]
    mode = np.where(u < mix[:, 0], INSTANT, np.where(u < mix[:, 1], WITHIN, BEFORE))
    within_h = sellers.params["within_h"][so]
    before_d = sellers.params["before_days"][so]
    order_day = zones.to_local(zone, t) // DAY
    lead = np.minimum(rng.geometric(1 / 14, n), 150)
    lead = np.where(mode == WITHIN, np.maximum(lead, within_h // 24 + 1), lead)
    lead = np.where(mode == BEFORE, np.maximum(lead, before_d + 1), lead)
    dep_day = order_day + lead
    dep_start = zones.to_utc(zone, dep_day * DAY)
    deadline = np.select(
        [mode == INSTANT, mode == WITHIN],
        [t, t + within_h * HOUR],
        zones.to_utc(zone, (dep_day - before_d) * DAY),
    )
    return mode, within_h, before_d, lead, dep_day, dep_start, deadline


def _confirmations(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    t: np.ndarray,
    mode: np.ndarray,
    deadline: np.ndarray,
    dep_start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """On time, exactly at the deadline, late (some by one second), never: (never, when)."""
    rng = ctx.rng
    n = len(t)
    manual = mode != INSTANT
    idx_manual = np.flatnonzero(manual)
    never = np.zeros(n, dtype=bool)
    never[idx_manual] = binomial_pick(so[idx_manual], P_NEVER[sellers.arch], sellers.n, rng)[0]
    idx_rest = np.flatnonzero(manual & ~never)
    late = np.zeros(n, dtype=bool)
    late[idx_rest] = binomial_pick(so[idx_rest], P_LATE[sellers.arch], sellers.n, rng)[0]
    window = deadline - t
    on_time_at = t + np.maximum(60, (rng.beta(1.2, 4.0, n) * window).astype(np.int64))
    on_time_at = np.minimum(on_time_at, deadline)
    on_time_at = np.where(rng.random(n) < 0.03, deadline, on_time_at)
    late_at = deadline + 60 + rng.exponential(6 * HOUR, n).astype(np.int64)
    late_at = np.where(rng.random(n) < 0.06, deadline + 1, late_at)
    late_at = np.maximum(deadline + 1, np.minimum(late_at, dep_start - 60))
    confirmed = np.where(manual, np.where(late, late_at, on_time_at), t)
    return never, np.where(never, NULL_TS, confirmed)


def _cancel_times(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    t: np.ndarray,
    eng: np.ndarray,
    eng_big: np.ndarray,
    never: np.ndarray,
    confirmed: np.ndarray,
    deadline: np.ndarray,
    dep_start: np.ndarray,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], np.ndarray, np.ndarray]:
    """Customer, weather, seller and system cancellations (never confirmed).

    Returns (customer, weather, seller) masks, the cancellation instant per order (null: not
    cancelled) and the confirmations left standing.
    """
    rng = ctx.rng
    n = len(t)
    on_eng = eng[so]
    free = ~on_eng
    customer = free & (rng.random(n) < 0.05)
    p_weather = 0.03 if ctx.month in (7, 8, 9) else 0.01
    weather = free & ~customer & (rng.random(n) < p_weather)
    cand = np.flatnonzero(~customer & ~weather & ~never)
    counts = counts_in(so[cand], sellers.n)
    k = rng.binomial(counts, P_SELLER_CANCEL[sellers.arch])
    k = np.where(eng_big, 1, k)
    seller_cancel = np.zeros(n, dtype=bool)
    seller_cancel[cand] = pick(so[cand], k, rng)
    system = never
    cancelled = customer | weather | seller_cancel | system
    span = np.maximum(dep_start - t, 120)
    cust_at = t + (rng.uniform(0.05, 0.95, n) * span).astype(np.int64)
    weather_at = np.maximum(t + 600, dep_start - rng.integers(2 * HOUR, 72 * HOUR, n))
    after_conf = np.maximum(np.where(confirmed == NULL_TS, t, confirmed), t)
    before_deadline = (rng.random(n) < 0.4) & (deadline - t > HOUR) & ~on_eng
    seller_at = np.where(
        before_deadline,
        t + (rng.uniform(0.1, 0.9, n) * (deadline - t)).astype(np.int64),
        after_conf
        + (rng.uniform(0.05, 0.9, n) * np.maximum(dep_start - after_conf, 120)).astype(np.int64),
    )
    system_at = deadline + rng.integers(HOUR, 6 * HOUR, n)
    cancel_at = np.select(
        [customer, weather, seller_cancel, system],
        [cust_at, weather_at, seller_at, system_at],
        NULL_TS,
    )
    cancel_at = null_after(cancel_at, ctx.cutoff)
    cancelled &= cancel_at != NULL_TS
    confirmed = np.where(cancelled & (confirmed > cancel_at), NULL_TS, confirmed)
    return (customer, weather, seller_cancel), cancel_at, null_after(confirmed, ctx.cutoff)


def _redemptions(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    t: np.ndarray,
    on_eng: np.ndarray,
    lead: np.ndarray,
    cancel_at: np.ndarray,
    confirmed: np.ndarray,
    dep_start: np.ndarray,
) -> np.ndarray:
    """Redemption on the departure day, or (seller fault) before it."""
    rng = ctx.rng
    n = len(t)
    cancelled = cancel_at != NULL_TS
    cand = np.flatnonzero(~cancelled & (confirmed != NULL_TS) & (lead >= 2) & ~on_eng)
    early = np.zeros(n, dtype=bool)
    early[cand] = binomial_pick(so[cand], P_EARLY_REDEEM[sellers.arch], sellers.n, rng)[0]
    base = np.maximum(confirmed, t)
    early_at = base + (rng.uniform(0.1, 0.9, n) * np.maximum(dep_start - base, 120)).astype(
        np.int64
    )
    early_at = np.minimum(early_at, dep_start - 60)
    redeemed = np.where(early, early_at, dep_start + rng.integers(7 * HOUR, 18 * HOUR, n))
    redeemed = np.where(~cancelled & (confirmed != NULL_TS), redeemed, NULL_TS)
    return null_after(redeemed, ctx.cutoff)


def _cancellations(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    so: np.ndarray,
    onum: np.ndarray,
    mode: np.ndarray,
    cancel_at: np.ndarray,
    customer: np.ndarray,
    weather: np.ndarray,
    seller_cancel: np.ndarray,
) -> dict[str, np.ndarray]:
    rng = ctx.rng
    rows = np.flatnonzero(cancel_at != NULL_TS)
    rows = rows[np.argsort(cancel_at[rows], kind="stable")]
    m = len(rows)
    by = np.full(m, "system", dtype=object)
    reason = np.full(m, "other", dtype=object)
    c, w, s = customer[rows], weather[rows], seller_cancel[rows]
    by[c] = "customer"
    reason[c] = "customer_request"
    by[w] = np.where(rng.random(int(w.sum())) < 0.6, "platform", "seller")
    reason[w] = choice(rng, ("weather", "force_majeure"), (0.7, 0.3), int(w.sum()))
    by[s] = "seller"
    seller_reasons = choice(
        rng,
        ("fully_booked", "supplier_unavailable", "min_participants_not_met", "other"),
        (0.35, 0.3, 0.2, 0.15),
        int(s.sum()),
    )
    group_product = mode[rows][s] == BEFORE
    seller_reasons = np.where(
        (seller_reasons == "min_participants_not_met") & ~group_product, "other", seller_reasons
    )
    reason[s] = seller_reasons
    cols = {
        "cancellation_id": ids.take("cancellation", m),
        "order_id": onum[rows],
        "cancelled_at": cancel_at[rows],
        "initiated_by": by,
        "reason_code": reason,
    }
    return finish(ctx, sellers, "cancellations", so[rows], cols)


Arrays = dict[str, np.ndarray]


def _messages(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    so: np.ndarray,
    onum: np.ndarray,
    t: np.ndarray,
    dep_start: np.ndarray,
    eng: np.ndarray,
) -> dict[str, np.ndarray]:
    """Conversations; customer messages stay inside the month, replies may run over."""
    conv = _conversations(ctx, sellers, so, onum, t, dep_start, eng)
    n_conv = len(conv["seller"])
    ex = _exchanges(ctx, sellers, conv)
    e_ex, e_conv = _engineered_questions(ctx, sellers, eng, n_conv)
    ex = {key: np.concatenate([ex[key], e_ex[key]]) for key in ex}
    conv = {key: np.concatenate([conv[key], e_conv[key]]) for key in conv}
    return _message_rows(ctx, sellers, ids, conv, ex)


def _conversations(
    ctx: MonthCtx,
    sellers: SellerSet,
    so: np.ndarray,
    onum: np.ndarray,
    t: np.ndarray,
    dep_start: np.ndarray,
    eng: np.ndarray,
) -> Arrays:
    """Conversations about orders, then pre-sale questions without an order (order -1)."""
    rng = ctx.rng
    n = len(t)
    month_end = ctx.end[so]
    has = (rng.random(n) < 0.35) & ~eng[so]
    oi = np.flatnonzero(has)
    limit = np.minimum(np.minimum(dep_start[oi], month_end[oi]), t[oi] + 5 * DAY)
    conv_start = t[oi] + (rng.random(len(oi)) * np.maximum(limit - t[oi], 60)).astype(np.int64)
    inquiries = rng.poisson(0.08 * counts_in(so, sellers.n) + 0.3) * ~eng
    iq_seller = np.repeat(np.arange(sellers.n), inquiries)
    iq_start = ctx.start[iq_seller] + (
        rng.random(len(iq_seller)) * (ctx.end[iq_seller] - ctx.start[iq_seller])
    ).astype(np.int64)
    return {
        "seller": np.concatenate([so[oi], iq_seller]),
        "start": np.concatenate([conv_start, iq_start]),
        "order": np.concatenate([onum[oi], np.full(len(iq_seller), -1)]),
    }


def _exchanges(ctx: MonthCtx, sellers: SellerSet, conv: Arrays) -> Arrays:
    """Per conversation 1-3 exchanges: a burst of customer messages, then (usually) one
    seller reply; only bursts that end inside the month."""
    rng = ctx.rng
    n_conv = len(conv["seller"])
    n_ex = 1 + rng.binomial(2, 0.3, n_conv)
    ex_conv = np.repeat(np.arange(n_conv), n_ex)
    ex_k = np.arange(len(ex_conv)) - np.repeat(np.cumsum(n_ex) - n_ex, n_ex)
    m = len(ex_conv)
    seller_of = conv["seller"][ex_conv]
    arch = sellers.arch[seller_of]
    start = conv["start"][ex_conv] + ex_k * 3 * DAY + (ex_k > 0) * rng.integers(0, DAY, m)
    burst = rng.choice(3, size=m, p=[0.65, 0.27, 0.08]) + 1
    gap1 = rng.integers(30, 40 * 60, m)
    gap2 = rng.integers(30, 40 * 60, m)
    slow = (burst > 1) & (rng.random(m) < 0.05)  # the first message waits more than 12 h
    gap1 = np.where(slow & (burst == 2), 13 * HOUR + rng.integers(0, 3 * HOUR, m), gap1)
    gap2 = np.where(slow & (burst == 3), 13 * HOUR + rng.integers(0, 3 * HOUR, m), gap2)
    last_off = np.select([burst == 1, burst == 2], [0, gap1], gap1 + gap2)
    replied = rng.random(m) >= P_NO_REPLY[arch]
    late = rng.random(m) < P_REPLY_LATE[arch]
    quick = np.clip(rng.lognormal(np.log(45 * 60), 1.1, m), 30, 11.5 * HOUR).astype(np.int64)
    delay = np.where(late, 12 * HOUR + 1 + rng.exponential(8 * HOUR, m).astype(np.int64), quick)
    single = burst == 1
    delay = np.where(single & ~late & (rng.random(m) < 0.015), 12 * HOUR, delay)
    delay = np.where(single & late & (rng.random(m) < 0.04), 12 * HOUR + 1, delay)
    keep = start + last_off < ctx.end[seller_of]
    ex = {
        "conv": ex_conv,
        "start": start,
        "burst": burst,
        "gap1": gap1,
        "gap2": gap2,
        "last_off": last_off,
        "replied": replied,
        "delay": delay,
    }
    return {key: values[keep] for key, values in ex.items()}


def _engineered_questions(
    ctx: MonthCtx, sellers: SellerSet, eng: np.ndarray, n_conv: int
) -> tuple[Arrays, Arrays]:
    """Engineered months: 10 (or 20) one-message questions, exactly 90 % answered within
    12 hours. Returns their exchanges and their conversations (numbered after ``n_conv``)."""
    rng = ctx.rng
    eng_sellers = np.flatnonzero(eng)
    eq = np.where(np.isin(sellers.size[eng_sellers], (BIG, MEDIUM)), 20, 10)
    e_seller = np.repeat(eng_sellers, eq)
    e_k = np.arange(len(e_seller)) - np.repeat(np.cumsum(eq) - eq, eq)
    e_n = len(e_seller)
    span = (ctx.dim - 2) * DAY
    e_start = ctx.start[e_seller] + rng.integers(HOUR, span, e_n)
    e_delay = np.clip(rng.lognormal(np.log(40 * 60), 1.0, e_n), 30, 10 * HOUR).astype(np.int64)
    e_delay = np.where(e_k == 0, 12 * HOUR, e_delay)  # exactly 12:00:00 is in time
    e_delay = np.where(e_k == 1, 12 * HOUR + 1, e_delay)  # 12:00:01 is not
    e_delay = np.where((e_k == 2) & (np.repeat(eq, eq) == 20), 12 * HOUR + 1, e_delay)
    zeros = np.zeros(e_n, dtype=np.int64)
    exchanges = {
        "conv": n_conv + np.arange(e_n),
        "start": e_start,
        "burst": np.ones(e_n, dtype=np.int64),
        "gap1": zeros,
        "gap2": zeros,
        "last_off": zeros,
        "replied": np.ones(e_n, dtype=bool),
        "delay": e_delay,
    }
    conversations = {"seller": e_seller, "start": e_start, "order": np.full(e_n, -1)}
    return exchanges, conversations


def _message_rows(
    ctx: MonthCtx, sellers: SellerSet, ids: Counters, conv: Arrays, ex: Arrays
) -> dict[str, np.ndarray]:
    """Customer messages, seller replies and platform notices up to the export, in time
    order; conversation ids in order of first message."""
    rng = ctx.rng
    n_conv = len(conv["seller"])
    burst, gap1, gap2 = ex["burst"], ex["gap1"], ex["gap2"]
    msg_ex = np.repeat(np.arange(len(ex["conv"])), burst)
    j = np.arange(len(msg_ex)) - np.repeat(np.cumsum(burst) - burst, burst)
    cust_at = ex["start"][msg_ex] + np.select(
        [j == 0, j == 1], [0, gap1[msg_ex]], gap1[msg_ex] + gap2[msg_ex]
    )
    cust_conv = ex["conv"][msg_ex]
    reply_rows = np.flatnonzero(ex["replied"])
    reply_at = ex["start"][reply_rows] + ex["last_off"][reply_rows] + ex["delay"][reply_rows]
    reply_conv = ex["conv"][reply_rows]
    plat_conv = np.flatnonzero(rng.random(n_conv) < 0.03)
    plat_at = conv["start"][plat_conv] + rng.integers(60, 2 * DAY, len(plat_conv))

    conv_of = np.concatenate([cust_conv, reply_conv, plat_conv])
    sent = np.concatenate([cust_at, reply_at, plat_at])
    role = np.concatenate(
        [
            np.full(len(cust_conv), "customer", dtype=object),
            np.full(len(reply_conv), "seller", dtype=object),
            np.full(len(plat_conv), "platform", dtype=object),
        ]
    )
    ok = sent <= ctx.cutoff
    conv_of, sent, role = conv_of[ok], sent[ok], role[ok]
    order = np.lexsort((np.arange(len(sent)), sent))
    conv_of, sent, role = conv_of[order], sent[order], role[order]
    used = np.unique(conv_of, return_index=True)
    first_seen = np.argsort(used[1], kind="stable")
    conv_num = np.empty(n_conv, dtype=np.int64)
    conv_num[used[0][first_seen]] = ids.take("conversation", len(used[0]))
    cols = {
        "message_id": ids.take("message", len(sent)),
        "conversation_id": conv_num[conv_of],
        "seller_id": sellers.num[conv["seller"][conv_of]],
        "sender_role": role,
        "sent_at": sent,
        "order_id": conv["order"][conv_of],
    }
    return finish(ctx, sellers, "messages", conv["seller"][conv_of], cols)


def _reviews(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    so: np.ndarray,
    onum: np.ndarray,
    redeemed: np.ndarray,
) -> dict[str, np.ndarray]:
    rng = ctx.rng
    rows = np.flatnonzero((redeemed != NULL_TS) & (rng.random(len(so)) < 0.3))
    at = redeemed[rows] + rng.integers(2 * HOUR, 10 * DAY, len(rows))
    due = up_to_cutoff(at, ctx.cutoff)
    rows, at = rows[due], at[due]
    cum = np.cumsum(RATING_P[sellers.arch[so[rows]]], axis=1)
    rating = 1 + (rng.random(len(rows))[:, None] > cum[:, :-1]).sum(axis=1)
    return reviews_table(ctx, sellers, ids, so[rows], onum[rows], at, rating, scale=5)


def _violations(
    ctx: MonthCtx, sellers: SellerSet, ids: Counters, eng: np.ndarray
) -> dict[str, np.ndarray]:
    rng = ctx.rng
    count = np.where(eng, 1, rng.poisson(VIOLATIONS_PER_MONTH[sellers.arch]))
    vs = np.repeat(np.arange(sellers.n), count)
    m = len(vs)
    at = ctx.start[vs] + (rng.random(m) * (ctx.end[vs] - ctx.start[vs])).astype(np.int64)
    points = rng.choice(5, size=m, p=[0.35, 0.25, 0.2, 0.12, 0.08]) + 1
    status = choice(rng, ("confirmed", "appealed", "overturned"), (0.75, 0.15, 0.10), m)
    on_eng = eng[vs]
    points = np.where(on_eng, 3, points)  # exactly 3 points: still "good", one more is not
    status = np.where(on_eng, "confirmed", status)
    due = up_to_cutoff(at, ctx.cutoff)
    vs, at, points, status = vs[due], at[due], points[due], status[due]
    cols = {
        "violation_id": ids.take("violation", len(vs)),
        "seller_id": sellers.num[vs],
        "occurred_at": at,
        "category": choice(rng, VIOLATION_CATEGORIES, (0.3, 0.25, 0.25, 0.1, 0.1), len(vs)),
        "points": points,
        "status": status,
    }
    return finish(ctx, sellers, "violations", vs, cols)
