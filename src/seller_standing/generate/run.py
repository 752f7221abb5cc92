"""The generator's main loop: marketplace windows, the seller split, one marketplace-month
at a time into the writer (see the package docstring)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

from seller_standing.generate import booking, fyndiq, kkday, kuaishou, ovoko
from seller_standing.generate.clock import Zones, month_add, parse_month
from seller_standing.generate.core import (
    ARCHETYPES,
    Counters,
    MonthCtx,
    SellerSet,
    finish,
    month_ctx,
)
from seller_standing.generate.schema import TABLES
from seller_standing.generate.writer import Batch, Context, Sink

MODULES: tuple[ModuleType, ...] = (kkday, ovoko, kuaishou, fyndiq, booking)
MARKETPLACES: tuple[str, ...] = tuple(m.MARKET.name for m in MODULES)

# Months each window is anchored on (the rule change it must straddle).
OVOKO_PIVOT = (2025, 6)
FYNDIQ_PIVOT = (2022, 11)
KUAISHOU_FESTIVAL = (2022, 1)

__all__ = ["MARKETPLACES", "generate", "marketplace_windows", "split_sellers"]


def marketplace_windows(months: int, end_month: str) -> dict[str, list[tuple[int, int]]]:
    """The calendar months generated for each marketplace."""
    end = parse_month(end_month)
    last_first = month_add(*end, -(months - 1))
    starts = {
        "kkday": last_first,
        "booking": last_first,
        "ovoko": month_add(*OVOKO_PIVOT, -(months // 2)),
        "fyndiq": month_add(*FYNDIQ_PIVOT, -(months // 2)),
        "kuaishou": month_add(*KUAISHOU_FESTIVAL, -max(0, (months - 2) // 2)),
    }
    return {name: [month_add(*starts[name], k) for k in range(months)] for name in MARKETPLACES}


def split_sellers(sellers: int) -> dict[str, int]:
    """Sellers per marketplace: an even split, at least one each."""
    base, extra = divmod(max(sellers, len(MARKETPLACES)), len(MARKETPLACES))
    return {name: base + (1 if i < extra else 0) for i, name in enumerate(MARKETPLACES)}


def _sellers_batch(ctx: MonthCtx, sellers: SellerSet) -> Batch:
    prefix = sellers.market.prefix
    ids = [f"{prefix}-s{num:04d}" for num in sellers.num]
    cols = {
        "seller_id": sellers.num,
        "seller_name": np.array(sellers.name, dtype=object),
        "country_code": np.array(sellers.country, dtype=object),
        "registered_at": sellers.registered_at,
        "timezone": np.array(sellers.timezone, dtype=object),
        "email": np.array([f"{sid}@example.invalid" for sid in ids], dtype=object),
        "phone": np.array(
            [
                f"{pre} {num:05d}"
                for pre, num in zip(sellers.phone_prefix, sellers.num, strict=True)
            ],
            dtype=object,
        ),
    }
    return {"sellers": finish(ctx, sellers, "sellers", np.arange(sellers.n), cols)}


def generate(
    out_dir: Path,
    sellers: int = 200,
    months: int = 24,
    seed: int = 42,
    end_month: str = "2026-10",
    fmt: str = "csv",
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write every landing table under out_dir/<table>/; return rows written per table.

    Files are ``<table>_<YYYY>.csv`` (or ``.parquet``), one per calendar year of each row's main
    date (local time); earlier files of that pattern in those folders are replaced. Same
    arguments, same bytes. ``progress`` gets one line per marketplace and marketplace-year.
    """
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    if sellers < 1:
        raise ValueError(f"sellers must be at least 1, got {sellers}")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
    say = progress or (lambda _msg: None)
    windows = marketplace_windows(months, end_month)
    counts = split_sellers(sellers)
    zones = Zones([m.MARKET.zone for m in MODULES])
    sink = Sink(Path(out_dir), fmt)
    first_year = min(w[0][0] for w in windows.values())
    for module in MODULES:
        market = module.MARKET
        window = windows[market.name]
        roster: SellerSet = module.make_sellers(zones, counts[market.name], seed, window)
        io_ctx = Context(market.name, market.prefix, zones)
        ids = Counters()
        ctx0 = month_ctx(market, zones, roster, seed, window, 0)
        ctx0 = dataclasses.replace(ctx0, rng=np.random.default_rng([seed, market.index, 2]))
        sink.add(io_ctx, _sellers_batch(ctx0, roster))
        setup = getattr(module, "setup", None)
        if setup is not None:
            sink.add(io_ctx, setup(ctx0, roster, ids))
        mix = ", ".join(
            f"{int((roster.arch == a).sum())} {name}" for a, name in enumerate(ARCHETYPES)
        )
        say(
            f"{market.name}: {roster.n} sellers ({mix}), {window[0][0]}-{window[0][1]:02d}"
            f" .. {window[-1][0]}-{window[-1][1]:02d}"
        )
        year_orders = 0
        for mi, (year, _month) in enumerate(window):
            batch = module.month(month_ctx(market, zones, roster, seed, window, mi), roster, ids)
            sink.add(io_ctx, batch)
            year_orders += len(batch["orders"]["_zone"])
            if mi == len(window) - 1 or window[mi + 1][0] != year:
                say(f"{market.name} {year}: {year_orders:,} orders")
                year_orders = 0
    rows = sink.close(first_year)
    say("rows written: " + ", ".join(f"{t} {rows[t]:,}" for t in TABLES))
    return rows
