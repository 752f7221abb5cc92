"""`make bench`: the build side by side with the scan floor, at several sizes, in one run.

    python -m seller_standing.bench [--sizes 850,8500] [--with-100m] [--months 24]

For each size (sellers; 850 sellers x 24 months is about 1 M orders) it generates a landing
set, holds back its last month, and measures in one run, one after another on the same files:

  floor         one DuckDB query reading every landing CSV once, counting rows per seller
                and month (measured before and after the builds; the mean is the floor)
  first build   dbt build on every file but the last month (fresh warehouse)
  daily run     the last month's files added: dbt build again (files already loaded are not
                parsed again)
  full refresh  dbt build --full-refresh on the same files as the daily run: every file
                parsed, every model rebuilt (this is "the full build")

and checks that the daily run and the full refresh give identical marts (fingerprints). Each
dbt step reports its wall time, its peak memory (RSS of the dbt process and its children) and
its ten slowest nodes. Ratios to the floor of the same size are what to read: the machine is
shared, absolute seconds are noise. The dbt steps exclude unit tests (as a production build
does) and the Great Expectations suites (timed by `seller-standing build`, not here).

Writes build/bench/results.json and build/bench/results.svg (time against orders). Speed and
memory targets are judged from these numbers, never from timed tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import yaml

from seller_standing.paths import PROJECT_DIR

SOURCES = PROJECT_DIR / "models" / "staging" / "landing" / "_landing__sources.yml"
EVALUATION_DATE = "2026-11-01"
LAST_MONTH = "2026-10"


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _tables() -> list[dict]:
    return yaml.safe_load(SOURCES.read_text(encoding="utf-8"))["sources"][0]["tables"]


def _meta(item: dict) -> dict:
    return item.get("meta") or item.get("config", {}).get("meta", {}) or {}


def _main_timestamp(table: dict) -> str | None:
    for column in table["columns"]:
        if _meta(column).get("type") == "timestamp":
            return column["name"]
    return None


def hold_back_last_month(full: Path, first: Path, new_month: Path) -> int:
    """Copy `full` to `first` without the rows of LAST_MONTH (by each table's first timestamp
    column); those rows go to `new_month/<table>/<table>_LAST_MONTH.csv`. Rows moved."""
    shutil.copytree(full, first)
    moved = 0
    for table in _tables():
        column, folder = _main_timestamp(table), first / table["name"]
        if column is None or not folder.is_dir():
            continue
        target = new_month / table["name"] / f"{table['name']}_{LAST_MONTH}.csv"
        writer = None
        handle_out = None
        for path in sorted(folder.glob("*.csv")):
            kept = path.with_suffix(".tmp")
            with (
                open(path, newline="", encoding="utf-8") as src,
                open(kept, "w", newline="", encoding="utf-8") as dst,
            ):
                reader = csv.reader(src)
                header = next(reader, None)
                if header is None:
                    continue
                at = header.index(column)
                keep = csv.writer(dst, lineterminator="\n")
                keep.writerow(header)
                for row in reader:
                    if row[at].startswith(LAST_MONTH):
                        if writer is None:
                            target.parent.mkdir(parents=True, exist_ok=True)
                            handle_out = open(target, "w", newline="", encoding="utf-8")  # noqa: SIM115
                            writer = csv.writer(handle_out, lineterminator="\n")
                            writer.writerow(header)
                        writer.writerow(row)
                        moved += 1
                    else:
                        keep.writerow(row)
            kept.replace(path)
        if handle_out is not None:
            handle_out.close()
    return moved


def floor_query(raw: Path) -> str:
    """One query reading every landing CSV once (all columns as text), rows per seller and
    month of each table (per marketplace and month where a table has no seller)."""
    parts = []
    for table in _tables():
        files = sorted(str(p) for p in (raw / table["name"]).glob("*.csv"))
        if not files:
            continue
        names = [c["name"] for c in table["columns"]]
        column = _main_timestamp(table)
        seller = "seller_id" if "seller_id" in names else "null"
        month = f"substr({column}, 1, 7)" if column else "null"
        columns = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
        parts.append(
            f"select marketplace, {seller} as seller_id, {month} as month, count(*) as n "
            f"from read_csv({files!r}, header = true, auto_detect = false, "
            f"columns = {{{columns}}}, null_padding = true) group by all"
        )
    return "select count(*), sum(n) from (" + "\nunion all\n".join(parts) + ")"


def run_floor(raw: Path, threads: str, memory_limit: str) -> float:
    con = duckdb.connect()
    try:
        con.execute(f"set threads = {int(threads)}; set memory_limit = '{memory_limit}'")
        started = time.monotonic()
        con.execute(floor_query(raw)).fetchall()
        return time.monotonic() - started
    finally:
        con.close()


def run_dbt_step(label: str, work: Path, raw: Path, db: Path, *extra: str) -> dict[str, object]:
    """dbt build as a child process; wall time, its peak RSS, its ten slowest nodes."""
    target = work / f"target_{label}"
    env = dict(os.environ)
    env.update(
        SELLER_STANDING_RAW_DIR=str(raw),
        SELLER_STANDING_BUILD_DB=str(db),
        SELLER_STANDING_DB=str(work / "published.duckdb"),
        SELLER_STANDING_TEMP_DIR=str(work / "tmp"),
        DBT_TARGET_PATH=str(target),
        DBT_LOG_PATH=str(work / f"logs_{label}"),
    )
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt), "build", "--exclude-resource-type", "unit_test", *extra]
    args += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    args += ["--vars", json.dumps({"evaluation_date": EVALUATION_DATE})]
    started = time.monotonic()
    with open(work / f"{label}.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            args,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        shown = -1
        for line in process.stdout:
            log.write(line)
            words = line.split()
            if "of" in words and words.index("of") > 0:
                at = words.index("of")
                if words[at - 1].isdigit() and at + 1 < len(words) and words[at + 1].isdigit():
                    done, total = int(words[at - 1]), int(words[at + 1])
                    if done * 10 // total > shown:
                        shown = done * 10 // total
                        _say(f"  {label}: {done}/{total} nodes")
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    slowest: list[dict[str, object]] = []
    results = target / "run_results.json"
    if results.exists():
        nodes = json.loads(results.read_text(encoding="utf-8"))["results"]
        nodes.sort(key=lambda r: r.get("execution_time") or 0, reverse=True)
        slowest = [
            {"node": r["unique_id"], "seconds": round(r["execution_time"], 2)} for r in nodes[:10]
        ]
    return {
        "ok": os.waitstatus_to_exitcode(status) == 0,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "slowest_nodes": slowest,
        "log": str(work / f"{label}.log"),
    }


def bench_size(sellers: int, months: int, out: Path, threads: str, memory: str) -> dict:
    from seller_standing.fingerprint import fingerprint
    from seller_standing.generate import generate

    work = out / f"sellers_{sellers}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    full, raw = work / "full", work / "raw"
    _say(f"{sellers} sellers: generating")
    started = time.monotonic()
    counts = generate(
        full, sellers=sellers, months=months, seed=42, progress=lambda m: _say(f"  {m}")
    )
    result: dict[str, object] = {
        "sellers": sellers,
        "orders": counts.get("orders"),
        "landing_rows": sum(counts.values()),
        "landing_mb": round(sum(f.stat().st_size for f in full.rglob("*.csv")) / 2**20),
        "generate_seconds": round(time.monotonic() - started, 1),
    }
    new_month = work / "new_month"
    result["last_month_rows"] = hold_back_last_month(full, raw, new_month)
    shutil.rmtree(full)
    floors = []
    _say(f"{sellers} sellers: floor query")
    floors.append(run_floor_after_month(raw, new_month, threads, memory))
    db = work / "incremental.duckdb"
    _say(f"{sellers} sellers: first build (all but the last month)")
    result["first_build"] = run_dbt_step("first_build", work, raw, db)
    shutil.copytree(new_month, raw, dirs_exist_ok=True)
    _say(f"{sellers} sellers: daily run (the last month added)")
    result["daily_run"] = run_dbt_step("daily_run", work, raw, db)
    _say(f"{sellers} sellers: full refresh")
    refreshed = work / "full_refresh.duckdb"
    result["full_refresh"] = run_dbt_step("full_refresh", work, raw, refreshed, "--full-refresh")
    _say(f"{sellers} sellers: floor query again")
    floors.append(run_floor(raw, threads, memory))
    floor = sum(floors) / len(floors)
    result["floor_seconds"] = [round(f, 2) for f in floors]
    if result["daily_run"]["ok"] and result["full_refresh"]["ok"]:  # type: ignore[index]
        result["daily_equals_full_refresh"] = fingerprint(db) == fingerprint(refreshed)
    full_s = result["full_refresh"]["seconds"]  # type: ignore[index]
    daily_s = result["daily_run"]["seconds"]  # type: ignore[index]
    result["ratios"] = {
        "full_refresh_to_floor": round(full_s / floor, 1),
        "daily_run_to_floor": round(daily_s / floor, 1),
        "daily_run_to_full_refresh": round(daily_s / full_s, 3),
    }
    for path in (db, refreshed):
        path.unlink(missing_ok=True)
    return result


def run_floor_after_month(raw: Path, new_month: Path, threads: str, memory: str) -> float:
    """The floor on the files the daily run and the full refresh read (with the last month)."""
    both = raw.parent / "floor_view"
    shutil.rmtree(both, ignore_errors=True)
    both.mkdir()
    for folder in raw.iterdir():
        (both / folder.name).mkdir()
        for source in (folder, new_month / folder.name):
            for path in source.glob("*.csv") if source.is_dir() else []:
                (both / folder.name / path.name).symlink_to(path)
    try:
        return run_floor(both, threads, memory)
    finally:
        shutil.rmtree(both, ignore_errors=True)


def write_svg(results: list[dict], path: Path) -> None:
    """Seconds against orders (log-log), one line per step; a plain SVG, no plotting library."""
    import math

    series = {
        "floor": [(r["orders"], sum(r["floor_seconds"]) / 2) for r in results],
        "full refresh": [(r["orders"], r["full_refresh"]["seconds"]) for r in results],
        "daily run": [(r["orders"], r["daily_run"]["seconds"]) for r in results],
    }
    colours = {"floor": "#555", "full refresh": "#c0392b", "daily run": "#2471a3"}
    points = [p for s in series.values() for p in s if p[0] and p[1]]
    if not points:
        return
    xs = [math.log10(p[0]) for p in points]
    ys = [math.log10(max(p[1], 0.1)) for p in points]
    x0, x1 = min(xs) - 0.2, max(xs) + 0.2
    y0, y1 = min(ys) - 0.2, max(ys) + 0.2
    w, h, m = 640, 400, 60

    def sx(v: float) -> float:
        return m + (math.log10(v) - x0) / (x1 - x0) * (w - 2 * m)

    def sy(v: float) -> float:
        return h - m - (math.log10(max(v, 0.1)) - y0) / (y1 - y0) * (h - 2 * m)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif"'
        ' font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        f'<text x="{w / 2}" y="20" text-anchor="middle">seconds against orders (log scales)</text>',
        f'<line x1="{m}" y1="{h - m}" x2="{w - m}" y2="{h - m}" stroke="black"/>',
        f'<line x1="{m}" y1="{m}" x2="{m}" y2="{h - m}" stroke="black"/>',
    ]
    for orders in sorted({p[0] for p in points}):
        parts.append(
            f'<text x="{sx(orders):.0f}" y="{h - m + 16}" text-anchor="middle">'
            f"{orders / 1e6:.1f} M</text>"
        )
    for index, (name, data) in enumerate(series.items()):
        data = [p for p in data if p[0] and p[1]]
        line = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in data)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colours[name]}"/>')
        for x, y in data:
            parts.append(
                f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colours[name]}"/>'
                f'<text x="{sx(x) + 5:.1f}" y="{sy(y) - 5:.1f}">{y:.0f} s</text>'
            )
        parts.append(
            f'<text x="{m + 10}" y="{m + 15 * index}" fill="{colours[name]}">{name}</text>'
        )
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="seller-standing-bench", description=__doc__)
    parser.add_argument("--sizes", default="850,8500", help="sellers per size (850 ~ 1 M orders)")
    parser.add_argument("--with-100m", action="store_true", help="also 85,000 sellers (~100 M)")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--out", default=str(PROJECT_DIR / "build" / "bench"))
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_100m:
        sizes.append(85000)
    threads = os.environ.get("SELLER_STANDING_THREADS", "2")
    memory = os.environ.get("SELLER_STANDING_MEMORY_LIMIT", "4GB")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for sellers in sizes:
        results.append(bench_size(sellers, args.months, out, threads, memory))
        (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        write_svg(results, out / "results.svg")
    print(
        f"{'orders':>12} {'floor s':>8} {'full/floor':>10} {'daily/floor':>11} "
        f"{'daily/full':>10} {'peak MB':>8} {'same marts':>10}"
    )
    for r in results:
        peak = max(r[s]["peak_rss_mb"] for s in ("first_build", "daily_run", "full_refresh"))
        print(
            f"{r['orders']:>12,} {sum(r['floor_seconds']) / 2:>8.1f} "
            f"{r['ratios']['full_refresh_to_floor']:>10} {r['ratios']['daily_run_to_floor']:>11} "
            f"{r['ratios']['daily_run_to_full_refresh']:>10} {peak:>8} "
            f"{str(r.get('daily_equals_full_refresh')):>10}"
        )
    print(f"Results: {out / 'results.json'}, chart: {out / 'results.svg'}")
    ok = all(
        r[s]["ok"] for r in results for s in ("first_build", "daily_run", "full_refresh")
    ) and all(r.get("daily_equals_full_refresh") for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
