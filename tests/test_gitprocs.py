"""The git processes the tool starts: none outlives it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from harness import build_repo, git

from scorecard.sources import gitprocs
from scorecard.sources.local import open_local

# ---- fault 5: a large blob is never handed to git; no git process outlives the tool ----------


def _repo_with_a_large_blob(root, n_small: int = 600):
    """A clone-like repository (one pack) of ``n_small`` small files, one with a private key,
    and a sparse 64 MiB file (over the content scan's 1 MiB cap: the case of a 2 GB file
    without the time it takes git to add one)."""
    files = {f"src/f{i:03d}.txt": f"file {i}\n" for i in range(n_small)}
    files["deploy/id_rsa"] = "-----BEGIN RSA PRIVATE KEY-----\nx\n"
    root = build_repo(root, files)
    with open(root / "big.bin", "wb") as fh:
        fh.truncate(64 * 1024 * 1024)
    git(root, "add", "big.bin")
    git(root, "commit", "-q", "-m", "x")
    git(root, "repack", "-a", "-d", "-q")
    git(root, "prune-packed")
    return root


def _pack_offset(root, path: str) -> str:
    oid = git(root, "rev-parse", f"HEAD:{path}").strip()
    idx = next((root / ".git" / "objects" / "pack").glob("*.idx"))
    with open(idx, "rb") as fh:
        listing = subprocess.run(
            ["git", "show-index"], stdin=fh, capture_output=True, text=True, check=True
        ).stdout
    return next(line.split()[0] for line in listing.splitlines() if line.split()[1] == oid)


def test_the_content_scan_never_hands_git_a_blob_over_the_cap(tmp_path, monkeypatch):
    from checks.no_private_keys import MARKER, MAX_SIZE

    root = _repo_with_a_large_blob(tmp_path / "r")
    big = _pack_offset(root, "big.bin")
    log = tmp_path / "pack-access.log"
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    monkeypatch.setenv("GIT_TRACE_PACK_ACCESS", str(log))  # every object git inflates
    snap = open_local(root)
    assert snap.grep(MARKER, MAX_SIZE) == ["deploy/id_rsa"]
    read = {line.split()[-1] for line in log.read_text().splitlines()}
    assert len(read) > 500  # git grep searched the small blobs from the pack...
    assert big not in read  # ...and never inflated the large one


def test_many_large_blobs_are_not_named_to_git_but_read_within_the_cap(tmp_path, monkeypatch):
    from checks.no_private_keys import MARKER, MAX_SIZE
    from scorecard.sources import local

    monkeypatch.setattr(local, "MAX_EXCLUDED", 0)  # one large blob is already too many
    root = _repo_with_a_large_blob(tmp_path / "r")
    log = tmp_path / "pack-access.log"
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    monkeypatch.setenv("GIT_TRACE_PACK_ACCESS", str(log))
    assert open_local(root).grep(MARKER, MAX_SIZE) == ["deploy/id_rsa"]
    assert not log.exists()  # no git grep at all


GIT_WRAPPER = """#!/bin/sh
# git, except that `git grep` records its process id and waits (a git child that would run
# for minutes)
for arg in "$@"; do
  if [ "$arg" = grep ]; then echo $$ > "$PIDFILE"; exec sleep 300; fi
done
exec "$REAL_GIT" "$@"
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_no_git_child_outlives_the_tool(tmp_path, how):
    root = _repo_with_a_large_blob(tmp_path / "r")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    wrapper = bindir / "git"
    wrapper.write_text(GIT_WRAPPER)
    wrapper.chmod(0o755)
    pidfile = tmp_path / "git-grep.pid"
    env = {
        **os.environ,
        "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}",
        "REAL_GIT": shutil.which("git") or "git",
        "PIDFILE": str(pidfile),
        "SCORECARD_NO_CACHE": "1",
    }
    tool = subprocess.Popen(
        [sys.executable, "-m", "scorecard", "check", str(root), "--only", "no-private-keys"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (pidfile.exists() and pidfile.read_text().strip()):
            assert time.monotonic() < deadline and tool.poll() is None, "git grep never ran"
            time.sleep(0.05)
        child = int(pidfile.read_text())
        tool.send_signal(how)
        tool.wait(timeout=10)
        deadline = time.monotonic() + 5
        while _alive(child):
            assert time.monotonic() < deadline, f"git child {child} outlived the tool ({how!r})"
            time.sleep(0.05)
    finally:
        if tool.poll() is None:
            tool.kill()
            tool.wait()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_commit_snapshot_never_hands_git_a_blob_over_the_cap(tmp_path, monkeypatch):
    """The same class of fault in the Action's base commit (sources/gitcommit.py): the grep
    and a capped read leave a large blob alone (its size is in the tree listing)."""
    from checks.no_private_keys import MARKER, MAX_SIZE
    from scorecard.snapshot import TooLarge
    from scorecard.sources.gitcommit import open_commit

    root = _repo_with_a_large_blob(tmp_path / "r")
    big = _pack_offset(root, "big.bin")
    log = tmp_path / "pack-access.log"
    monkeypatch.setenv("GIT_TRACE_PACK_ACCESS", str(log))
    snap = open_commit(root, git(root, "rev-parse", "HEAD").strip())
    assert snap is not None
    try:
        assert snap.grep(MARKER, MAX_SIZE) == ["deploy/id_rsa"]
        with pytest.raises(TooLarge):
            snap.read_bytes("big.bin", MAX_SIZE)
    finally:
        snap.close()
    assert big not in {line.split()[-1] for line in log.read_text().splitlines()}


def test_a_signal_while_a_process_is_registered_does_not_deadlock():
    """Ctrl-C can arrive while the main thread is inside spawn(), holding the registry's lock:
    the handler's reap takes the same lock in the same thread."""
    handler = gitprocs._reaping_handler(lambda signum, frame: None)
    done = threading.Event()

    def interrupted_spawn() -> None:
        with gitprocs._children_lock:
            handler(signal.SIGINT, None)
        done.set()

    threading.Thread(target=interrupted_spawn, daemon=True).start()
    assert done.wait(10), "the reaping handler waited for a lock its own thread held"
