"""Fyndiq (Swedish marketplace, Europe/Stockholm): orders, lines, customer issues, CSS ratings.

Shapes the data for the performance fees:
(docs/rules/fyndiq_performance.md) unit prices mostly in the
0-498 SEK band, some 499-998 and some 999+ (whole kronor, the band edges 498 / 499 / 998 / 999
included), missing / complaint / regret / other issues per order line (some products are
"bad" and collect complaints), withdrawn issues, and CSS ratings whose monthly satisfaction
follows a per-seller regime (>= 80 %, 70-80, 60-70, < 60) with runs of bad months.

Engineered months of borderline sellers reproduce the article's examples exactly (100 lines
and 15 missing -> 11 billable; 30 lines and 4 complaints -> 1; 30 lines and 3 missing -> 0),
75 lines with 3 missing (exactly 4 %), and a fresh product with 20 lines and 3 complaints
(exactly 15 %: no product fee) or 4 complaints (20 %: fee).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from seller_standing.generate.clock import DAY, HOUR, NULL_TS, Zones
from seller_standing.generate.core import (
    MARKETPLACE_ZONES,
    SHOP_HOURS,
    SMALL,
    TINY,
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
    pick,
    pick_names,
    place_orders,
    seller_rng,
    shipped_status,
    ts_max,
    up_to_cutoff,
    variant,
)
from seller_standing.generate.writer import Batch

MARKET = Market(
    name="fyndiq",
    prefix="fy",
    zone=MARKETPLACE_ZONES["fyndiq"],
    currency="SEK",
    index=3,
    season=(0.9, 0.95, 1.0, 1.0, 1.0, 0.95, 0.85, 0.95, 1.0, 1.05, 1.3, 1.45),
    forms=(0.5, 0.4, 0.1),
)

PRICES = (
    (49, 79, 99, 129, 149, 199, 249, 299, 349, 399, 449, 498),
    (499, 549, 599, 699, 799, 899, 998),
    (999, 1199, 1499, 1999, 2499, 3999),
)
BAND_P = (0.75, 0.17, 0.08)
CATALOG = (80, 40, 20, 8)  # products per size class
COUNTRIES = (("SE", "+46 70"), ("CN", "+86 139"), ("DE", "+49 151"))
_NAMES = (
    (
        ("Nordic ", "Hem & ", "Fjäll", "Skandi "),
        ("Gadgets AB", "Kök Butiken", "Prylar AB", "Design AB"),
    ),
    (
        ("Shenzhen ", "Guangzhou ", "Yiwu "),
        ("Smart Home Co., Ltd.", "Trading Co., Ltd.", "Electronics Ltd"),
    ),
    (("Berliner ", "Hamburger "), ("Handel GmbH", "Versand GmbH")),
)

# per archetype: excellent, borderline, average, poor
P_MISSING = np.array([0.008, 0.036, 0.024, 0.06])
P_COMPLAINT = np.array([0.01, 0.036, 0.028, 0.075])
P_BAD_PRODUCT = np.array([0.02, 0.08, 0.06, 0.2])
P_BAD_COMPLAINT = 0.25
CSS_LEVELS = np.array([0.93, 0.75, 0.65, 0.45])
CSS_MOVES = np.array(
    [
        [[0.95, 0.05, 0.0, 0.0], [0.7, 0.3, 0.0, 0.0], [0.6, 0.3, 0.1, 0.0], [0.5, 0.3, 0.2, 0.0]],
        [
            [0.5, 0.3, 0.15, 0.05],
            [0.35, 0.4, 0.2, 0.05],
            [0.3, 0.3, 0.3, 0.1],
            [0.3, 0.3, 0.2, 0.2],
        ],
        [
            [0.75, 0.2, 0.05, 0.0],
            [0.5, 0.35, 0.15, 0.0],
            [0.4, 0.3, 0.25, 0.05],
            [0.4, 0.3, 0.2, 0.1],
        ],
        [
            [0.3, 0.3, 0.25, 0.15],
            [0.15, 0.35, 0.3, 0.2],
            [0.1, 0.25, 0.35, 0.3],
            [0.1, 0.2, 0.3, 0.4],
        ],
    ]
)
ISSUE_TYPES = np.array(["missing", "complaint", "regret", "other"], dtype=object)
MISSING, COMPLAINT, REGRET, OTHER, NONE = 0, 1, 2, 3, 4

# engineered variants: lines on the anchor product, missing, complaints, fresh-product lines,
# complaints on the fresh product
VARIANTS = (
    (100, 15, 0, 0, 0),
    (30, 0, 4, 0, 0),
    (30, 3, 0, 0, 0),
    (75, 3, 0, 0, 0),
    (20, 0, 0, 20, 3),
    (20, 0, 0, 20, 4),
)


def make_sellers(zones: Zones, n: int, seed: int, window: Sequence[tuple[int, int]]) -> SellerSet:
    rng = seller_rng(seed, MARKET)
    arch, size, mean, registered = base_sellers(zones, MARKET, window, n, rng)
    home = zones.add(MARKET.zone)
    cidx = rng.choice(3, size=n, p=[0.75, 0.2, 0.05])
    # product catalogue (first product of every seller is in the lowest band: the "anchor")
    n_prod = np.maximum(3, (np.array(CATALOG)[size] * rng.uniform(0.7, 1.3, n)).astype(np.int64))
    prod_seller = np.repeat(np.arange(n), n_prod)
    n_p = len(prod_seller)
    first = np.cumsum(n_prod) - n_prod
    band = rng.choice(3, size=n_p, p=BAND_P)
    band[first] = 0
    price = np.zeros(n_p, dtype=np.int64)
    for b, pool in enumerate(PRICES):
        sel = band == b
        price[sel] = np.array(pool)[rng.integers(0, len(pool), int(sel.sum()))] * 100
    bad = rng.random(n_p) < P_BAD_PRODUCT[arch[prod_seller]]
    bad[first] = False
    weight = 1.0 / (rng.permutation(n_p) % 50 + 1.0) ** 0.9
    cum = np.zeros(n_p)
    for s in range(n):  # cumulative popularity within each seller, offset by the seller index
        w = weight[first[s] : first[s] + n_prod[s]]
        cum[first[s] : first[s] + n_prod[s]] = s + np.cumsum(w) / w.sum()
    params = {
        "prod_first": first,
        "prod_count": n_prod,
        "prod_cum": cum,
        "prod_price": price,
        "prod_bad": bad,
        "n_products": np.array([n_p]),
        "css_state": np.where(arch == 3, 1, 0),
    }
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
        country=[COUNTRIES[c][0] for c in cidx],
        name=[pick_names(rng, 1, (_NAMES[c],))[0] for c in cidx],
        timezone=[None] * n,
        phone_prefix=[COUNTRIES[c][1] for c in cidx],
        params=params,
    )


_status = shipped_status(completed_after=14 * DAY, processed_after=HOUR)


Arrays = dict[str, np.ndarray]


def month(ctx: MonthCtx, sellers: SellerSet, ids: Counters) -> Batch:
    rng = ctx.rng
    p = sellers.params
    # customer-satisfaction regime of the month
    state = p["css_state"]
    moves = CSS_MOVES[sellers.arch, state]
    state = (rng.random(sellers.n)[:, None] > np.cumsum(moves, axis=1)[:, :-1]).sum(axis=1)
    p["css_state"] = state

    eng = engineered(sellers, ctx.mi)
    small = np.isin(sellers.size, (SMALL, TINY))
    var = np.where(small, 1 + (sellers.num + ctx.mi // 3) % 2, variant(sellers, ctx.mi, 6))
    spec = np.array(VARIANTS)[var]
    per_seller = np.where(eng, spec[:, 0] + spec[:, 3], monthly_orders(ctx, sellers))
    so, t, onum = place_orders(ctx, sellers, ids, per_seller, SHOP_HOURS)
    on_eng = eng[so]
    lines = _lines(ctx, sellers, ids, so, on_eng, eng, spec)
    shipped, delivered, cancel_at = _order_flow(ctx, t, on_eng)
    expected = ctx.zones.to_local(sellers.zone[so], t) // DAY + 7
    last = ts_max(t, shipped, delivered, cancel_at)
    orders = order_cols(sellers, so, onum, t, MARKET.currency) | {
        "shipped_at": shipped,
        "expected_delivery_date": expected,
        "delivered_at": delivered,
        "_exported_at": last + rng.integers(HOUR, 30 * HOUR, len(t)),
    }
    batch: Batch = {"orders": orders_table(ctx, sellers, so, orders, cancel_at, _status)}
    lo = lines["lo"]
    batch["order_lines"] = finish(
        ctx,
        sellers,
        "order_lines",
        lines["seller"],
        {
            "order_id": onum[lo],
            "line_id": lines["lnum"],
            "product_id": lines["product"],
            "quantity": lines["qty"],
            "unit_price": lines["price"],
            "_main": t[lo],
        },
    )
    c_rows = np.flatnonzero(cancel_at != NULL_TS)
    batch["cancellations"] = order_cancellations(
        ctx,
        sellers,
        ids,
        so[c_rows],
        onum[c_rows],
        cancel_at[c_rows],
        p_customer=0.5,
        reasons=("buyer_request", "out_of_stock"),
    )
    issues, issue_seller = _issues(ctx, sellers, ids, lines, onum, delivered, on_eng, eng, spec)
    batch["customer_issues"] = finish(ctx, sellers, "customer_issues", issue_seller, issues)
    batch["css_ratings"] = _css_ratings(ctx, sellers, ids, issues, issue_seller, state)
    return batch


def _lines(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    so: np.ndarray,
    on_eng: np.ndarray,
    eng: np.ndarray,
    spec: np.ndarray,
) -> Arrays:
    """Order lines from the seller's catalogue; engineered months sell an anchor product, and
    a fresh product for the product-fee cases."""
    rng = ctx.rng
    p = sellers.params
    n = len(so)
    n_lines = np.where(on_eng, 1, rng.choice(3, size=n, p=[0.7, 0.22, 0.08]) + 1)
    lo = np.repeat(np.arange(n), n_lines)
    n_l = len(lo)
    ls = so[lo]
    lnum = ids.take("line", n_l)
    prod = np.searchsorted(p["prod_cum"], ls + rng.random(n_l))
    prod = np.clip(prod, p["prod_first"][ls], p["prod_first"][ls] + p["prod_count"][ls] - 1)
    price = p["prod_price"][prod]
    bad = p["prod_bad"][prod]
    product = prod + 1
    qty = np.where(on_eng[lo], 1, rng.choice(2, size=n_l, p=[0.9, 0.1]) + 1)
    eng_rows = np.flatnonzero(on_eng[lo])
    fresh_k = np.where(eng, spec[:, 3], 0)
    fresh = np.zeros(n_l, dtype=bool)
    fresh[eng_rows] = pick(ls[eng_rows], fresh_k, rng)
    fresh_num = np.zeros(sellers.n, dtype=np.int64)
    has_fresh = np.flatnonzero(fresh_k > 0)
    fresh_num[has_fresh] = int(p["n_products"][0]) + ids.take("fresh_product", len(has_fresh))
    anchor = p["prod_first"][ls] + 1
    return {
        "lo": lo,
        "seller": ls,
        "lnum": lnum,
        "product": np.where(on_eng[lo], np.where(fresh, fresh_num[ls], anchor), product),
        "price": np.where(on_eng[lo], np.where(fresh, 24_900, p["prod_price"][anchor - 1]), price),
        "bad": bad,
        "qty": qty,
        "fresh": fresh,
        "eng_rows": eng_rows,
    }


def _order_flow(
    ctx: MonthCtx, t: np.ndarray, on_eng: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shipment, delivery and (2 % outside engineered months) cancellation of each order."""
    rng = ctx.rng
    n = len(t)
    shipped = t + rng.integers(6 * HOUR, 3 * DAY, n)
    delivered = shipped + rng.integers(2 * DAY, 6 * DAY, n)
    cancel = ~on_eng & (rng.random(n) < 0.02)
    cancel_at = np.where(
        cancel, t + (rng.uniform(0.1, 0.9, n) * (shipped - t)).astype(np.int64), NULL_TS
    )
    cancel_at = null_after(cancel_at, ctx.cutoff)
    cancel = cancel_at != NULL_TS
    shipped = np.where(cancel, NULL_TS, null_after(shipped, ctx.cutoff))
    delivered = np.where(shipped == NULL_TS, NULL_TS, null_after(delivered, ctx.cutoff))
    return shipped, delivered, cancel_at


def _issues(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    lines: Arrays,
    onum: np.ndarray,
    delivered: np.ndarray,
    on_eng: np.ndarray,
    eng: np.ndarray,
    spec: np.ndarray,
) -> tuple[Arrays, np.ndarray]:
    """Customer issues per delivered line (cohort: the order's month); engineered months get
    their set counts. Returns the issue columns and the seller of each issue."""
    rng = ctx.rng
    lo, ls, eng_rows, fresh = lines["lo"], lines["seller"], lines["eng_rows"], lines["fresh"]
    arch = sellers.arch[ls]
    pm = P_MISSING[arch]
    pc = np.where(lines["bad"], P_BAD_COMPLAINT, P_COMPLAINT[arch])
    u = rng.random(len(lo))
    kind = np.select(
        [u < pm, u < pm + pc, u < pm + pc + 0.025, u < pm + pc + 0.035],
        [MISSING, COMPLAINT, REGRET, OTHER],
        NONE,
    )
    kind = np.where(on_eng[lo], NONE, kind)
    for col, what, rows_mask in (
        (1, MISSING, ~fresh),
        (2, COMPLAINT, ~fresh),
        (4, COMPLAINT, fresh),
    ):
        cand = eng_rows[rows_mask[eng_rows]]
        k = np.where(eng, spec[:, col], 0)
        chosen = pick(ls[cand], k, rng)
        kind[cand[chosen]] = what
    rows = np.flatnonzero((kind != NONE) & (delivered[lo] != NULL_TS))
    m = len(rows)
    dl = delivered[lo[rows]]
    reported = np.select(
        [kind[rows] == MISSING, kind[rows] == COMPLAINT],
        [dl + rng.integers(HOUR, 5 * DAY, m), dl + rng.integers(DAY, 20 * DAY, m)],
        dl + rng.integers(HOUR, 14 * DAY, m),
    )
    row_eng = on_eng[lo[rows]]
    closes = reported + rng.integers(DAY, 10 * DAY, m)
    withdrawn = (rng.random(m) < 0.08) & ~row_eng
    status = np.where(withdrawn, "withdrawn", np.where(closes <= ctx.cutoff, "closed", "open"))
    due = up_to_cutoff(reported, ctx.cutoff)
    sel = rows[due]
    issues = {
        "issue_id": ids.take("issue", len(sel)),
        "order_id": onum[lo[sel]],
        "line_id": lines["lnum"][sel],
        "issue_type": ISSUE_TYPES[kind[sel]],
        "reported_at": reported[due],
        "status": status[due].astype(object),
    }
    return issues, ls[sel]


def _css_ratings(
    ctx: MonthCtx,
    sellers: SellerSet,
    ids: Counters,
    issues: Arrays,
    issue_seller: np.ndarray,
    state: np.ndarray,
) -> dict[str, np.ndarray]:
    """Some closed issues get a rating; satisfaction follows the seller's regime."""
    rng = ctx.rng
    closed = issues["status"] == "closed"
    rated = np.flatnonzero(closed & (rng.random(len(issue_seller)) < 0.6))
    r_seller = issue_seller[rated]
    rated_at = issues["reported_at"][rated] + rng.integers(DAY, 10 * DAY, len(rated))
    satisfied = rng.random(len(rated)) < CSS_LEVELS[state[r_seller]]
    due = up_to_cutoff(rated_at, ctx.cutoff)
    rated, rated_at, satisfied, r_seller = rated[due], rated_at[due], satisfied[due], r_seller[due]
    return finish(
        ctx,
        sellers,
        "css_ratings",
        r_seller,
        {
            "rating_id": ids.take("css_rating", len(rated)),
            "seller_id": sellers.num[r_seller],
            "issue_id": issues["issue_id"][rated],
            "rated_at": rated_at,
            "satisfied": satisfied.astype(np.int8),
        },
    )
