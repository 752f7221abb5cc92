"""The project carries its own docs: every relative link resolves inside the clone, and
nothing points outside the repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
# Written in two parts so that this file does not match itself.
OUTSIDE = "../" + "shared"
SPEC = "shared" + "/spec"


def _markdown_pages() -> list[Path]:
    return [PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").rglob("*.md"))]


def _anchors(page: Path) -> set[str]:
    anchors = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^a-z0-9 _-]", "", title).replace(" ", "-"))
    return anchors


def test_every_relative_link_in_readme_and_docs_resolves() -> None:
    broken = []
    for page in _markdown_pages():
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists() or PROJECT_DIR not in resolved.parents:
                broken.append(f"{page.relative_to(PROJECT_DIR)}: {target}")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{page.relative_to(PROJECT_DIR)}: {target} (no such heading)")
    assert not broken, broken


def test_nothing_in_the_repository_points_outside_it() -> None:
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, check=True)
        .stdout.decode()
        .split("\0")
    )
    offenders = []
    for name in filter(None, tracked):
        path = PROJECT_DIR / name
        if not path.is_file() or path.suffix in {".png", ".gz", ".parquet", ".duckdb"}:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if OUTSIDE in text or SPEC in text:
            offenders.append(name)
    assert offenders == [], offenders


def test_each_program_has_a_rulebook_page_shown_in_the_dbt_docs() -> None:
    programs = [
        "kkday_trusted_partner",
        "ovoko_seller_status",
        "kuaishou_after_sales",
        "fyndiq_performance",
        "booking_preferred",
    ]
    yaml_text = "\n".join(
        p.read_text(encoding="utf-8") for p in (PROJECT_DIR / "models").rglob("*.yml")
    )
    for program in programs:
        page = (PROJECT_DIR / "docs" / "rules" / f"{program}.md").read_text(encoding="utf-8")
        assert f"{{% docs rules_{program} %}}" in page
        assert f'doc("rules_{program}")' in yaml_text
