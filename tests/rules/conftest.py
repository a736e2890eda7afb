"""Fixtures for the declarative rules: build a repository, grade it with a standard made of
the given YAML (``--config``), and return the results by check id."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import FileSpec, snapshot

from scorecard.model import CheckResult
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.standard import resolve

Apply = Callable[..., dict[str, CheckResult]]


@pytest.fixture
def apply_rules(tmp_path: Path) -> Apply:
    count = iter(range(1000))

    def apply(standard: str, files: FileSpec, *, snap: Any = None) -> dict[str, CheckResult]:
        registry = default_registry()
        std = resolve(registry, [("standards.yml", standard)])
        if snap is None:
            snap = snapshot(tmp_path / f"repo{next(count)}", files)
        card = grade_snapshot(snap, std, registry)
        return {r.id: r for r in card.checks}

    return apply
