"""Differential check of the value-parsing macros: DuckDB against Spark, value by value.

    .venv-spark/bin/python tests/spark/cast_diff.py [out_dir]

Compiles one query of every parsing macro (as the staging models call them, on the trimmed
text) with `dbt compile --inline` for the ci (DuckDB) and the spark target, runs it over the
tricky strings below in DuckDB and in one local Spark session, and prints every value where
the engines disagree. Exit 1 when any does. Not part of `make test` (it starts Spark)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

DATES = [
    "2025-1-5",
    "2025-01-05",
    "20250105",
    "2025-02-29",
    "2024-02-29",
    "2025-13-01",
    "2025-12-32",
    "2025-04-31",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2025-01-01",
    "+2025-01-01",
    "02025-01-05",
    "2025/01/05",
    "2025 01 05",
    "2025.01.05",
    "2025/01-05",
    "05/01/2025",
    "2025-01",
    "2025",
    "25-01-05",
    "2025-01-05T10:00",
    "2025-01-05 10:00",
    "2025-01-05T10",
    "2025-01-05 10:00:00.123456789",
    "2025-01-05 10:00:00.1234567",
    "2025-01-05T10:00:00Z",
    "2025-01-05T10:00:00z",
    "2025-01-05 10:00:00+08",
    "2025-01-05 10:00:00+0800",
    "2025-01-05 10:00:00+08:00",
    "2025-01-05 10:00:00-03:30",
    "2025-01-05 10:00:00 UTC",
    "2025-01-05 10:00:00+25:00",
    "2025-01-05 10:00:00+14:00",
    "2025-01-05 10:00:00+08:0",
    "2025-01-05 10:00:00 +08:00",
    "2025-01-05 10:00:00.5+02",
    "2025-01-05T24:00:00",
    "2025-01-05 24:00",
    "2025-01-05 24:30:00",
    "2025-01-05 25:00:00",
    "2025-01-05 10:60:00",
    "2025-01-05 10:00:60",
    "2025-01-05 10:00:59.999999999",
    "2025-01-05 1:2:3",
    "2025-01-05 10:00:00 Europe/Vilnius",
    "2025-01-05 10:00:00 CET",
    "2025-01-05T10:00:00.Z",
    "2025-01-05 10:00:00 AM",
    "2025-01-05  10:00:00",
    "2025-01-05\t10:00:00",
    "2025-01-05 10:00:00+08:00:00",
    "2025-01-05+08:00",
    "2025-01-05Z",
    "2025-01-05 UTC",
    # DST: Vilnius 2025-03-30 03:00->04:00 gap, 2025-10-26 04:00->03:00 overlap (EET/EEST)
    "2025-03-30 03:30:00",
    "2025-03-30 02:59:59",
    "2025-03-30 04:00:00",
    "2025-03-30 03:00:00",
    "2025-10-26 03:30:00",
    "2025-10-26 02:59:59",
    "2025-10-26 04:00:00",
    "2025-10-26 03:00:00",
    # Shanghai had DST in 1986-1991: 1988-04-17 02:00 -> 03:00, 1988-09-11 02:00 -> 01:00
    "1988-04-17 02:30:00",
    "1988-09-11 01:30:00",
    "1900-01-01 00:00:00",
    "1901-12-13 20:45:52",
    "1969-12-31 23:59:59",
    "1970-01-01 00:00:00",
    "2038-01-19 03:14:08",
    "1582-10-10",
    "1582-10-15 00:00:00",
    "0001-01-01 00:00:00",
    "9999-12-31 23:59:59",
    "9999-12-31 23:59:59+00",
    "0001-01-01 00:00:00+01",
    "9999-12-31 23:00:00-02",
    "infinity",
    "-infinity",
    "Infinity",
    "epoch",
    "today",
    "now",
    "allballs",
    "yesterday",
    "tomorrow",
    "2025-01-05 allballs",
    "J2451187",
    "2025-01-05 BC",
    "2025-01-05 AD",
]
NUMBERS = [
    "0",
    "-0",
    "+0",
    "+5",
    "-5",
    "5",
    "007",
    "-007",
    "1e3",
    "1E-2",
    "1e400",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "-infinity",
    "infinity",
    "0x1F",
    "0X1f",
    "0b101",
    "1,5",
    "1,000",
    "1 000",
    "1_000",
    "1__000",
    "_1000",
    "1000_",
    "1_000.50",
    "1_000.5_0",
    ".5",
    "5.",
    "-.5",
    "+.5",
    "5.0",
    "5.00",
    "2.5",
    "-2.0",
    "+2.0",
    "2.0e0",
    "1.",
    "1.0000000001",
    "0.00005",
    "0.00004999",
    "0.12345",
    "12.34567",
    "99999999999999.9999",
    "100000000000000",
    "999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "2147483647",
    "2147483648",
    "12345678901234567890123",
    "1" * 40,
    "0." + "1" * 40,
    "$5",
    "5%",
    "5 ",
    "5-",
    "--5",
    "+-5",
    "5e",
    "e5",
    ".",
    "-",
    "+",
    "1.2.3",
    "٣",
    "５",
    "1d",
    "1f",
    "1L",
    "0.5d",
    "1 /2",
    "1/2",
]
BOOLS = [
    "t",
    "f",
    "yes",
    "no",
    "1",
    "0",
    "TRUE",
    "True",
    "true",
    "FALSE",
    "false",
    "on",
    "off",
    "y",
    "n",
    "tRuE",
    "2",
]
ZONES = [
    "Europe/Vilnius",
    "Asia/Shanghai",
    "UTC",
    "utc",
    "Etc/UTC",
    "GMT",
    "Z",
    "EST",
    "CET",
    "EST5EDT",
    "US/Eastern",
    "America/Ciudad_Juarez",
    "Europe/Kyiv",
    "Europe/Kiev",
    "Asia/Calcutta",
    "Asia/Kolkata",
    "europe/vilnius",
    "Europe/Vilnius ",
    "+08:00",
    "GMT+8",
    "Etc/GMT+8",
    "UTC+8",
    "ACT",
    "AET",
    "IST",
    "PST",
    "PST8PDT",
    "SystemV/EST5",
    "Mars/Olympus",
    "Local",
    "localtime",
    "posixrules",
    "Factory",
    "ROC",
    "PRC",
    "Navajo",
    "Zulu",
    "WET",
    "MET",
    "Asia/Riyadh87",
    "America/Argentina/ComodRivadavia",
    "Antarctica/Troll",
    "Pacific/Kanton",
    "Pacific/Enderbury",
    "Europe/Uzhgorod",
    "America/Nuuk",
    "America/Godthab",
    "UCT",
    "Universal",
    "Greenwich",
    "Etc/Unknown",
    "CST6CDT",
    "HST",
    "MST",
    "America/Coyhaique",
]
EXTRA = [
    "2025-01-05 1:02:03",
    "2025-01-05 10:0:00",
    "2025-1-5 9:05",
    "1899-12-31",
    "1900-01-01",
    "2999-12-31 23:59:59",
    "3000-01-01",
    "2025-01-05 10:00:00 utc",
    "2025-01-05T10:00:00 UTC",
    "2025-01-05T24:00:00Z",
    "2025-01-05T24:00:00+02:00",
    "2025/01/05 10:00:00+02",
    "2025 01 05",
    "2025/1/5",
    "2025-01-05 10:00:00.000+05:45",
    "\u20035",
    "5\u3000",
    "\u3000",
    "\u00a0",
    "1\u00a0000",
    "",
    " ",
    "  5  ",
    " 2025-01-05",
    "2025-01-05 ",
    "\t5",
    "5\t",
    "\u00a05",
    "null",
    "NULL",
]
VALUES = sorted(set(DATES + NUMBERS + BOOLS + ZONES + EXTRA))

COLUMNS = {
    "date": "{{ try_cast_to('v', 'date') }}",
    "timestamp": "{{ try_cast_to('v', 'timestamp') }}",
    "decimal_18_4": "{{ try_cast_to('v', 'decimal(18, 4)') }}",
    "decimal_18_2": "{{ try_cast_to('v', 'decimal(18, 2)') }}",
    "double": "{{ try_cast_to('v', 'double') }}",
    "boolean": "{{ try_cast_to('v', 'boolean') }}",
    "bigint": "{{ try_cast_to('v', 'bigint') }}",
    "integer": "{{ try_cast_to('v', 'integer') }}",
    "text_to_integer": "{{ text_to_integer('v') }}",
    "utc_vilnius": "{{ text_to_utc('v', \"'Europe/Vilnius'\") }}",
    "utc_shanghai": "{{ text_to_utc('v', \"'Asia/Shanghai'\") }}",
    "has_offset": "{{ text_has_offset('v') }}",
    "local_vilnius": "{{ utc_to_local(text_to_utc('v', \"'Europe/Vilnius'\"), "
    "\"'Europe/Vilnius'\") }}",
    "known_timezone": "{{ is_known_timezone('v') }}",
    "staged_boolean": "case lower(v) when 'true' then true when 'false' then false end",
}


AS_TEXT = {"date", "timestamp", "utc_vilnius", "utc_shanghai", "local_vilnius"}


def compile_sql(target: str, out_dir: Path) -> str:
    # dates and timestamps as text (years beyond Python's range), the same text on both
    body = ",\n".join(
        f"cast({sql} as {{{{ dbt.type_string() }}}}) as {name}"
        if name in AS_TEXT
        else f"{sql} as {name}"
        for name, sql in COLUMNS.items()
    )
    inline = (
        f"select raw, {body} from (select raw, nullif({{{{ trim_text('raw') }}}}, '') as v "
        "from __raw)"
    )
    env = dict(os.environ)
    env.update(
        SELLER_STANDING_TARGET=target,
        DBT_TARGET_PATH=str(out_dir / f"target-{target}"),
        DBT_LOG_PATH=str(out_dir / f"logs-{target}"),
        SELLER_STANDING_SPARK_DIR=str(out_dir / "spark"),
        SELLER_STANDING_BUILD_DB=str(out_dir / "compile.duckdb"),
    )
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [
            str(dbt),
            "compile",
            "--quiet",
            "--no-populate-cache",
            "--inline",
            inline,
            "--project-dir",
            str(PROJECT),
            "--profiles-dir",
            str(PROJECT),
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    if result.returncode != 0:
        sys.exit(f"dbt compile --target {target} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


def normal(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat()
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


def main() -> int:
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else PROJECT / "build" / "castdiff").resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    duck_sql = compile_sql("ci", out_dir)
    spark_sql = compile_sql("spark", out_dir)
    (out_dir / "duckdb.sql").write_text(duck_sql)
    (out_dir / "spark.sql").write_text(spark_sql)

    import duckdb

    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute("create table __raw as select unnest(?::varchar[]) as raw", [VALUES])
    names = ["raw", *COLUMNS]
    duck = {
        row[0]: dict(zip(names, map(normal, row), strict=True))
        for row in con.execute(duck_sql.replace("__values__", "__values__")).fetchall()
    }

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.createDataFrame([(v,) for v in VALUES], "raw string").createOrReplaceTempView("__raw")
    sp = {
        row[0]: dict(zip(names, map(normal, row), strict=True))
        for row in spark.sql(spark_sql).collect()
    }
    # every name is_known_timezone accepts must be one Spark can convert with (else it raises)
    import pytz

    spark.createDataFrame([(n,) for n in pytz.all_timezones], "tz string").createOrReplaceTempView(
        "__zones"
    )
    known = spark_sql.split(" as known_timezone")[0].rsplit(",\n", 1)[-1].replace("(v in", "(tz in")
    usable = spark.sql(
        f"select count(from_utc_timestamp(timestamp'2025-01-01 00:00:00', tz)) from __zones "
        f"where {known}"
    ).collect()[0][0]
    print(f"Spark converts with all {usable} names is_known_timezone accepts")
    spark.stop()

    diffs = []
    for value in VALUES:
        for name in COLUMNS:
            a, b = duck[value][name], sp[value][name]
            if a != b:
                diffs.append({"value": value, "macro": name, "duckdb": a, "spark": b})
    (out_dir / "diffs.json").write_text(json.dumps(diffs, indent=1, default=str))
    for d in diffs:
        print(f"{d['macro']:16} {d['value']!r:40} DuckDB {d['duckdb']!r:32} Spark {d['spark']!r}")
    print(f"{len(VALUES)} values x {len(COLUMNS)} macros: {len(diffs)} disagreements")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
