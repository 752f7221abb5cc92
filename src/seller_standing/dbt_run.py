"""Running dbt for a build: a subprocess whose whole output goes to the build log, while
the console gets progress, warnings and errors; a failure becomes one BuildError."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from seller_standing.faults import BuildError, machine_error, machine_hint
from seller_standing.paths import PROJECT_DIR, Paths
from seller_standing.preflight import translate_read_error

_PROGRESS = re.compile(r"\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP)\b")


def _error_digest(lines: list[str]) -> str:
    """The part of dbt's output that says what went wrong."""
    for marker in ("Completed with", "Encountered an error", "Compilation Error", "Runtime Error"):
        for index, line in enumerate(lines):
            if marker in line:
                return "".join(lines[index:]).strip()
    return "".join(lines[-20:]).strip()


class Progress:
    """What of dbt's output a console shows: a line per tenth of the nodes done, every error,
    failure and warning, and the final tally."""

    def __init__(self, label: str) -> None:
        self.label = label  # what the progress lines are of ("dbt build")
        self.total = 0  # the count dbt is at (the hooks', then the nodes')
        self.tenth = -1  # of that count, the last tenth shown

    def line(self, line: str) -> str | None:
        """The text to show for one line of dbt's output, or None."""
        if (progress := _PROGRESS.search(line)) is not None:
            done, total = int(progress[1]), int(progress[2])
            if progress[3] in ("ERROR", "FAIL", "WARN"):
                return "  " + line.split("  ", 1)[-1]
            if total != self.total:
                self.total, self.tenth = total, -1
            if total > 1 and done * 10 // total > self.tenth:
                self.tenth = done * 10 // total
                return f"  {self.label}: {done}/{total} nodes\n"
        elif "Done. PASS=" in line:
            return "  " + line.split("  ", 1)[-1]
        return None


def start_dbt(command: Sequence[str], env: dict[str, str]) -> subprocess.Popen[str]:
    """dbt as a child process in the project folder; its output (stderr too) as lines of text."""
    return subprocess.Popen(
        list(command),
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )


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
    process = start_dbt(dbt_command(args), paths.dbt_env())
    assert process.stdout is not None
    lines: list[str] = []
    progress = Progress(f"dbt {args[0]}")
    with _BuildLog(paths.log_file) as log:
        log.write(f"$ dbt {' '.join(args)}\n")
        for line in process.stdout:
            lines.append(line)
            log.write(line)
            shown = line if verbose else progress.line(line)
            if shown is not None:
                out.write(shown)
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
            machine_hint("".join(lines), paths)
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
            # a line at a time: `tail -f` shows dbt's progress during a long build
            self.handle = open(self.path, "a", encoding="utf-8", buffering=1)
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
