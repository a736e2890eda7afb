from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.model import Location, Status
from scorecard.snapshot import Platform, Unknown


class OrgPlatform(Platform):
    def __init__(self, answer: str | Unknown | None) -> None:
        self.answer = answer

    def org_community_file(self, kind: str) -> str | Unknown | None:
        assert kind == "SECURITY"
        return self.answer


@pytest.mark.parametrize(
    "path",
    [
        "SECURITY.md",
        "security.md",
        "Security",
        "SECURITY.markdown",
        "SECURITY.rst",
        "SECURITY.adoc",
        "SECURITY.TXT",
        ".github/SECURITY.md",
        "docs/security.rst",
    ],
)
def test_present(run_check, path):
    r = run_check("security-policy-present", {path: "Report to security@example.com"})
    assert r.status is Status.PASS
    assert r.locations == (Location(path),)
    assert r.data == {"inherited": False}


@pytest.mark.parametrize(
    "path",
    [
        "SECURITY.html",
        "SECURITY-POLICY.md",
        "src/SECURITY.md",
        "Docs/SECURITY.md",
        ".GitHub/SECURITY.md",
        "doc/SECURITY.md",
        "SECURITY.md.bak",
    ],
)
def test_not_counted(run_check, path):
    r = run_check("security-policy-present", {path: "x"})
    assert r.status is Status.FAIL
    assert "can only be seen through the API" in r.message


def test_github_folder_first(run_check):
    r = run_check("security-policy-present", {"SECURITY.md": "x", ".github/security.md": "x"})
    assert r.locations == (Location(".github/security.md"),)


def test_binary_or_invalid_file_still_counts(run_check):
    r = run_check("security-policy-present", {"SECURITY.md": b"\xff\x00"})
    assert r.status is Status.PASS


def test_symlink_leaving_repo_is_absent(run_check):
    r = run_check("security-policy-present", {"SECURITY.md": Symlink("/etc/hostname")})
    assert r.status is Status.FAIL


def test_inherited_from_org(make_snapshot, run_check):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = OrgPlatform("SECURITY.md")
    r = run_check("security-policy-present", {}, snap=snap)
    assert r.status is Status.PASS
    assert "inherited" in r.message
    assert r.data == {"inherited": True}


@pytest.mark.parametrize(
    "answer,fragment",
    [
        (None, "none in the organisation's .github repository"),
        (Unknown("token cannot read it"), "through the API (token cannot read it)"),
    ],
)
def test_missing(make_snapshot, run_check, answer, fragment):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = OrgPlatform(answer)
    r = run_check("security-policy-present", {}, snap=snap)
    assert r.status is Status.FAIL
    assert fragment in r.message
