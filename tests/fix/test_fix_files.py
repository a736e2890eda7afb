"""`repo-scorecard fix` on a checkout: each file-creating fix, then `check` shows the check
passing; a second run changes nothing; nothing is replaced without --force."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.cli import main

README = "# Demo\n\nA demo service, with words enough for a readme.\n"


def statuses(root: Path) -> dict[str, str]:
    out = io.StringIO()
    main(["check", str(root), "--format", "json"], stdout=out)
    return {c["id"]: c["status"] for c in json.loads(out.getvalue())["checks"]}


def fix(root: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["fix", str(root), *args], stdout=out)
    return code, out.getvalue()


@pytest.mark.parametrize(
    ("check", "files", "path"),
    [
        ("security-policy-present", {}, "SECURITY.md"),
        ("changelog-present", {}, "CHANGELOG.md"),
        ("contributing-present", {}, "CONTRIBUTING.md"),
        (
            "dependency-updates-configured",
            {"svc/requirements.txt": "x\n", "go.mod": "m\n"},
            ".github/dependabot.yml",
        ),
        (
            "codeowners-present",
            {
                "catalog-info.yaml": "kind: Component\nmetadata: {name: d}\n"
                "spec: {owner: 'user:alice', type: service, lifecycle: x}\n"
            },
            ".github/CODEOWNERS",
        ),
        ("catalog-info-valid", {"CODEOWNERS": "* @acme/payments\n"}, "catalog-info.yaml"),
    ],
)
def test_each_fix_makes_its_check_pass(tmp_path, check, files, path):
    root = build_repo(tmp_path / "r", {"README.md": README, **files})
    assert statuses(root)[check] == "fail"
    code, out = fix(root, "--only", check)
    assert code == 0 and f"fixed  {check}: {path}" in out, out
    assert statuses(root)[check] == "pass"
    code, again = fix(root, "--only", check)
    assert code == 0 and f"nothing to do  {check}" in again  # a second run is a no-op


def test_dependabot_one_entry_per_manifest_directory(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            "README.md": README,
            "api/pyproject.toml": "",
            "web/package.json": "{}",
            "pom.xml": "<project/>",
            "node_modules/x/package.json": "{}",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        },
    )
    fix(root, "--only", "dependency-updates-configured")
    import yaml

    updates = yaml.safe_load((root / ".github/dependabot.yml").read_text())["updates"]
    assert [(u["package-ecosystem"], u["directory"]) for u in updates] == [
        ("github-actions", "/"),
        ("maven", "/"),
        ("npm", "/web"),
        ("pip", "/api"),
    ]


def test_the_org_template_from_the_standard(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": README})
    cfg = tmp_path / "std.yml"
    cfg.write_text(
        'fix:\n  templates:\n    SECURITY.md: "# Acme security\\n\\nMail psirt@acme.test\\n"\n'
    )
    fix(root, "--only", "security-policy-present", "--config", str(cfg))
    assert (root / "SECURITY.md").read_text() == "# Acme security\n\nMail psirt@acme.test\n"


def test_team_owner_needs_the_org(tmp_path):
    cat = (
        "kind: Component\nmetadata: {name: d}\n"
        "spec: {owner: 'group:payments', type: x, lifecycle: y}\n"
    )
    root = build_repo(tmp_path / "r", {"README.md": README, "catalog-info.yaml": cat})
    _, out = fix(root, "--only", "codeowners-present")
    assert "skipped  codeowners-present: the catalog's owner 'group:payments' is a team" in out
    fix(root, "--only", "codeowners-present", "--org", "acme")
    assert (root / ".github/CODEOWNERS").read_text().endswith("* @acme/payments\n")


def test_catalog_without_a_known_owner_is_not_made_up(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": README})
    _, out = fix(root, "--only", "catalog-info-valid")
    assert "skipped  catalog-info-valid: no owner known" in out
    assert not (root / "catalog-info.yaml").exists()


def test_an_invalid_entry_is_left_alone(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": README, "catalog-info.yaml": "kind: [\n"})
    _, out = fix(root, "--only", "catalog-info-valid")
    assert "skipped  catalog-info-valid: catalog-info.yaml exists but is not valid" in out
    assert (root / "catalog-info.yaml").read_text() == "kind: [\n"


def test_never_replaces_a_file_without_force(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": README})
    (root / "SECURITY.md").write_text("mine, untracked\n")  # not tracked: the check fails
    code = main(["fix", str(root), "--only", "security-policy-present"], stdout=io.StringIO())
    assert code == 2 and (root / "SECURITY.md").read_text() == "mine, untracked\n"
    assert (
        main(
            ["fix", str(root), "--only", "security-policy-present", "--force"], stdout=io.StringIO()
        )
        == 0
    )
    assert (root / "SECURITY.md").read_text().startswith("# Security policy")


def test_dry_run_writes_nothing_and_new_files_are_seen_by_git(tmp_path, capsys):
    root = build_repo(tmp_path / "r", {"README.md": README})
    code, out = fix(root, "--dry-run", "--only", "changelog-present")
    assert code == 0 and out.startswith("--- /dev/null\n+++ b/CHANGELOG.md\n")
    assert not (root / "CHANGELOG.md").exists()
    assert "would fix  changelog-present" in capsys.readouterr().err
    fix(root, "--only", "changelog-present")
    listed = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True)
    assert "CHANGELOG.md" in listed.stdout.split()  # intent to add: nothing staged


def test_usage_errors(tmp_path, capsys):
    root = build_repo(tmp_path / "r", {"README.md": README})
    assert main(["fix", str(root), "--only", "no-such-check"], stdout=io.StringIO()) == 2
    assert main(["fix", str(root), "--pr"], stdout=io.StringIO()) == 2
    assert "--pr is for OWNER/REPO" in capsys.readouterr().err
