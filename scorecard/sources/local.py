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


def git_files(root: str, root_real: str) -> tuple[list[str], bool, bytes] | None:
    """The tracked files of the git work tree at ``root``, None when it is not one."""
    if shutil.which("git") is None:
        return None
    proc = _git(root, "ls-files", "-s", "-z")
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if "not a git repository" in err:
            return None
        raise SourceError(f"git ls-files failed in {root}: {err.strip()}")
    entries = proc.stdout.split(b"\0")
    if entries and not entries[-1]:
        entries.pop()
    if not entries:
        return [], False, b""
    # "<mode> <object id> <stage>\t<path>": the path starts at the same offset in every entry
    # (object ids are all SHA-1 or all SHA-256), so regular files, the vast majority, take one
    # slice and one decode for all of them.
    offset = entries[0].index(b"\t") + 1
    raw = proc.stdout
    if (raw.startswith(b"100") and b"\x00120000 " not in raw and b"\x00160000 " not in raw
            and not raw.startswith((b"120000 ", b"160000 "))
            and not any(m in raw for m in (b" 1\t", b" 2\t", b" 3\t"))):
        regular = [e[offset:] for e in entries]  # every entry a regular file at stage 0
    else:
        regular = [e[offset:] for e in entries
                   if e.startswith(b"100") and e[offset - 2] == 48]
    files = os.fsdecode(b"\0".join(regular)).split("\0") if regular else []
    dropped = False
    if len(regular) != len(entries):  # symlinks, submodules, merge conflicts: the slow path
        seen = set(files)
        for e in entries:
            if e.startswith(b"100") and e[offset - 2] == 48:
                continue
            mode, path = e[:6], os.fsdecode(e[offset:])
            if mode == b"160000" or path in seen:  # a submodule is a commit, not a file
                continue
            if mode == b"120000" and not _is_contained_file(root_real, os.path.join(root, path)):
                dropped = True
                continue
            seen.add(path)
            files.append(path)
    files.sort()  # git's byte order and Python's string order differ only for rare names
    return files, dropped, proc.stdout


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
    index_raw: bytes = b""  # `git ls-files -s -z`, kept for content scans by blob id

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

    def prefetch_grep(self, pattern: bytes, max_size: int) -> None:
        if self.in_git and self.index_raw:  # git does the work in other processes: overlap it
            self._start_grep(pattern, max_size)

    def _grep(self, pattern: bytes, max_size: int) -> list[str]:
        if not self.in_git or not self.index_raw:
            return super()._grep(pattern, max_size)
        # A tracked file's content is what the work tree holds. Files whose stat information
        # matches the index (all but those `git diff-files` names) hold the index's blob, whose
        # id is a hash of the content: a verdict cached by blob id is never stale, so only
        # content not seen before is read. Unseen content in bulk is searched by
        # `git grep --cached`, from the object store (a pack in a clone), far faster than
        # opening every file. Every match is confirmed on the file itself with Python's regex.
        # (So the pattern must be valid as a POSIX extended regular expression too.)
        import hashlib

        from scorecard.grepcache import LastResult, VerdictCache

        changed = _popen(self.root, "diff-files", "--name-only", "-z")
        rx = re.compile(pattern)
        fingerprint = hashlib.sha256(self.index_raw).hexdigest()  # C code, no interpreter lock
        last = LastResult(pattern, max_size, self.root_real)
        changed_raw, _ = changed.communicate()
        if changed.returncode != 0:
            return super()._grep(pattern, max_size)
        modified = set(changed_raw.split(b"\0")) - {b""}
        if not modified:
            previous = last.load(fingerprint)
            if previous is not None:  # the same index, nothing changed: the same answer
                return sorted(p for p in map(os.fsdecode, previous)
                              if self.has(p) and self._matches(rx, p, max_size))
        cache = VerdictCache(pattern, max_size)
        entries = self.index_raw.split(b"\0")
        offset = entries[0].index(b"\t") + 1
        known, clean = cache.known, cache.clean
        unseen: list[tuple[bytes, bytes]] = []  # (path, blob id) of content not seen before
        hits: list[bytes] = []
        others: list[bytes] = list(modified)  # read from the work tree
        for e in entries:
            if not e:
                continue
            if modified and e[offset:] in modified:
                continue
            oid = e[7:offset - 3]
            if oid in clean and e[:3] == b"100":
                continue  # the fast path: content known not to match
            path = e[offset:]
            if e[:3] != b"100" or e[offset - 2] != 48:  # symlinks, conflicts: the files
                others.append(path)
                continue
            verdict = known(oid)
            if verdict is None:
                unseen.append((path, oid))
            elif verdict:
                hits.append(path)
        if len(unseen) > 500:  # many: one `git grep` over the object store
            grep = _popen(self.root, "grep", "--cached", "-z", "-l", "--text", "-E", "-e",
                          pattern.decode("ascii"), "--", ".")
            found_raw, _ = grep.communicate()
            if grep.returncode not in (0, 1):
                return super()._grep(pattern, max_size)
            found = set(found_raw.split(b"\0"))
            for path, oid in unseen:
                if path not in found:
                    cache.record(oid, False)
            unseen = [(path, oid) for path, oid in unseen if path in found]
        for path, oid in unseen:
            matched = self._matches(rx, os.fsdecode(path), max_size)
            cache.record(oid, matched)
            if matched:
                hits.append(path)
        out = {os.fsdecode(p) for p in hits}
        out |= {f for f in map(os.fsdecode, others)
                if self.has(f) and self._matches(rx, f, max_size)}
        if cache.dirty:
            cache.save(seen={e[7:offset - 3] for e in entries if e})
        answer = sorted(p for p in out if self.has(p))
        if not modified:
            last.save(fingerprint, [os.fsencode(p) for p in answer])
        return answer

    def _matches(self, rx: re.Pattern[bytes], path: str, max_size: int) -> bool:
        try:
            return rx.search(self._read_raw(path, max_size)) is not None
        except ReadError:  # too large, unreadable or deleted: not a match
            return False


def _popen(root: str, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["git", "-c", f"safe.directory={root}", "-c", "core.fsmonitor=false", *args],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"})


def _head_commit(root: str) -> str | None:
    proc = _git(root, "rev-parse", "--verify", "-q", "HEAD")
    if proc.returncode != 0:
        return None
    return proc.stdout.decode().strip() or None


def open_local(path: str | os.PathLike[str], label: str | None = None, *,
               use_git: bool = True) -> LocalSnapshot:
    """A snapshot of the directory at ``path`` (``use_git=False``: a plain folder, every
    regular file counts). Raises :class:`SourceError`."""
    root = os.path.abspath(os.fspath(path))
    if not os.path.isdir(root):
        raise SourceError(f"{path}: not a directory")
    root_real = os.path.realpath(root)
    warnings: list[str] = []
    listed = git_files(root, root_real) if use_git else None
    if listed is None:
        if use_git and os.path.isdir(os.path.join(root, ".git")):
            warnings.append("git is not installed: every file in the folder is counted, "
                            "tracked or not")
        files, in_git, commit, index_raw = walk_files(root, root_real), False, None, b""
    else:
        files, _dropped, index_raw = listed
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
    snap.index_raw = index_raw
    return snap
