"""Shared fixtures. Tests that read ../shared (real public data samples) skip with a reason where it is
absent (a user's fresh clone); CI has it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tsk.config import ROOT, load_config

SHARED_REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture
def config():
    return load_config(ROOT / "tsk.toml")


@pytest.fixture
def realdata() -> Path:
    if not SHARED_REALDATA.is_dir():
        pytest.skip(f"real data samples not present at {SHARED_REALDATA} (only in CI and developer checkouts)")
    return SHARED_REALDATA


@pytest.fixture
def tmp_db(tmp_path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database, built once per test session through the ordinary importers."""
    from tsk.cli import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture
def demo_copy(demo_db, tmp_path) -> Path:
    """A copy of the demo database the test may write to; the session's demo_db stays as every other test
    expects it."""
    return Path(shutil.copy(demo_db, tmp_path / "demo.duckdb"))


@pytest.fixture(scope="session")
def kommun2_stores(tmp_path_factory) -> dict[str, Path]:
    """The second, fictional kommun's thin stores (tests/kommun2), each built once per test session
    through the ordinary importers: scenario name -> database path."""
    from tests.kommun2.builder import build_all

    return build_all(tmp_path_factory.mktemp("kommun2"))


@pytest.fixture
def kommun2_config():
    from tests.kommun2.builder import config

    return config()
