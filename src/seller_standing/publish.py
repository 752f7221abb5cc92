"""Publish a checked build to the path readers open, atomically, with only what readers read.

dbt writes a private file holding everything (landing views, staging with personal data,
intermediate models). Only after every dbt test and quality suite has passed is a reader's
copy written beside the published file: the schemas ``marts`` and ``rules`` and nothing else,
with their constraints and table and column comments, in a storage format DuckDB clients
from 1.1 on can open. Every mart is also written as Parquet. The new files are then renamed
over the old ones, one atomic rename each: a reader holding the published file open keeps
reading the old one (its inode) undisturbed; the next reader that opens the path sees the new
build; no file is ever seen half-written. A failed check never reaches this step, so the
previous published warehouse stays in place.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

# What readers get: the marts and the rules in force (the seeds). Nothing else is copied.
PUBLISHED_SCHEMAS = ("marts", "rules")
# Oldest DuckDB release whose clients must be able to open the published file.
STORAGE_VERSION = "v1.1.0"


class PublishError(Exception):
    """The private build cannot be published; the message says why and what to do."""


def parquet_dir(published_db: Path) -> Path:
    """Folder holding one Parquet file per mart, beside the published file."""
    return published_db.parent / "parquet"


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file so the build is complete on disk."""
    con = duckdb.connect(str(db_path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_schemas(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Copy the published schemas of ``src`` into ``pub``; return the marts' names."""
    tables = con.execute(
        "select schema_name, table_name, sql, comment from duckdb_tables() "
        "where database_name = 'src' and schema_name in ? order by schema_name, table_name",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    if not any(schema == "marts" for schema, *_ in tables):
        raise PublishError(
            "The build has no tables in schema 'marts': nothing to publish. Run a full build "
            "(seller-standing build) first."
        )
    con.execute("use pub")
    for schema in PUBLISHED_SCHEMAS:
        con.execute(f"create schema if not exists pub.{_quote(schema)}")
    for schema, table, ddl, comment in tables:
        # duckdb_tables().sql is `CREATE TABLE <schema>.<table>(...)` with the constraints;
        # with `use pub` it creates the table in the published file.
        con.execute(ddl)
        target = f"pub.{_quote(schema)}.{_quote(table)}"
        con.execute(f"insert into {target} select * from src.{_quote(schema)}.{_quote(table)}")
        if comment:
            con.execute(f"comment on table {target} is {_literal(comment)}")
    columns = con.execute(
        "select schema_name, table_name, column_name, comment from duckdb_columns() "
        "where database_name = 'src' and schema_name in ? and comment is not null "
        "and comment <> ''",
        [list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    for schema, table, column, comment in columns:
        con.execute(
            f"comment on column pub.{_quote(schema)}.{_quote(table)}.{_quote(column)} "
            f"is {_literal(comment)}"
        )
    return [table for schema, table, *_ in tables if schema == "marts"]


def _write_reader_copy(build_db: Path, staging_db: Path, staging_parquet: dict[str, Path]) -> None:
    con = duckdb.connect()
    try:
        con.execute(f"attach {_literal(str(build_db))} as src (read_only)")
        con.execute(
            f"attach {_literal(str(staging_db))} as pub "
            f"(storage_version {_literal(STORAGE_VERSION)})"
        )
        marts = _copy_schemas(con)
        con.execute("use memory")
        con.execute("checkpoint pub")
        for mart in marts:
            path = staging_parquet[mart]
            con.execute(
                f"copy (select * from pub.marts.{_quote(mart)}) to {_literal(str(path))} "
                "(format parquet, compression zstd)"
            )
        con.execute("detach pub")
        con.execute("detach src")
    finally:
        con.close()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _mart_names(build_db: Path) -> list[str]:
    con = duckdb.connect(str(build_db), read_only=True)
    try:
        rows = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def publish(build_db: Path, published_db: Path) -> Path:
    """Write the reader's copy of build_db and rename it over published_db; return its path.

    Also writes ``parquet/<mart>.parquet`` beside it, each file renamed into place."""
    if not build_db.exists():
        raise FileNotFoundError(f"no build to publish at {build_db}; run a build first")
    checkpoint(build_db)
    published_db.parent.mkdir(parents=True, exist_ok=True)
    parquet = parquet_dir(published_db)
    parquet_is_new = not parquet.exists()
    parquet.mkdir(parents=True, exist_ok=True)
    tag = f"{os.getpid()}.tmp"
    staging_db = published_db.with_name(f".{published_db.name}.{tag}")
    marts = _mart_names(build_db)
    staging_parquet = {m: parquet / f".{m}.parquet.{tag}" for m in marts}
    wal = staging_db.with_name(staging_db.name + ".wal")
    written = [staging_db, wal, *staging_parquet.values()]
    try:
        for leftover in written:
            leftover.unlink(missing_ok=True)
        _write_reader_copy(build_db, staging_db, staging_parquet)
        for path in [staging_db, *staging_parquet.values()]:
            _fsync(path)
        # Every new file is complete on disk before the first rename.
        os.replace(staging_db, published_db)
        for mart, path in staging_parquet.items():
            os.replace(path, parquet / f"{mart}.parquet")
    except BaseException:
        # nothing of a failed publish stays behind, not even the Parquet folder it made
        if parquet_is_new and not any(parquet.glob("*.parquet")):
            for path in written:
                path.unlink(missing_ok=True)
            parquet.rmdir()
        raise
    finally:
        for path in written:
            path.unlink(missing_ok=True)
    stale_wal = published_db.with_name(published_db.name + ".wal")
    stale_wal.unlink(missing_ok=True)
    for old in parquet.glob("*.parquet"):
        if old.stem not in marts:
            old.unlink()
    return published_db
