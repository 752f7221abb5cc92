"""The DuckDB/Spark parity check: what counts as the same row, and what it shows when not.

The Spark side is a folder of Parquet files laid out as Spark's warehouse writes them
(marts.db/<mart>/*.parquet); here DuckDB writes them, so no Spark is needed."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from seller_standing.parity import compare, report
from seller_standing.settings import SettingError, check_environment

ROWS = [
    ("s1", "12.34", 0.1 + 0.2, "2026-01-01 10:00:00"),
    ("s2", "0.01", 1.0 / 3.0, "2026-02-01 23:59:59"),
]


def _warehouses(tmp_path: Path, spark_rows: list[tuple]) -> tuple[Path, Path]:
    db = tmp_path / "duck.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_x (seller_id varchar, amount decimal(18, 2), "
        "value double, at_utc timestamp)"
    )
    con.executemany("insert into marts.fct_x values (?, ?, ?, ?)", ROWS)
    con.close()
    folder = tmp_path / "spark" / "marts.db" / "fct_x"
    folder.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        "create table t (seller_id varchar, amount decimal(18, 2), value double, at_utc timestamp)"
    )
    con.executemany("insert into t values (?, ?, ?, ?)", spark_rows)
    con.execute(f"copy t to '{folder / 'part-00000.parquet'}' (format parquet)")
    con.close()
    return db, tmp_path / "spark"


def test_same_rows_within_tolerance_are_identical(tmp_path: Path) -> None:
    # Spark's rows in another order, a double off by 1e-13, a timestamp off by 0.4 s.
    spark = [
        ("s2", "0.01", 1.0 / 3.0 + 1e-13, "2026-02-01 23:59:59.4"),
        ("s1", "12.34", 0.30000000000000004, "2026-01-01 10:00:00"),
    ]
    db, warehouse = _warehouses(tmp_path, spark)
    [result] = compare(db, warehouse)
    assert result.identical, result.problems
    assert (result.duckdb_rows, result.spark_rows) == (2, 2)


def test_a_cent_of_difference_fails_and_shows_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spark = [ROWS[0], ("s2", "0.02", 1.0 / 3.0, "2026-02-01 23:59:59")]
    db, warehouse = _warehouses(tmp_path, spark)
    assert report(db, warehouse) == 1
    out = capsys.readouterr().out
    assert "fct_x" in out and "DIFFERS" in out
    assert "first difference at sorted row 2 (columns amount)" in out
    assert "amount=Decimal('0.01')" in out and "amount=Decimal('0.02')" in out


def test_a_double_off_by_more_than_1e_9_and_a_missing_row_fail(tmp_path: Path) -> None:
    db, warehouse = _warehouses(tmp_path, [("s1", "12.34", 0.3 + 2e-9, "2026-01-01 10:00:00")])
    [result] = compare(db, warehouse)
    assert not result.identical
    assert "row counts differ: DuckDB 2, Spark 1" in result.problems
    assert any("columns value" in line for line in result.problems)


def test_the_spark_target_is_a_setting() -> None:
    assert check_environment({"SELLER_STANDING_TARGET": "spark"}) == []
    assert check_environment({"SELLER_STANDING_SPARK_DIR": "/tmp/x"}) == []
    with pytest.raises(SettingError):
        check_environment({"SELLER_STANDING_TARGET": "sparkle"})


def test_spark_build_checks_landing_files_before_spark_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spark command stops on what Spark's permissive CSV reader would let through."""
    import io

    from seller_standing.spark import run

    (tmp_path / "sellers").mkdir()
    monkeypatch.setenv("SELLER_STANDING_RAW_DIR", str(tmp_path))
    monkeypatch.setenv("SELLER_STANDING_SPARK_DIR", str(tmp_path / "state"))
    csv_file = tmp_path / "sellers" / "sellers.csv"
    csv_file.write_bytes(b"marketplace,seller_id,seller_name\nkkday,k1\n")
    out = io.StringIO()
    assert run(["build"], "2026-11-01", out=out) == 1
    assert "sellers/sellers.csv, line 2: 2 fields, but the header has 3" in out.getvalue()
    csv_file.write_bytes(b"marketplace,seller_id,seller_name\nkkday,k1,M\xfcller\n")
    out = io.StringIO()
    assert run(["build"], "2026-11-01", out=out) == 1
    assert "is not UTF-8 text: byte 0xfc" in out.getvalue()
    assert not (tmp_path / "state").exists()  # nothing started


def test_parity_landing_refuses_wrong_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from seller_standing.parity import main

    assert main(["landing", str(tmp_path / "missing"), str(tmp_path / "out")]) == 2
    assert "does not exist (or is not a folder)" in capsys.readouterr().out
    (tmp_path / "raw" / "sellers").mkdir(parents=True)
    argv = ["landing", str(tmp_path / "raw"), str(tmp_path / "out"), "--evaluation-date"]
    assert main([*argv, "2026-02-30"]) == 2
    assert "--evaluation-date='2026-02-30' is not valid" in capsys.readouterr().out
    # the landing folder inside a folder the command empties
    assert main(["landing", str(tmp_path / "out" / "duckdb" / "raw"), str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()


def test_parity_landing_stops_on_a_bad_file_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from seller_standing.parity import main

    (tmp_path / "raw" / "sellers").mkdir(parents=True)
    (tmp_path / "raw" / "sellers" / "sellers.csv").write_bytes(
        b"marketplace,seller_id,seller_name\nkkday,k1,a,b\n"
    )
    assert main(["landing", str(tmp_path / "raw"), str(tmp_path / "out")]) == 1
    out = capsys.readouterr().out
    assert "stops the build on both engines" in out
    assert "sellers/sellers.csv, line 2: 4 fields, but the header has 3" in out
    assert "Traceback" not in out
    assert not (tmp_path / "out" / "duckdb").exists()  # no build started


def test_parity_landing_reports_a_failed_duckdb_build_and_skips_spark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import seller_standing.parity as parity
    import seller_standing.spark as spark

    (tmp_path / "raw" / "sellers").mkdir(parents=True)
    seen: list[tuple[Path, str]] = []

    def failed_build(raw: Path, duck: Path, evaluation_date: str) -> tuple[int, float, str]:
        seen.append((raw, evaluation_date))
        return 1, 3.0, "Runtime Error in model load_landing__sellers: something"

    def no_spark(*args: object, **kwargs: object) -> int:
        raise AssertionError("Spark must not start after a failed DuckDB build")

    monkeypatch.setattr(parity, "_duckdb_build", failed_build)
    monkeypatch.setattr(spark, "run", no_spark)
    argv = ["landing", str(tmp_path / "raw"), str(tmp_path / "out")]
    assert parity.main([*argv, "--evaluation-date", "2026-11-01"]) == 1
    out = capsys.readouterr().out
    assert seen == [((tmp_path / "raw").resolve(), "2026-11-01")]
    assert "the DuckDB build of" in out and "Runtime Error in model load_landing__sellers" in out


def test_spark_dbt_output_goes_to_its_log_and_the_console_gets_progress(tmp_path: Path) -> None:
    """The Spark build's dbt output (thousands of lines of Spark warnings) is written whole to
    its log; the console gets a line per tenth of the nodes, every failure and the tally."""
    import io
    import sys

    from seller_standing.spark import _logged

    hooks = [f"10:00:00  {n} of 2 OK hook: seller_standing.on-run-start.{n} [OK]" for n in (1, 2)]
    lines = hooks + [
        f"10:00:00  {n} of 20 OK created sql table model m{n} [OK in 0.1s]" for n in range(1, 21)
    ]
    lines[9] = "10:00:00  8 of 20 FAIL 3 not_null_m_x ............ [FAIL 3 in 0.1s]"
    lines += ["WARN JVM noise line", "10:00:01  Done. PASS=19 WARN=0 ERROR=1 SKIP=0 TOTAL=20"]
    script = tmp_path / "fake_dbt.py"
    script.write_text(f"import sys\nprint({chr(10).join(lines)!r})\nsys.exit(1)\n")
    log = tmp_path / "spark-dbt.log"
    out = io.StringIO()
    code = _logged([sys.executable, str(script)], {}, log, out, "build")
    assert code == 1
    assert log.read_text(encoding="utf-8").splitlines() == lines
    shown = out.getvalue().splitlines()
    assert "  8 of 20 FAIL 3 not_null_m_x ............ [FAIL 3 in 0.1s]" in shown
    assert "  Done. PASS=19 WARN=0 ERROR=1 SKIP=0 TOTAL=20" in shown
    assert "WARN JVM noise line" not in out.getvalue()
    # the hooks' count, then the nodes' (a tenth of them at a time; the failed 8th is shown
    # as a failure, so the next tenth shown is at the 9th)
    assert [s for s in shown if "nodes" in s] == [
        "  dbt build: 1/2 nodes",
        "  dbt build: 2/2 nodes",
        *(f"  dbt build: {n}/20 nodes" for n in (1, 2, 4, 6, 9, 10, 12, 14, 16, 18, 20)),
    ]
