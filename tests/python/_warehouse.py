"""Helpers for tests that build a real warehouse: a small landing set, the CLI as users run it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).with_name("seller-standing"))
EVALUATION_DATE = "2026-11-01"
# A folder of this test process where builds reach their workspace by one path (conftest.py).
STAGE_ENV = "TEST_SELLER_STANDING_STAGE"  # not SELLER_STANDING_*: the CLI would note it as unknown


@dataclass
class Workspace:
    """One test's landing folder and warehouse files, all under tmp_path."""

    root: Path
    # Build through the stage (see build); off where a test checks the paths a message names.
    staged: bool = True

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def published(self) -> Path:
        return self.root / "warehouse" / "seller_standing.duckdb"

    @property
    def build_db(self) -> Path:
        return self.root / "warehouse" / "seller_standing.duckdb.building"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    def env(self, root: Path | None = None) -> dict[str, str]:
        """The settings of a build in this workspace (`root`: the same folder by another path)."""
        moved = Workspace(root) if root is not None else self
        env = dict(os.environ)
        env.update(
            SELLER_STANDING_RAW_DIR=str(moved.raw),
            SELLER_STANDING_DB=str(moved.published),
            SELLER_STANDING_BUILD_DB=str(moved.build_db),
            SELLER_STANDING_TEMP_DIR=str(moved.root / "tmp"),
            SELLER_STANDING_DOCS_DIR=str(moved.docs_dir),
            DBT_TARGET_PATH=str(moved.root / "target"),
            DBT_LOG_PATH=str(moved.root / "logs"),
        )
        return env

    def build(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`seller-standing build` as a user runs it; output captured.

        As a user's builds do, the builds of one test process reuse dbt's parse of the project
        (see `via_stage`)."""
        with self.via_stage() as root:
            return self._run_build(self.env(root), args)

    @contextmanager
    def via_stage(self) -> Iterator[Path]:
        """The path by which a dbt run reaches this workspace (its root, or the stage).

        dbt re-parses everything when a path in its profile changes, so each run of one test
        process reaches its workspace through the same path, a symlink (the `stage`) pointing at
        it, and starts from the previous run's partial_parse.msgpack."""
        link = self._point_stage()
        if link is None:
            yield self.root
            return
        parsed = link.parent / "partial_parse.msgpack"
        target = self.root / "target" / "partial_parse.msgpack"
        if parsed.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(parsed, target)
        try:
            yield link
        finally:
            if target.exists():
                shutil.copyfile(target, parsed)

    def _point_stage(self) -> Path | None:
        """Point the stage at this workspace; its path, or None when builds are not staged."""
        stage = os.environ.get(STAGE_ENV)
        if not stage or not self.staged:
            return None
        link = Path(stage) / "workspace"
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink():
            link.unlink()
        link.symlink_to(self.root, target_is_directory=True)
        return link

    def _run_build(self, env: dict[str, str], args: tuple[str, ...]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [CLI, "build", "--evaluation-date", EVALUATION_DATE, *args],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def query(self, sql: str, db: Path | None = None) -> list[tuple]:
        self._point_stage()  # the build file's landing views read the files by the stage path
        con = duckdb.connect(str(db or self.published), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def write(self, table: str, name: str, text: str | bytes) -> Path:
        path = self.raw / table / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path


class CiBuild(Workspace):
    """The build `make dbt-test` made (build/ci): same files, the Makefile's names."""

    @property
    def published(self) -> Path:
        return self.root / "published.duckdb"

    @property
    def build_db(self) -> Path:
        return self.root / "seller_standing.duckdb"

    @property
    def docs_dir(self) -> Path:
        return self.root / "data_docs"


def from_test_build(ws: Workspace) -> bool:
    """Fill `ws` with a copy of the build `make test` passes in SELLER_STANDING_TEST_BUILD (its
    landing files, build file and published file), as if built there; False when there is none.
    The next build in `ws` loads the files anew (they moved) and replaces the published file."""
    made = os.environ.get("SELLER_STANDING_TEST_BUILD")
    if not made:
        return False
    source = CiBuild(Path(made))
    shutil.copytree(source.raw, ws.raw)
    ws.published.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.published, ws.published)
    shutil.copyfile(source.build_db, ws.build_db)
    return True


def small_landing(target: Path, cache: Path) -> None:
    """A copy of a small deterministic landing set (generated once per session into cache)."""
    if not cache.exists():
        from seller_standing.generate import generate

        generate(cache, sellers=5, months=3, seed=11)
    shutil.copytree(cache, target)


def output_of(result: subprocess.CompletedProcess[str]) -> str:
    return result.stdout + result.stderr


# Reader clients in a venv of their own (`make clients`; tests/clients/requirements-duckdb1.txt).
DUCKDB1_VENV = PROJECT_DIR / "build" / "duckdb1-venv"
CHROMIUM = Path("/usr/bin/chromium")


def duckdb1_python() -> Path:
    python = DUCKDB1_VENV / "bin" / "python"
    if not python.exists():
        raise AssertionError(f"No DuckDB 1.x client at {python}: run `make clients` first.")
    return python


def chromium() -> Path:
    if not CHROMIUM.exists():
        raise AssertionError("No headless Chromium at /usr/bin/chromium: run `make clients`.")
    return CHROMIUM
