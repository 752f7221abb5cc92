"""The landing contract page, written from the one place the contract is defined.

`models/staging/landing/_landing__sources.yml` holds every landing table, its columns and
their meta (type, required, allowed values, range, key, references). `docs/contract.md` is
rendered from it; a test fails when the two disagree.

    python -m seller_standing.contract          # rewrite docs/contract.md
    python -m seller_standing.contract --check  # exit 1 when docs/contract.md is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from seller_standing.paths import PROJECT_DIR
from seller_standing.project import resolve_meta

SOURCES_YML = Path("models/staging/landing/_landing__sources.yml")
CONTRACT_MD = Path("docs/contract.md")

INTRO = """\
# The landing contract

What a marketplace export must look like to land in seller_standing. This page is written
from the source definition `{sources}` (the one place the contract is defined) by
`python -m seller_standing.contract`; a test fails when the two disagree, so edit the YAML
and re-run the command instead of editing this page.

## Files

- One folder per table under the landing folder (`SELLER_STANDING_RAW_DIR`, default
  `data/raw`), holding any number of CSV files (`.csv`, or compressed `.csv.gz` /
  `.csv.zst`: UTF-8, header row, comma-separated, RFC 4180 quoting, an empty field is null)
  or Parquet files (`.parquet`). Other data files (spreadsheets, JSON, archives) stop the
  build with a message; hidden and operating-system files are listed and ignored.
- A table without files is empty, except the ones marked *files required* below.
- Timestamps are ISO 8601: an offset after the time (`+08:00`, `+0800`, `+08`, `Z`, ` UTC`)
  is honoured; without one the time is the local time of the seller's marketplace (a date
  alone, `2025-01-05`, is its local midnight; `2025-01-05Z` is quarantined). Dates are `YYYY-MM-DD`
  (also `2025/01/05`); a year is 1900 to 2999; words (`infinity`, `epoch`, `today`), a signed
  or five-digit year, `AM`/`PM` or a zone name after the time are not dates and the row is
  quarantined. Booleans `true` / `false`; money a decimal in the order's `currency`, in ASCII
  digits (`1_000.50` is 1000.50; `NaN`, `Infinity`, `0x1F` are not numbers); keys are strings.
  Spaces around a value (also no-break and other Unicode spaces) are dropped.
- The same key arriving twice (a re-export) keeps the row with the latest `_exported_at`
  when the table has that column, else the one in the last file by name; the other copy is
  quarantined as superseded.
- A row that breaks the contract is never dropped in silence: it is quarantined with its
  file, row, original values and reason (`marts.fct_quarantined_rows`).
"""


def landing_tables(project_dir: Path = PROJECT_DIR) -> list[dict[str, Any]]:
    """The landing tables as the source YAML declares them, in its order."""
    with (project_dir / SOURCES_YML).open(encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    [source] = [s for s in document["sources"] if s["name"] == "landing"]
    return source["tables"]


def node_meta(node: dict[str, Any], project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The ``config.meta`` of a table or column node (empty when absent), with
    ``values_from_var`` resolved from the project's vars."""
    return resolve_meta((node.get("config") or {}).get("meta") or {}, project_dir)


def _allowed(meta: dict[str, Any]) -> str:
    parts = []
    if "values" in meta:
        parts.append(", ".join(f"`{v}`" for v in meta["values"]))
    if "min" in meta and "max" in meta:
        parts.append(f"{meta['min']} to {meta['max']}")
    elif "min" in meta:
        parts.append(f"at least {meta['min']}")
    elif "max" in meta:
        parts.append(f"at most {meta['max']}")
    if meta.get("timezone"):
        parts.append("an IANA time zone name")
    return "; ".join(parts)


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table_section(table: dict[str, Any]) -> list[str]:
    meta = node_meta(table)
    key = ", ".join(["marketplace", *meta.get("key", [])])
    lines = [f"### `{table['name']}`", "", _cell(table.get("description", "")), ""]
    facts = [f"key ({key})"]
    if meta.get("files_required"):
        facts.append("files required")
    for ref in meta.get("references", []):
        cols = ", ".join(ref["columns"])
        facts.append(f"({cols}) must be a staged row of `{ref['table']}`")
    for check in meta.get("row_checks", []):
        facts.append(f"rejected when {check['reason']}")
    lines += ["- " + fact for fact in facts] + [""]
    lines += [
        "| column | type | required | allowed | meaning |",
        "|---|---|---|---|---|",
    ]
    for column in table["columns"]:
        cmeta = node_meta(column)
        meaning = _cell(column.get("description", ""))
        if cmeta.get("pii") and "personal data" not in meaning.lower():
            meaning += " Personal data: never published."
        lines.append(
            f"| `{column['name']}` | {cmeta.get('type', '')} | "
            f"{'yes' if cmeta.get('required') else 'no'} | {_allowed(cmeta)} | {meaning} |"
        )
    return lines + [""]


def render(project_dir: Path = PROJECT_DIR) -> str:
    """The contract page as markdown."""
    tables = landing_tables(project_dir)
    lines = [INTRO.format(sources=SOURCES_YML.as_posix()), "## Tables", ""]
    lines += ["| table | key | files required |", "|---|---|---|"]
    for table in tables:
        meta = node_meta(table)
        key = ", ".join(["marketplace", *meta.get("key", [])])
        required = "yes" if meta.get("files_required") else "no"
        lines.append(f"| [`{table['name']}`](#{table['name']}) | {key} | {required} |")
    lines.append("")
    for table in tables:
        lines += _table_section(table)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/contract.md from the source YAML.")
    parser.add_argument("--check", action="store_true", help="only report whether it is stale")
    args = parser.parse_args(argv)
    page = PROJECT_DIR / CONTRACT_MD
    expected = render()
    if args.check:
        current = page.read_text(encoding="utf-8") if page.exists() else ""
        if current != expected:
            print(f"{CONTRACT_MD} is stale: run `python -m seller_standing.contract`.")
            return 1
        print(f"{CONTRACT_MD} matches {SOURCES_YML}.")
        return 0
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(expected, encoding="utf-8")
    print(f"Wrote {CONTRACT_MD} from {SOURCES_YML}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
