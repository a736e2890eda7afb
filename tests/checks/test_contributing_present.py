import pytest
from harness import Symlink

from scorecard.model import Location, Status
from scorecard.snapshot import Platform, Unknown


class OrgPlatform(Platform):
    """A platform that answers where the organisation's CONTRIBUTING is."""

    def __init__(self, answer):
        self.answer = answer
        self.asked = []

    def org_community_file(self, kind):
        self.asked.append(kind)
        return self.answer


@pytest.mark.parametrize(
    "path",
    [
        "CONTRIBUTING.md",
        "contributing",
        "Contributing.rst",
        ".github/CONTRIBUTING.md",
        "docs/CONTRIBUTING.adoc",
    ],
)
def test_present(run_check, path):
    r = run_check("contributing-present", {path: "How to contribute"})
    assert r.status is Status.PASS
    assert r.message == f"{path} found"
    assert r.locations == (Location(path),)


def test_github_folder_first(run_check):
    r = run_check(
        "contributing-present",
        {"docs/CONTRIBUTING.md": "x", "CONTRIBUTING.md": "x", ".github/contributing.md": "x"},
    )
    assert r.locations == (Location(".github/contributing.md"),)


def test_binary_file_still_counts(run_check):
    r = run_check("contributing-present", {"CONTRIBUTING.md": b"\x00\xff"})
    assert r.status is Status.PASS


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"CONTRIBUTING-old.md": "x", "src/CONTRIBUTING.md": "x", "Docs/CONTRIBUTING.md": "x"},
        {"CONTRIBUTING.md": Symlink("../../outside/CONTRIBUTING.md")},
    ],
)
def test_absent_locally(run_check, files):
    r = run_check("contributing-present", files)
    assert r.status is Status.FAIL
    assert r.message == (
        "no CONTRIBUTING file in .github/, the root or docs/ (an "
        "organisation-wide copy in its .github repository is only seen "
        "through the API)"
    )


def test_inherited_from_the_organisation(run_check, make_snapshot):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = OrgPlatform("CONTRIBUTING.md")
    r = run_check("contributing-present", {}, snap=snap)
    assert r.status is Status.PASS
    assert r.message == "CONTRIBUTING.md inherited from the organisation's .github repository"
    assert r.data["inherited"] is True
    assert snap.platform.asked == ["CONTRIBUTING"]


def test_none_in_the_organisation(run_check, make_snapshot):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = OrgPlatform(None)
    r = run_check("contributing-present", {}, snap=snap)
    assert r.status is Status.FAIL
    assert "nor in the organisation's .github repository" in r.message


def test_unknown_platform_answer_fails(run_check, make_snapshot):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = OrgPlatform(Unknown("needs contents: read on the .github repository"))
    r = run_check("contributing-present", {}, snap=snap)
    assert r.status is Status.FAIL
    assert "only seen through the API" in r.message


def test_own_file_wins_over_inherited(run_check, make_snapshot):
    snap = make_snapshot({"CONTRIBUTING.md": "x"})
    snap.platform = OrgPlatform("CONTRIBUTING.md")
    r = run_check("contributing-present", {}, snap=snap)
    assert r.message == "CONTRIBUTING.md found" and "inherited" not in r.data
    assert snap.platform.asked == []
