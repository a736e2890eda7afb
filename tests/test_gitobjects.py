"""Git's object store read without git: every object as git reads it."""

from __future__ import annotations

import random
import subprocess

import pytest
from harness import build_repo, git

from scorecard.sources import gitindex
from scorecard.sources.gitobjects import ObjectStore, Unsupported, commit_tree, walk_tree


def history(root, commits=12, seed=3):
    """Commits that change a few lines of biggish files each time: packs make deltas."""
    rnd = random.Random(seed)
    lines = [f"line {i} " + "x" * rnd.randint(0, 60) for i in range(400)]
    for n in range(commits):
        for f in ("a.txt", "dir/b.txt", "dir/sub/c.md"):
            lines[rnd.randrange(len(lines))] = f"changed {n} {rnd.random()}"
            path = root / f
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines[rnd.randrange(50):]) + "\n")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"c{n}")


def every_object(root):
    out = git(root, "rev-list", "--objects", "--all").split("\n")
    return [line.split(" ", 1)[0] for line in out if line]


def git_object(root, oid):
    kind = git(root, "cat-file", "-t", oid).strip().encode()
    body = subprocess.run(["git", "cat-file", kind.decode(), oid], cwd=root,
                          capture_output=True, check=True).stdout
    return kind, body


@pytest.mark.parametrize("pack", ["loose", "gc", "aggressive"])
def test_every_object_reads_as_git_reads_it(tmp_path, pack):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    history(root)
    if pack == "gc":
        git(root, "gc", "-q")
    elif pack == "aggressive":
        git(root, "repack", "-a", "-d", "-q", "--depth=250", "--window=50")
        (root / "late.txt").write_text("loose after the pack\n")  # loose beside a pack
        git(root, "add", "late.txt")
        git(root, "commit", "-q", "-m", "late")
    repo = gitindex.discover(str(root))
    assert repo is not None
    store = ObjectStore(repo)
    objects = every_object(root)
    assert len(objects) > 40
    for oid in objects:
        assert store.read(oid) == git_object(root, oid), oid
    if pack == "aggressive":  # deltas of deltas were read
        assert "chain length = 2" in git(root, "verify-pack", "-v",
                                         *[p.path[:-5] + ".idx" for p in store.packs])


def test_tree_walk_lists_what_ls_tree_lists(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n", "a/b/c.txt": "c\n",
                                       "tool.sh": "#!/bin/sh\n"}, commit=True)
    (root / "link").symlink_to("README.md")
    git(root, "add", "link")
    git(root, "commit", "-q", "-m", "link")
    git(root, "gc", "-q")
    head = git(root, "rev-parse", "HEAD").strip()
    store = ObjectStore(gitindex.discover(str(root)))
    listed = walk_tree(store, commit_tree(store, head))
    expected = []
    for line in git(root, "ls-tree", "-r", "-z", head).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, _, oid = meta.split(" ")
            expected.append((path, mode, oid))
    assert sorted(listed) == sorted(expected)


def test_sha256_repository(tmp_path):
    root = tmp_path / "r"
    root.mkdir()
    git(root, "init", "-q", "--object-format=sha256")
    history(root, commits=4)
    git(root, "gc", "-q")
    store = ObjectStore(gitindex.discover(str(root)))
    for oid in every_object(root):
        assert store.read(oid) == git_object(root, oid)


def test_what_it_cannot_read_is_refused(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    store = ObjectStore(gitindex.discover(str(root)))
    with pytest.raises(Unsupported):
        store.read("0" * 40)  # absent (a shallow clone's base)
    with pytest.raises(Unsupported):
        store.read("abc")  # not a full id
    head = git(root, "rev-parse", "HEAD").strip()
    blob = git(root, "rev-parse", "HEAD:README.md").strip()
    with pytest.raises(Unsupported):
        commit_tree(store, blob)
    obj = root / ".git" / "objects" / head[:2] / head[2:]
    obj.chmod(0o644)
    obj.write_bytes(b"not zlib")
    with pytest.raises(Unsupported):
        store.read(head)
    (root / ".git" / "objects" / "info").mkdir(exist_ok=True)
    (root / ".git" / "objects" / "info" / "alternates").write_text("/elsewhere\n")
    with pytest.raises(Unsupported):
        ObjectStore(gitindex.discover(str(root)))


def test_large_pack_offsets_are_read_from_the_64_bit_table(tmp_path):
    """Objects past 2 GiB in a pack are found through the index's table of large offsets
    (a synthetic index: such a pack is too big to make in a test)."""
    import struct

    from scorecard.sources.gitobjects import _Pack

    names = sorted([bytes([0x10]) + b"\x01" * 19, bytes([0x80]) + b"\x02" * 19])
    fanout = [sum(1 for n in names if n[0] <= b) for b in range(256)]
    idx = b"\xfftOc\x00\x00\x00\x02" + struct.pack(">256I", *fanout) + b"".join(names)
    idx += b"\x00" * 4 * len(names)  # CRCs
    idx += struct.pack(">II", 12, 0x80000000)  # the second one is in the large table
    idx += struct.pack(">Q", 5_000_000_000) + b"\x00" * 40  # checksums
    path = tmp_path / "pack-x.idx"
    path.write_bytes(idx)
    pack = _Pack(str(path), 20)
    assert pack.offset_of(names[0]) == 12
    assert pack.offset_of(names[1]) == 5_000_000_000
    assert pack.offset_of(bytes([0x80]) + b"\x03" * 19) is None
    path.write_bytes(idx[:100])
    with pytest.raises(Unsupported):
        _Pack(str(path), 20)
