"""Bad exports, tried for real: each case is a landing folder and an asserted outcome.

Either the build stops with a message naming the file and the column (and what to do), or
the bad rows are quarantined with their reason and everything else builds. The quarantine
cases share one build (each case writes its own file, so the outcome is read back per file);
the stopping cases need a build each, cut short by the failure.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from _warehouse import EVALUATION_DATE, Workspace, output_of, small_landing

ORDER_HEADER = "marketplace,order_id,seller_id,ordered_at,currency,status"
LINE_HEADER = "marketplace,order_id,line_id,product_id,quantity,unit_price,vat_rate"


@pytest.fixture(scope="session")
def landing_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("landing") / "raw"


def _workspace(tmp_path: Path, landing_cache: Path) -> Workspace:
    ws = Workspace(tmp_path)
    small_landing(ws.raw, landing_cache)
    return ws


@pytest.fixture(scope="module")
def quarantine_build(
    tmp_path_factory: pytest.TempPathFactory, landing_cache: Path
) -> tuple[Workspace, str]:
    """One landing folder holding every row-level case; built once."""
    ws = _workspace(tmp_path_factory.mktemp("quarantine"), landing_cache)
    # unknown extra column: ignored and reported; its row is staged
    ws.write(
        "orders",
        "zz_extra_column.csv",
        f"{ORDER_HEADER},promo_code\novoko,bad-o1,ov-s0001,2025-05-10T10:00:00Z,EUR,placed,X1\n",
    )
    # text in a number column
    ws.write(
        "order_lines",
        "zz_text_number.csv",
        f"{LINE_HEADER}\novoko,ov-o000001,bad-l1,p1,two,10.00,0.21\n",
    )
    # negative quantity and negative price
    ws.write(
        "order_lines",
        "zz_negative.csv",
        f"{LINE_HEADER}\novoko,ov-o000001,bad-l2,p1,-1,10.00,0.21\n"
        "ovoko,ov-o000001,bad-l3,p1,1,-5.00,0.21\n",
    )
    # empty file and header-only file: no rows, no error
    ws.write("returns", "zz_empty.csv", "")
    ws.write(
        "cancellations",
        "zz_header_only.csv",
        "marketplace,cancellation_id,order_id,cancelled_at,initiated_by,reason_code\n",
    )
    # the same key in two export files: the later _exported_at wins
    ws.write(
        "orders",
        "zz_dup_a.csv",
        f"{ORDER_HEADER},_exported_at\n"
        "ovoko,dup-o1,ov-s0001,2025-05-11T10:00:00Z,EUR,delivered,2025-06-02T00:00:00Z\n",
    )
    ws.write(
        "orders",
        "zz_dup_b.csv",
        f"{ORDER_HEADER},_exported_at\n"
        "ovoko,dup-o1,ov-s0001,2025-05-11T10:00:00Z,EUR,placed,2025-05-12T00:00:00Z\n",
    )
    # a key exported four times in two files. Only rows that meet the contract compete: the
    # latest export breaks it (unknown seller) and the second latest (unknown status), so
    # each keeps its own reason and the oldest valid export is superseded by the newer one
    ws.write(
        "orders",
        "zz_dup_c.csv",
        f"{ORDER_HEADER},_exported_at\n"
        "ovoko,dup-o2,ov-s0001,2025-05-11T10:00:00Z,EUR,placed,2025-05-12T00:00:00Z\n"
        "ovoko,dup-o2,ov-s0001,2025-05-11T10:00:00Z,EUR,shipped,2025-05-20T00:00:00Z\n",
    )
    ws.write(
        "orders",
        "zz_dup_d.csv",
        f"{ORDER_HEADER},_exported_at\n"
        "ovoko,dup-o2,nobody,2025-05-11T10:00:00Z,EUR,delivered,2025-06-05T00:00:00Z\n"
        "ovoko,dup-o2,ov-s0001,2025-05-11T10:00:00Z,EUR,lost,2025-06-01T00:00:00Z\n",
    )
    # unknown marketplace; an order of an unknown seller
    ws.write(
        "sellers",
        "zz_unknown_marketplace.csv",
        "marketplace,seller_id,seller_name,country_code,registered_at\n"
        "etsy,et-1,Crafts,US,2024-01-01T00:00:00Z\n",
    )
    ws.write(
        "orders",
        "zz_unknown_seller.csv",
        f"{ORDER_HEADER}\novoko,ghost-o1,nobody,2025-05-10T10:00:00Z,EUR,placed\n",
    )
    # rows pointing at rows that are not staged: a return of an unknown line, a dispute of an
    # unknown request
    ws.write(
        "returns",
        "zz_unknown_line.csv",
        "marketplace,return_id,order_id,line_id,quantity,requested_at,reason_code,status\n"
        "ovoko,bad-rt1,ov-o000001,no-such-line,1,2025-05-20T10:00:00Z,not_working,processing\n",
    )
    ws.write(
        "disputes",
        "zz_unknown_request.csv",
        "marketplace,dispute_id,request_id,opened_at,liability\n"
        "kuaishou,bad-d1,no-such-request,2022-01-10T10:00:00Z,merchant\n",
    )
    # ratings outside their scale
    ws.write(
        "reviews",
        "zz_rating_scale.csv",
        "marketplace,review_id,seller_id,rating,rating_scale,reviewed_at\n"
        "kkday,bad-r1,kk-s0001,6,5,2026-08-10T10:00:00+08:00\n"
        "kkday,bad-r2,kk-s0001,11,10,2026-08-10T10:00:00+08:00\n",
    )
    # timestamps with and without offset (the same instant), a local time skipped by the
    # spring DST change (does not exist) and one repeated by the autumn change (ambiguous)
    ws.write(
        "orders",
        "zz_timestamps.csv",
        f"{ORDER_HEADER}\n"
        "ovoko,ts-local,ov-s0001,2025-05-10 13:00:00,EUR,placed\n"
        "ovoko,ts-utc,ov-s0001,2025-05-10T10:00:00Z,EUR,placed\n"
        "ovoko,ts-offset,ov-s0001,2025-05-10T12:00:00+02:00,EUR,placed\n"
        "ovoko,ts-gap,ov-s0001,2025-03-30 03:30:00,EUR,placed\n"
        "ovoko,ts-fold,ov-s0001,2025-10-26 03:30:00,EUR,placed\n"
        # a date alone is local midnight (its '-10' is the day, not an offset); ' UTC' is UTC;
        # an offset needs a time to follow
        "ovoko,ts-date,ov-s0001,2025-05-10,EUR,placed\n"
        "ovoko,ts-utc-word,ov-s0001,2025-05-10 10:00:00 UTC,EUR,placed\n"
        "ovoko,ts-date-z,ov-s0001,2025-05-10Z,EUR,placed\n",
    )
    # dates after evaluation_date: staged, never evaluated
    ws.write(
        "orders",
        "zz_future.csv",
        f"{ORDER_HEADER}\novoko,future-o1,ov-s0001,2027-01-05T10:00:00Z,EUR,placed\n",
    )
    # a UTF-8 byte-order mark before the header
    ws.write(
        "sellers",
        "zz_bom.csv",
        "\ufeffmarketplace,seller_id,seller_name,country_code,registered_at\n"
        "ovoko,bom-s1,Ąžuolas Parts,LT,2024-01-01T00:00:00Z\n",
    )
    # Parquet whose quantity column is text
    pq.write_table(
        pa.table(
            {
                "marketplace": ["ovoko"],
                "order_id": ["ov-o000001"],
                "line_id": ["pq-l1"],
                "product_id": ["p1"],
                "quantity": ["lots"],
                "unit_price": [10.0],
                "vat_rate": [0.21],
            }
        ),
        ws.raw / "order_lines" / "zz_wrong_type.parquet",
    )
    # a line whose first field is empty: quarantined, not read as a blank line
    ws.write(
        "orders",
        "zz_empty_first_field.csv",
        f"{ORDER_HEADER}\n,ef-o1,ov-s0001,2025-05-10T10:00:00Z,EUR,placed\n",
    )
    # an unknown reason code: staged, reported by the quality suite, not seller fault
    ws.write(
        "cancellations",
        "zz_unknown_reason.csv",
        "marketplace,cancellation_id,order_id,cancelled_at,initiated_by,reason_code\n"
        "ovoko,bad-c1,ov-o000001,2025-05-02T10:00:00Z,seller,alien_abduction\n",
    )
    _unusual_exports(ws)
    _large_exports(ws)
    result = ws.build()
    assert result.returncode == 0, output_of(result)[-6000:]
    return ws, output_of(result)


def _unusual_exports(ws: Workspace) -> None:
    """Issue 9 cases that build: fractional integers, compressed CSV, system files, trailing
    lines of spaces."""
    # a fractional value in every integer column of the contract (and a whole '2.0')
    ws.write(
        "orders",
        "zz_fraction.csv",
        f"{ORDER_HEADER},confirm_mode,confirm_within_hours,confirm_days_before_departure\n"
        "kkday,fr-o1,kk-s0001,2026-08-01T09:00:00+08:00,TWD,completed,within_hours,2.5,\n"
        "kkday,fr-o2,kk-s0001,2026-08-01T09:00:00+08:00,TWD,completed,before_departure,,1.5\n",
    )
    ws.write(
        "order_lines",
        "zz_fraction.csv",
        f"{LINE_HEADER}\novoko,ov-o000001,fr-l1,p1,2.5,10.00,0.21\n"
        "ovoko,ov-o000001,fr-l2,p1,2.0,10.00,0.21\n",
    )
    ws.write(
        "cancellations",
        "zz_fraction.csv",
        "marketplace,cancellation_id,order_id,cancelled_at,initiated_by,reason_code,line_id,"
        "quantity\novoko,fr-c1,ov-o000001,2025-05-02T10:00:00Z,customer,buyer_request,"
        "ov-l000001,0.5\n",
    )
    ws.write(
        "returns",
        "zz_fraction.csv",
        "marketplace,return_id,order_id,line_id,quantity,requested_at,reason_code,status\n"
        "ovoko,fr-rt1,ov-o000001,ov-l000001,1.5,2025-05-20T10:00:00Z,not_working,processing\n",
    )
    ws.write(
        "reviews",
        "zz_fraction.csv",
        "marketplace,review_id,seller_id,rating,rating_scale,reviewed_at\n"
        "kkday,fr-r1,kk-s0001,4,5.5,2026-08-10T10:00:00+08:00\n",
    )
    ws.write(
        "violations",
        "zz_fraction.csv",
        "marketplace,violation_id,seller_id,occurred_at,category,points,status\n"
        "kkday,fr-v1,kk-s0001,2026-08-10T10:00:00+08:00,late_confirmation,2.5,confirmed\n",
    )
    # compressed CSV: read like CSV
    ws.write(
        "orders",
        "zz_gzip.csv.gz",
        gzip.compress(
            f"{ORDER_HEADER}\novoko,gz-o1,ov-s0001,2025-05-10T10:00:00Z,EUR,placed\n".encode()
        ),
    )
    con = duckdb.connect()
    con.execute(
        "copy (select 'ovoko' as marketplace, 'zst-o1' as order_id, 'ov-s0001' as seller_id, "
        "'2025-05-10T10:00:00Z' as ordered_at, 'EUR' as currency, 'placed' as status) "
        f"to '{ws.raw / 'orders' / 'zz_zstd.csv.zst'}' (format csv, header true, compression zstd)"
    )
    con.close()
    # hidden and operating-system files: ignored, and said so
    ws.write("orders", ".DS_Store", b"\x00\x00\x00\x01Bud1\x00")
    ws.write("orders", "._orders_2025.csv", b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    ws.write("orders", "Thumbs.db", b"\xd0\xcf\x11\xe0")
    ws.write("orders", "README.txt", "Exported from the seller portal.\n")
    # lines holding only spaces at the end of a file: ignored like empty lines
    ws.write(
        "orders",
        "zz_trailing_spaces.csv",
        f"{ORDER_HEADER}\novoko,ws-o1,ov-s0001,2025-05-10T10:00:00Z,EUR,placed\n   \n\n  \n",
    )


# Data row 200,000 of the large CSV holds only spaces; every other data row r holds order
# big-o<r>. Parquet row r (1-based) holds order pqbig-o<r>; in the Parquet file with a column
# of its own named file_row_number (DuckDB's name for the row number it adds), order pqown-o<r>.
LARGE_CSV_ROWS = 300_000
LARGE_PARQUET_ROWS = 50_000
OWN_ROW_NUMBER_ROWS = 20_000


def _large_exports(ws: Workspace) -> None:
    """Files of many row groups: their rows are copied and typed on every thread, and must
    keep the data row they have in the file."""
    order = "ovoko,big-o{},ov-s0001,2025-05-10T10:00:00Z,EUR,placed"
    lines = [ORDER_HEADER]
    for row in range(1, LARGE_CSV_ROWS + 1):
        lines.append("   " if row == 200_000 else order.format(row))
    ws.write("orders", "zz_large.csv", "\n".join(lines) + "\n")
    _orders_parquet(ws, "zz_large.parquet", "pqbig-o", LARGE_PARQUET_ROWS, row_group_size=5_000)
    # its own file_row_number column counts down
    _orders_parquet(
        ws,
        "zz_own_row_number.parquet",
        "pqown-o",
        OWN_ROW_NUMBER_ROWS,
        row_group_size=2_000,
        file_row_number=[OWN_ROW_NUMBER_ROWS - row for row in range(1, OWN_ROW_NUMBER_ROWS + 1)],
    )


def _orders_parquet(
    ws: Workspace, name: str, prefix: str, count: int, row_group_size: int, **extra: list
) -> None:
    """A Parquet file of `count` ovoko orders; row r (1-based) holds order <prefix><r>."""
    rows = range(1, count + 1)
    columns = {
        "marketplace": ["ovoko"] * count,
        "order_id": [f"{prefix}{row}" for row in rows],
        "seller_id": ["ov-s0001"] * count,
        "ordered_at": ["2025-05-11T10:00:00Z"] * count,
        "currency": ["EUR"] * count,
        "status": ["placed"] * count,
    }
    pq.write_table(
        pa.table(columns | extra), ws.raw / "orders" / name, row_group_size=row_group_size
    )


def test_rows_of_large_files_keep_their_data_row(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    for source_file, prefix, loaded in (
        ("orders/zz_large.csv", "big-o", LARGE_CSV_ROWS - 1),
        ("orders/zz_large.parquet", "pqbig-o", LARGE_PARQUET_ROWS),
        ("orders/zz_own_row_number.parquet", "pqown-o", OWN_ROW_NUMBER_ROWS),
    ):
        [(count, numbered_as_written, last)] = ws.query(
            f"select count(*), count(*) filter (where order_id = '{prefix}' || _source_row),"
            " max(_source_row) from staging.load_landing__orders"
            f" where _source_file = '{source_file}'",
            ws.build_db,
        )
        assert (count, numbered_as_written) == (loaded, loaded), source_file
        assert last == (LARGE_CSV_ROWS if prefix == "big-o" else loaded)


def _quarantined(ws: Workspace, source_file: str) -> list[tuple[int, str, dict]]:
    rows = ws.query(
        "select source_row, reason, original_values from marts.fct_quarantined_rows "
        f"where source_file = '{source_file}' order by source_row"
    )
    return [(r[0], r[1], json.loads(r[2])) for r in rows]


def _staged(ws: Workspace, table: str, where: str) -> list[tuple]:
    return ws.query(f"select * from staging.stg_landing__{table} where {where}", ws.build_db)


def test_extra_column_is_ignored_and_reported(quarantine_build: tuple[Workspace, str]) -> None:
    ws, output = quarantine_build
    assert _staged(ws, "orders", "order_id = 'bad-o1'")
    assert "orders/zz_extra_column.csv: column 'promo_code' is not in the contract" in output
    notes = ws.query("select note from landing._load_notes", ws.build_db)
    assert any("promo_code" in n[0] for n in notes)


def test_text_in_number_column_is_quarantined(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    [(row, reason, values)] = _quarantined(ws, "order_lines/zz_text_number.csv")
    assert row == 1
    assert reason == "quantity is not a valid integer: two"
    assert values["quantity"] == "two"


def test_negative_quantity_and_price_are_quarantined(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    rows = _quarantined(ws, "order_lines/zz_negative.csv")
    assert [(r[0], r[1]) for r in rows] == [
        (1, "quantity -1 is below 1"),
        (2, "unit_price -5.00 is below 0"),
    ]


def test_empty_and_header_only_files_are_no_rows(quarantine_build: tuple[Workspace, str]) -> None:
    ws, output = quarantine_build
    assert "returns/zz_empty.csv: empty file (0 bytes), read as no rows" in output
    assert not _quarantined(ws, "returns/zz_empty.csv")
    assert not _quarantined(ws, "cancellations/zz_header_only.csv")


def test_duplicate_key_across_files_keeps_latest_export(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    assert _staged(ws, "orders", "order_id = 'dup-o1'") and ws.query(
        "select status, _source_file from staging.stg_landing__orders where order_id = 'dup-o1'",
        ws.build_db,
    ) == [("delivered", "orders/zz_dup_a.csv")]
    [(_, reason, _)] = _quarantined(ws, "orders/zz_dup_b.csv")
    assert reason.startswith("duplicate key: superseded by a later export")


def test_an_export_that_breaks_the_contract_does_not_supersede_a_valid_one(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    assert ws.query(
        "select status, _source_file, _source_row from staging.stg_landing__orders"
        " where order_id = 'dup-o2'",
        ws.build_db,
    ) == [("shipped", "orders/zz_dup_c.csv", 2)]
    [(row, reason, _)] = _quarantined(ws, "orders/zz_dup_c.csv")
    assert row == 1 and reason.startswith("duplicate key: superseded by a later export")
    assert sorted(r[:2] for r in _quarantined(ws, "orders/zz_dup_d.csv")) == [
        (1, "no sellers row with this seller_id: nobody"),
        (
            2,
            "status 'lost' is not one of placed, processed, shipped, delivered, completed,"
            " cancelled",
        ),
    ]


def test_unknown_marketplace_and_unknown_seller_are_quarantined(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    [(_, reason, _)] = _quarantined(ws, "sellers/zz_unknown_marketplace.csv")
    assert reason == "marketplace 'etsy' is not one of kkday, ovoko, kuaishou, fyndiq, booking"
    [(_, reason, _)] = _quarantined(ws, "orders/zz_unknown_seller.csv")
    assert reason == "no sellers row with this seller_id: nobody"


def test_rows_pointing_at_unstaged_rows_are_quarantined(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    [(_, reason, _)] = _quarantined(ws, "returns/zz_unknown_line.csv")
    assert reason == "no order_lines row with this order_id, line_id: ov-o000001, no-such-line"
    [(_, reason, _)] = _quarantined(ws, "disputes/zz_unknown_request.csv")
    assert reason == "no after_sales_requests row with this request_id: no-such-request"


def test_rating_outside_scale_is_quarantined(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    rows = _quarantined(ws, "reviews/zz_rating_scale.csv")
    assert [(r[0], r[1]) for r in rows] == [
        (1, "rating is above its rating_scale"),
        (2, "rating 11 is above 10; rating is above its rating_scale"),
    ]


def test_timestamps_with_and_without_offset_and_dst(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    staged = dict(
        ws.query(
            "select order_id, strftime(ordered_at_utc, '%Y-%m-%d %H:%M:%S') "
            "from staging.stg_landing__orders where order_id like 'ts-%'",
            ws.build_db,
        )
    )
    # 13:00 in Vilnius (UTC+3 in May), 10:00Z and 12:00+02:00 are one instant
    assert staged["ts-local"] == staged["ts-utc"] == staged["ts-offset"] == "2025-05-10 10:00:00"
    # 03:30 on 2025-10-26 happens twice in Vilnius: read as the second, standard time (UTC+2)
    assert staged["ts-fold"] == "2025-10-26 01:30:00"
    # midnight in Vilnius (UTC+3) is 21:00 UTC the day before
    assert staged["ts-date"] == "2025-05-09 21:00:00"
    assert staged["ts-utc-word"] == "2025-05-10 10:00:00"
    assert "ts-gap" not in staged and "ts-date-z" not in staged
    assert any("ts-date-z" in r[2].values() for r in _quarantined(ws, "orders/zz_timestamps.csv"))
    [(_, reason, _)] = [
        r for r in _quarantined(ws, "orders/zz_timestamps.csv") if "ts-gap" in r[2].values()
    ]
    assert "does not exist in Europe/Vilnius" in reason


def test_dates_after_evaluation_date_are_staged_not_evaluated(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    assert _staged(ws, "orders", "order_id = 'future-o1'")
    [(latest,)] = ws.query("select max(period_end) from marts.fct_seller_metrics")
    assert str(latest) < EVALUATION_DATE


def test_utf8_bom_is_read(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    assert ws.query("select seller_name from marts.dim_sellers where seller_id = 'bom-s1'") == [
        ("Ąžuolas Parts",)
    ]


def test_parquet_with_wrong_column_type_is_quarantined(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    [(_, reason, _)] = _quarantined(ws, "order_lines/zz_wrong_type.parquet")
    assert reason == "quantity is not a valid integer: lots"


def test_unknown_reason_code_is_staged_and_reported(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, output = quarantine_build
    assert _staged(ws, "cancellations", "cancellation_id = 'bad-c1'")
    assert "alien_abduction" in output


def test_every_landing_row_is_staged_or_quarantined(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    for table in ("orders", "order_lines", "sellers", "reviews", "cancellations"):
        [(landing,)] = ws.query(f"select count(*) from landing.{table}", ws.build_db)
        [(staged,)] = ws.query(f"select count(*) from staging.stg_landing__{table}", ws.build_db)
        [(quarantined,)] = ws.query(
            f"select count(*) from marts.fct_quarantined_rows where table_name = '{table}'"
        )
        assert landing == staged + quarantined > 0, table


# --- cases where the build must stop, naming the file and what to do -----------------------


def _stopped(ws: Workspace, *args: str) -> str:
    result = ws.build(*args)
    assert result.returncode != 0
    assert not ws.published.exists(), "a failed build must not publish"
    return output_of(result)


def test_missing_required_column_stops_the_build(tmp_path: Path, landing_cache: Path) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "orders",
        "zz_no_seller.csv",
        "marketplace,order_id,ordered_at,currency,status\n"
        "ovoko,x1,2025-05-10T10:00:00Z,EUR,placed\n",
    )
    output = _stopped(ws)
    assert "Landing file orders/zz_no_seller.csv has no column 'seller_id'" in output
    assert "Re-export the file with that column" in output


def test_malformed_csv_stops_the_build(tmp_path: Path, landing_cache: Path) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "messages",
        "zz_unterminated.csv",
        "marketplace,message_id,conversation_id,seller_id,sender_role,sent_at\n"
        'kkday,m1,c1,kk-s0001,customer,"2026-08-01T10:00:00Z\n'
        "kkday,m2,c1,kk-s0001,seller,2026-08-01T11:00:00Z\n",
    )
    # only the messages table's chain: the message is the point, not the other nodes dbt runs
    output = _stopped(ws, "--select", "+base_landing__messages")
    assert "zz_unterminated.csv" in output
    assert "quote" in output.lower()


def test_file_that_is_not_utf8_stops_the_build(tmp_path: Path, landing_cache: Path) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "sellers",
        "zz_latin1.csv",
        "marketplace,seller_id,seller_name,country_code,registered_at\n"
        "ovoko,l1,Müller Teile,DE,2024-01-01T00:00:00Z\n".encode("latin-1"),
    )
    output = _stopped(ws)
    assert "zz_latin1.csv" in output
    assert "UTF-8" in output


@pytest.mark.parametrize("table", ["orders", "sellers"])
def test_missing_required_folder_stops_the_build(
    tmp_path: Path, landing_cache: Path, table: str
) -> None:
    ws = _workspace(tmp_path, landing_cache)
    for path in (ws.raw / table).iterdir():
        path.unlink()
    (ws.raw / table).rmdir()
    output = _stopped(ws)
    assert f"Landing table '{table}' has no data" in output
    assert "SELLER_STANDING_RAW_DIR" in output


# --- nothing dropped or changed in silence (fractions, compressed and unknown files) --------


def test_fractional_value_in_every_integer_column_is_quarantined_not_rounded(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    expected = {
        "orders": [
            (1, "confirm_within_hours is not a valid integer: 2.5"),
            (2, "confirm_days_before_departure is not a valid integer: 1.5"),
        ],
        "order_lines": [(1, "quantity is not a valid integer: 2.5")],
        "cancellations": [(1, "quantity is not a valid integer: 0.5")],
        "returns": [(1, "quantity is not a valid integer: 1.5")],
        "reviews": [(1, "rating_scale is not a valid integer: 5.5")],
        "violations": [(1, "points is not a valid integer: 2.5")],
    }
    for table, rows in expected.items():
        quarantined = _quarantined(ws, f"{table}/zz_fraction.csv")
        assert [(r[0], r[1]) for r in quarantined] == rows, table
    # a whole number written with '.0' is that number
    assert ws.query(
        "select quantity from staging.stg_landing__order_lines where line_id like 'fr-%'",
        db=ws.build_db,
    ) == [(2,)]
    assert not _staged(ws, "orders", "order_id like 'fr-%'")


def test_compressed_csv_is_read(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    assert ws.query(
        "select order_id, _source_file from staging.stg_landing__orders "
        "where order_id in ('gz-o1', 'zst-o1') order by order_id",
        db=ws.build_db,
    ) == [("gz-o1", "orders/zz_gzip.csv.gz"), ("zst-o1", "orders/zz_zstd.csv.zst")]


def test_hidden_and_system_files_are_ignored_and_listed(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, output = quarantine_build
    noticed = output[output.index("Noticed in the landing data") :]
    for name in (".DS_Store", "._orders_2025.csv", "Thumbs.db", "README.txt"):
        assert f"  - orders/{name}: hidden or operating-system file, ignored\n" in noticed
    files = {
        r[0] for r in ws.query("select distinct _source_file from landing.orders", ws.build_db)
    }
    assert not {f for f in files if "DS_Store" in f or "._" in f or "Thumbs" in f or "README" in f}


def test_trailing_lines_of_spaces_are_ignored(quarantine_build: tuple[Workspace, str]) -> None:
    ws, _ = quarantine_build
    assert ws.query(
        "select _source_row from landing.orders "
        "where _source_file = 'orders/zz_trailing_spaces.csv'",
        ws.build_db,
    ) == [(1,)]
    assert _staged(ws, "orders", "order_id = 'ws-o1'")
    assert not _quarantined(ws, "orders/zz_trailing_spaces.csv")


# --- files and lines the build cannot read: it stops, naming file, line, what to do ---------

PREVIOUS = b"the previously published warehouse\n"


def _stops_and_keeps_previous(ws: Workspace, *args: str) -> str:
    """Build; it must fail with one message and leave the published file byte-identical."""
    ws.published.parent.mkdir(parents=True, exist_ok=True)
    ws.published.write_bytes(PREVIOUS)
    result = ws.build(*args)
    output = output_of(result)
    assert result.returncode == 1, output[-4000:]
    assert "BUILD FAILED" in output
    assert "Traceback" not in output
    assert ws.published.read_bytes() == PREVIOUS
    return output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "orders_2025-05.xlsx",
            b"PK\x03\x04\x14\x00\x06\x00",
            "Landing file orders/orders_2025-05.xlsx is an Excel workbook, which the build does "
            "not read: only CSV (.csv, or compressed .csv.gz / .csv.zst) and Parquet (.parquet) "
            "files are read. To load its rows, export it as CSV UTF-8 (comma-separated, with a "
            "header row); then move orders_2025-05.xlsx out of the landing folder and build "
            "again.",
        ),
        ("orders.json", b"[]", "Landing file orders/orders.json is JSON, which the build"),
        ("orders.tsv", b"a\tb\n", "Landing file orders/orders.tsv is tab-separated text,"),
        (
            "orders.zip",
            b"PK\x05\x06" + b"\x00" * 18,
            "Landing file orders/orders.zip is a zip archive, which the build does not read: only "
            "CSV (.csv, or compressed .csv.gz / .csv.zst) and Parquet (.parquet) files are read. "
            "To load its rows, unpack it and put its CSV or Parquet files in orders/;",
        ),
        (
            "orders.csv.bak",
            b"x",
            "Landing file orders/orders.csv.bak is not a file the build reads: only CSV (.csv, or "
            "compressed .csv.gz / .csv.zst) and Parquet (.parquet) files are read. Export the "
            "data as CSV UTF-8 into orders/, or move the file out of the landing folder.",
        ),
    ],
)
def test_file_the_build_cannot_read_stops_it(
    tmp_path: Path, landing_cache: Path, name: str, content: bytes, message: str
) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write("orders", name, content)
    output = _stops_and_keeps_previous(ws)
    assert message in output
    assert not ws.build_db.exists(), "stopped before dbt"


def test_sub_folder_in_a_table_folder_stops_the_build(tmp_path: Path, landing_cache: Path) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write("orders", "2025/orders_2025-05.csv", f"{ORDER_HEADER}\n")
    output = _stops_and_keeps_previous(ws)
    assert "Landing folder orders/2025/ is a sub-folder: the build reads only the files" in output


def test_semicolon_separated_file_stops_the_build(tmp_path: Path, landing_cache: Path) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "orders",
        "zz_semicolon.csv",
        "marketplace;order_id;seller_id;ordered_at;currency;status\n"
        "ovoko;s1;ov-s0001;2025-05-10T10:00:00Z;EUR;10,5\n",
    )
    output = _stops_and_keeps_previous(ws, "--select", "base_landing__sellers")
    assert (
        "Landing file orders/zz_semicolon.csv is separated by ';', the contract needs ','"
        " (comma-separated values with a header row). Its header line is: "
        "marketplace;order_id;seller_id;ordered_at;currency;status. Export it again as "
        "comma-separated CSV" in " ".join(output.split())
    )


def test_lines_the_reader_refuses_stop_the_build_with_file_line_and_counts(
    tmp_path: Path, landing_cache: Path
) -> None:
    """Three tables, three files, one build: each failing file gets its own message."""
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "orders",
        "zz_too_many_fields.csv",
        f"{ORDER_HEADER}\novoko,tm-o1,ov-s0001,2025-05-10T10:00:00Z,EUR,placed\n"
        "ovoko,tm-o2,ov-s0001,2025-05-10T10:00:00Z,EUR,placed,1,5\n",
    )
    ws.write(
        "messages",
        "zz_short_line.csv",
        "marketplace,message_id,conversation_id,seller_id,sender_role,sent_at\n"
        "kkday,sh-m1,c1,kk-s0001,customer,2026-08-01T10:00:00Z\n"
        "\n"
        "kkday,sh-m2,c1,kk-s0001,seller\n",
    )
    ws.write(
        "reviews",
        "zz_long_value.csv",
        "marketplace,review_id,seller_id,rating,rating_scale,reviewed_at\n"
        f"kkday,{'x' * 2_100_000},kk-s0001,5,5,2026-08-10T10:00:00+08:00\n",
    )
    output = _stops_and_keeps_previous(
        ws, "--select", "+base_landing__orders +base_landing__messages +base_landing__reviews"
    )
    assert (
        "Landing file orders/zz_too_many_fields.csv, line 3: 8 fields, but the header has 6 "
        "(marketplace, order_id, seller_id, ordered_at, currency, status). A value holding a "
        'comma must be in double quotes ("a, b").' in output
    )
    assert (
        "Landing file messages/zz_short_line.csv, line 4: 5 fields, but the header has 6 "
        "(marketplace, message_id, conversation_id, seller_id, sender_role, sent_at). Every "
        "line needs one value per header column" in output
    )
    assert (
        "Landing file reviews/zz_long_value.csv, line 2, column review_id: the value is "
        "2,100,000 bytes long; the reader takes lines of up to 2,000,000 bytes." in output
    )
    for duckdb_words in ("strict_mode", "null_padding", "max_line_size", "Possible fixes"):
        assert duckdb_words not in output


def test_compressed_file_that_is_not_utf8_stops_the_build(
    tmp_path: Path, landing_cache: Path
) -> None:
    ws = _workspace(tmp_path, landing_cache)
    ws.write(
        "sellers",
        "zz_latin1.csv.gz",
        gzip.compress(
            "marketplace,seller_id,seller_name,country_code,registered_at\n"
            "ovoko,l1,Müller Teile,DE,2024-01-01T00:00:00Z\n".encode("latin-1")
        ),
    )
    output = _stops_and_keeps_previous(ws)
    assert (
        "Landing file sellers/zz_latin1.csv.gz is not UTF-8 text: byte 0xfc at byte 71 (line 2)"
        in output
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'marketplace,order_id,status\novoko,"o1"x,placed\n',
            "Landing file orders/q.csv, line 2: a double quote is misplaced (',' expected after "
            "'\"'). A quoted value must end at a comma or the end of the line, and a quote inside "
            'a value is written twice ("").',
        ),
        (
            'marketplace,order_id,status\novoko,o1,placed\novoko,"o2,placed\novoko,o3,placed\n',
            'Landing file orders/q.csv, line 3: a value opens a double quote (") that is never '
            "closed, so the rest of the file reads as one value.",
        ),
    ],
)
def test_quote_errors_of_the_reader_are_translated(tmp_path: Path, text: str, message: str) -> None:
    """DuckDB's own error text for the file, read as the landing views read it, in; the
    project's message out (fast: no build)."""
    from seller_standing.preflight import translate_read_error

    path = tmp_path / "orders" / "q.csv"
    path.parent.mkdir()
    path.write_text(text)
    columns = "{'marketplace': 'VARCHAR', 'order_id': 'VARCHAR', 'status': 'VARCHAR'}"
    con = duckdb.connect()
    with pytest.raises(duckdb.Error) as raised:
        con.execute(
            f"select * from read_csv('{path}', header = true, auto_detect = false, delim = ',', "
            f"quote = '\"', escape = '\"', null_padding = true, columns = {columns})"
        ).fetchall()
    con.close()
    translated = translate_read_error(str(raised.value), tmp_path)
    assert translated is not None and translated.startswith(message)


def test_a_line_with_an_empty_first_field_is_quarantined_not_dropped(
    quarantine_build: tuple[Workspace, str],
) -> None:
    ws, _ = quarantine_build
    [(row, reason, values)] = _quarantined(ws, "orders/zz_empty_first_field.csv")
    assert row == 1
    assert reason.startswith("missing required marketplace")
    assert values["order_id"] == "ef-o1"
