"""Every setting is checked before any work starts.

A bad value stops the command at once with one line: the setting, the value it has, and what
is accepted. Nothing is deleted, built or published before these checks pass.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from seller_standing.paths import Paths

PREFIX = "SELLER_STANDING_"

# DuckDB's memory limit when SELLER_STANDING_MEMORY_LIMIT is not set (also the default in
# profiles.yml). With dbt's own Python on top, a build at 10 M orders peaks at about 3.3 GB
# (4.2 GB with a 4GB limit, in the same time: DuckDB spills to SELLER_STANDING_TEMP_DIR).
DEFAULT_MEMORY_LIMIT = "3GB"

# Settings read from the environment, and what each accepts (for the messages).
KNOWN = {
    "SELLER_STANDING_RAW_DIR": "an existing folder holding one sub-folder per landing table",
    "SELLER_STANDING_DB": "a file path (not a folder)",
    "SELLER_STANDING_BUILD_DB": "a file path (not a folder), other than SELLER_STANDING_DB",
    "SELLER_STANDING_TEMP_DIR": "a folder path (not a file)",
    "SELLER_STANDING_DOCS_DIR": "a folder path (not a file)",
    "SELLER_STANDING_THREADS": "a whole number from 1 to 256",
    "SELLER_STANDING_MEMORY_LIMIT": (
        "a size with its unit, like 4GB, 512MB or 2GiB (units B, KB, MB, GB, TB, KiB, MiB, "
        "GiB, TiB)"
    ),
    "SELLER_STANDING_TARGET": "a dbt target of profiles.yml that builds (not 'published')",
    "SELLER_STANDING_TEST_BUILD": "the CI build folder the tests reuse (make test sets it)",
    "SELLER_STANDING_PROJECT_DIR": "an existing folder holding dbt_project.yml",
    # The Spark target (docs/spark.md).
    "SELLER_STANDING_SPARK_DIR": "a folder path (not a file) for the Spark metastore and tables",
    "SELLER_STANDING_SPARK_MASTER": "a Spark master URL, like local[2] or spark://host:7077",
    "SELLER_STANDING_SPARK_DRIVER_MEMORY": "a JVM memory size, like 2g or 4096m",
    "SELLER_STANDING_SPARK_SHUFFLE_PARTITIONS": "a whole number from 1 to 100000",
}

_MEMORY = re.compile(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class SettingError(Exception):
    """A setting has a value the command cannot use; the message names it."""


def _bad(name: str, value: str, accepted: str) -> SettingError:
    return SettingError(f"Setting {name}={value!r} is not valid: it must be {accepted}.")


def check_evaluation_date(value: str | None) -> None:
    """--evaluation-date is a real calendar day written YYYY-MM-DD."""
    if value is None:
        return
    accepted = "a date written YYYY-MM-DD, like 2026-11-01"
    if not _DATE.fullmatch(value):
        raise _bad("--evaluation-date", value, accepted)
    try:
        dt.date.fromisoformat(value)
    except ValueError as error:
        raise SettingError(
            f"Setting --evaluation-date={value!r} is not valid: {error}; it must be {accepted}."
        ) from None


def check_environment(env: Mapping[str, str] | None = None, engine: str | None = None) -> list[str]:
    """Check every SELLER_STANDING_* value that is set; return notes on unknown names.

    ``engine`` ('duckdb' or 'spark') is the engine of the command that asks: a target of
    another engine is refused with the command that builds on it."""
    env = os.environ if env is None else env
    notes = []
    for name in sorted(k for k in env if k.startswith(PREFIX)):
        value = env[name]
        if name not in KNOWN:
            notes.append(
                f"environment variable {name} is not a setting of seller-standing; ignored "
                f"(settings: {', '.join(sorted(KNOWN))})"
            )
            continue
        if value == "":
            continue  # empty means the default
        if name == "SELLER_STANDING_THREADS":
            if not value.strip().isdigit() or not 1 <= int(value) <= 256:
                raise _bad(name, value, KNOWN[name])
        elif name == "SELLER_STANDING_MEMORY_LIMIT":
            if not _MEMORY.fullmatch(value):
                raise _bad(name, value, KNOWN[name])
        elif name == "SELLER_STANDING_TARGET":
            targets = _build_targets()
            if value not in targets:
                accepted = f"one of {', '.join(targets)} (the targets of profiles.yml)"
                raise _bad(name, value, accepted)
            if engine is not None and targets[value] != engine:
                raise SettingError(_other_engine(value, targets[value], engine))
        elif name == "SELLER_STANDING_PROJECT_DIR":
            if not (Path(value) / "dbt_project.yml").is_file():
                raise _bad(name, value, KNOWN[name])
    return notes


def _build_targets() -> dict[str, str]:
    """{target: engine} of the dbt targets of profiles.yml a build may use: every one but the
    read-only `published` target (the semantic layer's view of the published file)."""
    from seller_standing.paths import PROJECT_DIR

    try:
        with (PROJECT_DIR / "profiles.yml").open(encoding="utf-8") as handle:
            outputs = next(iter(yaml.safe_load(handle).values()))["outputs"]
        return {
            name: str(output.get("type", "duckdb"))
            for name, output in outputs.items()
            if name != "published"
        }
    except (OSError, yaml.YAMLError, KeyError, StopIteration, AttributeError):
        return {"dev": "duckdb", "ci": "duckdb"}


def _other_engine(target: str, its_engine: str, engine: str) -> str:
    if its_engine == "spark":
        return (
            f"Setting SELLER_STANDING_TARGET={target!r} is a Spark target; seller-standing "
            "builds on DuckDB. Build on Spark with `make spark-venv`, then "
            "`.venv-spark/bin/python -m seller_standing.spark build` (docs/spark.md), or unset "
            "SELLER_STANDING_TARGET to build on DuckDB."
        )
    return (
        f"Setting SELLER_STANDING_TARGET={target!r} is a {its_engine} target; this command "
        f"builds on {engine}. Unset SELLER_STANDING_TARGET, or use `seller-standing build` "
        "for a DuckDB target."
    )


def _as_file(name: str, path: Path) -> None:
    if path.is_dir():
        raise SettingError(
            f"Setting {name}={str(path)!r} is not valid: it is a folder; it must be "
            f"{KNOWN[name]}, like {path / 'seller_standing.duckdb'}."
        )
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise SettingError(
                    f"Setting {name}={str(path)!r} is not valid: {parent} is a file, not a "
                    f"folder; it must be {KNOWN[name]} in a folder."
                )
            break


def _as_folder(name: str, path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise SettingError(
            f"Setting {name}={str(path)!r} is not valid: it is a file; it must be {KNOWN[name]}."
        )


def check_paths(paths: Paths, need_raw_dir: bool = False) -> None:
    """The paths a command will use can be what they are meant to be."""
    if need_raw_dir and not paths.raw_dir.is_dir():
        raise SettingError(
            f"Setting SELLER_STANDING_RAW_DIR={str(paths.raw_dir)!r} is not valid: "
            + ("it is a file" if paths.raw_dir.exists() else "that folder does not exist")
            + "; it must be the folder holding one sub-folder per table (sellers/, orders/, "
            "...). Point SELLER_STANDING_RAW_DIR at your exports, or run `seller-standing "
            "generate` to make a synthetic landing set."
        )
    _as_file("SELLER_STANDING_DB", paths.published_db)
    _as_file("SELLER_STANDING_BUILD_DB", paths.build_db)
    if paths.build_db.resolve() == paths.published_db.resolve():
        raise SettingError(
            f"Setting SELLER_STANDING_BUILD_DB={str(paths.build_db)!r} is not valid: it is the "
            "published warehouse (SELLER_STANDING_DB); it must be another file, or unset "
            "(default: the published path + '.building')."
        )
    _as_folder("SELLER_STANDING_TEMP_DIR", paths.temp_dir)
    _as_folder("SELLER_STANDING_DOCS_DIR", paths.docs_dir)
