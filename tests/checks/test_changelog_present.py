import pytest
from harness import Symlink

from scorecard.model import Location, Status
from scorecard.snapshot import Platform, Unknown


class ReleasesPlatform(Platform):
    def __init__(self, answer):
        self.answer = answer

    def releases_count(self):
        return self.answer


@pytest.mark.parametrize(
    "path",
    [
        "CHANGELOG.md",
        "CHANGES",
        "HISTORY.rst",
        "NEWS.txt",
        "RELEASES.adoc",
        "changelog.markdown",
        "Changes.MD",
        "docs/CHANGELOG.md",
        "doc/NEWS",
        ".github/RELEASES.md",
    ],
)
def test_present(run_check, path):
    r = run_check("changelog-present", {path: "## 1.0.0\n- first"})
    assert r.status is Status.PASS
    assert r.message == f"{path} found"
    assert r.locations == (Location(path),)


def test_root_first(run_check):
    r = run_check("changelog-present", {"docs/CHANGELOG.md": "x", "HISTORY.md": "x"})
    assert r.locations == (Location("HISTORY.md"),)


LOCAL_FAIL = (
    "no CHANGELOG, CHANGES, HISTORY, NEWS or RELEASES file at the root, in docs/, "
    "doc/ or .github/ (published GitHub releases are only seen through the API)"
)


@pytest.mark.parametrize(
    "files",
    [
        {},
        {
            "CHANGELOG.html": "x",
            "CHANGELOG.json": "x",
            "CHANGELOG-old.md": "x",
            "CHANGELOG.md.bak": "x",
            "changelogs.md": "x",
        },
        {"src/CHANGELOG.md": "x", "Docs/CHANGELOG.md": "x", "docs/old/CHANGELOG.md": "x"},
        {"CHANGELOG.md": Symlink("../../outside/CHANGELOG.md")},
    ],
)
def test_absent_locally(run_check, files):
    r = run_check("changelog-present", files)
    assert r.status is Status.FAIL
    assert r.message == LOCAL_FAIL


@pytest.mark.parametrize(
    "count,status,message",
    [
        (3, Status.PASS, "3 published GitHub releases"),
        (1, Status.PASS, "1 published GitHub release"),
        (
            0,
            Status.FAIL,
            "no CHANGELOG, CHANGES, HISTORY, NEWS or RELEASES file at the root, in "
            "docs/, doc/ or .github/, and no published GitHub releases",
        ),
        (Unknown("GitHub releases need contents: read"), Status.FAIL, LOCAL_FAIL),
    ],
)
def test_releases(run_check, make_snapshot, count, status, message):
    snap = make_snapshot({"README.md": "x"})
    snap.platform = ReleasesPlatform(count)
    r = run_check("changelog-present", {}, snap=snap)
    assert (r.status, r.message) == (status, message)
    assert r.locations == ()
