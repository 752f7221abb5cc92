"""One build: dbt (seeds, models, data and unit tests) into the private file, the quality
suites on it, then publication. Any failure stops the chain and leaves the published
warehouse as it was."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import duckdb

from seller_standing.paths import PROJECT_DIR, Paths
from seller_standing.preflight import LandingFileError, check_landing
from seller_standing.publish import PublishError, publish


class BuildError(Exception):
    """A build step failed; the message says which and what to do."""


def dbt_command(args: Sequence[str]) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]


def run_dbt(
    args: Sequence[str], paths: Paths, out: TextIO = sys.stdout, verbose: bool = False
) -> None:
    """Run dbt as a subprocess (it keeps its DuckDB file locked while alive).

    Its whole output goes to the build log; the console gets progress, warnings and errors
    (everything with verbose)."""
    paths.build_db.parent.mkdir(parents=True, exist_ok=True)
    paths.temp_dir.mkdir(parents=True, exist_ok=True)
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
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
    shown = (-1, 0)
    with open(paths.log_file, "a", encoding="utf-8") as log:
        log.write(f"$ dbt {' '.join(args)}\n")
        for line in process.stdout:
            lines.append(line)
            log.write(line)
            if verbose:
                out.write(line)
            elif (progress := _PROGRESS.search(line)) is not None:
                done, total = int(progress[1]), int(progress[2])
                if progress[3] in ("ERROR", "FAIL", "WARN"):
                    out.write("  " + line.split("  ", 1)[-1])
                elif total > 1 and (done * 10 // total, total) > shown:
                    shown = (done * 10 // total, total)
                    out.write(f"  dbt {args[0]}: {done}/{total} nodes\n")
            elif "Done. PASS=" in line:
                out.write("  " + line.split("  ", 1)[-1])
            out.flush()
    if process.wait() != 0:
        raise BuildError(
            f"dbt {args[0]} failed (full output: {paths.log_file}).\n" + _error_digest(lines)
        )


_PROGRESS = re.compile(r"\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP)\b")


def _error_digest(lines: list[str]) -> str:
    """The part of dbt's output that says what went wrong."""
    for marker in ("Completed with", "Encountered an error", "Compilation Error", "Runtime Error"):
        for index, line in enumerate(lines):
            if marker in line:
                return "".join(lines[index:]).strip()
    return "".join(lines[-20:]).strip()


def report_notices(db_path: Path, out: TextIO) -> None:
    """What the build noticed without failing: ignored columns, empty files, unknown codes."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        notes = [r[0] for r in con.execute("select note from landing._load_notes").fetchall()]
        codes = con.execute(
            "select marketplace, event_type, reason_code, row_count "
            "from intermediate.int_reason_codes_unrecognised order by all"
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
    verbose: bool = False,
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
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
    paths.log_file.unlink(missing_ok=True)
    out.write(f"Building from {paths.raw_dir} (dbt output: {paths.log_file})\n")
    run_dbt(args, paths, out, verbose=verbose)
    report_notices(paths.build_db, out)
    if run_checks:
        from seller_standing.quality import run_checks as run_quality_checks

        out.write("\nQuality suites (Great Expectations):\n")
        report = io.StringIO()
        passed = run_quality_checks(paths.build_db, docs_dir=paths.docs_dir, out=report)
        with open(paths.log_file, "a", encoding="utf-8") as log:
            log.write(report.getvalue())
        shown = report.getvalue().splitlines()
        if not verbose:
            shown = [ln for ln in shown if re.search(r"\b(FAIL|WARN|ERROR)\b", ln)] + shown[-3:]
        out.write("\n".join(f"  {ln}" for ln in shown) + "\n")
        if not passed:
            raise BuildError(
                "A quality suite failed (table above): the warehouse was NOT published; "
                f"{paths.published_db} still holds the previous build."
            )
    try:
        published = publish(paths.build_db, paths.published_db)
    except (PublishError, duckdb.Error, OSError) as error:
        raise BuildError(
            f"Publishing failed: {error}\nThe warehouse was NOT published; "
            f"{paths.published_db} still holds the previous build."
        ) from None
    out.write(
        f"\nPublished {published} after every check passed ({time.monotonic() - started:.0f} s).\n"
    )
    return published
