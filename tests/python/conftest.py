"""One real warehouse, built once per test session, for the tests of what readers get."""

from __future__ import annotations

import pytest
from _warehouse import Workspace, output_of, small_landing


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """`seller-standing build` on the small landing set: private build file and published one."""
    import os
    from pathlib import Path

    if os.environ.get("DEVHACK_WS"):
        return Workspace(Path(os.environ["DEVHACK_WS"]))
    root = tmp_path_factory.mktemp("readers")
    ws = Workspace(root)
    small_landing(ws.raw, root / "cache")
    result = ws.build()
    assert result.returncode == 0, output_of(result)[-4000:]
    return ws
