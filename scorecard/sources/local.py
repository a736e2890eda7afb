"""A RepoSnapshot over a directory on disk: a git checkout, or a plain folder.

In a git work tree the tracked files are what ``git ls-files`` lists (submodules are not files;
untracked and ignored files never count). In a plain folder every regular file counts, except
what lies in a ``.git`` directory. A symlink that resolves inside the root is followed; one that
leaves the root or dangles is treated as absent and is never read.

Git is run with the repository's own config made harmless (``core.fsmonitor`` off) and with
``safe.directory`` set for the root, so that scanning a checkout owned by another user (the
Actions container runs as root) works without running anything the repository configures.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

from scorecard.snapshot import Platform, ReadError, RepoMeta, RepoSnapshot, TooLarge

GIT_TIMEOUT = 120


class SourceError(Exception):
    """The target cannot be read at all (not a directory, git failed)."""


def _git(root: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        ["git", "-c", f"safe.directory={root}", "-c", "core.fsmonitor=false",
         "-c", "core.quotepath=off", *args],
        cwd=root, capture_output=True, timeout=GIT_TIMEOUT, check=False,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
    )


def _inside(root_real: str, full: str) -> bool:
    real = os.path.realpath(full)
    return real == root_real or real.startswith(root_real + os.sep)


def _is_contained_file(root_real: str, full: str) -> bool:
    """Whether ``full`` (maybe a symlink) resolves to a regular file inside the root."""
    if not _inside(root_real, full):
        return False
    try:
        return stat.S_ISREG(os.stat(full).st_mode)
    except OSError:
        return False


def git_files(root: str, root_real: str) -> tuple[list[str], bool] | None:
    """The tracked files of the git work tree at ``root``, None when it is not one."""
    if shutil.which("git") is None:
        return None
    proc = _git(root, "ls-files", "-s", "-z")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if "not a git repository" in err:
            return None
        raise SourceError(f"git ls-files failed in {root}: {err.strip()}")
    files: list[str] = []
    dropped = False
    for entry in proc.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode = meta[:6]
        path = os.fsdecode(raw_path)
        if mode == b"160000":  # a submodule: a commit, not a file
            continue
        if mode == b"120000" and not _is_contained_file(root_real, os.path.join(root, path)):
            dropped = True
            continue
        files.append(path)
    # ls-files -s lists each path once per merge stage; keep one.
    files = sorted(set(files))
    return files, dropped


def walk_files(root: str, root_real: str) -> list[str]:
    """Every regular file below a folder that is not a git work tree."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"
                       and not os.path.islink(os.path.join(dirpath, d))]
        rel_dir = os.path.relpath(dirpath, root)
        for name in filenames:
            full = os.path.join(dirpath, name)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                if not _is_contained_file(root_real, full):
                    continue
            elif not stat.S_ISREG(st.st_mode):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            out.append(rel.replace(os.sep, "/"))
    out.sort()
    return out


class LocalSnapshot(RepoSnapshot):
    """Build with :func:`open_local`."""

    root: str = ""
    root_real: str = ""
    in_git: bool = False

    def _full(self, path: str) -> str:
        full = os.path.join(self.root, os.fsdecode(os.fsencode(path)))
        if not _inside(self.root_real, full):
            raise ReadError(path, "is a symlink that leaves the repository")
        return full

    def _read_raw(self, path: str, cap: int) -> bytes:
        full = self._full(path)
        try:
            if not stat.S_ISREG(os.stat(full).st_mode):  # a FIFO or device would block
                raise ReadError(path, "is not a regular file")
            with open(full, "rb") as fh:
                data = fh.read(cap + 1)
        except OSError as exc:
            raise ReadError(path, f"cannot be read ({exc.strerror or exc})") from None
        if len(data) > cap:
            raise TooLarge(path, f"is larger than {cap:,} bytes")
        return data

    def _size(self, path: str) -> int | None:
        try:
            return os.stat(self._full(path)).st_size
        except (OSError, ReadError):
            return None

    def grep(self, pattern: bytes, max_size: int, paths: Sequence[str] | None = None) -> list[str]:
        if not self.in_git or paths is not None:
            return super().grep(pattern, max_size, paths)
        # git grep reads the tracked files in parallel, much faster than Python. It uses
        # POSIX extended regular expressions; the callers' patterns are written to be valid
        # as both (character classes, no lookarounds).
        proc = _git(self.root, "grep", "-z", "-l", "--text", "-E", "-e",
                    pattern.decode("ascii"), "--", ".")
        if proc.returncode not in (0, 1):
            return super().grep(pattern, max_size, paths)
        found = [os.fsdecode(p) for p in proc.stdout.split(b"\0") if p]
        rx = re.compile(pattern)
        out = []
        for path in sorted(found):
            if not self.has(path):
                continue
            size = self._size(path)
            if size is None or size > max_size:
                continue
            try:
                if rx.search(self._read_raw(path, max_size)):  # confirm with Python's engine
                    out.append(path)
            except ReadError:
                continue
        return out


def _head_commit(root: str) -> str | None:
    proc = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if proc.returncode != 0:
        return None
    return proc.stdout.decode().strip() or None


def open_local(path: str | os.PathLike[str], label: str | None = None) -> LocalSnapshot:
    """A snapshot of the directory at ``path``. Raises :class:`SourceError`."""
    root = os.path.abspath(os.fspath(path))
    if not os.path.isdir(root):
        raise SourceError(f"{path}: not a directory")
    root_real = os.path.realpath(root)
    warnings: list[str] = []
    listed = git_files(root, root_real)
    if listed is None:
        if os.path.isdir(os.path.join(root, ".git")):
            warnings.append("git is not installed: every file in the folder is counted, "
                            "tracked or not")
        files, in_git, commit = walk_files(root, root_real), False, None
    else:
        files, _dropped = listed
        in_git, commit = True, _head_commit(root)
    name = Path(root).name
    snap = LocalSnapshot(
        label=label or os.fspath(path),
        files=files,
        meta=RepoMeta(name=name),
        commit=commit,
        platform=Platform(),
        warnings=warnings,
    )
    snap.root, snap.root_real, snap.in_git = root, root_real, in_git
    return snap
