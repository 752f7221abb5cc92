"""One build: dbt (seeds, models, data and unit tests) into the private file, the quality
suites on it, then publication. Any failure stops the chain and leaves the published
warehouse as it was.

The steps live in their own modules: ``settings`` (checked before any work), ``preflight``
(the landing folder), ``lock`` (one build at a time), ``dbt_run`` (dbt and its log),
``quality`` (the suites), ``publish`` (the atomic swap), ``faults`` (machine faults)."""

from __future__ import annotations

import io
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import duckdb

from seller_standing.dbt_run import dbt_command, run_dbt
from seller_standing.faults import BuildError, machine_error, machine_hint
from seller_standing.lock import BuildLock, LockedError
from seller_standing.paths import Paths
from seller_standing.preflight import LandingFileError, check_landing
from seller_standing.publish import PublishError, publish

__all__ = [
    "BuildError",
    "build",
    "dbt_command",
    "machine_error",
    "report_notices",
    "run_dbt",
]


def report_notices(db_path: Path, out: TextIO, files_noticed: Sequence[str] = ()) -> None:
    """What the build noticed without failing: ignored files and columns, empty files,
    unknown codes."""
    notes: list[str] = list(files_noticed)
    codes: list[tuple] = []
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        notes += [r[0] for r in con.execute("select note from landing._load_notes").fetchall()]
        codes = con.execute(
            "select marketplace, event_type, reason_code, row_count "
            "from intermediate.int_reason_codes_unrecognised order by all"
        ).fetchall()
    except duckdb.Error:
        pass
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
    unit_tests: bool = False,
    full_refresh: bool = False,
) -> Path:
    """Build, check and publish; return the published path. Raises BuildError on failure.

    The private build file is kept between builds: landing files already loaded into it are
    not parsed again (full_refresh starts from an empty file and parses every file). dbt's
    unit tests check the SQL, not the data: they run when asked (`make test`), not in every
    production build. One build at a time per warehouse: a second one stops before touching
    any file."""
    if not paths.raw_dir.is_dir():
        raise BuildError(
            f"The landing folder {paths.raw_dir} does not exist. Point SELLER_STANDING_RAW_DIR "
            "at the folder holding one sub-folder per table (sellers/, orders/, ...), or run "
            "`seller-standing generate` to make a synthetic one."
        )
    try:
        with BuildLock(paths.build_db, paths.published_db) as lock:
            for note in lock.taken_over:
                out.write(f"Note: {note}\n")
            return _build_locked(
                paths, dbt_vars, run_checks, select, verbose, out, unit_tests, full_refresh
            )
    except LockedError as error:
        raise BuildError(str(error)) from None
    except OSError as error:
        raise machine_error(error, paths) from error
    except duckdb.Error as error:
        raise BuildError(
            machine_hint(str(error), paths) + f"DuckDB could not complete the build: {error}"
        ) from error


def _build_locked(
    paths: Paths,
    dbt_vars: dict[str, str] | None,
    run_checks: bool,
    select: str | None,
    verbose: bool,
    out: TextIO,
    unit_tests: bool = False,
    full_refresh: bool = False,
) -> Path:
    notices: list[str] = []
    try:
        notices = check_landing(paths.raw_dir) or []
    except LandingFileError as error:
        raise BuildError(str(error)) from None
    started = time.monotonic()
    args = ["build"]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    if select:
        args += ["--select", select]
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if full_refresh:
        args += ["--full-refresh"]
        for stale in (paths.build_db, paths.build_db.with_name(paths.build_db.name + ".wal")):
            stale.unlink(missing_ok=True)
    paths.log_file.parent.mkdir(parents=True, exist_ok=True)
    paths.log_file.unlink(missing_ok=True)
    out.write(f"Building from {paths.raw_dir} (dbt output: {paths.log_file})\n")
    run_dbt(args, paths, out, verbose=verbose)
    report_notices(paths.build_db, out, notices)
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
    except OSError as error:
        raise machine_error(error, paths) from None
    except (PublishError, duckdb.Error) as error:
        hint = machine_hint(str(error), paths)
        if hint:
            # a full disk or a read-only folder, reported by DuckDB while writing the copy
            raise BuildError(
                hint.replace("dbt's own error follows.\n", "DuckDB's own error: ") + str(error)
            ) from None
        raise BuildError(
            f"Publishing failed: {error}\nThe warehouse was NOT published; "
            f"{paths.published_db} still holds the previous build."
        ) from None
    checks = "every check" if run_checks else "dbt's tests (quality suites skipped)"
    seconds = time.monotonic() - started
    out.write(f"\nPublished {published} after {checks} passed ({seconds:.0f} s).\n")
    return published
