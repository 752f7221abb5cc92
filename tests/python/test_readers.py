"""What readers get: the published file holds the marts and the rules only, no personal data,
opens in DuckDB 1.x clients and through SQLAlchemy, and the Parquet copies equal the marts."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from _warehouse import DUCKDB1_VENV, Workspace, duckdb1_python

MARTS = [
    "dim_sellers",
    "fct_after_sales_requests",
    "fct_fee_lines",
    "fct_program_status",
    "fct_quarantined_rows",
    "fct_seller_metrics",
    "metricflow_time_spine",
]

EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
# International numbers as exported (+46 70 00003, +86 138 00005, +1 (555) 010-0199, ...).
PHONE = r"\+[0-9]{1,3}[ .-]?\(?[0-9]{1,4}\)?([ .-]?[0-9]{2,}){1,4}"
PII_COLUMN = re.compile(r"(?i)e[-_]?mail|phone|mobile|telephone|^tel$")


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "union all select schema_name, view_name from duckdb_views() where not internal "
        "order by all"
    ).fetchall()


def _personal_data(db: Path, only: set[str] | None = None) -> list[str]:
    """Every column named like, or holding a value like, an e-mail address or phone number
    (of every table and view, or of the `only` ones, as schema.table)."""
    found: list[str] = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        for schema, table in _tables(con):
            if only is not None and f"{schema}.{table}" not in only:
                continue
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
            ]
            checks = []
            for column in columns:
                value = f'cast("{column}" as varchar)'
                checks += [
                    f"count(*) filter (where regexp_matches({value}, '{EMAIL}'))",
                    f"count(*) filter (where regexp_matches({value}, '{PHONE}'))",
                ]
            counts = con.execute(f'select {", ".join(checks)} from "{schema}"."{table}"').fetchone()
            for index, column in enumerate(columns):
                where = f"{schema}.{table}.{column}"
                emails, phones = counts[2 * index], counts[2 * index + 1]
                if PII_COLUMN.search(column):
                    found.append(f"{where}: column name")
                if emails:
                    found.append(f"{where}: {emails} e-mail-like values")
                if phones:
                    found.append(f"{where}: {phones} phone-like values")
    finally:
        con.close()
    return found


def test_published_file_holds_only_marts_and_rules(built_warehouse: Workspace) -> None:
    con = duckdb.connect(str(built_warehouse.published), read_only=True)
    try:
        relations = _tables(con)
        schemas = {
            r[0]
            for r in con.execute(
                "select schema_name from duckdb_schemas() "
                "where database_name = current_database() and not internal"
            ).fetchall()
        }
        seeds = {p.stem for p in (Path(__file__).parents[2] / "seeds").rglob("*.csv")}
        marts = [t for s, t in relations if s == "marts"]
        rules = {t for s, t in relations if s == "rules"}
        views = con.execute("select count(*) from duckdb_views() where not internal").fetchone()
        comments = con.execute(
            "select count(*), count(nullif(comment, '')) from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchone()
        table_comments = con.execute(
            "select table_name from duckdb_tables() where coalesce(comment, '') = ''"
        ).fetchall()
    finally:
        con.close()
    # `main` is DuckDB's built-in default schema; it must stay empty.
    assert schemas - {"main"} == {"marts", "rules"}
    assert {s for s, _ in relations} == {"marts", "rules"}
    assert marts == MARTS
    assert rules == seeds
    assert views == (0,)
    assert comments[0] > 50 and comments[1] == comments[0], "every mart column has its comment"
    assert table_comments == [], "every published table has its description"


def test_no_personal_data_in_the_published_file(built_warehouse: Workspace) -> None:
    # The scan finds what the private build holds (so it can fail) ...
    in_build = _personal_data(
        built_warehouse.build_db, {"landing.sellers", "staging.stg_landing__sellers"}
    )
    assert any("stg_landing__sellers.email: column name" in f for f in in_build), in_build
    assert any("e-mail-like values" in f for f in in_build)
    assert any("phone-like values" in f for f in in_build)
    # ... and nothing in what readers get.
    assert _personal_data(built_warehouse.published) == []


def test_no_path_of_the_build_machine_in_the_published_file(built_warehouse: Workspace) -> None:
    """Landing views read files by absolute path; nothing published may name one."""
    paths = {str(built_warehouse.raw), str(Path(__file__).parents[2])}

    def mentions(db: Path) -> int:
        con = duckdb.connect(str(db), read_only=True)
        try:
            count = 0
            for schema, table in _tables(con):
                if schema not in ("marts", "rules", "landing"):
                    continue
                [(sql,)] = con.execute(
                    "select coalesce(any_value(sql), '') from ("
                    "select sql from duckdb_views() where schema_name = ? and view_name = ? "
                    "union all select sql from duckdb_tables() "
                    "where schema_name = ? and table_name = ?)",
                    [schema, table, schema, table],
                ).fetchall()
                count += sum(p in sql for p in paths)
                columns = con.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ?",
                    [schema, table],
                ).fetchall()
                for (column,) in columns:
                    for path in paths:
                        [(n,)] = con.execute(
                            f'select count(*) from "{schema}"."{table}" '
                            f'where contains(cast("{column}" as varchar), ?)',
                            [path],
                        ).fetchall()
                        count += n
            return count
        finally:
            con.close()

    assert mentions(built_warehouse.build_db) > 0  # the landing views do
    assert mentions(built_warehouse.published) == 0


def _marts_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in MARTS}
    finally:
        con.close()


DUCKDB1_READER = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
marts = [r[0] for r in con.execute(
    "select table_name from duckdb_tables() where schema_name = 'marts' order by 1").fetchall()]
counts = {}
for mart in marts:
    rows = con.execute(f"select * from marts.{mart}").fetchall()
    counts[mart] = len(rows)
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


def test_duckdb_1_1_client_reads_every_mart(built_warehouse: Workspace) -> None:
    python = duckdb1_python()
    result = subprocess.run(
        [str(python), "-c", DUCKDB1_READER, str(built_warehouse.published)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    read = json.loads(result.stdout)
    assert read["version"] == "1.1.3"
    assert read["counts"] == _marts_counts(built_warehouse.published)
    assert read["counts"]["fct_seller_metrics"] > 0
    # The private build file is in DuckDB 2.0's format, which 1.x cannot read.
    private = subprocess.run(
        [str(python), "-c", DUCKDB1_READER, str(built_warehouse.build_db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert private.returncode != 0
    assert "version" in private.stderr


def test_duckdb_cli_reads_the_published_file(built_warehouse: Workspace) -> None:
    cli = DUCKDB1_VENV / "bin" / "duckdb"
    assert cli.exists(), "run `make clients`"
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.startswith("v1."), version.stdout
    result = subprocess.run(
        [
            str(cli),
            "-readonly",
            "-json",
            str(built_warehouse.published),
            "-c",
            "select status, count(*) as sellers from marts.fct_program_status "
            "group by all order by all",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    got = {r["status"]: r["sellers"] for r in json.loads(result.stdout)}
    expected = dict(
        built_warehouse.query(
            "select status, count(*) from marts.fct_program_status group by all order by all"
        )
    )
    assert got == expected and got


def test_sqlalchemy_lists_tables_columns_comments_and_reads_rows(
    built_warehouse: Workspace,
) -> None:
    import sqlalchemy as sa

    expected = built_warehouse.query(
        "select table_name, column_name, data_type, comment from duckdb_columns() "
        "where schema_name = 'marts' order by table_name, column_index"
    )
    engine = sa.create_engine(
        f"duckdb:///{built_warehouse.published}", connect_args={"read_only": True}
    )
    try:
        inspector = sa.inspect(engine)
        # duckdb-engine names schemas with their catalog: seller_standing.marts
        schemas = {name.rsplit(".", 1)[-1] for name in inspector.get_schema_names()}
        assert {"marts", "rules"} <= schemas
        assert not schemas & {"landing", "staging", "intermediate"}
        assert sorted(inspector.get_table_names(schema="marts")) == MARTS
        listed = []
        for mart in MARTS:
            table_comment = inspector.get_table_comment(mart, schema="marts")["text"]
            assert table_comment and table_comment.strip(), mart
            for column in inspector.get_columns(mart, schema="marts"):
                listed.append((mart, column["name"], column["comment"]))
        assert listed == [(t, c, comment) for t, c, _, comment in expected]
        types = {
            c["name"]: type(c["type"]).__name__
            for c in inspector.get_columns("fct_fee_lines", schema="marts")
        }
        assert types["amount"] == "NUMERIC" and types["billing_month"] == "DATE"
        with engine.connect() as con:
            rows = con.execute(
                sa.text("select fee_line_id, amount, currency from marts.fct_fee_lines")
            ).fetchall()
    finally:
        engine.dispose()
    assert sorted(rows) == sorted(
        built_warehouse.query("select fee_line_id, amount, currency from marts.fct_fee_lines")
    )
    assert rows


@pytest.mark.parametrize("mart", MARTS)
def test_parquet_copy_equals_the_mart(built_warehouse: Workspace, mart: str) -> None:
    parquet = built_warehouse.published.parent / "parquet" / f"{mart}.parquet"
    assert parquet.is_file()
    con = duckdb.connect(str(built_warehouse.published), read_only=True)
    try:
        described = {
            r[0]: r[1] for r in con.execute(f"describe select * from '{parquet}'").fetchall()
        }
        mart_columns = {r[0]: r[1] for r in con.execute(f"describe marts.{mart}").fetchall()}
        only_parquet = con.execute(
            f"select count(*) from (from '{parquet}' except all from marts.{mart})"
        ).fetchone()
        only_mart = con.execute(
            f"select count(*) from (from marts.{mart} except all from '{parquet}')"
        ).fetchone()
        [(rows,)] = con.execute(f"select count(*) from '{parquet}'").fetchall()
    finally:
        con.close()
    assert described == mart_columns
    assert only_parquet == only_mart == (0,)
    assert rows == _marts_counts(built_warehouse.published)[mart]
