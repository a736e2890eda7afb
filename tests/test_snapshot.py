from __future__ import annotations

import os
import subprocess

import pytest
from harness import GIT_ENV, Symlink, build_repo, git

from scorecard.snapshot import NotText, ReadError, TooLarge
from scorecard.sources.local import SourceError, open_local


def test_git_lists_tracked_files_only(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "a", "dir/b.txt": "b", ".gitignore": "*.log\n"})
    (root / "untracked.txt").write_text("u")
    (root / "ignored.log").write_text("i")
    snap = open_local(root)
    assert list(snap.files) == [".gitignore", "a.txt", "dir/b.txt"]
    assert snap.has("a.txt") and not snap.has("untracked.txt") and not snap.has("ignored.log")


def test_plain_folder_lists_every_regular_file(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "a", "x/y/z.md": "z"}, git_repo=False)
    snap = open_local(root)
    assert list(snap.files) == ["a.txt", "x/y/z.md"]
    assert snap.commit is None


def test_commit_recorded(tmp_path):
    root = build_repo(tmp_path / "r", {"a": "a"}, commit=True)
    assert open_local(root).commit == git(root, "rev-parse", "HEAD").strip()


def test_empty_git_repository(tmp_path):
    root = build_repo(tmp_path / "r", {})
    snap = open_local(root)
    assert list(snap.files) == [] and snap.commit is None
    assert snap.listdir("") == [] and not snap.has_dir("docs")


@pytest.mark.parametrize("git_repo", [True, False])
def test_symlinks(tmp_path, git_repo):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    root = build_repo(
        tmp_path / "r",
        {
            "real.md": "real",
            "inside.md": Symlink("real.md"),
            "escape.md": Symlink(str(outside)),
            "relative-escape.md": Symlink("../secret.txt"),
            "dangling.md": Symlink("nowhere.md"),
        },
        git_repo=git_repo,
    )
    snap = open_local(root)
    assert snap.has("inside.md")
    assert snap.read_text("inside.md") == "real"
    for name in ("escape.md", "relative-escape.md", "dangling.md"):
        assert not snap.has(name)
        with pytest.raises(ReadError):
            snap.read_text(name)


def test_binary_and_invalid_utf8(make_snapshot):
    snap = make_snapshot(
        {"bin": b"\x89PNG\0\0data", "latin": "café".encode("latin-1"), "bom.md": "\ufeffhello"}
    )
    with pytest.raises(NotText, match="binary"):
        snap.read_text("bin")
    with pytest.raises(NotText, match="UTF-8"):
        snap.read_text("latin")
    assert snap.read_text("bom.md") == "hello"
    assert snap.read_bytes("bin").startswith(b"\x89PNG")


def test_size_cap(make_snapshot):
    snap = make_snapshot({"big": "x" * 5000})
    with pytest.raises(TooLarge):
        snap.read_bytes("big", cap=100)
    assert len(snap.read_bytes("big")) == 5000
    assert snap.size("big") == 5000
    assert snap.size("missing") is None


def test_non_utf8_file_name(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (root / name).write_text("x")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True, env={**os.environ, **GIT_ENV})
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env={**os.environ, **GIT_ENV})
    snap = open_local(root)
    assert snap.files == [name]
    assert snap.read_text(name) == "x"


def test_unreadable_tracked_file(tmp_path):
    root = build_repo(tmp_path / "r", {"gone.txt": "x", "fifo": "x"})
    (root / "gone.txt").unlink()
    (root / "fifo").unlink()
    os.mkfifo(root / "fifo")
    snap = open_local(root)
    assert snap.has("gone.txt")
    with pytest.raises(ReadError, match="cannot be read"):
        snap.read_text("gone.txt")
    with pytest.raises(ReadError, match="not a regular file"):
        snap.read_text("fifo")


def test_not_a_directory(tmp_path):
    with pytest.raises(SourceError):
        open_local(tmp_path / "nope")


def test_submodule_is_not_a_file(tmp_path):
    sub = build_repo(tmp_path / "sub", {"x": "x"}, commit=True)
    root = build_repo(tmp_path / "r", {"a": "a"})
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/sub")
    snap = open_local(root)
    assert "vendor/sub" not in snap.files and ".gitmodules" in snap.files


def test_index_helpers(make_snapshot):
    snap = make_snapshot(
        {"README.md": "", "docs/a.md": "", "docs/deep/b.md": "", "docs0": "", "docs-x/c": ""}
    )
    assert snap.listdir("docs") == ["a.md"]
    assert snap.has_dir("docs") and not snap.has_dir("doc")
    assert list(snap.files_under("docs")) == ["docs/a.md", "docs/deep/b.md"]
    assert snap.subdirs("") == {"docs", "docs-x"}
    assert snap.find("", lambda n: n.startswith("README")) == ["README.md"]


def test_parsed_files_are_cached_and_keep_lines(make_snapshot):
    snap = make_snapshot(
        {
            "a.yml": "x:\n  - one\n  - two\n",
            "bad.yml": "x: [\n",
            "p.json": '{"a": 1}',
            "t.toml": "a = 1\n",
            "bad.toml": "a = \n",
        }
    )
    parsed = snap.yaml("a.yml")
    assert parsed is snap.yaml("a.yml")
    assert parsed.data["x"].line_of(1) == 3
    assert parsed.data.line_of("x") == 1
    bad = snap.yaml("bad.yml")
    assert not bad.ok and bad.error.line == 2
    assert snap.json("p.json").data == {"a": 1}
    assert snap.toml("t.toml").data == {"a": 1}
    assert snap.toml("bad.toml").error.line == 1


def test_workflows(make_snapshot):
    snap = make_snapshot(
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    steps:\n      - run: pytest\n",
            ".github/workflows/broken.yaml": "on: [push\n",
            ".github/workflows/list.yml": "- a\n",
            ".github/workflows/notes.txt": "x",
            ".github/workflows/sub/deep.yml": "on: push\n",
        }
    )
    wfs = {w.path: w for w in snap.workflows()}
    assert set(wfs) == {
        ".github/workflows/ci.yml",
        ".github/workflows/broken.yaml",
        ".github/workflows/list.yml",
    }
    ci = wfs[".github/workflows/ci.yml"]
    assert ci.ok and ci.triggers == {"push"}
    assert [s["run"] for _, s in ci.steps()] == ["pytest"]
    assert not wfs[".github/workflows/broken.yaml"].ok
    assert wfs[".github/workflows/list.yml"].error.message == "a workflow must be a mapping"


def test_grep_uses_git_and_respects_size(make_snapshot):
    snap = make_snapshot(
        {
            "a.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n",
            "b.txt": "nothing",
            "big.pem": "-----BEGIN PRIVATE KEY-----\n" + "x" * 2000,
        }
    )
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    assert snap.grep(rx, 1000) == ["a.pem"]
    assert snap.grep(rx, 10_000) == ["a.pem", "big.pem"]


def test_grep_reads_the_work_tree_not_the_index(tmp_path):
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    root = build_repo(
        tmp_path / "r", {"clean.txt": "x", "was_key.pem": key, "later.txt": "x"}, commit=True
    )
    (root / "was_key.pem").write_text("removed, not yet staged\n")
    (root / "later.txt").write_text(key)  # changed, not staged
    snap = open_local(root)
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    assert snap.grep(rx, 1 << 20) == ["later.txt"]
    snap._prefetch_grep(rx, 1 << 20)  # the same answer, computed in the background
    assert snap.grep(rx, 1 << 20) == ["later.txt"]


def test_the_changes_are_asked_beside_the_listing_and_taken_by_the_scan(tmp_path):
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    root = build_repo(tmp_path / "r", {"a.txt": "x", "b.txt": "y"}, commit=True)
    (root / "b.txt").write_text(key)  # changed after the commit
    snap = open_local(root)
    early = snap.changes
    assert early is not None  # `git diff-files` started with the listing
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    assert snap.grep(rx, 1 << 20) == ["b.txt"]
    assert snap.changes is None and early.returncode == 0  # taken and waited for
    assert snap.grep(rx, 1 << 10) == ["b.txt"]  # another scan asks git again
    snap.close()


def test_changes_nobody_asked_for_end_with_the_snapshot(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "x"}, commit=True)
    snap = open_local(root)
    with snap:
        early = snap.changes
        assert early is not None
    assert snap.changes is None and early.returncode is not None


def test_a_plain_folder_starts_no_git(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "x"}, git_repo=False)
    assert open_local(root).changes is None


def test_grep_verdicts_are_cached_by_blob_id(tmp_path, monkeypatch):
    from scorecard.cache import VerdictCache

    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path / "cache"))
    key = "-----BEGIN EC PRIVATE KEY-----\n"
    files = {f"f{i}.txt": f"plain {i}\n" for i in range(600)}
    root = build_repo(tmp_path / "r", {**files, "k.pem": key}, commit=True)
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    assert open_local(root).grep(rx, 1 << 20) == ["k.pem"]
    cache = VerdictCache(rx, 1 << 20)
    assert len(cache.clean) == 600 and len(cache.matching) == 1
    # a second run reads only what changed; the verdicts still hold
    (root / "f1.txt").write_text(key)
    assert open_local(root).grep(rx, 1 << 20) == ["f1.txt", "k.pem"]
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    assert open_local(root).grep(rx, 1 << 20) == ["f1.txt", "k.pem"]


def test_waiting_for_a_background_scan_can_be_stopped_by_a_deadline():
    """A check waiting on the content scan started early (a thread) still ends at its
    deadline: the wait is in steps, where the deadline's exception can be raised."""
    import subprocess
    import sys

    probe = (
        "import threading, time\nfrom scorecard import budgets\n"
        "from scorecard.snapshot import Background\n"
        "job = Background(threading.Event().wait)\n"
        "try:\n    budgets.call_with_deadline(0.2, 'the check', job.result)\n"
        "except budgets.TimedOut as exc:\n    print(exc)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=20)
    assert run.stdout.strip() == "the check ran past its 0.2 s deadline", run.stderr
