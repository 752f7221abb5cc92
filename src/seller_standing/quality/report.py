"""The pass/fail table the data-quality checks print: one line per expectation."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from seller_standing.quality.suites import ExpectationSpec, SuiteSpec

PASS, FAIL, WARN, SKIP, ERROR = "PASS", "FAIL", "WARN", "SKIP", "ERROR"
MAX_DETAIL = 220
MAX_EXAMPLES = 3


@dataclass(frozen=True)
class Row:
    suite: str
    expectation: str
    column: str
    result: str
    detail: str

    @property
    def failed(self) -> bool:
        return self.result in (FAIL, ERROR)


def fmt_value(value: Any) -> str:
    """A value as a reader wants to see it in one line."""
    if value is None:
        return "null"
    if isinstance(value, float) and math.isnan(value):
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        # numpy datetime64 in ns/us unwraps to an int; nothing we read is that large otherwise
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "null"
        return repr(round(value, 10))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return fmt_value(value.to_pydatetime())
    if isinstance(value, Mapping):
        return "(" + ", ".join(fmt_value(v) for v in value.values()) + ")"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(fmt_value(v) for v in value) + ")"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _datetime64(value: Any) -> Any:
    """numpy datetime64 -> datetime (so fmt_value shows a date, not nanoseconds)."""
    if type(value).__name__ == "datetime64":
        import pandas as pd

        return pd.Timestamp(value)
    if isinstance(value, tuple):
        return tuple(_datetime64(v) for v in value)
    return value


def _example(value: Any, pair: bool) -> str:
    value = _datetime64(value)
    if pair and isinstance(value, tuple | list) and len(value) == 2:
        return f"{fmt_value(value[0])} vs {fmt_value(value[1])}"
    return fmt_value(value)


def _examples(result: Mapping[str, Any], pair: bool) -> str:
    counts = result.get("partial_unexpected_counts") or []
    parts: list[str] = []
    if counts:
        for item in counts[:MAX_EXAMPLES]:
            text = _example(item.get("value"), pair)
            count = item.get("count", 1)
            parts.append(f"{text} x{count}" if count and count > 1 else text)
    else:
        for value in (result.get("partial_unexpected_list") or [])[:MAX_EXAMPLES]:
            parts.append(_example(value, pair))
    return ", ".join(parts)


def _n_rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    share = 100 * part / whole
    return f"{share:.2g}%" if share < 10 else f"{share:.0f}%"


def describe(spec: ExpectationSpec, success: bool, result: Mapping[str, Any]) -> str:
    """The DETAIL cell: what was observed."""
    prefix = f"where {spec.where}: " if spec.where else ""
    if "unexpected_count" in result:
        unexpected = int(result.get("unexpected_count") or 0)
        total = int(result.get("element_count") or 0)
        if spec.type == "expect_column_values_to_not_be_null":
            if unexpected == 0:
                return f"{prefix}{_n_rows(total)}, none null"
            return f"{prefix}{unexpected:,} of {_n_rows(total)} null ({_pct(unexpected, total)})"
        if unexpected == 0:
            return f"{prefix}{_n_rows(total)}, all as expected"
        noun = "duplicated" if "unique" in spec.type else "unexpected"
        examples = _examples(result, pair=spec.type.startswith("expect_column_pair_"))
        text = f"{prefix}{unexpected:,} of {_n_rows(total)} {noun} ({_pct(unexpected, total)})"
        return f"{text}, e.g. {examples}" if examples else text
    if spec.type in (
        "expect_table_columns_to_match_set",
        "expect_table_columns_to_match_ordered_list",
    ):
        details = result.get("details") or {}
        mismatched = details.get("mismatched") or {}
        missing = mismatched.get("missing") or []
        if missing:
            return f"{prefix}missing column(s): {', '.join(map(str, missing))}"
        unexpected = mismatched.get("unexpected") or []
        if unexpected and not success:
            return f"{prefix}unexpected column(s): {', '.join(map(str, unexpected))}"
        observed = result.get("observed_value") or []
        return f"{prefix}all present ({len(observed)} columns)"
    if spec.type == "expect_column_to_exist":
        return f"{prefix}present" if success else f"{prefix}column is missing"
    if spec.type == "expect_column_distinct_values_to_contain_set" and not success:
        observed = {str(v) for v in result.get("observed_value") or []}
        wanted = [str(v) for v in spec.kwargs.get("value_set") or []]
        missing = [v for v in wanted if v not in observed]
        return f"{prefix}missing: {', '.join(missing)}"
    if "observed_value" in result:
        observed = result["observed_value"]
        if spec.type.startswith("expect_table_row_count"):
            return f"{prefix}{_n_rows(int(observed))}"
        if isinstance(observed, list):
            text = ", ".join(fmt_value(v) for v in observed[:8])
            more = f" (+{len(observed) - 8} more)" if len(observed) > 8 else ""
            return f"{prefix}observed {text}{more}"
        return f"{prefix}observed {fmt_value(_datetime64(observed))}"
    return f"{prefix}{'ok' if success else 'failed'}"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class Table:
    """Prints rows as they come, in columns sized for every line of the run."""

    def __init__(self, out: TextIO, suites: Sequence[SuiteSpec]) -> None:
        self.out = out
        self.rows: list[Row] = []
        self.notes: list[str] = []
        names = [s.name for s in suites] or ["suite"]
        specs = [e for s in suites for e in s.expectations]
        self.widths = (
            min(max(5, *(len(n) for n in names)), 40),
            min(max(11, *(len(e.type) for e in specs), 1), 52),
            min(max(6, *(len(e.column_label()) for e in specs), 1), 40),
            6,
        )
        self._header()

    def _line(self, cells: Iterable[str]) -> str:
        *fixed, detail = list(cells)
        parts = [_clip(c, w).ljust(w) for c, w in zip(fixed, self.widths, strict=True)]
        return "  ".join([*parts, _clip(detail, MAX_DETAIL)]).rstrip()

    def _header(self) -> None:
        print(self._line(["SUITE", "EXPECTATION", "COLUMN", "RESULT", "DETAIL"]), file=self.out)
        print("  ".join("-" * w for w in self.widths) + "  " + "-" * 40, file=self.out)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        cells = [row.suite, row.expectation, row.column or "-", row.result, row.detail]
        print(self._line(cells), file=self.out)

    def counts(self) -> dict[str, int]:
        return {
            "passed": sum(r.result == PASS for r in self.rows),
            "failed": sum(r.failed for r in self.rows),
            "warnings": sum(r.result == WARN for r in self.rows),
            "skipped": sum(r.result == SKIP for r in self.rows),
        }

    def finish(self) -> None:
        counts = self.counts()
        failed = [r for r in self.rows if r.failed]
        if failed and len(self.rows) > len(failed):
            print(file=self.out)
            print(f"Failed ({len(failed)}):", file=self.out)
            for row in failed:
                cells = [row.suite, row.expectation, row.column or "-", row.result, row.detail]
                print(self._line(cells), file=self.out)
        for note in self.notes:
            print(note, file=self.out)
        print(file=self.out)
        print(
            f"{counts['passed']} passed, {counts['failed']} failed "
            f"({counts['warnings']} warnings, {counts['skipped']} skipped)",
            file=self.out,
        )
