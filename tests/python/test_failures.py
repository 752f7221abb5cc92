"""A user's mistake or a machine fault ends in one message, never a traceback, and the
previously published warehouse stays byte-identical: bad settings, a second build of the same
warehouse, a full disk (while building and while publishing), a read-only folder.

Disk full and read-only folders are real: a small tmpfs mounted for the test (skipped, with
the reason, where mounting is not allowed). Mounts are always removed.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from _warehouse import Workspace, output_of

from seller_standing import cli
from seller_standing.build import BuildError, build, machine_error
from seller_standing.lock import BuildLock, lock_path
from seller_standing.paths import Paths
from seller_standing.settings import check_environment

PREVIOUS = b"the previously published warehouse\n"


def _workspace(tmp_path: Path) -> Workspace:
    """A workspace whose published file holds known bytes; the landing folder exists."""
    ws = Workspace(tmp_path, staged=False)  # messages name the real paths
    ws.raw.mkdir(parents=True)
    ws.published.parent.mkdir(parents=True, exist_ok=True)
    ws.published.write_bytes(PREVIOUS)
    return ws


def _failed(result: subprocess.CompletedProcess[str]) -> str:
    output = output_of(result)
    assert result.returncode == 1, output[-3000:]
    assert "FAILED" in output
    assert "Traceback" not in output
    return output


# --- settings: checked before any work, one line each ---------------------------------------


@pytest.mark.parametrize(
    ("env", "args", "line"),
    [
        (
            {},
            ["--evaluation-date", "2025-13-01"],
            "Setting --evaluation-date='2025-13-01' is not valid: month must be in 1..12; it "
            "must be a date written YYYY-MM-DD, like 2026-11-01.",
        ),
        (
            {},
            ["--evaluation-date", "1.11.2026"],
            "Setting --evaluation-date='1.11.2026' is not valid: it must be a date written "
            "YYYY-MM-DD, like 2026-11-01.",
        ),
        (
            {"SELLER_STANDING_MEMORY_LIMIT": "4"},
            [],
            "Setting SELLER_STANDING_MEMORY_LIMIT='4' is not valid: it must be a size with its "
            "unit, like 4GB, 512MB or 2GiB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB).",
        ),
        (
            {"SELLER_STANDING_THREADS": "0"},
            [],
            "Setting SELLER_STANDING_THREADS='0' is not valid: it must be a whole number from 1 "
            "to 256.",
        ),
        (
            {"SELLER_STANDING_THREADS": "two"},
            [],
            "Setting SELLER_STANDING_THREADS='two' is not valid: it must be a whole number from "
            "1 to 256.",
        ),
        (
            {"SELLER_STANDING_TARGET": "prod"},
            [],
            "Setting SELLER_STANDING_TARGET='prod' is not valid: it must be one of dev, ci, "
            "spark (the targets of profiles.yml).",
        ),
        (
            {"SELLER_STANDING_TARGET": "spark"},
            [],
            "Setting SELLER_STANDING_TARGET='spark' is a Spark target; seller-standing builds on "
            "DuckDB. Build on Spark with `make spark-venv`, then "
            "`.venv-spark/bin/python -m seller_standing.spark build` (docs/spark.md), or unset "
            "SELLER_STANDING_TARGET to build on DuckDB.",
        ),
    ],
)
def test_bad_setting_stops_before_any_work(
    tmp_path: Path, env: dict[str, str], args: list[str], line: str
) -> None:
    ws = _workspace(tmp_path)
    result = subprocess.run(
        [cli_path(), "build", "--evaluation-date", "2026-11-01", *args],
        env={**ws.env(), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = _failed(result)
    assert f"BUILD FAILED\n{line}\nNothing was built or changed." in output
    assert ws.published.read_bytes() == PREVIOUS
    assert sorted(p.name for p in ws.published.parent.iterdir()) == [ws.published.name]


def test_bad_paths_are_named(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    folder = tmp_path / "a_folder"
    folder.mkdir()
    missing = tmp_path / "no_such_exports"
    cases = {
        "SELLER_STANDING_DB": (
            str(folder),
            f"Setting SELLER_STANDING_DB='{folder}' is not valid: it is a folder; it must be a "
            f"file path (not a folder), like {folder}/seller_standing.duckdb.",
        ),
        "SELLER_STANDING_RAW_DIR": (
            str(missing),
            f"Setting SELLER_STANDING_RAW_DIR='{missing}' is not valid: that folder does not "
            "exist; it must be the folder holding one sub-folder per table",
        ),
        "SELLER_STANDING_BUILD_DB": (
            str(ws.published),
            f"Setting SELLER_STANDING_BUILD_DB='{ws.published}' is not valid: it is the "
            "published warehouse (SELLER_STANDING_DB)",
        ),
    }
    for name, (value, line) in cases.items():
        result = subprocess.run(
            [cli_path(), "build"],
            env={**ws.env(), name: value},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert line in _failed(result), name
        assert ws.published.read_bytes() == PREVIOUS


def test_unknown_setting_name_is_noted() -> None:
    notes = check_environment({"SELLER_STANDING_RAWDIR": "/x", "SELLER_STANDING_THREADS": "2"})
    assert len(notes) == 1
    assert notes[0].startswith(
        "environment variable SELLER_STANDING_RAWDIR is not a setting of seller-standing; ignored"
    )


def cli_path() -> str:
    return str(Path(sys.executable).with_name("seller-standing"))


# --- one build at a time per warehouse --------------------------------------------------------

HOLDER = """
import sys
from pathlib import Path
from seller_standing.lock import BuildLock
with BuildLock(Path(sys.argv[1]), Path(sys.argv[2])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_second_build_stops_at_once_and_touches_nothing(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    ws.build_db.write_bytes(b"the running build's file\n")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(ws.build_db), str(ws.published)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        held = lock_path(ws.build_db).read_text()
        output = _failed(ws.build())
        assert f"another build of this warehouse is running (pid {holder.pid}, started at " in (
            output
        )
        assert "Wait for it to finish, then build again. Nothing was changed." in output
        assert ws.build_db.read_bytes() == b"the running build's file\n"
        assert ws.published.read_bytes() == PREVIOUS
        assert lock_path(ws.build_db).read_text() == held
        assert not (ws.build_db.parent / "logs").exists()
    finally:
        holder.communicate("", timeout=30)
    assert not lock_path(ws.build_db).exists(), "the holder removes its lock when done"


def _fake_dbt(args: list[str], paths: Paths, _out: object, verbose: bool = False) -> None:
    """dbt stand-in: a build file of a few MB (hashes do not compress), with a mart to publish."""
    con = duckdb.connect(str(paths.build_db))
    con.execute("create schema marts")
    con.execute(
        "create table marts.t as select range as i,"
        " md5(range::varchar) || md5((range + 1)::varchar) as pad from range(60000)"
    )
    con.close()


@pytest.fixture
def fake_dbt(monkeypatch: pytest.MonkeyPatch) -> None:
    import seller_standing.build as build_module

    monkeypatch.setattr(build_module, "run_dbt", _fake_dbt)
    monkeypatch.setattr(build_module, "report_notices", lambda *_a, **_k: None)


def _paths(root: Path, published_dir: Path | None = None) -> Paths:
    raw = root / "raw"
    raw.mkdir(exist_ok=True)
    published = (published_dir or root / "warehouse") / "seller_standing.duckdb"
    return Paths(
        raw_dir=raw,
        published_db=published,
        build_db=root / "build" / "seller_standing.duckdb.building",
        temp_dir=root / "tmp",
        docs_dir=root / "docs",
    )


def test_stale_lock_of_a_killed_build_is_taken_over(tmp_path: Path, fake_dbt: None) -> None:
    paths = _paths(tmp_path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    for file in (paths.build_db, paths.published_db):
        lock_path(file).parent.mkdir(parents=True, exist_ok=True)
        lock_path(file).write_text(f"pid={dead_pid}\nstarted=2026-01-01 00:00:00 UTC\n")
    out = io.StringIO()
    assert build(paths, run_checks=False, out=out) == paths.published_db
    assert (
        f"a lock left by a build that is no longer running (pid {dead_pid}, started at "
        "2026-01-01 00:00:00 UTC) was taken over" in out.getvalue()
    )
    con = duckdb.connect(str(paths.published_db), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone() == (60000,)
    con.close()
    assert not lock_path(paths.build_db).exists() and not lock_path(paths.published_db).exists()


def test_lock_is_released_so_the_next_build_runs(tmp_path: Path) -> None:
    file = tmp_path / "w.duckdb"
    with BuildLock(file):
        pass
    with BuildLock(file) as again:
        assert again.taken_over == []


# --- machine faults: full disk, read-only folder ---------------------------------------------


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", f"ss{uuid.uuid4().hex[:6]}", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here to make a full disk: {mounted.stderr}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _read_only(path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True)


def test_disk_full_while_publishing(tmp_path: Path, fake_dbt: None) -> None:
    with _tmpfs(tmp_path / "small_disk", "1m") as disk:
        paths = _paths(tmp_path, published_dir=disk)
        paths.published_db.write_bytes(PREVIOUS)
        with pytest.raises(BuildError) as failed:
            build(paths, run_checks=False, out=io.StringIO())
        message = str(failed.value)
        assert message.startswith(f"Could not write {disk}/.seller_standing.duckdb.")
        assert ": No space left on device (ENOSPC).\nThe disk is full: free some space there, " in (
            message
        )
        assert "or point SELLER_STANDING_DB at a disk with room" in message
        assert f"The published warehouse {paths.published_db} was not changed" in message
        assert paths.published_db.read_bytes() == PREVIOUS
        assert sorted(p.name for p in disk.iterdir()) == ["seller_standing.duckdb"]


def test_disk_full_while_building_shows_dbt_error(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    (ws.raw / "sellers").mkdir()
    (ws.raw / "sellers" / "s.csv").write_text(
        "marketplace,seller_id,seller_name,country_code,registered_at\n"
        "ovoko,s1,Parts,LT,2024-01-01T00:00:00Z\n"
    )
    (ws.raw / "orders").mkdir()
    (ws.raw / "orders" / "o.csv").write_text(
        "marketplace,order_id,seller_id,ordered_at,currency,status\n"
        "ovoko,o1,s1,2025-05-10T10:00:00Z,EUR,placed\n"
    )
    with _tmpfs(ws.published.parent, "1m") as disk:
        ws.published.write_bytes(PREVIOUS)
        # leave room for the lock files and a little log, not for dbt's database
        stat = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - 24 * 1024))
        output = _failed(ws.build("--select", "base_landing__sellers", "--skip-checks"))
        assert (
            f"BUILD FAILED\nCould not write {ws.build_db}.wal: No space left on device (ENOSPC)."
            "\nThe disk is full: free some space there, or point SELLER_STANDING_BUILD_DB at a "
            "disk with room" in output
        )
        assert f"The published warehouse {ws.published} was not changed." in output
        dbt_part = output.split("dbt's own error follows.\n", 1)[1]
        assert dbt_part.startswith("dbt build failed (")
        assert f'Could not write file "{ws.build_db}.wal": No space left on device' in dbt_part
        assert ws.published.read_bytes() == PREVIOUS


def test_read_only_warehouse_folder(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    with _tmpfs(ws.published.parent, "1m") as disk:
        ws.published.write_bytes(PREVIOUS)
        _read_only(disk)
        output = _failed(ws.build())
        assert (
            f"BUILD FAILED\nCould not write {ws.build_db}.lock: Read-only file system (EROFS).\n"
            "That folder is on a read-only file system: point SELLER_STANDING_BUILD_DB at a "
            "folder you can write to." in output
        )
        assert ws.published.read_bytes() == PREVIOUS
        # -v adds the traceback for whoever wants it
        verbose = output_of(ws.build("-v"))
        assert "Traceback" in verbose and "Read-only file system" in verbose


def test_unexpected_error_is_one_message_and_v_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ws = _workspace(tmp_path)
    for name, value in ws.env().items():
        if name.startswith(("SELLER_STANDING_", "DBT_")):
            monkeypatch.setenv(name, value)
    import seller_standing.build as build_module

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("something nobody expected")

    monkeypatch.setattr(build_module, "build", broken)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert "BUILD FAILED\nUnexpected error (RuntimeError): something nobody expected\n" in err
    assert "(run again with -v to see the traceback)" in err
    assert "Traceback" not in err
    assert cli.main(["build", "-v"]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_machine_fault_names_the_file_and_the_setting_that_moves_it() -> None:
    paths = Paths(
        raw_dir=Path("/exports"),
        published_db=Path("/w/s.duckdb"),
        build_db=Path("/w/s.duckdb.building"),
        temp_dir=Path("/w/tmp"),
        docs_dir=Path("/w/docs"),
    )
    full = OSError(
        errno.ENOSPC, "No space left on device", "/w/s.duckdb.building", None, "/w/.s.duckdb.7.tmp"
    )
    assert str(machine_error(full, paths)).startswith(
        "Could not write /w/.s.duckdb.7.tmp: No space left on device (ENOSPC).\nThe disk is "
        "full: free some space there, or point SELLER_STANDING_DB at a disk with room"
    )
    wal = OSError(errno.ENOSPC, "No space left on device", "/w/s.duckdb.building.wal")
    assert "point SELLER_STANDING_BUILD_DB at a disk" in str(machine_error(wal, paths))
    spill = OSError(errno.ENOSPC, "No space left on device", "/w/tmp/duckdb_temp_block-1.block")
    assert "point SELLER_STANDING_TEMP_DIR at a disk" in str(machine_error(spill, paths))
    denied = PermissionError(errno.EACCES, "Permission denied", "/exports/orders/o.csv")
    assert str(machine_error(denied, paths)).startswith(
        "Could not read /exports/orders/o.csv: Permission denied (EACCES).\nYour user lacks "
        "permission there: fix the permissions of that file or folder, or point "
        "SELLER_STANDING_RAW_DIR at one you can use."
    )
