"""Facts the dbt project declares once, read by the Python side: vars of dbt_project.yml
(the marketplace list with time zones, the program registry) and the landing contract's
column meta with `values_from_var` resolved."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from seller_standing.paths import PROJECT_DIR


@lru_cache(maxsize=4)
def dbt_vars(project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """The `vars` of dbt_project.yml."""
    with (project_dir / "dbt_project.yml").open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle).get("vars") or {})


def marketplaces(project_dir: Path = PROJECT_DIR) -> list[str]:
    """The marketplaces, in declaration order (var marketplace_timezones)."""
    return list(dbt_vars(project_dir)["marketplace_timezones"])


def programs(project_dir: Path = PROJECT_DIR) -> dict[str, dict[str, Any]]:
    """The program registry (var programs): program_id -> marketplace and models."""
    return dict(dbt_vars(project_dir)["programs"])


def resolve_meta(meta: dict[str, Any], project_dir: Path = PROJECT_DIR) -> dict[str, Any]:
    """Column meta with `values_from_var: <var>` turned into `values` (the var's keys)."""
    if "values_from_var" not in meta:
        return meta
    resolved = dict(meta)
    resolved["values"] = list(dbt_vars(project_dir)[resolved.pop("values_from_var")])
    return resolved


def marketplace_timezones(project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """Marketplace -> IANA time zone, in declaration order (var marketplace_timezones)."""
    return dict(dbt_vars(project_dir)["marketplace_timezones"])
