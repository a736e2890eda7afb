"""benchmarks/bench_local.py: the budget rows of issue 10 (figures in, verdicts out)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_local.py"
    spec = importlib.util.spec_from_file_location("bench_local", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_local"] = module
    spec.loader.exec_module(module)
    return module


def test_all_four_budgets_met(bench: ModuleType) -> None:
    rows = bench.budget_rows(first=2.0, read_all=2.0, repeat=0.5, repolinter=16.0)
    assert [r.verdict for r in rows] == ["met", "met", "met", "met"]
    assert [r.name for r in rows] == [
        "first run / reading every tracked file once",
        "repeat run on the unchanged tree",
        "repolinter / our first run",
        "repolinter / our repeat run",
    ]


def test_each_budget_missed(bench: ModuleType) -> None:
    rows = bench.budget_rows(first=3.1, read_all=2.0, repeat=1.0, repolinter=9.0)
    # 1.55x the read; not under 1 s; 2.9x; 9x
    assert [r.verdict for r in rows] == ["NOT met"] * 4


def test_no_retired_half_second_budget(bench: ModuleType) -> None:
    assert not hasattr(bench, "BUDGET_S")
    rows = bench.budget_rows(first=1.0, read_all=1.0, repeat=0.9, repolinter=30.0)
    assert rows[1].verdict == "met" and "1.000 s" in rows[1].budget


def test_not_measured_without_repolinter(bench: ModuleType) -> None:
    rows = bench.budget_rows(first=2.0, read_all=2.0, repeat=0.5, repolinter=None)
    assert [r.verdict for r in rows[2:]] == ["not measured", "not measured"]
    assert rows[0].verdict == "met"
