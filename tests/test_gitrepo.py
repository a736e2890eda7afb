"""git repositories read without git (``scorecard.sources.gitrepo``, on dulwich): on
repositories built here, the same listing as :func:`git_files` (``git ls-files``), the same HEAD
as ``git rev-parse``; and anything it cannot read refused with a reason, never a traceback."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from harness import GIT_ENV, Symlink, build_repo, git

from scorecard.sources import gitrepo, local
from scorecard.sources.local import open_local


def ls_files(folder: Path) -> bytes:
    return subprocess.run(
        ["git", "ls-files", "-s", "-z"],
        cwd=folder,
        capture_output=True,
        check=True,
        env={**os.environ, **GIT_ENV},
    ).stdout


def index_version(root: Path) -> int:
    repo = gitrepo.discover(os.path.realpath(root))
    assert repo is not None
    with open(os.path.join(repo.gitdir, "index"), "rb") as fh:
        return int(struct.unpack(">4sI", fh.read(8))[1])


def found(path: str | Path) -> gitrepo.GitRepo:
    """The repository at ``path``, which the test knows is one."""
    repo = gitrepo.discover(os.path.realpath(path))
    assert repo is not None
    return repo


def indexed(folder: Path) -> tuple[list[str], bool, gitrepo.GitRepo]:
    listed = local.index_files(str(folder), os.path.realpath(folder))
    assert listed is not None
    return listed


def same_as_git(folder: Path) -> gitrepo.GitRepo:
    """Every answer of the reader is git's, in ``folder``."""
    real = os.path.realpath(folder)
    repo = gitrepo.discover(real)
    assert repo is not None
    listed = indexed(folder)
    by_git = local.git_files(str(folder), real)
    assert by_git is not None
    assert listed[:2] == by_git[:2]  # files, dropped
    assert repo.head_commit() == local._head_commit(str(folder))
    return repo


@pytest.fixture
def no_git(monkeypatch):
    """git is not installed, as far as the code under test can tell."""
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda cmd, *a, **k: None if cmd == "git" else real_which(cmd, *a, **k)
    )


def commit(root: Path, message: str = "change") -> str:
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def test_index_v2(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            "README.md": "# r\n",
            "src/a.py": "a\n",
            "src/deep/b.py": "b\n",
            "docs0": "",
            "docs/x.md": "x\n",
            "run.sh": "#!/bin/sh\n",
        },
    )
    (root / "run.sh").chmod(0o755)
    git(root, "add", "run.sh")
    commit(root)
    assert index_version(root) == 2
    repo = same_as_git(root)
    assert repo.prefix == b"" and repo.gitdir == repo.repo.commondir()
    assert 0o100755 in {e.mode for e in repo.tracked()}


def test_paths_of_4095_bytes_and_more_are_refused(tmp_path, no_git):
    """Such a path does not fit an entry's length field (git reads up to the NUL); dulwich
    1.2.21 reads 4,095 bytes of it (here two paths become one): the index is refused with the
    reason, the folder counted instead."""
    root = build_repo(tmp_path / "r", {"a": "a"}, commit=True)
    oid = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=root,
            input=b"long\n",
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    long = "/".join(["d" * 200] * 20) + "/" + "f" * 75
    assert len(long) == 4095
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{oid},{long}")
    git(root, "update-index", "--add", "--cacheinfo", f"100644,{oid},{long}f")  # 4,096
    with pytest.raises(gitrepo.Unsupported, match="4,095 bytes or more"):
        found(root).tracked()
    snap = open_local(root)
    assert not snap.in_git and snap.files == ["a"]
    assert any("git is not installed" in w for w in snap.warnings)


def test_index_v3_skip_worktree_and_intent_to_add(tmp_path):
    root = build_repo(tmp_path / "r", {"a.txt": "a\n", "b.txt": "b\n"}, commit=True)
    (root / "new.txt").write_text("intent to add\n")
    git(root, "add", "-N", "new.txt")
    git(root, "update-index", "--skip-worktree", "b.txt")
    (root / "b.txt").unlink()  # as a sparse checkout leaves it: git still lists it
    assert index_version(root) == 3
    same_as_git(root)
    git(root, "update-index", "--index-version", "3", "--no-skip-worktree", "b.txt")
    same_as_git(root)


def test_index_v4_is_refused_not_misread(tmp_path, no_git):
    """dulwich 1.2.21 decodes a version 4 entry's prefix length as LEB128, not as git's offset
    varint: here, after ``p/`` + 128 ``a``, ``p/b`` strips 128 bytes, which it reads as 0 and
    lists ``p/aaa...ab``. A version 4 index is refused, the folder counted instead."""
    root = build_repo(tmp_path / "r", {"p/" + "a" * 128: "a", "p/b": "b"}, commit=True)
    git(root, "update-index", "--index-version", "4")
    assert index_version(root) == 4
    with pytest.raises(gitrepo.Unsupported, match="index version 4"):
        found(root).tracked()
    snap = open_local(root)
    assert not snap.in_git and sorted(snap.files) == ["p/" + "a" * 128, "p/b"]
    assert any("index version 4" in w for w in snap.warnings)
    git(root, "update-index", "--index-version", "2")  # what the warning suggests
    snap = open_local(root)
    assert snap.in_git and snap.files == ["p/" + "a" * 128, "p/b"] and not snap.warnings


def test_sha256_repository(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "--object-format=sha256", "-b", "main")
    (root / "a.txt").write_text("a\n")
    (root / "dir").mkdir()
    (root / "dir/b.txt").write_text("b\n")
    os.symlink("a.txt", root / "link")
    git(root, "add", "-A")
    sha = commit(root)
    assert len(sha) == 64
    repo = same_as_git(root)
    assert repo.head_commit() == sha


def test_symlinks_in_and_out_of_the_tree(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    root = build_repo(
        tmp_path / "r",
        {
            "real.md": "real",
            "dir/inner.md": "inner",
            "inside.md": Symlink("real.md"),
            "dir/up.md": Symlink("../real.md"),
            "to-dir": Symlink("dir"),
            "escape.md": Symlink(str(outside)),
            "relative-escape.md": Symlink("../secret.txt"),
            "dangling.md": Symlink("nowhere.md"),
        },
        commit=True,
    )
    same_as_git(root)
    files, dropped, _ = indexed(root)
    assert dropped and "inside.md" in files and "dir/up.md" in files
    assert not {"to-dir", "escape.md", "relative-escape.md", "dangling.md"} & set(files)


def test_submodule_gitlink_and_the_submodule_itself(tmp_path):
    sub = build_repo(tmp_path / "sub", {"x": "x", "y/z": "z"}, commit=True)
    root = build_repo(tmp_path / "r", {"a": "a"})
    git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "vendor/sub")
    commit(root)
    assert b"160000 " in ls_files(root)
    same_as_git(root)
    # inside the submodule: a `.git` file naming ../../.git/modules/..., whose config names the
    # submodule's folder as its work tree
    assert (root / "vendor/sub/.git").is_file()
    repo = same_as_git(root / "vendor/sub")
    assert repo.worktree == os.path.realpath(root / "vendor/sub")
    assert "modules" in repo.gitdir


def test_merge_conflict_stages(tmp_path):
    root = build_repo(
        tmp_path / "r", {"f.txt": "base\n", "g.txt": "g\n", "link": Symlink("g.txt")}, commit=True
    )
    git(root, "checkout", "-q", "-b", "other")
    (root / "f.txt").write_text("theirs\n")
    (root / "link").unlink()
    os.symlink("f.txt", root / "link")
    (root / "added.txt").write_text("theirs\n")
    git(root, "add", "-A")
    commit(root)
    git(root, "checkout", "-q", "main")
    (root / "f.txt").write_text("ours\n")
    (root / "link").unlink()
    os.symlink("nowhere", root / "link")
    (root / "added.txt").write_text("ours\n")
    git(root, "add", "-A")
    commit(root)
    proc = subprocess.run(
        ["git", "merge", "-q", "other"],
        cwd=root,
        capture_output=True,
        env={**os.environ, **GIT_ENV},
        check=False,
    )
    assert proc.returncode != 0
    raw = ls_files(root)
    assert b" 1\tf.txt" in raw and b" 2\tf.txt" in raw and b" 3\tf.txt" in raw
    same_as_git(root)


def test_names_that_are_not_utf8_and_odd_characters(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    for name in (b"caf\xe9.txt", b"tab\there", b"new\nline", b"sp ace", "中文.md".encode()):
        (root / os.fsdecode(name)).write_bytes(b"x")
    git(root, "init", "-q")
    git(root, "add", "-A")
    same_as_git(root)


def test_empty_repository(tmp_path):
    root = build_repo(tmp_path / "r", {})
    assert not (root / ".git/index").exists()
    repo = same_as_git(root)
    assert repo.tracked() == [] and repo.head_commit() is None
    # an index with no entry left
    (root / "a").write_text("a")
    git(root, "add", "a")
    git(root, "rm", "-q", "--cached", "a")
    assert (root / ".git/index").exists()
    same_as_git(root)


def test_linked_work_tree_with_a_gitdir_file(tmp_path):
    root = build_repo(tmp_path / "r", {"a": "a", "sub/b": "b"}, commit=True)
    wt = tmp_path / "wt"
    git(root, "worktree", "add", "-q", "-b", "topic", str(wt))
    (wt / "c").write_text("c")
    git(wt, "add", "c")
    topic = commit(wt)
    assert (wt / ".git").is_file()
    repo = same_as_git(wt)
    assert repo.gitdir != repo.repo.commondir() and repo.head_commit() == topic
    git(root, "pack-refs", "--all")  # the branch's ref now only in packed-refs
    assert not (root / ".git/refs/heads/topic").exists()
    assert repo.head_commit() == topic
    git(wt, "checkout", "-q", "--detach", "HEAD~1")
    same_as_git(wt)
    same_as_git(root)


def test_a_folder_inside_the_work_tree(tmp_path):
    root = build_repo(
        tmp_path / "r", {"a": "a", "sub/b": "b", "sub/deep/c": "c", "subx/d": "d"}, commit=True
    )
    repo = same_as_git(root / "sub")
    assert repo.prefix == b"sub/"
    assert indexed(root / "sub")[0] == ["b", "deep/c"]
    same_as_git(root / "sub/deep")
    (root / "untracked").mkdir()
    same_as_git(root / "untracked")  # nothing is tracked there: nothing listed


def test_symbolic_refs_packed_detached_and_unborn(tmp_path):
    root = build_repo(tmp_path / "r", {"a": "a"}, commit=True)
    sha = git(root, "rev-parse", "HEAD").strip()
    repo = same_as_git(root)
    git(root, "symbolic-ref", "refs/heads/alias", "refs/heads/main")
    git(root, "symbolic-ref", "HEAD", "refs/heads/alias")
    assert repo.head_commit() == sha == local._head_commit(str(root))
    git(root, "pack-refs", "--all")
    same_as_git(root)
    git(root, "checkout", "-q", "--detach")
    same_as_git(root)
    git(root, "checkout", "-q", "--orphan", "unborn")
    assert repo.head_commit() is None
    same_as_git(root)


def test_not_a_work_tree(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    assert gitrepo.discover(str(plain)) is None
    bare = tmp_path / "bare.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    with pytest.raises(gitrepo.Unsupported, match="not a work tree"):
        gitrepo.discover(str(bare))
    with pytest.raises(gitrepo.Unsupported, match="not a gitdir file"):
        (plain / ".git").write_text("nonsense")
        gitrepo.discover(str(plain))


# ---- refused: read by git alone, or broken -----------------------------------------------------


def test_split_index_is_refused(tmp_path, no_git):
    root = build_repo(tmp_path / "r", {"a": "a", "b": "b"}, commit=True)
    (root / "untracked").write_text("u")
    git(root, "update-index", "--split-index")
    repo = found(root)
    with pytest.raises(gitrepo.Unsupported, match="split index"):
        repo.tracked()
    snap = open_local(root)  # no git: the folder, every file, and a warning that says why
    assert "untracked" in snap.files and not snap.in_git
    assert any("split index" in w and "git is not installed" in w for w in snap.warnings)


def test_sparse_index_is_refused(tmp_path, no_git):
    """dulwich 1.2.21 does not read the sparse index git writes (it stops at the ``sdir``
    extension and fails the checksum): refused, with the reason, and counted as a folder."""
    root = build_repo(tmp_path / "r", {"d1/a": "a", "d2/b": "b", "c": "c"}, commit=True)
    git(root, "sparse-checkout", "init", "--cone", "--sparse-index")
    git(root, "sparse-checkout", "set", "d1")
    with pytest.raises(gitrepo.Unsupported, match="sparse index"):
        found(root).tracked()
    snap = open_local(root)
    assert not snap.in_git
    assert any("sparse index" in w and "git is not installed" in w for w in snap.warnings)


def _with_checksum(data: bytes) -> bytes:
    return data[:-20] + hashlib.sha1(data[:-20]).digest()


BREAKAGES = {
    "empty": lambda d: b"",
    "truncated": lambda d: d[: len(d) // 2],
    "checksum": lambda d: d[:40] + bytes([d[40] ^ 1]) + d[41:],
    "signature": lambda d: _with_checksum(b"DIRX" + d[4:]),
    "version 5": lambda d: _with_checksum(d[:4] + struct.pack(">I", 5) + d[8:]),
    "more entries than there are": lambda d: _with_checksum(
        d[:8] + struct.pack(">I", struct.unpack(">I", d[8:12])[0] + 3) + d[12:]
    ),
    "fewer entries than there are": lambda d: _with_checksum(d[:8] + struct.pack(">I", 1) + d[12:]),
    "a long name with no end": lambda d: _with_checksum(d[:72] + b"\xff\xff" + d[74:]),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_broken_index_is_refused_with_a_reason(tmp_path, breakage, no_git):
    root = build_repo(tmp_path / "r", {"a.txt": "a", "b/c.txt": "c", "d": "d"}, commit=True)
    index = root / ".git/index"
    index.write_bytes(BREAKAGES[breakage](index.read_bytes()))
    repo = found(root)
    with pytest.raises(gitrepo.Unsupported):
        repo.tracked()
    snap = open_local(root)
    assert not snap.in_git and any("git is not installed" in w for w in snap.warnings)


def test_a_checksum_one_byte_short_still_lists_the_intact_entries(tmp_path, no_git):
    """dulwich 1.2.21 takes a checksum shorter than a hash for ``index.skipHash``'s empty one:
    the entries before it are whole, and listed as they are (git would refuse the file)."""
    root = build_repo(tmp_path / "r", {"a.txt": "a", "b/c.txt": "c", "d": "d"}, commit=True)
    index = root / ".git/index"
    index.write_bytes(index.read_bytes()[:-1])
    snap = open_local(root)
    assert snap.in_git and list(snap.files) == ["a.txt", "b/c.txt", "d"]


def test_random_corruption_never_escapes_as_another_error(tmp_path):
    files = {f"dir{i % 4}/file{i}.txt": str(i) for i in range(40)}
    root = build_repo(tmp_path / "r", {**files, "link": Symlink("dir0/file0.txt")}, commit=True)
    rng = random.Random(7)
    outcomes = {"read": 0, "refused": 0}
    repo = found(root)
    for version in (2, 3, 4):
        git(root, "update-index", "--index-version", str(version))
        good = (root / ".git/index").read_bytes()
        for _ in range(300):
            data = bytearray(good)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(len(data) - 20)] = rng.randrange(256)
            if rng.random() < 0.3:
                start = rng.randrange(12, len(data) - 20)
                del data[start : start + rng.randint(1, 50)]
            (root / ".git/index").write_bytes(_with_checksum(bytes(data)))
            try:
                repo.tracked()
                outcomes["read"] += 1  # a changed id or stat field: still an index
            except gitrepo.Unsupported:
                outcomes["refused"] += 1
        (root / ".git/index").write_bytes(good)
    assert outcomes["read"] > 50 and outcomes["refused"] > 50, outcomes


def test_environment_that_moves_the_repository_is_refused(tmp_path, monkeypatch):
    root = build_repo(tmp_path / "r", {"a": "a"})
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "other-index"))
    with pytest.raises(gitrepo.Unsupported, match="GIT_INDEX_FILE"):
        gitrepo.discover(os.path.realpath(root))


# ---- open_local without git ---------------------------------------------------------------------


def test_open_local_without_git_lists_what_git_lists(tmp_path, no_git):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside")
    key = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    root = build_repo(
        tmp_path / "r",
        {
            "a.txt": "a",
            "k.pem": key,
            "was_key.pem": key,
            ".gitignore": "*.log\n",
            "link.md": Symlink("a.txt"),
            "escape.md": Symlink(str(outside)),
            "big.pem": key + "x" * 5000,
        },
        commit=True,
    )
    (root / "untracked.pem").write_text(key)
    (root / "ignored.log").write_text(key)
    (root / "was_key.pem").write_text("changed, not staged\n")
    (root / "a.txt").write_text(key)  # changed, not staged: the work tree counts
    sha = git(root, "rev-parse", "HEAD").strip()
    snap = open_local(root)
    assert shutil.which("git") is None and snap.in_git and snap.warnings == []
    assert list(snap.files) == [".gitignore", "a.txt", "big.pem", "k.pem", "link.md", "was_key.pem"]
    assert snap.commit == sha
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    assert snap.grep(rx, 1000) == ["a.txt", "k.pem", "link.md"]
    assert snap.grep(rx, 1 << 20) == ["a.txt", "big.pem", "k.pem", "link.md"]


def test_content_scan_is_the_same_with_and_without_git(tmp_path, monkeypatch):
    key = "-----BEGIN EC PRIVATE KEY-----\n"
    files = {f"f{i}.txt": f"plain {i}\n" for i in range(700)}  # past git grep's threshold
    root = build_repo(
        tmp_path / "r",
        {**files, "k.pem": key, "sub/l.pem": Symlink("../k.pem"), "big.key": key + "x" * 3000},
        commit=True,
    )
    (root / "f3.txt").write_text(key)
    (root / "f4.txt").unlink()
    (root / "f5.txt").unlink()
    os.mkfifo(root / "f5.txt")  # a FIFO in a file's place is not read (nor waited on)
    rx = rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----"
    with_git = [open_local(root).grep(rx, cap) for cap in (1000, 1 << 20)]
    assert with_git[1] == ["big.key", "f3.txt", "k.pem", "sub/l.pem"]
    real_which = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda cmd, *a, **k: None if cmd == "git" else real_which(cmd, *a, **k)
    )
    snap = open_local(root)
    assert snap.in_git and not snap.index_raw
    assert [snap.grep(rx, cap) for cap in (1000, 1 << 20)] == with_git


def test_no_traceback_at_exit_from_packs_left_open(tmp_path):
    """Without git, a checkout and a commit read from a pack: the packs are closed, so nothing
    (dulwich's ``__del__`` at interpreter shutdown) prints a traceback."""
    root = build_repo(tmp_path / "r", {"a.txt": "a", "sub/b.txt": "b"}, commit=True)
    sha = git(root, "rev-parse", "HEAD").strip()
    git(root, "gc", "-q")
    assert list((root / ".git/objects/pack").glob("*.pack"))
    code = (
        "import sys\n"
        "from scorecard.sources.local import open_local\n"
        "from scorecard.sources.gitcommit import open_commit\n"
        "snap = open_local(sys.argv[1])\n"
        "assert snap.in_git and snap.commit == sys.argv[2], snap\n"
        "with open_commit(sys.argv[1], sys.argv[2]) as base:\n"
        "    assert base.read_text('sub/b.txt') == 'b'\n"
        "missing = open_commit(sys.argv[1], '0' * 40)\n"
        "assert missing is None\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(root), sha],
        capture_output=True,
        env={**os.environ, "PATH": ""},
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()


def test_refs_in_a_reftable_are_read(tmp_path, no_git):
    """Refs kept in a reftable (``extensions.refStorage = reftable``; git 2.45 and later) are
    read. git here may be older, so dulwich writes the repository."""
    from dulwich.repo import Repo

    root = tmp_path / "r"
    root.mkdir()
    Repo.init(str(root)).close()
    with Repo(str(root)) as repo:
        config = repo.get_config()
        config.set((b"core",), b"repositoryformatversion", b"1")
        config.set((b"extensions",), b"refStorage", b"reftable")
        config.write_to_path()
    (root / "a.txt").write_text("a\n")
    with Repo(str(root)) as repo:
        worktree = repo.get_worktree()
        worktree.stage([b"a.txt"])
        sha = worktree.commit(message=b"m", committer=b"a <a@b>", author=b"a <a@b>")
    assert (root / ".git/reftable").is_dir()
    snap = open_local(root)
    assert snap.in_git and snap.files == ["a.txt"] and snap.warnings == []
    assert snap.commit == sha.decode()
