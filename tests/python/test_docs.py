"""The docs open from the file system in a browser, offline: dbt's static docs show a mart's
columns, the Great Expectations Data Docs show every suite's result as the console does.

Headless Chromium (Debian package, `make clients`) renders the pages; screenshots are left in
build/screenshots/ to look at."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _warehouse import PROJECT_DIR, Workspace, chromium

SCREENSHOTS = PROJECT_DIR / "build" / "screenshots"


def _chromium(url: str, profile: Path, *args: str) -> str:
    result = subprocess.run(
        [
            str(chromium()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--window-size=1400,1000",
            "--virtual-time-budget=15000",
            *args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _rendered(dom: str) -> str:
    """The page as rendered: without scripts (dbt's page embeds its whole manifest in one)."""
    return re.sub(r"(?s)<(script|style)\b.*?</\1>", "", dom)


def _remote_resources(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    tags = re.findall(r"<(?:link|script|img)\b[^>]*(?:href|src)=\"https?://[^\"]+\"", text)
    return [t for t in tags if not t.startswith("<link") or "stylesheet" in t]


@pytest.fixture(scope="module")
def dbt_docs(built_warehouse: Workspace) -> Path:
    env = built_warehouse.env()
    page = Path(env["DBT_TARGET_PATH"]) / "static_index.html"
    if os.environ.get("SELLER_STANDING_TEST_BUILD") and page.exists():
        return page  # `make dbt-test` generated the docs of the build it made
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "docs",
            "generate",
            "--static",
            "--profiles-dir",
            str(PROJECT_DIR),
            "--quiet",
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0 and page.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    return page


def test_dbt_docs_show_a_marts_columns(
    dbt_docs: Path, built_warehouse: Workspace, tmp_path: Path
) -> None:
    url = f"{dbt_docs.as_uri()}#!/model/model.seller_standing.fct_fee_lines"
    dom = _rendered(_chromium(url, tmp_path / "profile", "--dump-dom"))
    shown = [
        html.unescape(name)
        for name in re.findall(
            r'<tr\b[^>]*class="column-row[^"]*"[^>]*>\s*<td>\s*<div>\s*<span[^>]*>([^<]+)</span>',
            dom,
        )
    ]
    columns = [
        name
        for (name,) in built_warehouse.query(
            "select column_name from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'fct_fee_lines' order by column_index"
        )
    ]
    assert shown == columns
    assert "One row per fee charge" in dom or "fee_line_id" in dom
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _chromium(
        url, tmp_path / "profile", f"--screenshot={SCREENSHOTS / 'dbt_docs_fct_fee_lines.png'}"
    )
    assert (SCREENSHOTS / "dbt_docs_fct_fee_lines.png").stat().st_size > 10_000


def test_data_docs_work_offline_and_agree_with_the_console(
    built_warehouse: Workspace, tmp_path: Path
) -> None:
    docs = tmp_path / "data_docs"
    shutil.copytree(built_warehouse.docs_dir, docs)
    pages = list(docs.rglob("*.html"))
    assert pages
    assert {str(p.relative_to(docs)): _remote_resources(p) for p in pages} == {
        str(p.relative_to(docs)): [] for p in pages
    }

    index = docs / "index.html"
    dom = _rendered(_chromium(index.as_uri(), tmp_path / "profile", "--dump-dom"))
    # bootstrap-table (a vendored script) renders one row per validation into the table.
    rows = re.findall(r'<tr\b[^>]*data-href="validations/[^"]+"[^>]*data-index="\d+"', dom)
    suites = set(re.findall(r'href="expectations/([\w./]+)\.html"', dom))
    shown = re.search(r"Showing 1 to (\d+) of (\d+) rows", dom)
    assert shown, "bootstrap-table did not render the validations table"
    assert int(shown[1]) == len(rows) >= 10
    assert int(shown[2]) == len(list((docs / "validations").rglob("*.html")))
    assert {"fct_fee_lines", "dim_sellers", "marts_columns"} <= suites, suites
    # Every suite passed on the console (warnings do not fail): no failed icon on the page,
    # nor in the data of the rows on later pages.
    assert dom.count("ge-success-icon") == len(rows)
    assert "ge-failed-icon" not in index.read_text(encoding="utf-8")
    # Font Awesome (vendored) draws the status icons.
    assert (docs / "static/vendor/fontawesome/webfonts/fa-solid-900.woff2").exists()

    [quarantine] = (docs / "validations" / "landing" / "quarantine").rglob("*.html")
    page = _rendered(_chromium(quarantine.as_uri(), tmp_path / "profile", "--dump-dom"))
    status = re.search(r"Status:</span>.*?</i>\s*(\w+)", page, re.DOTALL)
    assert status and status[1] == "Succeeded"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    _chromium(
        index.as_uri(), tmp_path / "profile", f"--screenshot={SCREENSHOTS / 'data_docs_index.png'}"
    )
    _chromium(
        quarantine.as_uri(),
        tmp_path / "profile",
        f"--screenshot={SCREENSHOTS / 'data_docs_quarantine.png'}",
    )
