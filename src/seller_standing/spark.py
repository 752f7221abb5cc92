"""Build the warehouse on Spark (dbt-spark, session method): `python -m seller_standing.spark`.

What the DuckDB build does before dbt happens here too: every setting is checked, the landing
folder is looked at file by file (files the build cannot read stop it, CSV files must be
UTF-8), and every CSV file's quoting and field counts are checked in Python, because Spark's
CSV reader would silently pad or cut such a line where DuckDB's stops. Then `dbt build
--target spark`. Not on Spark: the Great Expectations suites and the publish step (Spark's
tables are the warehouse; see docs/spark.md).

One Spark build at a time per SELLER_STANDING_SPARK_DIR (its metastore is an embedded Derby
database): a second one stops at once.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from seller_standing.dbt_run import Progress, start_dbt
from seller_standing.lock import BuildLock, LockedError
from seller_standing.paths import PROJECT_DIR
from seller_standing.preflight import LandingFileError, check_landing, describe_csv_problem
from seller_standing.settings import SettingError, check_environment, check_evaluation_date


def spark_dir() -> Path:
    """The folder holding the Spark metastore and warehouse (SELLER_STANDING_SPARK_DIR)."""
    value = os.environ.get("SELLER_STANDING_SPARK_DIR") or str(PROJECT_DIR / "build" / "spark")
    path = Path(value)
    return path if path.is_absolute() else Path.cwd() / path


def raw_dir() -> Path:
    value = os.environ.get("SELLER_STANDING_RAW_DIR") or str(PROJECT_DIR / "data" / "raw")
    path = Path(value)
    return path if path.is_absolute() else Path.cwd() / path


def check_csv_files(root: Path) -> None:
    """Stop on a CSV line Spark would read differently from the contract (short or long
    lines, an unterminated quote): the same message the DuckDB build gives."""
    for path in sorted(root.glob("*/*")):
        name = path.name.lower()
        if path.is_file() and not name.startswith(".") and name.endswith((".csv", ".csv.gz")):
            problem = describe_csv_problem(path, path.relative_to(root).as_posix())
            if problem is not None:
                raise LandingFileError(problem)


def dbt_env(state: Path, landing: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SELLER_STANDING_TARGET="spark",
        SELLER_STANDING_SPARK_DIR=str(state),
        SELLER_STANDING_RAW_DIR=str(landing),
        SPARK_LOCAL_IP=env.get("SPARK_LOCAL_IP", "127.0.0.1"),
        DBT_TARGET_PATH=env.get("DBT_TARGET_PATH", str(state / "target")),
        DBT_LOG_PATH=env.get("DBT_LOG_PATH", str(state / "logs")),
    )
    return env


def run(  # noqa: ANN001
    dbt_args: list[str], evaluation_date: str | None, out=sys.stdout, log: Path | None = None
) -> int:
    """Check, then run dbt on Spark; return its exit code (1 with a message on a user error).

    log: write dbt's output (Spark's own warnings included) to this file; `out` then gets only
    its progress, failures and tally, and its last lines when dbt fails."""
    try:
        check_evaluation_date(evaluation_date)
        for note in check_environment():
            out.write(f"Note: {note}\n")
        landing = raw_dir()
        if not landing.is_dir():
            raise SettingError(
                f"SELLER_STANDING_RAW_DIR={landing}: the landing folder does not exist. Point it "
                "at the folder holding one sub-folder per table (sellers/, orders/, ...)."
            )
        for note in check_landing(landing):
            out.write(f"Noticed: {note}\n")
        check_csv_files(landing)
    except (SettingError, LandingFileError) as error:
        out.write(f"\nBUILD FAILED\n{error}\n")
        return 1
    state = spark_dir()
    try:
        state.mkdir(parents=True, exist_ok=True)
        lock = BuildLock(state / "metastore")
    except OSError as error:
        out.write(
            f"\nBUILD FAILED\nCould not create {state}: {error.strerror}. "
            "Point SELLER_STANDING_SPARK_DIR at a folder you can write to.\n"
        )
        return 1
    args = list(dbt_args)
    if evaluation_date:
        args += ["--vars", json.dumps({"evaluation_date": evaluation_date})]
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
    ]
    out.write(f"Spark state in {state}; landing files from {landing}\n")
    out.write(
        "Not on Spark: the Great Expectations suites and publish (the Spark tables are "
        "the warehouse).\n"
    )
    out.flush()
    started = time.monotonic()
    try:
        with lock:
            if log is None:
                code = subprocess.call(command, cwd=PROJECT_DIR, env=dbt_env(state, landing))
            else:
                code = _logged(command, dbt_env(state, landing), log, out, dbt_args[0])
    except LockedError as error:
        out.write(f"\nBUILD FAILED\n{error}\n")
        return 1
    if log is not None and code != 0:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
        out.write(f"The last lines of {log}:\n" + "\n".join(lines[-60:]) + "\n")
    out.write(
        f"dbt {' '.join(dbt_args)} on Spark: exit {code} in {time.monotonic() - started:.0f} s\n"
    )
    return code


def _logged(command: list[str], env: dict[str, str], log: Path, out, name: str) -> int:  # noqa: ANN001
    """Run dbt with its output going to `log`; `out` gets its progress, errors and tally."""
    progress = Progress(f"dbt {name}")
    with open(log, "w", encoding="utf-8") as handle:
        process = start_dbt(command, env)
        assert process.stdout is not None
        for line in process.stdout:
            handle.write(line)
            shown = progress.line(line)
            if shown is not None:
                out.write(shown)
                out.flush()
        return process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluation-date", help="YYYY-MM-DD; periods ending before it count")
    parser.add_argument(
        "dbt_args", nargs="*", default=["build"], help="dbt command (default build)"
    )
    args = parser.parse_args(argv)
    return run(args.dbt_args or ["build"], args.evaluation_date)


if __name__ == "__main__":
    sys.exit(main())
