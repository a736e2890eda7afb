"""The snapshot of a commit read from git's object store (the Action's base when the workspace
has it) answers as a checkout of that commit does."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import FileSpec, Symlink, build_repo, git
from test_github_integration import RICH

from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.snapshot import ReadError
from scorecard.sources.gitcommit import CommitSnapshot, open_commit
from scorecard.sources.local import open_local
from scorecard.standard import default_standard

FILES: FileSpec = {
    **RICH,
    "docs/deep/link-up.md": Symlink("../index.md"),
    "loop-a": Symlink("loop-b"),
    "loop-b": Symlink("loop-a"),
    "big.txt": "x" * 300_000,
    "tests/fixtures/other.key": "-----BEGIN EC PRIVATE KEY-----\n",
}


def opened(root: Path, sha: str) -> CommitSnapshot:
    """The commit's snapshot, which the test knows exists."""
    snap = open_commit(root, sha)
    assert snap is not None
    return snap


@pytest.mark.parametrize(
    "reader,store", [("git", "loose"), ("git", "packed"), ("python", "loose"), ("python", "packed")]
)
def test_same_answers_as_a_checkout_of_the_commit(tmp_path, monkeypatch, reader, store):
    """With git, and without it (the object store read in Python), loose or packed."""
    root = build_repo(tmp_path / "repo", FILES, commit=True)
    sha = git(root, "rev-parse", "HEAD").strip()
    # the work tree moves on; the commit is what is graded
    (root / "README.md").write_text("changed\n")
    git(root, "rm", "-q", "LICENSE")
    git(root, "commit", "-qam", "later")
    if store == "packed":
        git(root, "gc", "-q")
    if reader == "python":
        monkeypatch.setattr("scorecard.sources.gitcommit.shutil.which", lambda name: None)
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(root), str(checkout))
    git(checkout, "checkout", "-q", sha)
    reg = default_registry()
    std = default_standard(reg)
    local = open_local(checkout)
    with opened(root, sha) as snap:
        assert snap is not None and snap.commit == sha
        assert (snap.store is not None) == (reader == "python")
        assert list(snap.files) == list(local.files)
        for path in local.files:
            try:
                expected: bytes | str = local.read_bytes(path, 1 << 20)
            except ReadError as exc:
                expected = type(exc).__name__
            try:
                got: bytes | str = snap.read_bytes(path, 1 << 20)
            except ReadError as exc:
                got = type(exc).__name__
            assert got == expected, path
            assert snap.size(path) == local.size(path) or snap.size(path) is None, path
        assert snap.grep(rb"-----BEGIN [A-Z ]*PRIVATE KEY-----", 1 << 20) == local.grep(
            rb"-----BEGIN [A-Z ]*PRIVATE KEY-----", 1 << 20
        )
        with pytest_raises_read_error():
            snap.read_bytes("escape.md")
        with pytest_raises_read_error():
            snap.read_bytes("loop-a")
        a = grade_snapshot(local, std, reg)
        b = grade_snapshot(snap, std, reg)
    assert [(r.id, r.status, r.message, r.locations) for r in a.checks] == [
        (r.id, r.status, r.message, r.locations) for r in b.checks
    ]


def pytest_raises_read_error():
    import pytest

    return pytest.raises(ReadError)


@pytest.mark.parametrize("reader", ["git", "python"])
def test_missing_commit_or_not_a_repository(tmp_path, monkeypatch, reader):
    if reader == "python":
        monkeypatch.setattr("scorecard.sources.gitcommit.shutil.which", lambda name: None)
    root = build_repo(tmp_path / "repo", {"a": "a"}, commit=True)
    assert (
        open_commit(root, git(root, "rev-parse", "--short", "HEAD").strip()) is not None
        or reader == "python"
    )  # an abbreviated id needs git's lookup
    assert open_commit(root, "0" * 40) is None
    assert open_commit(root, "--output=x") is None
    assert open_commit(tmp_path / "nothing", "0" * 40) is None


def test_the_commits_git_processes_are_registered_to_end_with_the_tool(tmp_path):
    """Issue 9, fault 5: every git process the tool starts ends with it, the base commit's
    too (its long-lived ``cat-file --batch`` and its ``grep``)."""
    from scorecard.sources import gitprocs

    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    sha = git(root, "rev-parse", "HEAD").strip()
    before = set(gitprocs._children)
    with opened(root, sha) as snap:
        snap.read_text("README.md")
        started = set(gitprocs._children) - before
        assert any("cat-file" in str(p.args) for p in started)
        gitprocs.reap()
        assert all(p.poll() is not None for p in started)
