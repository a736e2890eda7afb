"""A snapshot of one commit of a local git repository, read from the object store: no checkout,
no archive, nothing written. The Action grades a pull request's base this way when the
workspace has the base commit (``fetch-depth: 0``).

The files are those of the commit's tree (``git ls-tree``) that a checkout's snapshot lists:
regular files, and symlinks that lead to one of them inside the tree (read as that file), not
submodules nor symlinks that leave the repository, loop or lead to nothing.
Contents come from one ``git cat-file --batch`` process; searches from ``git grep`` on the
commit, every hit confirmed with Python's regex.

Without a git binary (the Action's image has none) the tree and the files are read from the
object store with dulwich (:mod:`scorecard.sources.gitrepo`) and searched file by file. What
that reader cannot read (an abbreviated id, an object a partial clone lacks) gives None, as a
commit the checkout lacks does, and the Action then reads the base through the API.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import threading
from typing import IO

from scorecard.snapshot import ReadError, RepoMeta, RepoSnapshot, TooLarge
from scorecard.sources import gitprocs, gitrepo

MAX_LINK_HOPS = 8
#: Past this many blobs over a content scan's cap, the scan reads each file itself.
MAX_EXCLUDED = 1000
#: Seconds a git command of the base commit may take (the content scan of a large tree).
GIT_TIMEOUT = 300.0


class CommitSnapshot(RepoSnapshot):
    """Build with :func:`open_commit`; :meth:`close` ends the ``git cat-file`` process."""

    root: str = ""
    sha: str = ""
    entries: dict[str, tuple[str, str, int | None]]  # path -> (mode, object id, size)
    _batch: subprocess.Popen[bytes] | None = None
    _batch_lock: threading.Lock
    #: Without git: the repository read with dulwich (:mod:`scorecard.sources.gitrepo`).
    store: gitrepo.GitRepo | None = None

    def _object(self, oid: str, cap: int, path: str) -> bytes:
        if self.store is not None:
            try:
                data = self.store.blob(oid)
            except gitrepo.Unsupported as exc:
                raise ReadError(path, f"cannot be read from the commit ({exc})") from None
            if len(data) > cap:
                raise TooLarge(path, f"is larger than {cap:,} bytes")
            return data
        with self._batch_lock:
            try:
                if self._batch is None:
                    self._batch = gitprocs.spawn(
                        gitprocs.command(self.root, "cat-file", "--batch"),
                        die_with_thread=False,
                        cwd=self.root,
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=subprocess.DEVNULL,
                        env=gitprocs.environment(),
                    )
                proc = self._batch
                stdin, stdout = proc.stdin, proc.stdout
                assert stdin is not None and stdout is not None
                stdin.write(oid.encode() + b"\n")
                stdin.flush()
                header = stdout.readline().split()
                if len(header) != 3:
                    raise ReadError(path, "cannot be read from the commit")
                size = int(header[2])
                data = _read_exactly(stdout, size)
                stdout.read(1)  # the newline after the object
            except (OSError, ValueError) as exc:
                raise ReadError(path, f"cannot be read from the commit ({exc})") from None
        if len(data) > cap:
            raise TooLarge(path, f"is larger than {cap:,} bytes")
        return data

    def _resolve(self, path: str) -> tuple[str, str, int | None]:
        """The entry ``path`` reads: itself, or the file its symlinks lead to in the tree."""
        current = path
        for _ in range(MAX_LINK_HOPS):
            entry = self.entries.get(current)
            if entry is None:
                raise ReadError(path, "is a symlink to nothing in the repository")
            mode, oid, _ = entry
            if mode == "160000":
                raise ReadError(path, "is a submodule")
            if mode != "120000":
                return entry
            target = self._object(oid, 4096, path).decode("utf-8", "surrogateescape")
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
            if target.startswith("/") or joined == ".." or joined.startswith("../"):
                raise ReadError(path, "is a symlink that leaves the repository")
            current = joined
        raise ReadError(path, "is a symlink loop")

    def _read_raw(self, path: str, cap: int) -> bytes:
        _, oid, size = self._resolve(path)
        if size is not None and size > cap:  # never read a blob over the cap (the tree says)
            raise TooLarge(path, f"is larger than {cap:,} bytes")
        return self._object(oid, cap, path)

    def _size(self, path: str) -> int | None:
        try:
            mode, oid, size = self._resolve(path)
            if size is None and self.store is not None and mode.startswith("100"):
                return len(self._object(oid, 1 << 62, path))  # a tree entry has no size
            return size
        except ReadError:
            return None

    def _grep(self, pattern: bytes, max_size: int) -> list[str]:
        if self.store is not None:  # no git: every file, read one by one
            return super()._grep(pattern, max_size)
        large = [
            f":(exclude,literal){p}"
            for p, (_, _, size) in self.entries.items()
            if size is not None and size > max_size
        ]  # never handed to git
        if len(large) > MAX_EXCLUDED:
            return super()._grep(pattern, max_size)  # each read, within the cap
        try:
            code, out, _ = gitprocs.run(
                self.root,
                "grep",
                "-z",
                "-l",
                "--text",
                "-E",
                "-e",
                pattern.decode("ascii"),
                self.sha,
                "--",
                ".",
                *large,
                timeout=GIT_TIMEOUT,
            )
        except (OSError, subprocess.TimeoutExpired):  # git gone: every file, one by one
            return super()._grep(pattern, max_size)
        if code not in (0, 1):
            return super()._grep(pattern, max_size)
        prefix = self.sha.encode() + b":"
        found = [os.fsdecode(p[len(prefix) :]) for p in out.split(b"\0") if p.startswith(prefix)]
        # git grep reads regular files; symlinks are searched as the files they point to
        links = [p for p, (mode, _, _) in self.entries.items() if mode == "120000"]
        return self._grep_paths(pattern, max_size, sorted(set(found) | set(links)))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        with self._batch_lock:
            proc, self._batch = self._batch, None
        if proc is not None:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=10)
            if proc.stdout is not None:
                proc.stdout.close()

    def __enter__(self) -> CommitSnapshot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = stream.read(left)
        if not chunk:
            raise ValueError("git cat-file ended early")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_LS_TREE = re.compile(rb"(\d{6}) (\w+) ([0-9a-f]+) +(-|\d+)\t(.*)", re.S)


def open_commit(
    root: str | os.PathLike[str],
    sha: str,
    *,
    label: str | None = None,
    meta: RepoMeta | None = None,
) -> CommitSnapshot | None:
    """The snapshot of commit ``sha`` of the repository at ``root``, or None when the
    repository does not have that commit (a shallow clone), git cannot read it, or git is not
    installed."""
    root_text = os.path.abspath(os.fspath(root))
    if shutil.which("git") is None:  # the object store read in Python
        return _open_without_git(root_text, sha, label=label, meta=meta)
    if not re.fullmatch(r"[0-9a-fA-F]{4,64}", sha):
        return None
    try:
        code, listing, _ = gitprocs.run(
            root_text,
            "ls-tree",
            "-r",
            "-z",
            "-l",
            "--full-tree",
            f"{sha}^{{tree}}",
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):  # no such folder, or no git
        return None
    if code != 0:
        return None
    entries: dict[str, tuple[str, str, int | None]] = {}
    for record in listing.split(b"\0"):
        m = _LS_TREE.fullmatch(record)
        if not m or m.group(2) not in (b"blob", b"commit"):
            continue
        size = None if m.group(4) == b"-" else int(m.group(4))
        entries[os.fsdecode(m.group(5))] = (m.group(1).decode(), m.group(3).decode(), size)
    snap = CommitSnapshot(
        label=label or f"{os.path.basename(root_text)}@{sha[:7]}",
        files=[],
        meta=meta or RepoMeta(name=os.path.basename(root_text)),
        commit=sha,
    )
    snap.root, snap.sha, snap.entries = root_text, sha, entries
    snap._batch, snap._batch_lock = None, threading.Lock()
    snap.files = sorted(
        path
        for path, (mode, _, _) in entries.items()
        if mode.startswith("100") or (mode == "120000" and _resolves(snap, path))
    )
    return snap


def _open_without_git(
    root_text: str, sha: str, *, label: str | None, meta: RepoMeta | None
) -> CommitSnapshot | None:
    """:func:`open_commit` where git is not installed (the Action's image): the commit's tree
    read from the object store in Python; None when it cannot be (the commit is absent, or
    stored in a way that reader does not read)."""
    if not re.fullmatch(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}", sha):
        return None  # an abbreviated id would need git's name lookup
    try:
        store = gitrepo.discover(os.path.realpath(root_text))
    except gitrepo.Unsupported:
        return None
    if store is None:
        return None
    try:
        listed = store.commit_files(sha.lower())
    except gitrepo.Unsupported:
        store.close()
        return None
    entries: dict[str, tuple[str, str, int | None]] = {
        path: (mode, oid, None) for path, (mode, oid) in listed.items()
    }
    snap = CommitSnapshot(
        label=label or f"{os.path.basename(root_text)}@{sha[:7]}",
        files=[],
        meta=meta or RepoMeta(name=os.path.basename(root_text)),
        commit=sha,
    )
    snap.root, snap.sha, snap.entries, snap.store = root_text, sha, entries, store
    snap._batch, snap._batch_lock = None, threading.Lock()
    snap.files = sorted(
        path
        for path, (mode, _, _) in entries.items()
        if mode.startswith("100") or (mode == "120000" and _resolves(snap, path))
    )
    return snap


def _resolves(snap: CommitSnapshot, path: str) -> bool:
    """Whether a symlink leads to a file of the tree (a checkout's snapshot lists only those:
    not links out of the repository, to folders, to nothing, or in loops)."""
    try:
        snap._resolve(path)
    except ReadError:
        return False
    return True
