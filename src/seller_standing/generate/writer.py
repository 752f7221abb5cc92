"""The writer that turns generated batches into landing files (schemas: ``schema``).

A batch is ``{table: {column: numpy array}}`` for one marketplace. Column kinds decide the
representation: ids are integers formatted as ``<prefix>-<letter><zero padded number>``,
timestamps are UTC seconds formatted per row (offset, ``Z`` or naive local), dates are days
since the epoch, money is integer cents. Every table batch also carries ``_zone`` (zone index
per row), ``_form`` (timestamp form per row) and may carry ``_main`` (the instant that picks the
row's yearly file; default: the table's main timestamp column).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from seller_standing.generate.clock import NULL_TS, Zones, civil, format_timestamps
from seller_standing.generate.schema import (
    BOOL,
    DATE,
    FLOAT,
    ID,
    INT,
    MAIN_TS,
    MONEY,
    SCHEMAS,
    STR,
    TABLES,
    TS,
)

NULL_INT = np.iinfo(np.int64).min

ID_WIDTH: dict[str, int] = {"s": 4, "p": 5}  # everything else: 6 digits (grows past a million)

_ARROW_TYPE: dict[str, pa.DataType] = {
    STR: pa.string(),
    ID: pa.string(),
    TS: pa.string(),
    DATE: pa.date32(),
    INT: pa.int64(),
    MONEY: pa.decimal128(18, 2),
    FLOAT: pa.float64(),
    BOOL: pa.bool_(),
}

ARROW_SCHEMAS: dict[str, pa.Schema] = {
    table: pa.schema([pa.field(name, _ARROW_TYPE[kind]) for name, kind, _ in cols])
    for table, cols in SCHEMAS.items()
}

Batch = dict[str, dict[str, np.ndarray]]


# --- column conversion ----------------------------------------------------------------------


def _ids(prefix: str, num: np.ndarray) -> pa.Array:
    num = np.asarray(num, dtype=np.int64)
    valid = num >= 0
    letter = prefix.rsplit("-", 1)[-1]
    width = ID_WIDTH.get(letter, 6)
    digits = pc.utf8_lpad(pc.cast(pa.array(np.where(valid, num, 0)), pa.string()), width, "0")
    out = pc.binary_join_element_wise(pa.scalar(prefix), digits, "")
    if not valid.all():
        out = pc.if_else(pa.array(valid), out, pa.scalar(None, pa.string()))
    return out


def _money(cents: np.ndarray) -> pa.Array:
    cents = np.asarray(cents, dtype=np.int64)
    valid = cents != NULL_INT
    c = np.where(valid, cents, 0)
    buf = np.empty((len(c), 2), dtype=np.int64)
    buf[:, 0] = c
    buf[:, 1] = c >> 63
    validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(pa.decimal128(18, 2), len(c), [validity, pa.py_buffer(buf)])


def _masked(values: np.ndarray, valid: np.ndarray, typ: pa.DataType) -> pa.Array:
    if valid.all():
        return pa.array(values, type=typ)
    return pa.array(values, type=typ, mask=~valid)


def _strings(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.string(), from_pandas=False)


@dataclass
class Context:
    """What the writer needs to know about the marketplace a batch belongs to."""

    marketplace: str
    prefix: str  # "ov"
    zones: Zones


def to_arrow(
    ctx: Context, table: str, cols: Mapping[str, np.ndarray]
) -> tuple[pa.Table, np.ndarray]:
    """Arrow table in contract column order, plus the local year of each row's main date."""
    zone = np.asarray(cols["_zone"])
    form = np.asarray(cols["_form"])
    n = len(zone)
    arrays: list[pa.Array] = []
    for name, kind, letter in SCHEMAS[table]:
        typ = _ARROW_TYPE[kind]
        if name == "marketplace":
            arrays.append(pa.array(np.full(n, ctx.marketplace, dtype=object), type=pa.string()))
            continue
        values = cols.get(name)
        if values is None:
            arrays.append(pa.nulls(n, type=typ))
            continue
        if len(values) != n:
            raise ValueError(f"{table}.{name}: {len(values)} values for {n} rows")
        if kind == ID:
            arrays.append(_ids(f"{ctx.prefix}-{letter}", values))
        elif kind == TS:
            offset = ctx.zones.offset(zone, np.where(values == NULL_TS, 0, values))
            arrays.append(format_timestamps(values, offset, form))
        elif kind == DATE:
            v = np.asarray(values, dtype=np.int64)
            valid = v != NULL_INT
            arrays.append(_masked(np.where(valid, v, 0).astype(np.int32), valid, typ))
        elif kind == INT:
            v = np.asarray(values, dtype=np.int64)
            arrays.append(_masked(np.where(v == NULL_INT, 0, v), v != NULL_INT, typ))
        elif kind == MONEY:
            arrays.append(_money(values))
        elif kind == FLOAT:
            v = np.asarray(values, dtype=np.float64)
            arrays.append(_masked(np.nan_to_num(v), ~np.isnan(v), typ))
        elif kind == BOOL:
            v = np.asarray(values, dtype=np.int8)
            arrays.append(_masked(v == 1, v >= 0, typ))
        else:
            arrays.append(_strings(values))
    main_col = cols.get("_main")
    if main_col is None:
        main_col = cols[MAIN_TS[table]]
    main = np.asarray(main_col, dtype=np.int64)
    local = ctx.zones.to_local(zone, main)
    year, _, _ = civil(local // 86_400)
    return pa.Table.from_arrays(arrays, schema=ARROW_SCHEMAS[table]), year


# --- CSV encoding ---------------------------------------------------------------------------

_NEEDS_QUOTES = r'[",\r\n]'


def _csv_column(arr: pa.Array, kind: str) -> pa.Array:
    text = arr if arr.type == pa.string() else pc.cast(arr, pa.string())
    if kind == STR:
        needs = pc.fill_null(pc.match_substring_regex(text, _NEEDS_QUOTES), False)
        if pc.any(needs).as_py():
            quoted = pc.binary_join_element_wise(
                pa.scalar('"'), pc.replace_substring(text, '"', '""'), pa.scalar('"'), ""
            )
            text = pc.if_else(needs, quoted, text)
    return pc.fill_null(text, "")


def csv_bytes(table_name: str, tbl: pa.Table) -> pa.Buffer:
    """RFC 4180 CSV body (no header): comma, quotes only where needed, empty field = null."""
    if tbl.num_rows == 0:
        return pa.py_buffer(b"")
    tbl = tbl.combine_chunks()
    cols = [
        _csv_column(tbl.column(i).chunk(0) if tbl.column(i).num_chunks else pa.array([]), kind)
        for i, (_, kind, _) in enumerate(SCHEMAS[table_name])
    ]
    lines = pc.binary_join_element_wise(*cols, ",")
    lines = pc.binary_join_element_wise(lines, pa.scalar("\n"), "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[
        lines.offset : lines.offset + len(lines) + 1
    ]
    start, end = int(offsets[0]), int(offsets[-1])
    return lines.buffers()[2].slice(start, end - start)


# --- the sink -------------------------------------------------------------------------------

_OWN_FILE = re.compile(r"^(?P<table>[a-z_]+)_(?P<year>\d{4})\.(csv|parquet)$")


class Sink:
    """Appends batches to ``out_dir/<table>/<table>_<year>.<fmt>``; memory stays bounded.

    CSV batches are written as they come. Parquet batches are buffered (at most
    ``budget_rows`` rows in all) so that row groups are not tiny.
    """

    def __init__(self, out_dir: Path, fmt: str, budget_rows: int = 250_000) -> None:
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"fmt must be 'csv' or 'parquet', got {fmt!r}")
        self.out_dir = out_dir
        self.fmt = fmt
        self.budget_rows = budget_rows if fmt == "parquet" else 0
        self.rows: dict[str, int] = dict.fromkeys(TABLES, 0)
        self._buffers: dict[tuple[str, int], list[pa.Table]] = {}
        self._buffered = 0
        self._csv: dict[tuple[str, int], IO[bytes]] = {}
        self._parquet: dict[tuple[str, int], pq.ParquetWriter] = {}
        for table in TABLES:
            folder = out_dir / table
            folder.mkdir(parents=True, exist_ok=True)
            for path in sorted(folder.iterdir()):
                match = _OWN_FILE.match(path.name)
                if match and match["table"] == table and path.is_file():
                    path.unlink()  # a file of an earlier run (either format) would mix in

    def add(self, ctx: Context, batch: Batch) -> None:
        for table in TABLES:
            cols = batch.get(table)
            if not cols or len(cols["_zone"]) == 0:
                continue
            tbl, year = to_arrow(ctx, table, cols)
            self.rows[table] += tbl.num_rows
            years = np.unique(year)
            for y in years:
                part = tbl.filter(pa.array(year == y)) if len(years) > 1 else tbl
                self._buffers.setdefault((table, int(y)), []).append(part)
                self._buffered += part.num_rows
        if self._buffered > self.budget_rows:
            self.flush()

    def flush(self) -> None:
        for key in sorted(self._buffers):
            parts = self._buffers[key]
            if parts:
                self._write(key, pa.concat_tables(parts))
        self._buffers.clear()
        self._buffered = 0

    def _path(self, table: str, year: int) -> Path:
        return self.out_dir / table / f"{table}_{year:04d}.{self.fmt}"

    def _write(self, key: tuple[str, int], tbl: pa.Table) -> None:
        table, year = key
        if self.fmt == "parquet":
            writer = self._parquet.get(key)
            if writer is None:
                writer = pq.ParquetWriter(
                    self._path(table, year), ARROW_SCHEMAS[table], compression="snappy"
                )
                self._parquet[key] = writer
            writer.write_table(tbl, row_group_size=1_000_000)
            return
        handle = self._csv.get(key)
        if handle is None:
            handle = open(self._path(table, year), "wb")  # noqa: SIM115 - closed in close()
            handle.write((",".join(name for name, _, _ in SCHEMAS[table]) + "\n").encode())
            self._csv[key] = handle
        handle.write(csv_bytes(table, tbl))

    def close(self, empty_year: int) -> dict[str, int]:
        """Flush and close everything; a table without rows gets a header-only file."""
        self.flush()
        for table in TABLES:
            if self.rows[table] == 0:
                self._write((table, empty_year), ARROW_SCHEMAS[table].empty_table())
        for handle in self._csv.values():
            handle.close()
        for writer in self._parquet.values():
            writer.close()
        self._csv.clear()
        self._parquet.clear()
        return dict(self.rows)
