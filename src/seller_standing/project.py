"""The facts the dbt project declares once, read by the Python side.

``dbt_project.yml`` holds the marketplace list with time zones (var
``marketplace_timezones``) and the program registry (var ``programs``: each program's
marketplace and the intermediate models that feed the marts). The generator and the quality
suites read them here instead of keeping their own lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from seller_standing.paths import PROJECT_DIR

DBT_PROJECT_YML = Path("dbt_project.yml")


@dataclass(frozen=True)
class Program:
    """One entry of the program registry."""

    program_id: str
    marketplace: str
    metrics: tuple[str, ...]
    statuses: tuple[str, ...]
    fee_lines: tuple[str, ...]


@cache
def _vars(project_dir: Path) -> dict[str, Any]:
    with (project_dir / DBT_PROJECT_YML).open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle)["vars"])


def marketplace_timezones(project_dir: Path = PROJECT_DIR) -> dict[str, str]:
    """Marketplace -> IANA time zone, in the project's order."""
    return dict(_vars(project_dir)["marketplace_timezones"])


def programs(project_dir: Path = PROJECT_DIR) -> dict[str, Program]:
    """Program id -> its registry entry, in the project's order."""
    return {
        program_id: Program(
            program_id=program_id,
            marketplace=entry["marketplace"],
            metrics=tuple(entry.get("metrics") or ()),
            statuses=tuple(entry.get("statuses") or ()),
            fee_lines=tuple(entry.get("fee_lines") or ()),
        )
        for program_id, entry in _vars(project_dir)["programs"].items()
    }
