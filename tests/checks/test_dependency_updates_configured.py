from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.model import Location, Status


@pytest.mark.parametrize(
    "path",
    [
        ".github/dependabot.yml",
        ".github/dependabot.yaml",
        "renovate.json",
        "renovate.json5",
        ".github/renovate.json",
        ".github/renovate.json5",
        ".gitlab/renovate.json",
        ".gitlab/renovate.json5",
        ".renovaterc",
        ".renovaterc.json",
        ".renovaterc.json5",
    ],
)
def test_config_file_passes(run_check, path):
    r = run_check("dependency-updates-configured", {path: "{}"})
    assert r.status is Status.PASS
    assert r.locations == (Location(path),)
    assert path in r.message


@pytest.mark.parametrize(
    "path",
    [
        "dependabot.yml",
        ".github/Dependabot.yml",
        ".github/dependabot.json",
        "docs/renovate.json",
        ".renovaterc.yml",
        ".github/workflows/dependabot.yml",
    ],
)
def test_wrong_places_fail(run_check, path):
    r = run_check("dependency-updates-configured", {path: "x"})
    assert r.status is Status.FAIL


def test_package_json_renovate_key(run_check):
    r = run_check(
        "dependency-updates-configured",
        {"package.json": '{"name": "x", "renovate": {"extends": ["config:base"]}}'},
    )
    assert r.status is Status.PASS
    assert "`renovate` key in package.json" in r.message


@pytest.mark.parametrize(
    "content",
    [
        '{"name": "x"}',
        '{"renovate": ',
        b"\xff\xfe",
        '["renovate"]',
        "",
    ],
)
def test_package_json_without_key(run_check, content):
    r = run_check(
        "dependency-updates-configured",
        {"package.json": content, "sub/package.json": '{"renovate": {}}'},
    )
    assert r.status is Status.FAIL


def test_both_tools_listed(run_check):
    r = run_check(
        "dependency-updates-configured",
        {".github/dependabot.yml": "version: 2\n", "renovate.json": "{}"},
    )
    assert r.status is Status.PASS
    assert "Dependabot" in r.message and "Renovate" in r.message
    assert len(r.locations) == 2


def test_symlink_leaving_repo_is_absent(run_check):
    r = run_check("dependency-updates-configured", {"renovate.json": Symlink("../../x.json")})
    assert r.status is Status.FAIL
