"""The semantic layer answers on the published warehouse what plain SQL on the marts answers.

`mf` (dbt-metricflow) reads the dbt profile's `published` target (the published file,
read-only) and the semantic manifest `dbt parse` writes to the project's target/ folder."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import pytest
from _warehouse import PROJECT_DIR, Workspace

BIN = Path(sys.executable).parent


def _env(ws: Workspace) -> dict[str, str]:
    env = ws.env()
    env.pop("DBT_TARGET_PATH", None)  # mf reads <project>/target/semantic_manifest.json
    env["SELLER_STANDING_TARGET"] = "published"
    return env


@pytest.fixture(scope="module")
def semantic_layer(built_warehouse: Workspace) -> Workspace:
    parsed = subprocess.run(
        [str(BIN / "dbt"), "parse", "--profiles-dir", str(PROJECT_DIR), "--quiet"],
        cwd=PROJECT_DIR,
        env=_env(built_warehouse),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert parsed.returncode == 0, parsed.stdout[-3000:] + parsed.stderr[-3000:]
    return built_warehouse


def _mf(ws: Workspace, tmp_path: Path, *args: str) -> list[dict[str, str]]:
    out = tmp_path / "mf.csv"
    result = subprocess.run(
        [str(BIN / "mf"), "query", *args, "--csv", str(out)],
        cwd=PROJECT_DIR,
        env=_env(ws),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0 and out.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with open(out, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _value(text: str | None) -> object:
    if text is None or text == "":
        return None
    try:
        return round(float(text), 6)
    except ValueError:
        return text[:10] if text[:4].isdigit() and text[4:5] == "-" else text


def _rows(records: list[dict[str, str]], columns: list[str]) -> list[tuple]:
    return sorted((tuple(_value(r[c]) for c in columns) for r in records), key=lambda row: str(row))


def _sql(ws: Workspace, sql: str) -> list[tuple]:
    rows = ws.query(sql)
    return sorted(
        (tuple(_value(None if v is None else str(v)) for v in row) for row in rows),
        key=lambda row: str(row),
    )


def test_validate_configs_passes_against_the_published_warehouse(
    semantic_layer: Workspace,
) -> None:
    result = subprocess.run(
        [str(BIN / "mf"), "validate-configs"],
        cwd=PROJECT_DIR,
        env=_env(semantic_layer),
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in output


def test_finance_fees_by_month_equals_sql(semantic_layer: Workspace, tmp_path: Path) -> None:
    got = _mf(semantic_layer, tmp_path, "--saved-query", "finance_fees_by_month")
    columns = [
        "fee_line__billing_month__month",
        "fee_line__fee_program_id",
        "fee_line__fee_type",
        "fee_line__currency",
        "fees_billed",
        "fee_lines",
    ]
    expected = _sql(
        semantic_layer,
        "select date_trunc('month', billing_month), program_id, fee_type, currency, "
        "sum(amount), count(*) from marts.fct_fee_lines group by all",
    )
    assert expected, "the small landing set should bill fees"
    assert _rows(got, columns) == expected


def test_program_standing_equals_sql(semantic_layer: Workspace, tmp_path: Path) -> None:
    got = _mf(semantic_layer, tmp_path, "--saved-query", "account_manager_program_standing")
    columns = [
        "program_status_row__period_start__month",
        "program_status_row__program_id",
        "seller_periods",
        "qualifying_share",
        "promotions",
        "demotions",
    ]
    expected = _sql(
        semantic_layer,
        "select date_trunc('month', period_start), program_id, count(*), "
        "avg(case when qualifies then 1.0 else 0.0 end), "
        "count(*) filter (where status_change = 'promoted'), "
        "count(*) filter (where status_change = 'demoted') "
        "from marts.fct_program_status group by all",
    )
    assert expected
    assert _rows(got, columns) == expected


def test_status_share_is_per_program_and_period(semantic_layer: Workspace, tmp_path: Path) -> None:
    [(status,)] = semantic_layer.query(
        "select status from marts.fct_program_status group by status "
        "order by count(*) desc, status limit 1"
    )
    got = _mf(
        semantic_layer,
        tmp_path,
        "--metrics",
        f"share_{status},seller_periods",
        "--group-by",
        "program_status_row__program_id,program_status_row__period_start__month",
    )
    columns = [
        "program_status_row__program_id",
        "program_status_row__period_start__month",
        f"share_{status}",
        "seller_periods",
    ]
    expected = _sql(
        semantic_layer,
        f"select program_id, date_trunc('month', period_start), "
        f"avg(case when status = '{status}' then 1.0 else 0.0 end), count(*) "
        "from marts.fct_program_status group by all",
    )
    assert _rows(got, columns) == expected
    shares = [float(r[f"share_{status}"]) for r in got]
    assert any(0 < s <= 1 for s in shares)


def test_late_handling_rate_by_sla_policy_equals_sql(
    semantic_layer: Workspace, tmp_path: Path
) -> None:
    got = _mf(semantic_layer, tmp_path, "--saved-query", "account_manager_late_handling")
    columns = [
        "after_sales_request__requested_at__month",
        "after_sales_request__sla_policy",
        "late_handling_rate",
        "late_handled_requests",
        "decided_requests",
    ]
    expected = _sql(
        semantic_layer,
        "select date_trunc('month', requested_at), sla_policy, "
        "count(*) filter (where handled_late) "
        "/ nullif(count(*) filter (where handling_outcome <> 'pending'), 0), "
        "count(*) filter (where handled_late), "
        "count(*) filter (where handling_outcome <> 'pending') "
        "from marts.fct_after_sales_requests group by all",
    )
    assert expected, "the small landing set should have Kuaishou requests"
    assert _rows(got, columns) == expected


def test_metric_rate_is_the_ratio_of_summed_numerators_and_denominators(
    semantic_layer: Workspace, tmp_path: Path
) -> None:
    got = _mf(
        semantic_layer,
        tmp_path,
        "--metrics",
        "metric_rate",
        "--group-by",
        "seller_metric_row__metric_program_id,seller_metric_row__metric_id",
    )
    by_metric = {
        (r["seller_metric_row__metric_program_id"], r["seller_metric_row__metric_id"]): r[
            "metric_rate"
        ]
        for r in got
    }
    expected = semantic_layer.query(
        "select program_id, metric_id, sum(numerator) / nullif(sum(denominator), 0) "
        "from marts.fct_seller_metrics where denominator is not null group by all"
    )
    assert expected
    for program, metric, rate in expected:
        if rate is None:
            assert by_metric[(program, metric)] in ("", None)
        else:
            assert math.isclose(float(by_metric[(program, metric)]), rate, rel_tol=1e-9)


def test_quarantine_by_table_and_reason_equals_sql(
    semantic_layer: Workspace, tmp_path: Path
) -> None:
    got = _mf(semantic_layer, tmp_path, "--saved-query", "data_quality_quarantine")
    columns = ["quarantined_row__table_name", "quarantined_row__reason", "quarantined_rows"]
    expected = _sql(
        semantic_layer,
        "select table_name, case when reason like 'duplicate key%' "
        "then 'duplicate key (superseded)' else regexp_replace(reason, ':.*$', '') end, "
        "count(*) from marts.fct_quarantined_rows group by all",
    )
    assert _rows(got, columns) == expected
