"""Fault 14 (checkout part): a directory symlink that resolves inside the repository is
followed (spec/checks.md: `.github -> config/github` finds `.github/CODEOWNERS`); one that
leaves the root, dangles or loops is absent, as a file symlink is."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from harness import FileSpec, Symlink, build_repo

from scorecard.sources.archive import read_archive
from scorecard.sources.local import open_local

LINKED: FileSpec = {
    "config/github/CODEOWNERS": "* @acme/platform\n",
    "config/github/workflows/ci.yml": "on: push\n",
    ".github": Symlink("config/github"),
    "README.md": "# r\n",
}


@pytest.mark.parametrize("git_repo", [True, False], ids=["checkout", "plain folder"])
def test_a_directory_symlink_inside_the_repository_is_followed(tmp_path, git_repo):
    root = build_repo(tmp_path / "r", LINKED, git_repo=git_repo, commit=git_repo)
    snap = open_local(root)
    assert snap.has(".github/CODEOWNERS") and snap.has(".github/workflows/ci.yml")
    assert snap.read_text(".github/CODEOWNERS") == "* @acme/platform\n"
    assert snap.has("config/github/CODEOWNERS")  # the target's own paths stay
    assert [w.path for w in snap.workflows()] == [".github/workflows/ci.yml"]


def test_the_codeowners_check_finds_the_linked_file(run_check):
    assert run_check("codeowners-present", LINKED).status.value == "pass"


@pytest.mark.parametrize("git_repo", [True, False], ids=["checkout", "plain folder"])
def test_directory_symlinks_that_leave_dangle_or_loop_are_absent(tmp_path, git_repo):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x\n")
    root = build_repo(
        tmp_path / "r",
        {
            "a/file.txt": "a\n",
            "out": Symlink(str(outside)),
            "up": Symlink("../outside"),
            "gone": Symlink("nothing-here"),
            "a/loop": Symlink(".."),  # the root: would list itself forever
            "a/self": Symlink("."),
        },
        git_repo=git_repo,
        commit=git_repo,
    )
    assert sorted(open_local(root).files) == ["a/file.txt"]


def test_a_link_through_a_linked_directory_is_followed(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            "real/docs/a.md": "a\n",
            "cfg": Symlink("real"),
            "docs": Symlink("cfg/docs"),
        },
        commit=True,
    )
    assert sorted(open_local(root).files) == ["cfg/docs/a.md", "docs/a.md", "real/docs/a.md"]


def test_a_linked_directory_is_searched_by_the_content_scan(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    key = "-----BEGIN RSA PRIVATE KEY-----\n"
    files = {f"src/f{i}.txt": f"{i}\n" for i in range(600)}  # the `git grep` path
    root = build_repo(
        tmp_path / "r", {**files, "keys/id_rsa": key, "deploy": Symlink("keys")}, commit=True
    )
    assert open_local(root).grep(rb"BEGIN RSA", 1024) == ["deploy/id_rsa", "keys/id_rsa"]


def _archive(files: dict[str, object]) -> io.BytesIO:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, content in sorted(files.items()):
            info = tarfile.TarInfo(f"acme-r-1234567/{path}")
            if isinstance(content, Symlink):
                info.type, info.linkname = tarfile.SYMTYPE, content.target
                tar.addfile(info)
            else:
                data = str(content).encode()
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    buf.seek(0)
    return buf


@pytest.mark.parametrize(
    "files",
    [LINKED, {"a/f.txt": "f\n", "b": Symlink("a"), "c": Symlink("../x"), "a/up": Symlink("..")}],
    ids=["dotgithub", "mixed"],
)
def test_a_checkout_and_an_archive_list_the_same_files(tmp_path: Path, files):
    root = build_repo(tmp_path / "r", files, commit=True)
    content = read_archive(_archive(files))
    try:
        assert sorted(open_local(root).files) == content.files
        for path in content.files:  # and each shows the same bytes
            assert content.read(path) == (root / path).read_bytes()
    finally:
        content.close()
