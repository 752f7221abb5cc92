"""`make bench`: the build side by side with the scan floor, at several sizes, in one run.

    python -m seller_standing.bench [--sizes 5,850,8500] [--with-100m] [--months 24]

For each size (sellers; 850 sellers x 24 months is about 1 M orders; 5 sellers, about 15,000
orders, shows what a build costs with almost no data) it generates a landing set, holds back
its last month, and measures in one run, one after another on the same files:

  floor         one DuckDB query reading every landing CSV once, counting rows per seller
                and month (measured before and after the builds; the mean is the floor)
  copy floor    every landing CSV copied once into a table of a new DuckDB file, typed by
                DuckDB's own sniffer: no checks, no quarantine, no rules (the least a
                warehouse that keeps its landing rows has to do)
  first build   dbt build on every file but the last month (fresh warehouse)
  daily run     the last month's files added: dbt build again (files already loaded are not
                parsed again)
  full refresh  dbt build --full-refresh on the same files as the daily run: every file
                parsed, every model rebuilt (this is "the full build")

  quality       the Great Expectations suites on the full refresh's warehouse (as
                `seller-standing build` runs them after dbt)
  polars peer   bench_peer.py: the Ovoko program's monthly metrics in one polars script, from
                the same landing files; its rows are checked equal to the Ovoko rows of
                marts.fct_seller_metrics (the run fails if any differ), and its time is put
                beside the Ovoko models' own execution time in the full refresh (dbt's
                run_results.json: the sum over the int_ovoko_* models, without dbt start-up)

and checks that the daily run and the full refresh give identical marts (fingerprints). Each
dbt step reports its wall time, its peak memory (RSS of the dbt process and its children) and
its ten slowest nodes. Ratios to the floor of the same size are what to read: the machine is
shared, absolute seconds are noise. The dbt steps exclude unit tests (as a production build
does) and the Great Expectations suites (the quality step).

Writes build/bench/results.json, build/bench/results.svg and build/bench/results.png (time
against orders). The peer and the PNG need polars and matplotlib (requirements-bench.lock,
which `make bench` installs). Speed and memory targets are judged from these numbers, never
from timed tests.
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

from seller_standing.dbt_run import Progress, start_dbt
from seller_standing.paths import PROJECT_DIR
from seller_standing.settings import DEFAULT_MEMORY_LIMIT

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


def _csv_files(raw: Path, table: dict) -> list[str]:
    return sorted(str(p) for p in (raw / table["name"]).glob("*.csv"))


def floor_query(raw: Path) -> str:
    """One query reading every landing CSV once (all columns as text), rows per seller and
    month of each table (per marketplace and month where a table has no seller)."""
    parts = []
    for table in _tables():
        files = _csv_files(raw, table)
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


def run_copy_floor(raw: Path, work: Path, threads: str, memory_limit: str) -> float:
    """Every landing CSV copied into a table of a new DuckDB file (deleted afterwards)."""
    path = work / "copy_floor.duckdb"
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(f"set threads = {int(threads)}; set memory_limit = '{memory_limit}'")
        started = time.monotonic()
        for table in _tables():
            if files := _csv_files(raw, table):
                con.execute(
                    f'create table "{table["name"]}" as select * '
                    f"from read_csv({files!r}, header = true)"
                )
        con.execute("checkpoint")
        return time.monotonic() - started
    finally:
        con.close()
        path.unlink(missing_ok=True)
        Path(f"{path}.wal").unlink(missing_ok=True)


def run_child(label: str, work: Path, args: list[str]) -> dict[str, object]:
    """A command as a child process (output to work/<label>.log): wall time, peak RSS."""
    started = time.monotonic()
    with open(work / f"{label}.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            args, cwd=PROJECT_DIR, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        _, status, usage = os.wait4(process.pid, 0)
    return {
        "ok": os.waitstatus_to_exitcode(status) == 0,
        "seconds": round(time.monotonic() - started, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "log": str(work / f"{label}.log"),
    }


OVOKO_METRIC_MODELS = (
    "int_ovoko_order_lines_attributed",
    "int_ovoko_shipments_assessed",
    "int_ovoko_seller_status_metrics_graded",
)


def ovoko_model_seconds(work: Path, label: str) -> dict[str, float]:
    """Execution time of the Ovoko models in one dbt step (run_results.json): the three the
    peer computes (metrics) and every int_ovoko_* model (also statuses and fee lines)."""
    results = work / f"target_{label}" / "run_results.json"
    nodes = json.loads(results.read_text(encoding="utf-8"))["results"]
    times = {
        r["unique_id"].rsplit(".", 1)[-1]: r.get("execution_time") or 0.0
        for r in nodes
        if r["unique_id"].startswith("model.") and ".int_ovoko_" in r["unique_id"]
    }
    return {
        "metric_models_seconds": round(sum(times.get(m, 0.0) for m in OVOKO_METRIC_MODELS), 2),
        "all_models_seconds": round(sum(times.values()), 2),
    }


def run_peer(work: Path, raw: Path, db: Path) -> dict[str, object]:
    """bench_peer.py on the landing files, compared with the marts of `db`."""
    out = work / "peer.json"
    args = [sys.executable, "-m", "seller_standing.bench_peer", str(raw)]
    args += ["--evaluation-date", EVALUATION_DATE, "--compare", str(db), "--json", str(out)]
    step = run_child("polars_peer", work, args)
    if out.exists():
        step |= json.loads(out.read_text(encoding="utf-8"))
        step["wall_seconds"] = step.pop("seconds")  # the child with imports and the check
        step["seconds"] = step.pop("peer_seconds")
    return step


def run_dbt_step(
    label: str, work: Path, raw: Path, db: Path, *extra: str, parsed_by: str | None = None
) -> dict[str, object]:
    """dbt build as a child process; wall time, its peak RSS, its ten slowest nodes.

    parsed_by: an earlier step whose parse this one starts from, as a user's next build
    does (dbt keeps it in its target folder, partial_parse.msgpack); dbt still parses again
    whatever changed. Whether it parsed the whole project is recorded (full_parse).
    """
    target = work / f"target_{label}"
    if parsed_by is not None:
        target.mkdir(parents=True, exist_ok=True)
        saved = work / f"target_{parsed_by}" / "partial_parse.msgpack"
        if saved.exists():
            shutil.copy2(saved, target / saved.name)
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
        process = start_dbt(args, env)
        assert process.stdout is not None
        progress = Progress(label)
        for line in process.stdout:
            log.write(line)
            if (shown := progress.line(line)) is not None:
                _say(shown.rstrip())
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
    log_text = (work / f"{label}.log").read_text(encoding="utf-8", errors="replace")
    return {
        "ok": os.waitstatus_to_exitcode(status) == 0,
        "seconds": round(seconds, 1),
        "full_parse": "Starting full parse" in log_text,
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "slowest_nodes": slowest,
        "log": str(work / f"{label}.log"),
    }


def bench_size(
    sellers: int, months: int, out: Path, threads: str, memory: str, keep: bool = False
) -> dict:
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
    result["daily_run"] = run_dbt_step("daily_run", work, raw, db, parsed_by="first_build")
    _say(f"{sellers} sellers: full refresh")
    refreshed = work / "full_refresh.duckdb"
    result["full_refresh"] = run_dbt_step(
        "full_refresh", work, raw, refreshed, "--full-refresh", parsed_by="daily_run"
    )
    _say(f"{sellers} sellers: floor query again")
    floors.append(run_floor(raw, threads, memory))
    _say(f"{sellers} sellers: copy floor (every landing CSV into a DuckDB table)")
    copy_floor = run_copy_floor(raw, work, threads, memory)
    floor = sum(floors) / len(floors)
    result["floor_seconds"] = [round(f, 2) for f in floors]
    result["copy_floor_seconds"] = round(copy_floor, 2)
    if result["daily_run"]["ok"] and result["full_refresh"]["ok"]:  # type: ignore[index]
        daily_marts, refreshed_marts = fingerprint(db), fingerprint(refreshed)
        result["daily_equals_full_refresh"] = daily_marts == refreshed_marts
        # which marts differ (row count or hash of the sorted rows), to know where to look
        result["marts_differing"] = sorted(
            name
            for name in daily_marts.keys() | refreshed_marts.keys()
            if daily_marts.get(name) != refreshed_marts.get(name)
        )
        if result["marts_differing"]:
            _say(f"  daily run and full refresh differ in: {', '.join(result['marts_differing'])}")
        _say(f"{sellers} sellers: quality suites (Great Expectations) on the full refresh")
        quality = [sys.executable, "-m", "seller_standing.quality", str(refreshed)]
        result["quality"] = run_child("quality", work, quality)
        _say(f"{sellers} sellers: polars peer (Ovoko metrics), checked against the marts")
        peer = run_peer(work, raw, refreshed)
        peer["ovoko_models"] = ovoko_model_seconds(work, "full_refresh")
        result["polars_peer"] = peer
        if "peer_rows" not in peer:
            _say(f"  the polars peer did not run to its end: see {peer.get('log')}")
        else:
            _say(
                f"  peer {peer.get('seconds')} s, Ovoko models "
                f"{peer['ovoko_models']['metric_models_seconds']} s, "
                f"{peer.get('mismatched_rows')} of {peer.get('mart_rows')} rows differ"
            )
    full_s = result["full_refresh"]["seconds"]  # type: ignore[index]
    daily_s = result["daily_run"]["seconds"]  # type: ignore[index]
    result["ratios"] = {
        "copy_floor_to_floor": round(copy_floor / floor, 1),
        "full_refresh_to_floor": round(full_s / floor, 1),
        "daily_run_to_floor": round(daily_s / floor, 1),
        "daily_run_to_full_refresh": round(daily_s / full_s, 3),
    }
    peer = result.get("polars_peer")
    if isinstance(peer, dict) and "peer_rows" in peer:
        ovoko = peer["ovoko_models"]
        result["ratios"] |= {
            "ovoko_metric_models_to_peer": round(
                ovoko["metric_models_seconds"] / peer["seconds"], 2
            ),
            "ovoko_all_models_to_peer": round(ovoko["all_models_seconds"] / peer["seconds"], 2),
            "ovoko_metric_models_to_peer_program": round(
                ovoko["metric_models_seconds"] / max(peer["program_seconds"], 0.01), 2
            ),
        }
    if not keep:
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

    series = chart_series(results)
    colours = {
        "floor": "#555",
        "copy floor": "#999",
        "first build": "#b9770e",
        "full refresh": "#c0392b",
        "daily run": "#2471a3",
        "quality suites": "#7d3c98",
        "polars peer (Ovoko)": "#1e8449",
        "polars peer, Ovoko rules only": "#52be80",
        "Ovoko models (dbt)": "#82e0aa",
    }
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


def chart_series(results: list[dict]) -> dict[str, list[tuple[float, float]]]:
    """Seconds against orders of each step, for the charts."""

    def step(r: dict, name: str) -> float | None:
        value = r.get(name)
        return value.get("seconds") if isinstance(value, dict) else None

    series = {
        "floor": [(r["orders"], sum(r["floor_seconds"]) / 2) for r in results],
        "copy floor": [(r["orders"], r.get("copy_floor_seconds")) for r in results],
        "first build": [(r["orders"], step(r, "first_build")) for r in results],
        "daily run": [(r["orders"], step(r, "daily_run")) for r in results],
        "full refresh": [(r["orders"], step(r, "full_refresh")) for r in results],
        "quality suites": [(r["orders"], step(r, "quality")) for r in results],
        "polars peer (Ovoko)": [(r["orders"], step(r, "polars_peer")) for r in results],
        "polars peer, Ovoko rules only": [
            (r["orders"], r["polars_peer"].get("program_seconds"))
            for r in results
            if isinstance(r.get("polars_peer"), dict)
        ],
        "Ovoko models (dbt)": [
            (r["orders"], r["polars_peer"]["ovoko_models"]["metric_models_seconds"])
            for r in results
            if isinstance(r.get("polars_peer"), dict) and "ovoko_models" in r["polars_peer"]
        ],
    }
    return {k: [(x, y) for x, y in v if x and y] for k, v in series.items()}


def write_png(results: list[dict], path: Path) -> bool:
    """Seconds against orders (log-log), one line per step, as a PNG (matplotlib)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        _say("no PNG chart: matplotlib is not installed (make bench installs it)")
        return False
    series = chart_series(results)
    figure, axes = plt.subplots(figsize=(11, 5.5), dpi=110)
    styles = {
        "floor": "k--o",
        "copy floor": "k:o",
        "polars peer (Ovoko)": "g-s",
        "polars peer, Ovoko rules only": "g-.s",
        "Ovoko models (dbt)": "g:^",
    }
    for name, points in series.items():
        if not points:
            continue
        xs, ys = zip(*sorted(points), strict=True)
        axes.plot(xs, ys, styles.get(name, "-o"), label=name, linewidth=1.6, markersize=5)
        for x, y in zip(xs, ys, strict=True):
            axes.annotate(
                f"{y:.0f} s" if y >= 10 else f"{y:.1f} s",
                (x, y),
                fontsize=7,
                textcoords="offset points",
                xytext=(4, 3),
            )
    axes.set_xscale("log")
    axes.set_yscale("log")
    orders = sorted({x for points in series.values() for x, _ in points})
    axes.set_xticks(
        orders, [f"{o / 1e6:.1f} M" if o >= 1e6 else f"{o / 1e3:.0f} k" for o in orders]
    )
    axes.minorticks_off()
    axes.set_xlabel("orders")
    axes.set_ylabel("seconds (log scale)")
    axes.set_title("seller_standing: time against orders (make bench)")
    axes.grid(True, which="major", alpha=0.3)
    axes.margins(x=0.08)
    axes.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="seller-standing-bench", description=__doc__)
    parser.add_argument("--sizes", default="5,850,8500", help="sellers per size (850 ~ 1 M orders)")
    parser.add_argument("--with-100m", action="store_true", help="also 85,000 sellers (~100 M)")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--out", default=str(PROJECT_DIR / "build" / "bench"))
    parser.add_argument(
        "--keep-warehouses", action="store_true", help="keep each size's built DuckDB files"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_100m:
        sizes.append(85000)
    threads = os.environ.get("SELLER_STANDING_THREADS", "2")
    memory = os.environ.get("SELLER_STANDING_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    results = []
    for sellers in sizes:
        results.append(
            bench_size(sellers, args.months, out, threads, memory, keep=args.keep_warehouses)
        )
        (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        write_svg(results, out / "results.svg")
        write_png(results, out / "results.png")
    print(
        f"{'orders':>12} {'floor s':>8} {'copy/floor':>10} {'full/floor':>10} {'daily/floor':>11} "
        f"{'daily/full':>10} {'peak MB':>8} {'same marts':>10} {'GE s':>6} {'peer s':>7} "
        f"{'ovoko s':>7} {'ovoko/peer':>10} {'peer diff':>9}"
    )
    for r in results:
        peak = max(r[s]["peak_rss_mb"] for s in ("first_build", "daily_run", "full_refresh"))
        peer = r.get("polars_peer") or {}
        print(
            f"{r['orders']:>12,} {sum(r['floor_seconds']) / 2:>8.1f} "
            f"{r['ratios']['copy_floor_to_floor']:>10} "
            f"{r['ratios']['full_refresh_to_floor']:>10} {r['ratios']['daily_run_to_floor']:>11} "
            f"{r['ratios']['daily_run_to_full_refresh']:>10} {peak:>8} "
            f"{str(r.get('daily_equals_full_refresh')):>10} "
            f"{(r.get('quality') or {}).get('seconds', '-'):>6} {peer.get('seconds', '-'):>7} "
            f"{(peer.get('ovoko_models') or {}).get('metric_models_seconds', '-'):>7} "
            f"{r['ratios'].get('ovoko_metric_models_to_peer', '-'):>10} "
            f"{peer.get('mismatched_rows', '-'):>9}"
        )
    charts = ", ".join(
        str(out / name) for name in ("results.svg", "results.png") if (out / name).exists()
    )
    print(f"Results: {out / 'results.json'}, charts: {charts}")
    ok = (
        all(r[s]["ok"] for r in results for s in ("first_build", "daily_run", "full_refresh"))
        and all(r.get("daily_equals_full_refresh") for r in results)
        and all(r.get("polars_peer", {}).get("mismatched_rows") == 0 for r in results)
    )
    for r in results:
        peer = r.get("polars_peer") or {}
        if "peer_rows" not in peer:
            print(
                f"THE POLARS PEER FAILED at {r['orders']:,} orders (log {peer.get('log')}); "
                "`make bench` installs polars from requirements-bench.lock."
            )
        elif peer.get("mismatched_rows") != 0:
            print(
                f"POLARS PEER DIFFERS FROM THE MARTS at {r['orders']:,} orders: "
                f"{peer.get('mismatched_rows')} rows (examples in results.json; log "
                f"{peer.get('log')})"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
