"""docs/contract.md is written from the source YAML; the two must agree."""

from __future__ import annotations

from pathlib import Path

import yaml

from seller_standing import contract

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_contract_page_matches_the_source_yaml() -> None:
    page = (PROJECT_DIR / contract.CONTRACT_MD).read_text(encoding="utf-8")
    assert page == contract.render(PROJECT_DIR), (
        "docs/contract.md is stale: run `python -m seller_standing.contract`"
    )


def test_contract_page_lists_every_table_and_column_with_its_rules() -> None:
    page = (PROJECT_DIR / contract.CONTRACT_MD).read_text(encoding="utf-8")
    sources = yaml.safe_load((PROJECT_DIR / contract.SOURCES_YML).read_text(encoding="utf-8"))
    [landing] = sources["sources"]
    for table in landing["tables"]:
        assert f"### `{table['name']}`" in page
        for column in table["columns"]:
            assert f"| `{column['name']}` |" in page
    # allowed values and ranges come through from the meta
    assert "| `status` | string | yes | `placed`, `processed`, `shipped`, `delivered`" in page
    assert "| `vat_rate` | decimal | no | 0 to 1 |" in page
    assert "| `quantity` | integer | yes | at least 1 |" in page
    assert "(order_id, line_id) must be a staged row of `order_lines`" in page


def test_a_changed_yaml_makes_the_page_stale(tmp_path: Path) -> None:
    yml = tmp_path / contract.SOURCES_YML
    yml.parent.mkdir(parents=True)
    text = (PROJECT_DIR / contract.SOURCES_YML).read_text(encoding="utf-8")
    yml.write_text(text.replace("values: [open, closed, withdrawn]", "values: [open, closed]"))
    assert contract.render(tmp_path) != contract.render(PROJECT_DIR)
    assert "`open`, `closed` |" in contract.render(tmp_path)


def test_the_landing_table_list_matches_the_contract() -> None:
    sources = yaml.safe_load((PROJECT_DIR / contract.SOURCES_YML).read_text(encoding="utf-8"))
    [landing] = sources["sources"]
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["landing_tables"] == [t["name"] for t in landing["tables"]]
