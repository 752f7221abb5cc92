"""One build: dbt (seeds, models, data and unit tests) into the private file, the quality
suites on it, then publication. Any failure stops the chain and leaves the published
warehouse as it was."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import duckdb

from seller_standing.paths import PROJECT_DIR, Paths
from seller_standing.preflight import LandingFileError, check_landing
from seller_standing.publish import publish


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


def dbt_command(args: Sequence[str]) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]


def run_dbt(args: Sequence[str], paths: Paths, out: TextIO = sys.stdout) -> None:
    """Run dbt as a subprocess (it keeps its DuckDB file locked while alive), streaming output."""
    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    paths.temp_dir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        dbt_command(args),
        cwd=PROJECT_DIR,
        env=paths.dbt_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line)
        out.write(line)
        out.flush()
    if process.wait() != 0:
        raise BuildError(f"dbt {args[0]} failed.\n" + _error_digest(lines))


def _error_digest(lines: list[str]) -> str:
    """The part of dbt's output that says what went wrong."""
    for marker in ("Completed with", "Encountered an error", "Compilation Error", "Runtime Error"):
        for index, line in enumerate(lines):
            if marker in line:
                return "".join(lines[index:]).strip()
    return "".join(lines[-20:]).strip()


def failed_nodes(target_dir: Path) -> list[str]:
    """Names of the nodes that errored or failed in dbt's last run."""
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        return []
    results = json.loads(results_file.read_text())
    return [r["unique_id"] for r in results.get("results", []) if r["status"] in ("error", "fail")]


def report_notices(db_path: Path, out: TextIO) -> None:
    """What the build noticed without failing: ignored columns, empty files, unknown codes."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        notes = [r[0] for r in con.execute("select note from landing._load_notes").fetchall()]
        codes = con.execute(
            "select marketplace, event_type, reason_code, row_count "
            "from main_intermediate.int_reason_codes_unrecognised order by all"
        ).fetchall()
    except duckdb.Error:
        return
    finally:
        con.close()
    if not notes and not codes:
        return
    out.write("\nNoticed in the landing data (not errors):\n")
    for note in notes:
        out.write(f"  - {note}\n")
    for marketplace, event_type, code, rows in codes:
        out.write(
            f"  - {marketplace} {event_type} reason code '{code}' ({rows} rows) is not in "
            "seeds/rules/marketplace__reason_codes.csv: counted as not seller fault; add a row "
            "to classify it\n"
        )


def build(
    paths: Paths,
    dbt_vars: dict[str, str] | None = None,
    run_checks: bool = True,
    select: str | None = None,
    out: TextIO = sys.stdout,
) -> Path:
    """Build, check and publish; return the published path. Raises BuildError on failure."""
    if not paths.raw_dir.is_dir():
        raise BuildError(
            f"The landing folder {paths.raw_dir} does not exist. Point SELLER_STANDING_RAW_DIR "
            "at the folder holding one sub-folder per table (sellers/, orders/, ...), or run "
            "`seller-standing generate` to make a synthetic one."
        )
    try:
        check_landing(paths.raw_dir)
    except LandingFileError as error:
        raise BuildError(str(error)) from None
    started = time.monotonic()
    args = ["build"]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    if select:
        args += ["--select", select]
    for stale in (paths.build_db, paths.build_db.with_name(paths.build_db.name + ".wal")):
        stale.unlink(missing_ok=True)
    run_dbt(args, paths, out)
    report_notices(paths.build_db, out)
    if run_checks:
        from seller_standing.quality import run_checks as run_quality_checks

        out.write("\nQuality suites (Great Expectations):\n")
        if not run_quality_checks(paths.build_db, docs_dir=paths.docs_dir, out=out):
            raise BuildError(
                "A quality suite failed (table above): the warehouse was NOT published; "
                f"{paths.published_db} still holds the previous build."
            )
    published = publish(paths.build_db, paths.published_db)
    out.write(
        f"\nPublished {published} after every check passed ({time.monotonic() - started:.0f} s).\n"
    )
    return published
