import pytest
from harness import Symlink

from scorecard.model import Location, Status


@pytest.mark.parametrize(
    "files, used",
    [
        ({".github/CODEOWNERS": "* @a"}, ".github/CODEOWNERS"),
        ({"CODEOWNERS": "* @a"}, "CODEOWNERS"),
        ({"docs/CODEOWNERS": "* @a"}, "docs/CODEOWNERS"),
        ({"CODEOWNERS": "* @a", ".github/CODEOWNERS": "* @b"}, ".github/CODEOWNERS"),
    ],
)
def test_present(run_check, files, used):
    r = run_check("codeowners-present", files)
    assert r.status is Status.PASS
    assert r.locations == (Location(used),)
    assert used in r.message


def test_names_the_ignored_copies(run_check):
    r = run_check("codeowners-present", {"CODEOWNERS": "", "docs/CODEOWNERS": ""})
    assert "GitHub uses it and ignores docs/CODEOWNERS" in r.message


@pytest.mark.parametrize(
    "files, hint",
    [
        ({"README.md": "x"}, None),
        ({".github/codeowners": "* @a"}, ".github/codeowners"),
        ({"CODEOWNERS.md": "* @a"}, "CODEOWNERS.md"),
        ({"src/CODEOWNERS": "* @a", ".github/CODEOWNERS/x": "dir, not file"}, None),
    ],
)
def test_missing(run_check, files, hint):
    r = run_check("codeowners-present", files)
    assert r.status is Status.FAIL
    assert "no CODEOWNERS file" in r.message
    if hint:
        assert hint in r.message and "exactly `CODEOWNERS`" in r.message
        assert r.locations == (Location(hint),)


@pytest.mark.parametrize("content", [b"\0\x01binary", b"\xff\xfe not utf-8", b""])
def test_content_does_not_matter(run_check, content):
    r = run_check("codeowners-present", {".github/CODEOWNERS": content})
    assert r.status is Status.PASS


def test_symlink_leaving_the_repository_is_absent(run_check, tmp_path):
    outside = tmp_path / "outside"
    outside.write_text("* @a\n")
    r = run_check("codeowners-present", {"CODEOWNERS": Symlink(str(outside)), "x": ""})
    assert r.status is Status.FAIL


def test_symlink_inside_the_repository_counts(run_check):
    r = run_check(
        "codeowners-present", {"CODEOWNERS": Symlink("owners.txt"), "owners.txt": "* @a\n"}
    )
    assert r.status is Status.PASS


def test_plain_folder(run_check):
    r = run_check("codeowners-present", {"docs/CODEOWNERS": "* @a"}, git_repo=False)
    assert r.status is Status.PASS
