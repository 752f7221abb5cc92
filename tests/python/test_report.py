"""The report site and `explain`, on the CI dataset (`make dbt-test` builds it first): every
number on a seller page is the marts' number, no page fetches anything, pages render and print
in headless Chromium (Debian package), and the default selection is the sellers the issue
names."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from _warehouse import CLI, PROJECT_DIR, output_of

from seller_standing.report import seller_page_path, words
from seller_standing.report.data import Bars
from seller_standing.report.site import bands_of

CI_DIR = PROJECT_DIR / "build" / "ci"
PUBLISHED = CI_DIR / "published.duckdb"
CHROMIUM = Path("/usr/bin/chromium")
# Screenshots land here for people to look at (build/ is ignored by git).
SHOTS = PROJECT_DIR / "build" / "report-screenshots"


def _query(sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(PUBLISHED), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _cli(*args: str, db: Path = PUBLISHED) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args, "--db", str(db)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not PUBLISHED.exists():
        pytest.fail(f"No CI warehouse at {PUBLISHED}: run `make dbt-test` first.")
    out = tmp_path_factory.mktemp("report") / "site"
    result = _cli("report", "--all", "--out", str(out))
    assert result.returncode == 0, output_of(result)
    return out


class _Cells(HTMLParser):
    """Collects every element with data-* attributes: (tag, attributes, text inside)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[list] = []
        self.found: list[tuple[str, dict, str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("br", "meta", "img", "input", "link", "rect", "line"):
            return
        self.stack.append([tag, dict(attrs), []])

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            name, attrs, text = self.stack.pop()
            content = "".join(text)
            if self.stack:
                self.stack[-1][2].append(content)
            if any(k.startswith("data-") for k in attrs):
                self.found.append((name, attrs, " ".join(content.split())))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1][2].append(data)


def _cells_in_row(cells: list[tuple[str, dict, str]], period: str) -> list[tuple]:
    """The data-count cells of the distribution row of `period` (cells come before their row)."""
    out: list[tuple] = []
    pending: list[tuple] = []
    for cell in cells:
        tag, attrs, _ = cell
        if "data-count" in attrs:
            pending.append(cell)
        elif tag == "tr":
            if attrs.get("data-period") == period:
                out = pending
            pending = []
    return out


def _cells(path: Path) -> list[tuple[str, dict, str]]:
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.found


def test_every_seller_page_shows_the_marts_numbers(site: Path) -> None:
    statuses = _query(
        "select marketplace, seller_id, program_id, status, valid_from, valid_to "
        "from marts.fct_program_status qualify row_number() over (partition by marketplace, "
        "seller_id, program_id order by period_start desc) = 1"
    )
    metrics = _query(
        "select marketplace, seller_id, program_id, metric_id, period_start, value, grade, "
        "bar_value from marts.fct_seller_metrics qualify row_number() over (partition by "
        "marketplace, seller_id, program_id, metric_id order by period_start desc) = 1"
    )
    fees = _query(
        "select marketplace, seller_id, program_id, billing_month, sum(amount) "
        "from marts.fct_fee_lines group by all"
    )
    assert statuses and metrics and fees
    checked = 0
    for mkt, sid, prog, status, valid_from, valid_to in statuses:
        page = site / seller_page_path(mkt, sid, prog)
        cells = _cells(page)
        shown = {a["data-status"]: text for _, a, text in cells if "data-status" in a}
        assert shown == {status: words.status_label(status)}, page
        assert [a["data-valid-from"] for _, a, _ in cells if "data-valid-from" in a] == [
            valid_from.isoformat()
        ]
        assert [a["data-valid-to"] for _, a, _ in cells if "data-valid-to" in a] == [
            valid_to.isoformat()
        ]
        checked += 1
    assert checked == len(statuses)

    for mkt, sid, prog, metric_id, start, value, grade, bar in metrics:
        cells = _cells(site / seller_page_path(mkt, sid, prog))
        row = [
            (a, text)
            for _, a, text in cells
            if a.get("data-metric") == metric_id and "data-period" in a
        ]
        assert [a["data-period"] for a, _ in row] == [start.isoformat()]
        value_cell = [(a, t) for _, a, t in cells if "data-value" in a]
        grade_cell = [a["data-grade"] for _, a, _ in cells if "data-grade" in a]
        bar_cell = [a["data-bar"] for _, a, _ in cells if "data-bar" in a]
        index = [a.get("data-metric") for _, a, _ in cells if "data-period" in a].index(metric_id)
        shown_value, shown_text = value_cell[index]
        assert shown_value["data-value"] == ("" if value is None else repr(value))
        assert shown_text == words.fmt_value(metric_id, value)
        assert grade_cell[index] == grade
        assert bar_cell[index] == ("" if bar is None else repr(bar))

    totals: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for mkt, sid, prog, month, amount in fees:
        totals[(mkt, sid, prog)][month.isoformat()] = amount
    for key, per_month in totals.items():
        text = (site / seller_page_path(*key)).read_text(encoding="utf-8")
        shown = dict(
            re.findall(r'data-billing-month="([0-9-]+)".*?data-total="([0-9.]+)"', text, re.S)
        )
        assert {m: Decimal(v) for m, v in shown.items()} == per_month, key


def test_headroom_is_a_sentence_with_the_marts_headroom(site: Path) -> None:
    rows = _query(
        "select * from (select marketplace, seller_id, program_id, metric_id, period_start, "
        "period_end, headroom, grade from marts.fct_seller_metrics "
        "where program_id = 'ovoko_seller_status' and metric_id = 'cancelled_items_rate' "
        "qualify row_number() over (partition by marketplace, seller_id, program_id, metric_id "
        "order by period_start desc) = 1) where headroom is not null"
    )
    assert rows
    for mkt, sid, prog, _metric, start, end, headroom, grade in rows:
        text = " ".join((site / seller_page_path(mkt, sid, prog)).read_text().split())
        period = words.period_label(start, end)
        if headroom == 0:
            expected = f"one more seller-fault cancelled item in {period} would have taken you"
        else:
            noun = "item" if headroom == 1 else "items"
            expected = f"{headroom} more seller-fault cancelled {noun} in {period} would still"
        assert expected in text
        keep = "at Top Seller" if grade == "excellent" else "clear of Below Standard"
        assert headroom == 0 or keep in text


def test_headroom_sentence_words() -> None:
    assert words.headroom_sentence(
        "ovoko_seller_status", "cancelled_items_rate", "excellent", 2, "2026-09"
    ) == (
        "2 more seller-fault cancelled items in 2026-09 would still have kept you at Top "
        "Seller; 3 would have taken you below the Top Seller bar."
    )
    assert words.headroom_sentence(
        "kkday_trusted_partner", "order_cancellation_rate", "good", 0, "2026-09"
    ) == (
        "No room left: one more seller-fault cancellation in 2026-09 would have taken you "
        "down to Needs improvement."
    )
    assert words.headroom_sentence("booking_preferred", "review_score", "pass", None, "x") is None


def test_bands_follow_the_comparator() -> None:
    inf = float("inf")
    lower = Bars("excellent_good", "<", 0.01, 0.03, None, "v")
    assert bands_of(lower) == [(-inf, 0.01), (0.01, 0.03), (0.03, inf)]
    higher = Bars("excellent_good", ">=", 0.95, 0.90, None, "v")
    assert bands_of(higher) == [(0.95, inf), (0.90, 0.95), (-inf, 0.90)]
    assert bands_of(Bars("pass_fail", ">=", None, None, 70.0, "v")) == [(70.0, inf), (-inf, 70.0)]
    assert bands_of(Bars("excellent_good", ">=", 15.0, None, None, "v")) == [
        (15.0, inf),
        (-inf, 15.0),
    ]


def test_default_report_renders_the_sellers_with_a_change_or_a_failing_metric(
    tmp_path: Path,
) -> None:
    if not PUBLISHED.exists():
        pytest.fail(f"No CI warehouse at {PUBLISHED}: run `make dbt-test` first.")
    status = _query(
        "select marketplace, seller_id, program_id, period_start, status_change, failing_metrics "
        "from marts.fct_program_status"
    )
    metrics = _query(
        "select marketplace, seller_id, program_id, metric_id, period_start, grade "
        "from marts.fct_seller_metrics"
    )
    latest_status: dict[tuple, tuple] = {}
    for mkt, sid, prog, start, change, failing in status:
        key = (mkt, sid, prog)
        if key not in latest_status or start > latest_status[key][0]:
            latest_status[key] = (start, change, failing)
    latest_metric: dict[tuple, tuple] = {}
    for mkt, sid, prog, metric_id, start, grade in metrics:
        key = (mkt, sid, prog, metric_id)
        if key not in latest_metric or start > latest_metric[key][0]:
            latest_metric[key] = (start, grade)
    expected = {
        k for k, (_, change, failing) in latest_status.items() if change in ("promoted", "demoted")
    }
    expected |= {k for k, (_, _, failing) in latest_status.items() if failing}
    expected |= {k[:3] for k, (_, g) in latest_metric.items() if g in ("needs_improvement", "fail")}
    everyone = {k for k in latest_status} | {k[:3] for k in latest_metric}
    assert expected and expected != everyone, "the CI dataset should have both kinds of seller"

    out = tmp_path / "site"
    result = _cli("report", "--out", str(out))
    assert result.returncode == 0, output_of(result)
    rendered = {p.relative_to(out).as_posix() for p in (out / "sellers").glob("*.html")}
    assert rendered == {seller_page_path(*k) for k in expected}
    assert {p.name for p in (out / "programs").glob("*.html")} == {
        f"{p}.html" for p in {k[2] for k in everyone}
    }
    # --seller: one seller's pages only
    one = sorted(expected)[0]
    result = _cli("report", "--seller", f"{one[0]}:{one[1]}", "--out", str(tmp_path / "one"))
    assert result.returncode == 0, output_of(result)
    assert [p.name for p in (tmp_path / "one" / "sellers").glob("*.html")] == [
        Path(seller_page_path(*one)).name
    ]


def test_program_page_counts_are_the_marts_counts(site: Path) -> None:
    rows = _query(
        "select program_id, period_start, status, count(*) from marts.fct_program_status "
        "group by all union all select program_id, period_start, status_change, count(*) "
        "from marts.fct_program_status where status_change in ('promoted', 'demoted') group by all"
    )
    expected: dict[tuple, dict[str, int]] = defaultdict(dict)
    for prog, start, what, n in rows:
        expected[(prog, start.isoformat())][what] = n
    for (prog, start), counts in expected.items():
        cells = _cells(site / "programs" / f"{prog}.html")
        shown = {
            a["data-count"]: int(t)
            for _, a, t in cells
            if "data-count" in a and a.get("data-count")
        }
        in_row = [{a["data-count"]: int(t) for _, a, t in _cells_in_row(cells, start)}]
        assert shown  # the table has counts
        got = {k: v for k, v in in_row[0].items() if v}
        assert got == counts, (prog, start)
    fees = _query(
        "select program_id, billing_month, sum(amount) from marts.fct_fee_lines group by all"
    )
    for prog, month, total in fees:
        text = (site / "programs" / f"{prog}.html").read_text(encoding="utf-8")
        found = re.search(
            rf'data-billing-month="{month.isoformat()}">.*?data-total="([0-9.]+)"', text, re.S
        )
        assert found and Decimal(found.group(1)) == total


def test_no_page_fetches_anything(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"https?:|//[a-z0-9]", text, re.I), page
        assert not re.search(r"<(script|link|img|iframe|object|embed)\b|@import|url\(", text), page
        for target in re.findall(r'href="([^"]+)"', text):
            assert (page.parent / target).resolve().exists(), (page, target)


def _chromium(*args: str, user_data: Path) -> subprocess.CompletedProcess[str]:
    if not CHROMIUM.exists():
        pytest.fail("No headless Chromium at /usr/bin/chromium: run `make chromium`.")
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            # nothing resolves: a request a page makes fails fast, and shows in the net log
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={user_data}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def _page_requests(netlog: Path) -> list[str]:
    """Network requests a page made, from Chromium's net log. The browser's own background
    requests (update checks, clock) have no page as initiator ("not an origin")."""
    log = json.loads(netlog.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params")
        if event.get("type") != start or not isinstance(params, dict) or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":
            continue
        if not params["url"].startswith(("file:", "data:", "about:")):
            urls.append(params["url"])
    return urls


def test_the_net_log_check_catches_a_page_that_fetches(tmp_path: Path) -> None:
    """The check above can fail: a page with one remote image is caught."""
    page = tmp_path / "fetches.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png">x</body></html>')
    netlog = tmp_path / "n.json"
    done = _chromium(
        f"--screenshot={tmp_path / 's.png'}",
        f"--log-net-log={netlog}",
        page.as_uri(),
        user_data=tmp_path / "u",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert _page_requests(netlog) == ["http://example.invalid/x.png"]


def test_pages_render_print_and_request_nothing_in_chromium(site: Path, tmp_path: Path) -> None:
    seller = _query(
        "select marketplace, seller_id, program_id, status from marts.fct_program_status "
        "where program_id = 'ovoko_seller_status' and failing_metrics is not null "
        "order by period_start desc, seller_id limit 1"
    )[0]
    # the page of that seller as the browser builds it (DOM after parsing)
    page = site / seller_page_path(*seller[:3])
    dom = _chromium("--dump-dom", page.as_uri(), user_data=tmp_path / "u1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-status="' in dom.stdout and "<svg" in dom.stdout
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, target in (
        ("seller", page),
        ("program", site / "programs" / "ovoko_seller_status.html"),
        ("index", site / "index.html"),
    ):
        shot, netlog = tmp_path / f"{name}.png", tmp_path / f"{name}.netlog.json"
        done = _chromium(
            "--window-size=1000,1800",
            f"--screenshot={shot}",
            f"--log-net-log={netlog}",
            target.as_uri(),
            user_data=tmp_path / f"u-{name}",
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
        shutil.copy(shot, SHOTS / shot.name)
        assert _page_requests(netlog) == [], name
    pdf = tmp_path / "seller.pdf"
    printed = _chromium(
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        page.as_uri(),
        user_data=tmp_path / "u-pdf",
    )
    assert printed.returncode == 0, printed.stderr[-2000:]
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5_000
    shutil.copy(pdf, SHOTS / pdf.name)


def test_explain_prints_the_standing(site: Path) -> None:
    mkt, sid, prog, status, valid_from, valid_to = _query(
        "select marketplace, seller_id, program_id, status, valid_from, valid_to "
        "from marts.fct_program_status where program_id = 'ovoko_seller_status' "
        "order by period_start desc, seller_id limit 1"
    )[0]
    result = _cli("explain", mkt, sid)
    assert result.returncode == 0, output_of(result)
    assert f"Status: {words.status_label(status)} from {valid_from} to {valid_to}" in result.stdout
    for metric_id, value in _query(
        "select metric_id, value from marts.fct_seller_metrics where marketplace = ? and "
        "seller_id = ? qualify row_number() over (partition by metric_id "
        "order by period_start desc) = 1",
        [mkt, sid],
    ):
        line = [
            ln
            for ln in result.stdout.splitlines()
            if ln.strip().startswith(words.metric(metric_id).label + "  ")
        ]
        assert line and words.fmt_value(metric_id, value) in line[0]


def test_explain_and_report_mistakes_get_a_message(tmp_path: Path) -> None:
    unknown = _cli("explain", "ovoko", "no-such-seller")
    assert unknown.returncode == 1 and "No seller 'no-such-seller'" in unknown.stderr
    missing = _cli("explain", "ovoko", "x", db=tmp_path / "nowhere.duckdb")
    assert missing.returncode == 1 and "No warehouse at" in missing.stderr
    bad = _cli("report", "--seller", "ovoko-only")
    assert bad.returncode == 2 and "MARKETPLACE:SELLER_ID" in bad.stderr
    # a folder the report did not write is never replaced
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    refused = _cli("report", "--out", str(mine))
    assert refused.returncode == 1 and (mine / "notes.txt").exists()
    for result in (unknown, missing, bad, refused):
        assert "Traceback" not in output_of(result)


def test_report_explain_and_what_if_are_exposures() -> None:
    """Declared in models/marts/_report__exposures.yml; the CI build's manifest has them."""
    manifest_path = CI_DIR / "target" / "manifest.json"
    if not manifest_path.exists():
        pytest.fail(f"No {manifest_path}: run `make dbt-test` first.")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    for name in ("account_health_report", "seller_explain", "rule_what_if"):
        assert name in exposures
    nodes = set(exposures["account_health_report"]["depends_on"]["nodes"])
    for mart in ("fct_seller_metrics", "fct_program_status", "fct_fee_lines", "dim_sellers"):
        assert f"model.seller_standing.{mart}" in nodes
    what_if = set(exposures["rule_what_if"]["depends_on"]["nodes"])
    seeds = {p.stem for p in (PROJECT_DIR / "seeds" / "rules").glob("*.csv")}
    assert {f"seed.seller_standing.{s}" for s in seeds} <= what_if
