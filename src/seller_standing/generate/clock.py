"""Time zones, calendars and ISO 8601 formatting for the synthetic data generator.

All instants are int64 seconds since the Unix epoch (UTC); ``NULL_TS`` marks a missing one.
Local "naive" times are the same count of seconds but read as wall-clock time in a zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa

NULL_TS = np.iinfo(np.int64).min
DAY = 86_400
HOUR = 3_600

# Offsets are computed for instants between these years; everything we generate lies inside.
_FIRST_YEAR = 1995
_LAST_YEAR = 2045

FORM_OFFSET = 0  # 2024-03-05T14:22:10+08:00
FORM_Z = 1  # 2024-03-05T06:22:10Z
FORM_NAIVE = 2  # 2024-03-05 14:22:10 (local time of the marketplace)


def _offset_at(zone: ZoneInfo, t: int) -> int:
    delta = datetime.fromtimestamp(t, tz=UTC).astimezone(zone).utcoffset()
    assert delta is not None
    return int(delta.total_seconds())


def _transitions(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Instants at which the zone's UTC offset changes, and the offset from each one on."""
    zone = ZoneInfo(name)
    start = int(datetime(_FIRST_YEAR, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(_LAST_YEAR, 1, 1, tzinfo=UTC).timestamp())
    step = 7 * DAY
    times = [start]
    offsets = [_offset_at(zone, start)]
    prev_t, prev_off = start, offsets[0]
    for t in range(start + step, end + step, step):
        off = _offset_at(zone, t)
        if off != prev_off:
            lo, hi = prev_t, t  # offset(lo) == prev_off, offset(hi) == off
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset_at(zone, mid) == prev_off:
                    lo = mid
                else:
                    hi = mid
            times.append(hi)
            offsets.append(off)
        prev_t, prev_off = t, off
    return np.array(times, dtype=np.int64), np.array(offsets, dtype=np.int64)


class Zones:
    """A registry of IANA zones with vectorised UTC <-> local conversion."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        self._trans: list[np.ndarray] = []
        self._offs: list[np.ndarray] = []
        for name in names:
            self.add(name)

    def add(self, name: str) -> int:
        if name not in self._index:
            times, offs = _transitions(name)
            self._index[name] = len(self.names)
            self.names.append(name)
            self._trans.append(times)
            self._offs.append(offs)
        return self._index[name]

    def idx(self, name: str) -> int:
        return self._index[name]

    def offset(self, zone: np.ndarray | int, t: np.ndarray) -> np.ndarray:
        """UTC offset in seconds of each instant ``t`` in its zone (per element or scalar)."""
        t = np.asarray(t, dtype=np.int64)
        zone_arr = np.asarray(zone)
        if zone_arr.ndim == 0:
            return self._offset_one(int(zone_arr), t)
        out = np.zeros(t.shape, dtype=np.int64)
        for z in np.unique(zone_arr):
            sel = zone_arr == z
            out[sel] = self._offset_one(int(z), t[sel])
        return out

    def _offset_one(self, z: int, t: np.ndarray) -> np.ndarray:
        trans, offs = self._trans[z], self._offs[z]
        if len(trans) == 1:
            return np.full(t.shape, offs[0], dtype=np.int64)
        pos = np.searchsorted(trans, t, side="right") - 1
        return offs[np.clip(pos, 0, len(offs) - 1)]

    def to_utc(self, zone: np.ndarray | int, local: np.ndarray) -> np.ndarray:
        """Instant of a local wall-clock time (a time in a DST gap maps to a valid instant)."""
        local = np.asarray(local, dtype=np.int64)
        guess = local - self.offset(zone, local)
        return local - self.offset(zone, guess)

    def to_local(self, zone: np.ndarray | int, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=np.int64)
        return t + self.offset(zone, t)

    def near_transition(self, zone: np.ndarray | int, t: np.ndarray) -> np.ndarray:
        """True where the offset changes within an hour of ``t`` (naive time would be unsafe)."""
        t = np.asarray(t, dtype=np.int64)
        here = self.offset(zone, t)
        return (self.offset(zone, t - HOUR) != here) | (self.offset(zone, t + HOUR) != here)


# --- calendar -----------------------------------------------------------------------------


def month_add(year: int, month: int, k: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + k
    return idx // 12, idx % 12 + 1


def parse_month(text: str) -> tuple[int, int]:
    try:
        year_s, month_s = text.split("-")
        year, month = int(year_s), int(month_s)
    except ValueError as exc:
        raise ValueError(f"month must look like YYYY-MM, got {text!r}") from exc
    if not 1 <= month <= 12 or not 2000 <= year <= 2040:
        raise ValueError(f"month out of range (2000-01..2040-12): {text!r}")
    return year, month


def first_day(year: int, month: int) -> int:
    """Days since 1970-01-01 of the first day of a month."""
    return int(np.datetime64(f"{year:04d}-{month:02d}", "M").astype("datetime64[D]").astype(int))


def days_in_month(year: int, month: int) -> int:
    ny, nm = month_add(year, month, 1)
    return first_day(ny, nm) - first_day(year, month)


def date_day(year: int, month: int, day: int) -> int:
    return first_day(year, month) + day - 1


def civil(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month, day of days since the epoch (vectorised)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    year = years.astype(np.int64) + 1970
    month = (months - years.astype("datetime64[M]")).astype(np.int64) + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def weekday(days: np.ndarray) -> np.ndarray:
    """Monday = 0 ... Sunday = 6."""
    return (np.asarray(days, dtype=np.int64) + 3) % 7


# --- formatting ---------------------------------------------------------------------------

_WIDTH = 25  # "YYYY-MM-DDTHH:MM:SS+HH:MM"


def _validity(valid: np.ndarray) -> pa.Buffer | None:
    if bool(valid.all()):
        return None
    return pa.py_buffer(np.packbits(valid.astype(np.uint8), bitorder="little"))


def _put(mat: np.ndarray, col: int, value: np.ndarray, width: int) -> None:
    for i in range(width - 1, -1, -1):
        mat[:, col + i] = 48 + value % 10
        value = value // 10


def format_timestamps(t: np.ndarray, offset: np.ndarray, form: np.ndarray) -> pa.Array:
    """ISO 8601 strings: with offset, as UTC ``Z``, or naive local (``YYYY-MM-DD HH:MM:SS``)."""
    t = np.asarray(t, dtype=np.int64)
    n = len(t)
    valid = t != NULL_TS
    tt = np.where(valid, t, 0)
    shown = tt + np.where(form == FORM_Z, 0, offset)
    days, sod = np.divmod(shown, DAY)
    year, month, day = civil(days)
    mat = np.empty((n, _WIDTH), dtype=np.uint8)
    _put(mat, 0, year, 4)
    mat[:, 4] = ord("-")
    _put(mat, 5, month, 2)
    mat[:, 7] = ord("-")
    _put(mat, 8, day, 2)
    mat[:, 10] = np.where(form == FORM_NAIVE, ord(" "), ord("T"))
    _put(mat, 11, sod // HOUR, 2)
    mat[:, 13] = ord(":")
    _put(mat, 14, (sod // 60) % 60, 2)
    mat[:, 16] = ord(":")
    _put(mat, 17, sod % 60, 2)
    mat[:, 19] = np.where(form == FORM_Z, ord("Z"), np.where(offset < 0, ord("-"), ord("+")))
    off_abs = np.abs(offset)
    _put(mat, 20, off_abs // HOUR, 2)
    mat[:, 22] = ord(":")
    _put(mat, 23, (off_abs // 60) % 60, 2)
    lengths = np.where(form == FORM_OFFSET, 25, np.where(form == FORM_Z, 20, 19))
    lengths = np.where(valid, lengths, 0)
    data = mat[np.arange(_WIDTH)[None, :] < lengths[:, None]]
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(),
        n,
        [_validity(valid), pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(data))],
    )
