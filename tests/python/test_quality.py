"""Great Expectations checks (seller_standing.quality) on small hand-built warehouses.

One good warehouse is built once (landing views, staged base tables, quarantine, marts, as
dbt names them) with the landing tables taken from the contract YAML; each bad case copies it
and breaks one thing. Great Expectations is imported once, by the first run_checks call.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import yaml
from _warehouse import Workspace

from seller_standing.quality import QualityError, list_suites, run_checks
from seller_standing.quality.suites import (
    SuiteFileError,
    landed_column,
    load_suite_file,
    read_contract,
)

PROJECT = Path(__file__).resolve().parents[2]
CONTRACT = PROJECT / "models/staging/landing/_landing__sources.yml"
LOADED = "staging.load_landing__{table}"

MARTS_SQL = """
create schema marts;
create table marts.dim_sellers (
    marketplace varchar not null, seller_id varchar not null, seller_name varchar,
    country_code varchar, timezone varchar not null, registered_at timestamp,
    registered_date_local date
);
insert into marts.dim_sellers values
    ('kkday', 's1', 'Sunny Tours', 'TW', 'Asia/Taipei', '2023-01-05 02:00:00', '2023-01-05');

create table marts.fct_seller_metrics (
    marketplace varchar, seller_id varchar, program_id varchar, metric_id varchar,
    period_start date, period_end date, numerator double, denominator double, value double,
    grade varchar, bar_value double, headroom bigint, rule_version varchar
);
insert into marts.fct_seller_metrics values
    ('kkday', 's1', 'kkday_trusted_partner', 'confirmation_rate', '2024-01-01', '2024-01-31',
     9, 10, 0.9, 'good', 0.8, 1, 'v1'),
    ('kkday', 's1', 'kkday_trusted_partner', 'review_score', '2024-01-01', '2024-01-31',
     null, 0, null, 'insufficient_data', 4.5, null, 'v1'),
    ('kkday', 's1', 'kkday_trusted_partner', 'confirmation_rate', '2024-02-01', '2024-02-29',
     10, 10, 1.0, 'excellent', 0.8, 2, 'v1');

create table marts.fct_program_status (
    marketplace varchar, seller_id varchar, program_id varchar, period_start date,
    period_end date, status varchar, qualifies boolean, valid_from date, valid_to date,
    previous_status varchar, status_change varchar, failing_metrics varchar,
    ranking_penalty boolean, rule_version varchar
);
insert into marts.fct_program_status values
    ('kkday', 's1', 'kkday_trusted_partner', '2024-01-01', '2024-01-31', 'trusted_partner',
     true, '2024-02-01', '2024-02-29', null, 'new', null, false, 'v1'),
    ('kkday', 's1', 'kkday_trusted_partner', '2024-02-01', '2024-02-29', 'regular',
     false, '2024-03-01', '2024-03-31', 'trusted_partner', 'demoted', 'review_score', false,
     'v1');

create table marts.fct_fee_lines (
    fee_line_id varchar, marketplace varchar, seller_id varchar, program_id varchar,
    fee_type varchar, period_start date, period_end date, billing_month date,
    product_id varchar, price_band varchar, basis_count bigint, issue_count bigint,
    billable_count bigint, basis_amount decimal(18, 2), fee_rate decimal(9, 4),
    unit_amount decimal(18, 2), amount decimal(18, 2), currency varchar,
    rule_version varchar, explanation varchar
);
insert into marts.fct_fee_lines values
    ('f1', 'fyndiq', 's9', 'fyndiq_performance', 'missing_issue', '2024-01-01', '2024-01-31',
     '2024-02-01', 'p1', 'low', 100, 3, 3, null, null, 2.50, 7.50, 'SEK', 'v1', '3 x 2.50'),
    ('f2', 'ovoko', 's7', 'ovoko_seller_status', 'below_standard_surcharge', '2024-01-01',
     '2024-01-31', '2024-02-01', null, null, null, null, null, 1234.56, 0.0150, null, 18.52,
     'EUR', 'v1', '1.5% of 1234.56');
"""


def _landing_sql() -> str:
    """Load tables (the landed text of each column, as dbt's load_landing__ models keep it:
    `_landed_<name>`, personal data by its own name) and staged base tables for every contract
    table. There are no landing views: the checks must not need them."""
    statements = ["create schema staging"]
    for table in read_contract(CONTRACT):
        text = ", ".join(f'"{landed_column(c)}" varchar' for c in table.columns)
        statements.append(
            f"create table staging.load_landing__{table.name} "
            f"({text}, _source_file varchar, _source_row bigint)"
        )
        types = {c.name: c.type for c in table.columns}
        key = [
            f"{k}_utc timestamp" if types[k] == "timestamp" else f"{k} varchar" for k in table.key
        ]
        statements.append(
            f"create table staging.base_landing__{table.name} "
            f"(marketplace varchar, {', '.join(key)}, _quarantine_reason varchar)"
        )
    statements += [
        f"insert into {LOADED.format(table='sellers')} (_landed_marketplace, _landed_seller_id,"
        " _landed_seller_name, _landed_country_code, _landed_registered_at, _source_file,"
        " _source_row) values"
        " ('KKday', 's1', 'Sunny Tours', 'TW', '2023-01-05T10:00:00+08:00', 'sellers/a.csv', 1)",
        # a re-export: the key repeats in landing (a warning), once among staged rows
        f"insert into {LOADED.format(table='orders')} (_landed_marketplace, _landed_order_id,"
        " _landed_seller_id, _landed_ordered_at, _landed_currency, _landed_status) values"
        " ('kkday', 'o1', 's1', '2024-01-03 09:00:00', 'TWD', 'placed'),"
        " ('kkday', 'o1', 's1', '2024-01-03 09:00:00', 'TWD', 'completed')",
        f"insert into {LOADED.format(table='order_lines')} (_landed_marketplace, _landed_order_id,"
        " _landed_line_id, _landed_product_id, _landed_quantity, _landed_unit_price)"
        " values ('kkday', 'o1', 'l1', 'p1', '2', '150.00')",
        "insert into staging.base_landing__sellers values ('kkday', 's1', null)",
        "insert into staging.base_landing__orders values"
        " ('kkday', 'o1', 'duplicate key: superseded by a later export'), ('kkday', 'o1', null)",
        "create table staging.stg_landing__quarantined_rows (quarantined_row_id varchar,"
        " table_name varchar, marketplace varchar, source_file varchar, source_row bigint,"
        " original_values varchar, reason varchar)",
        "insert into staging.stg_landing__quarantined_rows values ('q1', 'orders', 'kkday',"
        " 'orders/a.csv', 1, '{}', 'duplicate key: superseded by a later export')",
    ]
    return ";\n".join(statements) + ";\n"


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wh") / "good.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(_landing_sql())
        con.execute(MARTS_SQL)
    finally:
        con.close()
    return path


@pytest.fixture
def make_bad(good_db: Path, tmp_path: Path) -> Callable[[str], Path]:
    def make(sql: str) -> Path:
        path = tmp_path / "bad.duckdb"
        shutil.copy(good_db, path)
        con = duckdb.connect(str(path))
        try:
            con.execute(sql)
        finally:
            con.close()
        return path

    return make


def check(db: Path, suites: list[str] | None = None, docs: Path | None = None) -> tuple[bool, str]:
    out = io.StringIO()
    ok = run_checks(db, docs_dir=docs, suites=suites, out=out, project_dir=PROJECT)
    return ok, out.getvalue()


def failing_line(output: str, suite: str, expectation: str, column: str) -> str:
    """The FAIL line of the table for this suite, expectation and column."""
    for line in output.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if (
            len(cells) >= 4
            and cells[0] == suite
            and cells[1] == expectation
            and column in cells[2]
            and cells[3] == "FAIL"
        ):
            return line
    raise AssertionError(f"no FAIL line for {suite} {expectation} {column} in:\n{output}")


def test_good_warehouse_passes_and_writes_data_docs(good_db: Path, tmp_path: Path) -> None:
    ok, output = check(good_db, docs=tmp_path / "docs")
    assert ok, output
    assert re.search(r"^\d+ passed, 0 failed", output, re.MULTILINE), output
    # warnings print but do not fail: re-exported key in landing, the quarantined row
    assert re.search(r"landing\.orders\s+expect_compound_columns_to_be_unique.*WARN", output)
    assert re.search(r"landing\.quarantine\s+expect_table_row_count_to_equal.*WARN.*1 row", output)
    assert re.search(r"fct_after_sales_requests\s+-\s+-\s+SKIP\s+.*absent", output)
    assert (tmp_path / "docs" / "index.html").is_file()
    assert list((tmp_path / "docs" / "validations").rglob("*.html"))


def test_rate_above_one_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad(
        "update marts.fct_seller_metrics set value = 1.2 "
        "where metric_id = 'confirmation_rate' and period_start = '2024-01-01'"
    )
    ok, output = check(db, ["fct_seller_metrics"])
    assert not ok
    line = failing_line(output, "fct_seller_metrics", "expect_column_values_to_be_between", "value")
    assert "1.2" in line and "_rate" in line


def test_fee_amount_not_billable_times_unit_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad("update marts.fct_fee_lines set amount = 8.00 where fee_line_id = 'f1'")
    ok, output = check(db, ["fct_fee_lines"])
    assert not ok
    line = failing_line(
        output, "fct_fee_lines", "expect_column_pair_values_to_be_equal", "billable_count"
    )
    assert "8.0 vs 7.5" in line


def test_billing_month_before_period_end_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad(
        "update marts.fct_fee_lines set billing_month = '2024-01-01' where fee_line_id = 'f2'"
    )
    ok, output = check(db, ["fct_fee_lines"])
    assert not ok
    line = failing_line(
        output, "fct_fee_lines", "expect_column_pair_values_a_to_be_greater_than_b", "billing_month"
    )
    assert "2024-01-01 vs 2024-01-31" in line


def test_duplicated_grain_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad(
        "insert into marts.fct_program_status "
        "select * from marts.fct_program_status where period_start = '2024-02-01'"
    )
    ok, output = check(db, ["fct_program_status"])
    assert not ok
    failing_line(output, "fct_program_status", "expect_compound_columns_to_be_unique", "seller_id")


def test_email_column_in_a_mart_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad("alter table marts.dim_sellers add column email varchar")
    ok, output = check(db, ["marts_columns"])
    assert not ok
    line = failing_line(
        output, "marts_columns", "expect_column_values_to_not_match_regex", "mart_column"
    )
    assert "dim_sellers.email" in line


def test_unknown_status_fails(make_bad: Callable[[str], Path]) -> None:
    db = make_bad(
        "update marts.fct_program_status set status = 'legendary' where period_start = '2024-02-01'"
    )
    ok, output = check(db, ["fct_program_status"])
    assert not ok
    line = failing_line(output, "fct_program_status", "expect_column_values_to_be_in_set", "status")
    assert "'legendary'" in line


def test_program_outside_the_registry_fails(make_bad: Callable[[str], Path]) -> None:
    """fct_program_status's program ids come from dbt_project.yml's var programs."""
    db = make_bad(
        "update marts.fct_program_status set program_id = 'kkday_gold_club' "
        "where period_start = '2024-02-01'"
    )
    ok, output = check(db, ["fct_program_status"])
    assert not ok
    line = failing_line(
        output, "fct_program_status", "expect_column_values_to_be_in_set", "program_id"
    )
    assert "'kkday_gold_club'" in line
    suites = {s.name: s for s in list_suites(PROJECT)}
    in_set = [
        e.kwargs["value_set"]
        for e in suites["fct_program_status"].expectations
        if e.kwargs.get("column") == "program_id" and "value_set" in e.kwargs
    ]
    registry = yaml.safe_load((PROJECT / "dbt_project.yml").read_text(encoding="utf-8"))
    assert in_set == [list(registry["vars"]["programs"])]


def test_unknown_project_list_is_a_clear_error(tmp_path: Path) -> None:
    suite = tmp_path / "expectations" / "x.yml"
    suite.parent.mkdir()
    suite.write_text(
        "table: marts.x\nexpectations:\n  - expect_column_values_to_be_in_set:\n"
        "      {column: program_id, value_set: {project: programmes}}\n",
        encoding="utf-8",
    )
    with pytest.raises(SuiteFileError, match=r"x\.yml.*programmes.*program_ids"):
        load_suite_file(suite, PROJECT)


def test_no_sellers_fails_the_landing_volume(make_bad: Callable[[str], Path]) -> None:
    db = make_bad(
        "delete from staging.load_landing__sellers; delete from staging.base_landing__sellers"
    )
    ok, output = check(db, ["landing.sellers", "landing.sellers.staged"])
    assert not ok
    failing_line(output, "landing.sellers", "expect_table_row_count_to_be_between", "-")


def test_landing_suites_follow_the_contract() -> None:
    suites = {s.name: s for s in list_suites(PROJECT)}
    contract = read_contract(CONTRACT)
    assert {f"landing.{t.name}" for t in contract} <= set(suites)
    reviews = suites["landing.reviews"]
    in_set = [e for e in reviews.expectations if e.type == "expect_column_values_to_be_in_set"]
    assert any(e.kwargs.get("value_set") == [5, 10] for e in in_set)


def test_unknown_suite_and_missing_warehouse_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(QualityError, match="Unknown suite"):
        run_checks(tmp_path / "x.duckdb", suites=["nope"], project_dir=PROJECT)
    with pytest.raises(QualityError, match="No warehouse"):
        run_checks(tmp_path / "x.duckdb", project_dir=PROJECT)


def _loaded_orders(count: int, bad_quantity: dict[int, str], repeated: set[int]) -> str:
    """`count` loaded orders rows (numbered 0..), quantity text of some rows replaced, some
    order ids loaded twice (a re-export)."""
    return (
        "insert into staging.load_landing__order_lines (_landed_marketplace, _landed_order_id,"
        " _landed_line_id, _landed_product_id, _landed_quantity, _landed_unit_price) "
        "select 'kkday', 'o' || i, 'l1', 'p1', "
        f"case i {' '.join(f'when {i} then {v!r}' for i, v in bad_quantity.items())} "
        "else '2' end, '150.00' "
        f"from range({count}) as t(i), range(2) as r(copy) "
        f"where copy = 0 or i in ({', '.join(map(str, repeated)) or '-1'})"
    )


def test_a_table_above_the_cap_is_sampled_with_exact_counts(
    good_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """12,000 landed order lines, checked with sample.max_rows 1,000: Great Expectations gets
    a frame of about 1,000 rows (plus the few unexpected rows it shows as examples), while the
    counts reported are those of every row."""
    import seller_standing.quality.runner as runner
    from seller_standing.quality import data

    db = tmp_path / "big.duckdb"
    shutil.copy(good_db, db)
    con = duckdb.connect(str(db))
    bad = {17: "two", 4242: "3.5", 9001: "x"}
    con.execute("delete from staging.load_landing__order_lines")
    con.execute(_loaded_orders(12_000, bad, repeated={5, 6000}))
    con.close()
    project = tmp_path / "project"
    shutil.copytree(PROJECT / "expectations", project / "expectations")
    shutil.copytree(PROJECT / "models/staging/landing", project / "models/staging/landing")
    shutil.copy(PROJECT / "dbt_project.yml", project / "dbt_project.yml")
    landing = project / "expectations" / "landing.yml"
    landing.write_text(
        landing.read_text(encoding="utf-8").replace("max_rows: 100000", "max_rows: 1000"),
        encoding="utf-8",
    )
    frames: list[data.Frame] = []

    def recording(con: duckdb.DuckDBPyConnection, suite: object) -> data.Frame:
        frame = data.read_frame(con, suite)  # type: ignore[arg-type]
        frames.append(frame)
        return frame

    monkeypatch.setattr(runner, "read_frame", recording)
    out = io.StringIO()
    run_checks(db, suites=["landing.order_lines"], out=out, project_dir=project)
    output = out.getvalue()
    (frame,) = frames
    assert frame.total_rows == 12_002 and frame.df is not None
    assert 800 <= frame.sample_rows <= 1_200, frame.sample_rows
    # the sample plus at most EXAMPLE_ROWS per failing check: far from the 12,002 rows
    assert len(frame.df) <= frame.sample_rows + 4 * data.EXAMPLE_ROWS
    regex = next(
        line
        for line in output.splitlines()
        if "expect_column_values_to_match_regex" in line and "quantity" in line
    )
    assert "3 of 12,002 rows unexpected" in regex, regex
    assert all(f"'{v}'" in regex for v in bad.values()), regex
    unique = next(
        line for line in output.splitlines() if "expect_compound_columns_to_be_unique" in line
    )
    assert "4 of 12,002 rows duplicated" in unique, unique
    assert re.search(r"landing\.order_lines has 12,002 rows.*sample of", output), output


def test_landing_suites_read_no_landing_file(built_warehouse: Workspace, tmp_path: Path) -> None:
    """A copy of a real build file without its landing views (which read the landing files):
    the landing suites still run, with the same results."""
    original = tmp_path / "built.duckdb"
    shutil.copy(built_warehouse.build_db, original)
    cut = tmp_path / "no_landing_views.duckdb"
    shutil.copy(original, cut)
    con = duckdb.connect(str(cut))
    views = con.execute(
        "select view_name from duckdb_views() where schema_name = 'landing'"
    ).fetchall()
    assert views, "the build file has no landing views to take away"
    for (name,) in views:
        con.execute(f'drop view landing."{name}"')
    con.close()
    results = []
    for db in (original, cut):
        out = io.StringIO()
        ok = run_checks(db, suites=["landing"], out=out, project_dir=PROJECT)
        lines = [line for line in out.getvalue().splitlines() if line.startswith("landing.")]
        results.append((ok, lines))
    assert results[0][1], "no landing results"
    assert results[0] == results[1]
