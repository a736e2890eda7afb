from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import FileSpec
from harness import run_check as _run_check
from harness import snapshot as _snapshot
from hypothesis import HealthCheck, settings

from scorecard.model import Finding

# Property tests and fuzzing: a quick pass in every run, a long one with HYPOTHESIS_PROFILE=fuzz
# (`make fuzz`, run by CI). Any input slower than the deadline is a failure in both.
settings.register_profile(
    "default", max_examples=60, deadline=1000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=1000, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the user's cache."""
    os.environ["SCORECARD_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True, scope="session")
def _no_memory_ceiling_in_the_test_process() -> None:
    """Tests call the CLI's ``main()`` in this process, and its memory ceiling (RLIMIT_AS)
    would then bind the whole test run and every child it starts: Chromium, which reserves
    far more address space than it uses, dies under it. The tests of the ceiling set it in a
    child process of their own."""
    os.environ["SCORECARD_MEMORY_LIMIT"] = "0"


@pytest.fixture
def run_check(tmp_path: Path) -> Callable[..., Finding]:
    """``run_check(check_id, files, options=None, git_repo=True, snap=None)``: one check's
    finding on a repository built from ``files`` in a fresh folder."""
    counter = itertools.count()

    def run(check_id: str, files: FileSpec, **kw: Any) -> Finding:
        return _run_check(tmp_path / f"repo{next(counter)}", check_id, files, **kw)

    return run


@pytest.fixture
def make_snapshot(tmp_path: Path) -> Callable[..., Any]:
    """``make_snapshot(files, git_repo=True, commit=False)``: a LocalSnapshot."""
    counter = itertools.count()

    def make(files: FileSpec, **kw: Any) -> Any:
        return _snapshot(tmp_path / f"snap{next(counter)}", files, **kw)

    return make
