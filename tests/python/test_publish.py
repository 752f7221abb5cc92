"""The published warehouse: readers holding it open never block a build, a failed check never
publishes, and rebuilding is idempotent with stable fee_line_ids."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from _warehouse import Workspace, from_test_build, output_of, small_landing

from seller_standing.publish import publish

MARTS = (
    "dim_sellers",
    "fct_seller_metrics",
    "fct_program_status",
    "fct_fee_lines",
    "fct_after_sales_requests",
    "fct_quarantined_rows",
)


def _snapshot(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {m: con.execute(f"select * from marts.{m} order by all").fetchall() for m in MARTS}
    finally:
        con.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A workspace with a first build: a copy of the one `make test` made, else built here."""
    root = tmp_path_factory.mktemp("publish")
    ws = Workspace(root)
    if not from_test_build(ws):
        small_landing(ws.raw, root / "cache")
        first = ws.build()
        assert first.returncode == 0, output_of(first)[-4000:]
    return ws


def test_reader_holding_the_file_open_does_not_block_the_next_build(
    workspace: Workspace,
) -> None:
    ws = workspace
    before = _snapshot(ws.published)

    # A BI tool holds the published file open (read-only) for the whole next build.
    reader = duckdb.connect(str(ws.published), read_only=True)
    try:
        # Unrelated new rows: a new Ovoko seller with one order, in a file of its own.
        ws.write(
            "sellers",
            "zz_new_seller.csv",
            "marketplace,seller_id,seller_name,country_code,registered_at\n"
            "ovoko,new-s1,Fresh Parts,LT,2024-01-01T00:00:00Z\n",
        )
        ws.write(
            "orders",
            "zz_new_seller.csv",
            "marketplace,order_id,seller_id,ordered_at,currency,status\n"
            "ovoko,new-o1,new-s1,2025-05-10T10:00:00Z,EUR,placed\n",
        )
        # the quality suites have nothing to do with it (they ran on the build this one follows)
        second = ws.build("--skip-checks")
        assert second.returncode == 0, output_of(second)[-4000:]
        # the open reader still sees the build it opened...
        assert reader.execute(
            "select count(*) from marts.dim_sellers where seller_id = 'new-s1'"
        ).fetchone() == (0,)
    finally:
        reader.close()
    # ...and a new reader sees the new one
    after = _snapshot(ws.published)
    assert ("ovoko", "new-s1") in {(r[0], r[1]) for r in after["dim_sellers"]}

    # Unrelated rows change no existing fee line: same ids, same amounts.
    assert before["fct_fee_lines"], "the small landing set should produce fee lines"
    assert set(before["fct_fee_lines"]) <= set(after["fct_fee_lines"])


def test_rebuilding_the_same_data_gives_identical_marts(workspace: Workspace) -> None:
    ws = workspace
    before = _snapshot(ws.published)
    # the quality suites have nothing to do with it (they run on the builds above)
    again = ws.build("--skip-checks")
    assert again.returncode == 0, output_of(again)[-4000:]
    assert _snapshot(ws.published) == before


def test_failed_build_keeps_the_previous_warehouse(workspace: Workspace) -> None:
    ws = workspace
    before = _snapshot(ws.published)
    reader = duckdb.connect(str(ws.published), read_only=True)
    try:
        ws.write(
            "orders",
            "zz_broken.csv",
            "marketplace,order_id,ordered_at,currency,status\n"
            "ovoko,x1,2025-05-10T10:00:00Z,EUR,placed\n",
        )
        failed = ws.build()
        assert failed.returncode != 0
        assert "was not published" in output_of(failed) or "has no column" in output_of(failed)
    finally:
        reader.close()
        (ws.raw / "orders" / "zz_broken.csv").unlink()
    assert _snapshot(ws.published) == before


def test_failing_quality_suite_never_publishes(tmp_path: Path) -> None:
    """publish() is only reached after the checks; here the check itself fails."""
    from seller_standing.build import BuildError, build
    from seller_standing.paths import Paths

    raw = tmp_path / "raw"
    small_landing(raw, tmp_path / "cache")
    published = tmp_path / "published.duckdb"
    con = duckdb.connect(str(published))
    con.execute("create table marker as select 'previous build' as what")
    con.close()
    paths = Paths(
        raw_dir=raw,
        published_db=published,
        build_db=tmp_path / "b.duckdb",
        temp_dir=tmp_path / "tmp",
        docs_dir=tmp_path / "docs",
    )

    import seller_standing.build as build_module

    calls: list[str] = []

    def fake_dbt(args: list[str], _paths: Paths, _out: object, verbose: bool = False) -> None:
        calls.append(args[0])
        db = duckdb.connect(str(_paths.build_db))
        db.execute("create schema marts")
        db.execute("create table marts.fct_seller_metrics (value double)")
        db.close()

    def failing_checks(*_args: object, **_kwargs: object) -> bool:
        return False

    original = build_module.run_dbt
    build_module.run_dbt = fake_dbt  # type: ignore[assignment]
    import seller_standing.quality as quality

    original_checks = quality.run_checks
    quality.run_checks = failing_checks  # type: ignore[assignment]
    try:
        with pytest.raises(BuildError, match="NOT published"):
            build(paths)
    finally:
        build_module.run_dbt = original  # type: ignore[assignment]
        quality.run_checks = original_checks  # type: ignore[assignment]
    assert calls == ["build"]
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("select what from marker").fetchone() == ("previous build",)
    con.close()


def test_publish_replaces_atomically_while_a_reader_is_open(tmp_path: Path) -> None:
    build_db = tmp_path / "build.duckdb"
    published = tmp_path / "pub.duckdb"
    for generation in (1, 2):
        con = duckdb.connect(str(build_db))
        con.execute("create schema if not exists marts")
        con.execute("create or replace table marts.t as select ? as generation", [generation])
        con.close()
        if generation == 1:
            publish(build_db, published)
            reader = duckdb.connect(str(published), read_only=True)
        else:
            publish(build_db, published)
    assert reader.execute("select generation from marts.t").fetchone() == (1,)
    reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("select generation from marts.t").fetchone() == (2,)
    fresh.close()
    assert not list(tmp_path.glob(".pub.duckdb.*.tmp"))
    assert not list(tmp_path.glob("parquet/.*"))
    assert duckdb.sql(f"select generation from '{tmp_path}/parquet/t.parquet'").fetchall() == [(2,)]


def test_publish_keeps_only_marts_and_rules_with_their_comments(tmp_path: Path) -> None:
    build_db = tmp_path / "build.duckdb"
    con = duckdb.connect(str(build_db))
    con.execute(
        """
        create schema landing; create schema staging; create schema marts; create schema rules;
        create table staging.sellers as select 's1' as seller_id, 'a@example.com' as email;
        create view landing.sellers as select * from staging.sellers;
        create table marts.dim_sellers (seller_id varchar primary key, seller_name varchar);
        insert into marts.dim_sellers values ('s1', 'Sunny Tours');
        comment on table marts.dim_sellers is 'One row per seller.';
        comment on column marts.dim_sellers.seller_id is 'Seller key.';
        create table rules.fees as select 0.015 as rate;
        create table main.scratch as select 1 as x;
        """
    )
    con.close()
    published = publish(build_db, tmp_path / "pub.duckdb")
    con = duckdb.connect(str(published), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() order by all"
        ).fetchall()
        assert tables == [
            ("marts", "dim_sellers", "One row per seller."),
            ("rules", "fees", None),
        ]
        assert (
            con.execute("select count(*) from duckdb_views() where not internal").fetchone()[0] == 0
        )
        assert con.execute(
            "select comment from duckdb_columns() where column_name = 'seller_id'"
        ).fetchall() == [("Seller key.",)]
        # the constraints survive
        [(ddl,)] = con.execute(
            "select sql from duckdb_tables() where table_name = 'dim_sellers'"
        ).fetchall()
        assert "PRIMARY KEY" in ddl
    finally:
        con.close()
    assert sorted(p.name for p in (tmp_path / "parquet").iterdir()) == ["dim_sellers.parquet"]


def test_publishing_a_build_without_marts_fails_and_keeps_the_previous_file(
    tmp_path: Path,
) -> None:
    from seller_standing.publish import PublishError

    published = tmp_path / "pub.duckdb"
    con = duckdb.connect(str(published))
    con.execute("create table marker as select 'previous' as what")
    con.close()
    build_db = tmp_path / "build.duckdb"
    duckdb.connect(str(build_db)).close()
    with pytest.raises(PublishError, match="no tables in schema 'marts'"):
        publish(build_db, published)
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("select what from marker").fetchone() == ("previous",)
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
