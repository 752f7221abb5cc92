"""Render the static site: index, one page per program, one page per seller and program."""

from __future__ import annotations

import math
import os
import re
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from seller_standing.report import charts, words
from seller_standing.report.data import (
    Bars,
    MetricRow,
    ProgramSummary,
    ReportError,
    SellerProgram,
    connect,
    load_namesakes,
    load_programs,
    load_sellers,
    normalised_name,
)

TEMPLATES = Path(__file__).with_name("templates")
# A file in every rendered site: only a folder holding it is ever replaced.
MARKER = ".seller-standing-report"


def report_dir(published_db: Path) -> Path:
    """Default folder of the site: `report/` beside the published warehouse."""
    return published_db.parent / "report"


def _safe(text: str) -> str:
    """A file-name-safe, reversible spelling of an id: other characters as ~XX."""
    return re.sub(r"[^A-Za-z0-9._-]", lambda m: "".join(f"~{b:02X}" for b in m[0].encode()), text)


def seller_page_path(marketplace: str, seller_id: str, program_id: str) -> str:
    """Path of a seller page relative to the site root."""
    return f"sellers/{_safe(marketplace)}__{_safe(seller_id)}__{_safe(program_id)}.html"


def bands_of(bars: Bars | None) -> list[tuple[float, float]] | None:
    """[lo, hi) of each band, best first, from the bars in force."""
    if bars is None:
        return None
    inf = math.inf
    lower_is_better = bars.comparator in ("<", "<=")
    if bars.grading == "pass_fail" or bars.excellent is None:
        bar = bars.passing if bars.grading == "pass_fail" else bars.good
        if bar is None:
            return None
        return [(-inf, bar), (bar, inf)] if lower_is_better else [(bar, inf), (-inf, bar)]
    if bars.good is None:
        e = bars.excellent
        return [(-inf, e), (e, inf)] if lower_is_better else [(e, inf), (-inf, e)]
    e, g = bars.excellent, bars.good
    if lower_is_better:
        return [(-inf, e), (e, g), (g, inf)]
    return [(e, inf), (g, e), (-inf, g)]


_NOT = {"<": "at or above", "<=": "above", ">=": "below", ">": "at or below"}


def _bar_note(bars: Bars | None, metric_id: str, names: list[str]) -> str:
    """ "Top Seller: below 1 %; Below Standard: at or above 3 %" (the bars in force last)."""
    if bars is None or not names:
        return ""
    meets = words.CMP_WORDS[bars.comparator]
    misses = _NOT[bars.comparator]
    if bars.grading == "pass_fail" or bars.excellent is None:
        bar = words.fmt_bar(metric_id, bars.passing)
        return f"{names[0]}: {meets} {bar}; {names[-1]}: {misses} {bar}"
    text = f"{names[0]}: {meets} {words.fmt_bar(metric_id, bars.excellent)}"
    if bars.good is not None:
        text += f"; {names[-1]}: {misses} {words.fmt_bar(metric_id, bars.good)}"
    return text


@dataclass
class Site:
    out_dir: Path
    pages: int
    seller_pages: int
    seconds: float


class Renderer:
    def __init__(self, warehouse_name: str) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.seller_t = self.env.get_template("seller.html")
        self.program_t = self.env.get_template("program.html")
        self.index_t = self.env.get_template("index.html")
        self.common = {
            "warehouse_name": warehouse_name,
            "rendered_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "nav_programs": list(words.PROGRAMS.values()),
        }

    # ---- seller pages -------------------------------------------------------------
    def seller_context(self, s: SellerProgram, others: list[dict]) -> dict:
        program = words.PROGRAMS.get(s.program_id) or words.Program(
            s.program_id, s.program_id, s.marketplace, s.marketplace
        )
        latest = s.latest
        latest_ctx = None
        if latest is not None:
            period = words.period_label(latest.period_start, latest.period_end)
            by_metric = {
                r.metric_id: r
                for rows in s.metrics.values()
                for r in rows
                if r.period_start == latest.period_start
            }
            failing = []
            for metric_id in (latest.failing_metrics or "").split(","):
                metric_id = metric_id.strip()
                if not metric_id:
                    continue
                row = by_metric.get(metric_id)
                if row is None:
                    failing.append(words.metric(metric_id).label)
                else:
                    failing.append(words.failing_text(s.program_id, row))
            change_text = {
                "new": "first evaluated period",
                "promoted": f"promoted from {words.status_label(latest.previous_status)}",
                "demoted": f"demoted from {words.status_label(latest.previous_status)}",
                "kept": "unchanged",
            }.get(latest.status_change, latest.status_change)
            latest_ctx = {
                "status": latest.status,
                "label": words.status_label(latest.status),
                "qualifies": latest.qualifies,
                "valid_from": latest.valid_from,
                "valid_to": latest.valid_to,
                "period": period,
                "change_text": change_text,
                "description": latest.description,
                "ranking_penalty": latest.ranking_penalty,
                "failing": failing,
            }
        metrics = [self._metric_ctx(s.program_id, rows) for _, rows in sorted(s.metrics.items())]
        periods = {m["period"] for m in metrics}
        return {
            **self.common,
            "root": "../",
            "s": s,
            "program": program,
            "latest": latest_ctx,
            "metrics": metrics,
            "metrics_period": periods.pop() if len(periods) == 1 else None,
            "fee_months": self._fee_months(s),
            "others": others,
        }

    def _metric_ctx(self, program_id: str, rows: list[MetricRow]) -> dict:
        last = rows[-1]
        metric_id = last.metric_id
        meta = words.metric(metric_id)
        period = words.period_label(last.period_start, last.period_end)
        bars = last.bars
        has_good = bool(bars and bars.grading != "pass_fail" and bars.good is not None)
        names = words.band_names(program_id, metric_id, bars.grading if bars else "", has_good)
        nb = len(names)
        columns = []
        for r in rows:
            label = words.period_label(r.period_start, r.period_end)
            title = (
                f"{label}: {words.fmt_value(metric_id, r.value)} "
                f"({words.row_grade_word(program_id, r)})"
            )
            bands = bands_of(r.bars)
            if bands is not None and len(bands) != nb:
                bands = None
            columns.append(charts.Column(label, r.value, title, bands))

        def tick(v: float) -> str:
            if meta.kind == "rate":
                return f"{v * 100:.3g} %"
            return f"{v:.4g}"

        chart = charts.metric_chart(
            columns,
            names,
            tick,
            aria_label=f"{meta.label} per period against its bars",
            cap=1.0 if meta.kind == "rate" else None,
        )
        colours = charts.BAND_COLOURS.get(nb, charts.BAND_COLOURS[3])
        return {
            "metric_id": metric_id,
            "label": meta.label,
            "period": period,
            "period_start": last.period_start,
            "value": words.fmt_value(metric_id, last.value),
            "raw_value": "" if last.value is None else repr(last.value),
            "counted": words.fmt_count(last.numerator, last.denominator)
            if meta.kind in ("rate", "count")
            else "",
            "grade": last.grade,
            "grade_word": words.row_grade_word(program_id, last),
            "bar": words.fmt_bar(metric_id, last.bar_value),
            "raw_bar": "" if last.bar_value is None else repr(last.bar_value),
            "headroom": "" if last.headroom is None else last.headroom,
            "headroom_text": words.headroom_sentence(
                program_id, metric_id, last.grade, last.headroom, period
            ),
            "bands": [{"name": n, "colour": colours[i]} for i, n in enumerate(names)],
            "bar_note": _bar_note(bars, metric_id, names),
            "chart": jinja2.utils.markupsafe.Markup(chart),
        }

    @staticmethod
    def _fee_months(s: SellerProgram) -> list[dict]:
        months: dict = defaultdict(list)
        for f in s.fees:
            months[f.billing_month].append(f)
        out = []
        for month in sorted(months, reverse=True):
            lines = months[month]
            totals: dict[str, object] = {}
            for f in lines:
                totals[f.currency] = totals.get(f.currency, 0) + f.amount
            out.append(
                {
                    "month": month,
                    "label": month.strftime("%Y-%m"),
                    "lines": [
                        {
                            "fee_line_id": f.fee_line_id,
                            "type": words.fee_type_label(f.fee_type),
                            "period": words.period_label(f.period_start, f.period_end),
                            "explanation": f.explanation,
                            "amount": words.fmt_amount(f.amount, f.currency),
                            "raw_amount": f.amount,
                        }
                        for f in lines
                    ],
                    "totals": [
                        {"raw": t, "text": words.fmt_amount(t, c)}
                        for c, t in sorted(totals.items())
                    ],
                }
            )
        return out

    # ---- program pages ------------------------------------------------------------
    def program_context(
        self,
        p: ProgramSummary,
        links: list[dict],
        rendered: set[tuple[str, str, str]],
        all_sellers: bool,
    ) -> dict:
        program = words.PROGRAMS.get(p.program_id) or words.Program(
            p.program_id, p.program_id, "", ""
        )
        ordered = sorted(p.statuses.items(), key=lambda kv: -(kv[1][0] or 0))
        present = {status for (_, status) in p.distribution}
        status_ids = [s for s, _ in ordered if s in present] + sorted(
            present - {s for s, _ in ordered}
        )
        top = max((v[0] or 0 for v in p.statuses.values()), default=0)
        statuses = [
            {
                "status": s,
                "label": words.status_label(s),
                "colour": charts.level_colour(p.statuses.get(s, (0,))[0] or 0, top),
            }
            for s in status_ids
        ]
        labels = [words.period_label(a, b) for a, b in p.periods]
        series = [
            (
                st["label"],
                st["colour"],
                [p.distribution.get((a, st["status"]), 0) for a, _ in p.periods],
            )
            for st in statuses
        ]
        status_chart = charts.stacked_chart(
            labels, series, aria_label="Sellers per status and period"
        )
        distribution = [
            {
                "start": a,
                "period": words.period_label(a, b),
                "counts": [p.distribution.get((a, st["status"]), 0) for st in statuses],
                "promoted": p.changes.get(a, {}).get("promoted", 0),
                "demoted": p.changes.get(a, {}).get("demoted", 0),
            }
            for a, b in p.periods
        ]
        next_changes = []
        for mkt, sid, name, _start, _end, prev, status, change, vf, vt in p.next_changes:
            key = (mkt, sid, p.program_id)
            next_changes.append(
                {
                    "name": f"{name or sid} ({sid})",
                    "href": "../" + seller_page_path(*key) if key in rendered else None,
                    "from": words.status_label(prev),
                    "to": words.status_label(status),
                    "change": change,
                    "valid_from": vf,
                    "valid_to": vt,
                }
            )
        latest_period = words.period_label(*p.periods[-1]) if p.periods else None

        months = sorted({m for m, _, _ in p.fees})
        fee_type_ids = sorted({(t, c) for _, t, c in p.fees})
        fee_types = [
            {
                "label": words.fee_type_label(t)
                + (f" ({c})" if len({c for _, c in fee_type_ids}) > 1 else ""),
                "colour": charts.SERIES[i % len(charts.SERIES)],
                "key": (t, c),
            }
            for i, (t, c) in enumerate(fee_type_ids)
        ]
        currencies = sorted({c for _, c in fee_type_ids})
        fee_chart = None
        fee_rows = []
        if months:
            fee_chart = charts.stacked_chart(
                [m.strftime("%Y-%m") for m in months],
                [
                    (
                        ft["label"],
                        ft["colour"],
                        [float(p.fees.get((m, *ft["key"]), (0, 0))[1]) for m in months],
                    )
                    for ft in fee_types
                ],
                aria_label="Fees billed per billing month by fee type",
                fmt_tick=lambda v: f"{v:,.0f}",
                min_step=0.0,
            )
            for m in months:
                amounts = [p.fees.get((m, *ft["key"])) for ft in fee_types]
                total = sum((a[1] for a in amounts if a), start=0)
                cur = currencies[0] if len(currencies) == 1 else ""
                fee_rows.append(
                    {
                        "month": m,
                        "label": m.strftime("%Y-%m"),
                        "amounts": [words.fmt_amount(a[1]) if a else "" for a in amounts],
                        "raw_total": total,
                        "total": words.fmt_amount(total, cur or None),
                    }
                )
        return {
            **self.common,
            "root": "../",
            "program": program,
            "n_periods": len(p.periods),
            "statuses": statuses,
            "status_chart": jinja2.utils.markupsafe.Markup(status_chart),
            "distribution": distribution,
            "next_changes": next_changes,
            "latest_period": latest_period,
            "fee_chart": jinja2.utils.markupsafe.Markup(fee_chart) if fee_chart else None,
            "fee_types": fee_types,
            "fee_rows": fee_rows,
            "quarantine": p.quarantine,
            "quarantine_total": p.quarantine_total,
            "quarantine_examples": p.quarantine_examples,
            "seller_links": links,
            "all_sellers": all_sellers,
        }


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def render_report(
    db: Path,
    out_dir: Path,
    mode: str = "notable",
    seller: tuple[str, str] | None = None,
) -> Site:
    """Render the site of the published warehouse `db` into `out_dir` (replaced as a whole).

    mode: `notable` (program pages + sellers with a status change or failing metric), `all`,
    or `seller` (program pages + the pages of `seller` = (marketplace, seller_id))."""
    started = time.monotonic()
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        raise ReportError(
            f"{out_dir} exists and is not a report this command wrote: choose another --out "
            "(the report folder is replaced as a whole on every run)."
        )
    con = connect(db)
    try:
        if mode == "seller":
            assert seller is not None
            sellers = load_sellers(con, "seller", *seller)
            if not sellers:
                raise ReportError(
                    f"No seller {seller[1]!r} on marketplace {seller[0]!r} in {db}: check the "
                    "marketplace and seller_id (as in marts.dim_sellers)."
                )
        else:
            sellers = load_sellers(con, mode)
        programs = load_programs(con)
        namesakes = load_namesakes(con)
    finally:
        con.close()

    tmp = out_dir.with_name(f".{out_dir.name}.{os.getpid()}.tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    (tmp / "sellers").mkdir(parents=True)
    (tmp / "programs").mkdir()
    renderer = Renderer(db.name)
    renderer.common["nav_programs"] = [p for k, p in words.PROGRAMS.items() if k in programs]
    rendered = set(sellers)
    pages = 0
    try:
        links_per_program: dict[str, list[dict]] = defaultdict(list)
        for key in sorted(sellers):
            s = sellers[key]
            others = []
            for mkt, prog in namesakes.get((s.seller_id, normalised_name(s.seller_name)), []):
                if (mkt, prog) == (s.marketplace, s.program_id):
                    continue
                other_key = (mkt, s.seller_id, prog)
                # a page of another program is linked when it is rendered in this site
                if other_key in rendered:
                    label = f"{words.program_label(prog)} ({words.marketplace_label(mkt)})"
                    others.append({"href": "../" + seller_page_path(*other_key), "label": label})
            html = renderer.seller_t.render(renderer.seller_context(s, others))
            _write(tmp / seller_page_path(*key), html)
            pages += 1
            latest = s.latest
            links_per_program[s.program_id].append(
                {
                    "href": "../" + seller_page_path(*key),
                    "name": f"{s.seller_name or s.seller_id} ({s.seller_id})",
                    "status": words.status_label(latest.status) if latest else "—",
                    "failing": ", ".join(
                        words.metric(m.strip()).label
                        for m in ((latest.failing_metrics or "") if latest else "").split(",")
                        if m.strip()
                    ),
                }
            )
        index_rows = []
        for program_id in [p for p in words.PROGRAMS if p in programs] + sorted(
            set(programs) - set(words.PROGRAMS)
        ):
            p = programs[program_id]
            ctx = renderer.program_context(
                p, links_per_program.get(program_id, []), rendered, mode == "all"
            )
            _write(tmp / "programs" / f"{_safe(program_id)}.html", renderer.program_t.render(ctx))
            pages += 1
            latest_start = p.periods[-1][0] if p.periods else None
            in_latest = {s: n for (a, s), n in p.distribution.items() if a == latest_start}
            index_rows.append(
                {
                    "program_id": program_id,
                    "label": ctx["program"].label,
                    "marketplace_label": ctx["program"].marketplace_label,
                    "latest_period": ctx["latest_period"] or "—",
                    "sellers": sum(in_latest.values()),
                    "qualifying": sum(
                        n for s, n in in_latest.items() if (p.statuses.get(s) or (0, False))[1]
                    ),
                    "pages": len(links_per_program.get(program_id, [])),
                }
            )
        _write(
            tmp / "index.html",
            renderer.index_t.render({**renderer.common, "root": "", "programs": index_rows}),
        )
        pages += 1
        (tmp / MARKER).write_text("Rendered by seller-standing report; replaced on each run.\n")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return Site(out_dir, pages, len(sellers), time.monotonic() - started)
