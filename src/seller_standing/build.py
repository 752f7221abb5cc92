"""One build: dbt (seeds, models, data and unit tests) into the private file, the quality
suites on it, then publication. Any failure stops the chain and leaves the published
warehouse as it was."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import duckdb

from seller_standing.lock import BuildLock, LockedError
from seller_standing.paths import PROJECT_DIR, Paths
from seller_standing.preflight import LandingFileError, check_landing, translate_read_error
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
    with _BuildLog(paths.log_file) as log:
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
        where = (
            f"full output in {paths.log_file}"
            if log.error is None
            else f"the build log {paths.log_file} could not be written: {log.error}"
        )
        unreadable = translate_read_error("".join(lines), paths.raw_dir)
        if unreadable is not None:
            raise BuildError(f"{unreadable}\n(dbt {args[0]}: {where})")
        raise BuildError(
            _machine_hint("".join(lines), paths)
            + f"dbt {args[0]} failed ({where}).\n"
            + _error_digest(lines)
        )
    if log.error is not None:
        raise machine_error(log.error, paths)


class _BuildLog:
    """The build log; a write that fails (disk full) stops logging, never dbt's output."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.error: OSError | None = None
        self.handle: TextIO | None = None

    def __enter__(self) -> _BuildLog:
        try:
            self.handle = open(self.path, "a", encoding="utf-8")
        except OSError as error:
            self.error = error
        return self

    def write(self, text: str) -> None:
        if self.handle is None:
            return
        try:
            self.handle.write(text)
        except OSError as error:
            error.filename = error.filename or str(self.path)
            self.error = error
            self._close()

    def _close(self) -> None:
        handle, self.handle = self.handle, None
        if handle is not None:
            try:
                handle.close()
            except OSError as error:
                error.filename = error.filename or str(self.path)
                self.error = self.error or error

    def __exit__(self, *_exc: object) -> None:
        self._close()


# What to do about a machine fault, by errno; {setting} is the setting that moves the path.
_ADVICE = {
    errno.ENOSPC: "The disk is full: free some space there, or point {setting} at a disk with "
    "room (a build needs about three times the size of the landing files).",
    errno.EDQUOT: "Your disk quota is used up: free some space, or point {setting} at another "
    "disk.",
    errno.EROFS: "That folder is on a read-only file system: point {setting} at a folder you "
    "can write to.",
    errno.EACCES: "You may not write there: give your user write permission on that folder, "
    "or point {setting} at a folder you can write to.",
    errno.EPERM: "The file or folder may not be changed (permissions or the immutable "
    "attribute): fix its permissions, or point {setting} at a folder you can write to.",
}

_PHRASES = {
    "No space left on device": errno.ENOSPC,
    "Disk quota exceeded": errno.EDQUOT,
    "Read-only file system": errno.EROFS,
    "Permission denied": errno.EACCES,
    "Operation not permitted": errno.EPERM,
}


def _setting_for(path: Path | None, paths: Paths) -> str:
    """The setting that decides where `path` is."""
    if path is not None:
        candidates = [
            (paths.temp_dir, "SELLER_STANDING_TEMP_DIR"),
            (paths.docs_dir, "SELLER_STANDING_DOCS_DIR"),
            (paths.build_db, "SELLER_STANDING_BUILD_DB"),
            (paths.build_db.parent, "SELLER_STANDING_BUILD_DB"),
            (paths.published_db, "SELLER_STANDING_DB"),
            (paths.published_db.parent, "SELLER_STANDING_DB"),
        ]
        for folder, setting in candidates:
            if path == folder or folder in path.parents:
                return setting
    return "SELLER_STANDING_BUILD_DB / SELLER_STANDING_TEMP_DIR"


def machine_error(error: OSError, paths: Paths) -> BuildError:
    """A file-system failure as one message: path, errno in words, what to do."""
    # a copy names its source first and the file it was writing second
    target = error.filename2 or error.filename
    path = Path(target) if target else None
    name = errno.errorcode.get(error.errno or 0, "unknown error")
    words = error.strerror or os.strerror(error.errno or 0)
    advice = _ADVICE.get(error.errno or 0, "Check that the folder exists and can be written.")
    return BuildError(
        f"Could not write {path or 'a build file'}: {words} ({name}).\n"
        + advice.format(setting=_setting_for(path, paths))
        + f"\nThe published warehouse {paths.published_db} was not changed by this build."
    )


def _machine_hint(output: str, paths: Paths) -> str:
    """A line on top of dbt's own error when a machine fault caused it."""
    for phrase, code in _PHRASES.items():
        if phrase in output:
            match = re.search(r'["\']?(/[^"\'\s:]+)["\']?[^\n]*' + re.escape(phrase), output)
            path = Path(match[1]) if match else None
            return (
                f"Could not write {path or 'a build file'}: {phrase} "
                f"({errno.errorcode[code]}).\n"
                + _ADVICE[code].format(setting=_setting_for(path, paths))
                + f"\nThe published warehouse {paths.published_db} was not changed.\n"
                "dbt's own error follows.\n"
            )
    return ""


_PROGRESS = re.compile(r"\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP)\b")


def _error_digest(lines: list[str]) -> str:
    """The part of dbt's output that says what went wrong."""
    for marker in ("Completed with", "Encountered an error", "Compilation Error", "Runtime Error"):
        for index, line in enumerate(lines):
            if marker in line:
                return "".join(lines[index:]).strip()
    return "".join(lines[-20:]).strip()


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
            _machine_hint(str(error), paths) + f"DuckDB could not complete the build: {error}"
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
    except (PublishError, duckdb.Error, OSError) as error:
        raise BuildError(
            f"Publishing failed: {error}\nThe warehouse was NOT published; "
            f"{paths.published_db} still holds the previous build."
        ) from None
    out.write(
        f"\nPublished {published} after every check passed ({time.monotonic() - started:.0f} s).\n"
    )
    return published
