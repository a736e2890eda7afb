"""examples/standards: two realistic organisation standards load, combine and grade small
repositories built here as their comments say."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import build_repo

from scorecard.model import Status
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.sources.local import open_local
from scorecard.standard import resolve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "standards"
SERVICE = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  links:
    - {title: Runbook, url: "https://wiki.acme.test/payments"}
spec: {type: service, owner: team-payments, lifecycle: production}
"""
HANDBOOK = SERVICE.replace("type: service", "type: documentation")


def layers(*names: str) -> list[tuple[str, str]]:
    return [(n, (EXAMPLES / n).read_text("utf-8")) for n in names]


@pytest.mark.parametrize("name", ["production-readiness.yml", "security.yml"])
def test_each_example_loads(name):
    std = resolve(default_registry(), layers(name))
    assert std.tracks and std.rules


def grade(tmp_path: Path, files: dict[str, str], *names: str):
    reg = default_registry()
    std = resolve(reg, layers(*names))
    root = build_repo(tmp_path / f"r{len(list(tmp_path.iterdir()))}", files)
    return grade_snapshot(open_local(root), std, reg)


def test_a_service_on_both_standards(tmp_path):
    files = {
        "README.md": "# Payments\n\n## On-call\n\nPage #payments-oncall.\n",
        "catalog-info.yaml": SERVICE,
        "CODEOWNERS": "* @acme/payments\n",
        "pyproject.toml": "[project]\nname = 'payments'\n",
        "uv.lock": "",
        "Dockerfile": "FROM python:3.12-slim\n",
        "SECURITY.md": "Mail security@acme.test\n",
    }
    card = grade(tmp_path, files, "production-readiness.yml", "security.yml")
    tracks = {t.name: t for t in card.tracks}
    ready = tracks["production-readiness"]
    assert ready.applies and ready.level == "Owned"
    assert "ci-configured" in ready.blocking and "runbook-linked" not in ready.blocking
    security = tracks["security"]
    assert security.level == "Bronze"
    statuses = {r.id: r.status for r in card.checks}
    assert statuses["python-lockfile"] is Status.PASS
    assert statuses["node-lockfile"] is Status.SKIP
    assert statuses["dockerfile-base-pinned"] is Status.FAIL
    assert {c.name: c.state for c in card.campaigns} == {"security-policy": "met"}


def test_a_handbook_is_not_held_to_production_readiness(tmp_path):
    files = {"README.md": "# Handbook\n", "catalog-info.yaml": HANDBOOK}
    card = grade(tmp_path, files, "production-readiness.yml")
    (ready,) = card.tracks
    assert not ready.applies and "spec.type" in ready.reason
    statuses = {r.id: r.status for r in card.checks}
    assert statuses["tests-present"] is Status.SKIP and statuses["ci-runs-tests"] is Status.SKIP
