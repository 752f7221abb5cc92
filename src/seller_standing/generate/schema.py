"""The landing tables the generator writes, read from the landing contract.

The contract (tables, columns, their order, type and required flag) is defined once, in
``models/staging/landing/_landing__sources.yml``; this module reads it. What is here is only
how the generator *encodes* values, keyed by column name:

- key columns are written as ``<prefix>-<letter><zero padded number>`` (``ID_LETTERS``);
- a ``decimal`` column is written as money (integer cents), a float or a whole number
  (``DECIMAL_AS``): the contract accepts all three;
- the timestamp that decides a row's yearly file (``MAIN_TS``).
"""

from __future__ import annotations

from pathlib import Path

from seller_standing.contract import landing_tables, node_meta
from seller_standing.paths import PROJECT_DIR

STR, ID, TS, DATE, INT, MONEY, FLOAT, BOOL = (
    "str",
    "id",
    "ts",
    "date",
    "int",
    "money",
    "float",
    "bool",
)

# Contract type -> how the generator holds the values (decimal: see DECIMAL_AS).
_KIND_OF_TYPE: dict[str, str] = {
    "string": STR,
    "timestamp": TS,
    "date": DATE,
    "integer": INT,
    "boolean": BOOL,
}

ID_LETTERS: dict[str, str] = {
    "seller_id": "s",
    "order_id": "o",
    "line_id": "l",
    "product_id": "p",
    "cancellation_id": "c",
    "return_id": "r",
    "correction_id": "rc",
    "request_id": "as",
    "dispute_id": "d",
    "message_id": "m",
    "conversation_id": "cv",
    "review_id": "rv",
    "violation_id": "v",
    "issue_id": "i",
    "rating_id": "cr",
}

DECIMAL_AS: dict[str, str] = {
    "unit_price": MONEY,
    "vat_rate": FLOAT,
    "rating": INT,
    "performance_score": INT,
    "pricing_score": INT,
}

# The timestamp that decides a row's yearly file (unless the batch gives ``_main``).
MAIN_TS: dict[str, str] = {
    "sellers": "registered_at",
    "orders": "ordered_at",
    "order_lines": "",  # always given as _main (the order's ordered_at)
    "cancellations": "cancelled_at",
    "returns": "requested_at",
    "return_reason_corrections": "corrected_at",
    "after_sales_requests": "requested_at",
    "disputes": "opened_at",
    "messages": "sent_at",
    "reviews": "reviewed_at",
    "violations": "occurred_at",
    "customer_issues": "reported_at",
    "css_ratings": "rated_at",
    "property_scores": "observed_at",
    "program_memberships": "acted_at",
}

# (column, kind, id letter or ""), in contract order.
Col = tuple[str, str, str]


def column_kind(table: str, column: str, contract_type: str) -> Col:
    """How the generator encodes one contract column."""
    if contract_type == "string":
        letter = ID_LETTERS.get(column, "")
        return (column, ID if letter else STR, letter)
    if contract_type == "decimal":
        if column not in DECIMAL_AS:
            raise ValueError(f"{table}.{column}: decimal column without an encoding in DECIMAL_AS")
        return (column, DECIMAL_AS[column], "")
    if contract_type not in _KIND_OF_TYPE:
        raise ValueError(f"{table}.{column}: contract type {contract_type!r} is not known here")
    return (column, _KIND_OF_TYPE[contract_type], "")


def load_schemas(project_dir: Path = PROJECT_DIR) -> dict[str, tuple[Col, ...]]:
    """Every landing table's columns in contract order, with the generator's encoding."""
    return {
        table["name"]: tuple(
            column_kind(table["name"], column["name"], node_meta(column)["type"])
            for column in table["columns"]
        )
        for table in landing_tables(project_dir)
    }


SCHEMAS: dict[str, tuple[Col, ...]] = load_schemas()
TABLES: tuple[str, ...] = tuple(SCHEMAS)
