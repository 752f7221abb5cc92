"""One real warehouse, built once per test session, for the tests of what readers get."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _warehouse import STAGE_ENV, CiBuild, Workspace, output_of, small_landing

# Test files that build warehouses of their own, slowest first (pytest --durations). They are
# handed to the test processes first, so that none of them is left running alone at the end.
SLOW_FILES = (
    "test_bad_input.py",
    "test_whatif.py",
    "test_incremental.py",
    "test_publish.py",
    "test_rules_end_to_end.py",
    "test_semantic_layer.py",
    "test_failures.py",
    "test_quality.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return SLOW_FILES.index(name) if name in SLOW_FILES else len(SLOW_FILES)

    items.sort(key=rank)  # a stable sort: each file's tests keep their order


@pytest.fixture(scope="session", autouse=True)
def build_stage(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One stage folder per test process (see Workspace.build)."""
    os.environ[STAGE_ENV] = str(tmp_path_factory.mktemp("stage"))


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """A warehouse `seller-standing build` made: private build file, published file, Parquet,
    Data Docs. `make test` passes the one `make dbt-test` has just built (build/ci) in
    SELLER_STANDING_TEST_BUILD; otherwise one is built here on the small landing set."""
    made = os.environ.get("SELLER_STANDING_TEST_BUILD")
    if made:
        ws: Workspace = CiBuild(Path(made))
        assert ws.published.exists() and ws.build_db.exists(), f"no build in {made}"
        return ws
    root = tmp_path_factory.mktemp("readers")
    ws = Workspace(root)
    small_landing(ws.raw, root / "cache")
    result = ws.build()
    assert result.returncode == 0, output_of(result)[-4000:]
    return ws
