"""A fingerprint of every mart: row count and a hash of the sorted rows.

Refactors and performance work must leave the marts identical; compare the fingerprints of a
build before and after:

    python -m seller_standing.fingerprint build/ci/published.duckdb > before.json
    ... change ...
    python -m seller_standing.fingerprint build/ci/published.duckdb --compare before.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

MART_SCHEMAS = ("marts", "main_marts")


def fingerprint(db: Path) -> dict[str, dict[str, object]]:
    """{mart: {"rows": n, "hash": md5 of its rows as text, sorted}} for every mart table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in {MART_SCHEMAS} and table_type = 'BASE TABLE' "
            "order by table_name"
        ).fetchall()
        result: dict[str, dict[str, object]] = {}
        for schema, table in tables:
            rows, digest = con.execute(
                "select count(*),"
                " md5(coalesce(string_agg(row_text, chr(10) order by row_text), ''))"
                f' from (select cast(t as varchar) as row_text from "{schema}"."{table}" as t)'
            ).fetchone()
            result[table] = {"rows": rows, "hash": digest}
        return result
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="warehouse file (published or private build)")
    parser.add_argument("--compare", type=Path, help="an earlier fingerprint (JSON) to compare")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"No warehouse at {args.db}.", file=sys.stderr)
        return 2
    current = fingerprint(args.db)
    if not args.compare:
        print(json.dumps(current, indent=2, sort_keys=True))
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    differing = sorted(
        name for name in set(before) | set(current) if before.get(name) != current.get(name)
    )
    for name in sorted(set(before) | set(current)):
        mark = "DIFFERS" if name in differing else "same"
        print(f"{name:32} {mark:8} {before.get(name)} -> {current.get(name)}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
