"""docs/checks.md is generated from the checks; it must match them (`make docs` regenerates)."""

from __future__ import annotations

from pathlib import Path

from scorecard import docs
from scorecard.registry import default_registry
from scorecard.standard import default_standard

ROOT = Path(__file__).resolve().parents[1]
SPEC_IDS = {
    "codeowners-present",
    "codeowners-valid",
    "codeowners-coverage",
    "catalog-info-valid",
    "owner-defined",
    "readme-present",
    "readme-substantive",
    "license-present",
    "contributing-present",
    "changelog-present",
    "docs-present",
    "security-policy-present",
    "dependency-updates-configured",
    "actions-pinned",
    "workflow-permissions-restricted",
    "no-dangerous-triggers",
    "code-scanning-configured",
    "branch-protected",
    "secret-scanning-enabled",
    "no-private-keys",
    "tests-present",
    "ci-configured",
    "ci-runs-tests",
    "coverage-configured",
}


def test_the_whole_catalog_is_registered_and_loads():
    reg = default_registry()
    assert not reg.errors, reg.errors
    assert set(reg.checks) >= SPEC_IDS
    for chk in reg:
        assert chk.doc.strip(), f"{chk.id} has no docstring"
        assert chk.remediation.strip(), f"{chk.id} has no remediation"
        assert chk.pillar in ("ownership", "docs", "security", "tests")


def test_checks_md_is_current():
    reg = default_registry()
    expected = docs.render(reg, default_standard(reg))
    current = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert current == expected, "docs/checks.md is stale: run `make docs`"


def test_every_check_has_a_test_file():
    for check_id in SPEC_IDS:
        path = ROOT / "tests" / "checks" / f"test_{check_id.replace('-', '_')}.py"
        assert path.exists(), f"{path} is missing"


def test_default_standard_file_is_schema_valid():
    from scorecard.standard import parse_layer

    text = (ROOT / "scorecard" / "data" / "default-standard.yml").read_text()
    parse_layer(text, "default-standard.yml")  # raises on any schema error


def test_this_repository_grades_gold_and_its_workflows_parse():
    from scorecard.pipeline import grade_snapshot, load_standard
    from scorecard.sources.local import open_local

    snap = open_local(ROOT)
    for wf in snap.workflows():
        assert wf.ok, f"{wf.path}: {wf.error}"
    reg = default_registry()
    card = grade_snapshot(snap, load_standard(reg, snap), reg)
    failing = [(r.id, r.message) for r in card.checks if r.status.value in ("fail", "error")]
    assert card.level == "Gold", failing
