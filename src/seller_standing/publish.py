"""Publish a checked build to the path readers open, atomically.

dbt writes a private file. Only after every dbt test and quality suite has passed is that
file copied next to the published one and renamed over it. A reader holding the published
file open keeps reading the old one (its inode) undisturbed; the next reader that opens the
path sees the new build. A failed check never reaches this step, so the previous published
warehouse stays in place.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file so a plain copy is complete."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def publish(build_db: Path, published_db: Path) -> Path:
    """Copy build_db over published_db in one atomic rename; return the published path."""
    if not build_db.exists():
        raise FileNotFoundError(f"no build to publish at {build_db}; run a build first")
    checkpoint(build_db)
    published_db.parent.mkdir(parents=True, exist_ok=True)
    staging = published_db.with_name(f".{published_db.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(build_db, staging)
        with open(staging, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(staging, published_db)
    finally:
        if staging.exists():
            staging.unlink()
    stale_wal = published_db.with_name(published_db.name + ".wal")
    if stale_wal.exists():
        stale_wal.unlink()
    return published_db
