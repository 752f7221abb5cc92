"""Where things live: every path comes from an environment variable with a default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    path = Path(value) if value else default
    return path if path.is_absolute() else (Path.cwd() / path)


@dataclass(frozen=True)
class Paths:
    """The files and folders one build uses."""

    raw_dir: Path
    published_db: Path
    build_db: Path
    temp_dir: Path
    docs_dir: Path

    @property
    def log_file(self) -> Path:
        """Everything dbt and the quality suites printed during the last build."""
        return self.build_db.parent / "logs" / "build.log"

    @classmethod
    def from_env(cls) -> Paths:
        published = _env_path(
            "SELLER_STANDING_DB", PROJECT_DIR / "warehouse" / "seller_standing.duckdb"
        )
        build = _env_path("SELLER_STANDING_BUILD_DB", Path(str(published) + ".building"))
        return cls(
            raw_dir=_env_path("SELLER_STANDING_RAW_DIR", PROJECT_DIR / "data" / "raw"),
            published_db=published,
            build_db=build,
            temp_dir=_env_path("SELLER_STANDING_TEMP_DIR", published.parent / "tmp"),
            docs_dir=_env_path("SELLER_STANDING_DOCS_DIR", published.parent / "data_docs"),
        )

    def dbt_env(self) -> dict[str, str]:
        """Environment for a dbt subprocess building into the private file."""
        env = dict(os.environ)
        env.update(
            SELLER_STANDING_RAW_DIR=str(self.raw_dir),
            SELLER_STANDING_DB=str(self.published_db),
            SELLER_STANDING_BUILD_DB=str(self.build_db),
            SELLER_STANDING_TEMP_DIR=str(self.temp_dir),
        )
        return env
