"""A RepoSnapshot over a directory on disk: a git checkout, or a plain folder.

In a git work tree the tracked files are what ``git ls-files`` lists (submodules are not files;
untracked and ignored files never count). Where git is not installed (the Action's image has
none), the same list and HEAD's commit are read from git's own files with dulwich
(:mod:`scorecard.sources.gitrepo`), and the content scan reads every listed file; a repository
that cannot be read so (a split or sparse index, a corrupt index) is then counted as a plain
folder, with a one-line warning. In a plain folder every regular file counts, except what lies
in a ``.git`` directory.
A symlink that resolves inside the root is followed, a directory one too: with ``.github ->
config/github``, ``.github/CODEOWNERS`` is listed beside ``config/github/CODEOWNERS``, as in
the archive snapshot. One that leaves the root, dangles, or leads to the root or to a folder
holding the link itself (a loop) is treated as absent and is never read. Paths seen through
directory links are at most :data:`~scorecard.sources.links.MAX_LINKED_FILES` (past that, the
rest is not listed).

Git is run with the repository's own config made harmless (``core.fsmonitor`` off) and with
``safe.directory`` set for the root, so that scanning a checkout owned by another user (the
Actions container runs as root) works without running anything the repository configures.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

from scorecard.snapshot import Platform, ReadError, RepoMeta, RepoSnapshot, TooLarge
from scorecard.sources import gitprocs, gitrepo
from scorecard.sources.links import expand_dir_links

GIT_TIMEOUT = 120
#: Over this many tracked blobs larger than the content scan's cap (or paths longer than 256
#: bytes on average among them), the scan does not run `git grep` (which would need each named
#: on its command line, to exclude it) but reads each other file itself, up to the cap.
MAX_EXCLUDED = 1000
# a content scan opens files so: a symlink is not followed (it is read the careful way), and a
# FIFO put in a file's place does not block
_SCAN_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC

#: Paths listed through directory symlinks, at most (a few links to a large folder, or links
#: to each other, would otherwise multiply the list).


class SourceError(Exception):
    """The target cannot be read at all (not a directory, git failed)."""


def _run(root: str, name: str) -> tuple[int, bytes, bytes]:
    """One of :data:`gitprocs.COMMANDS`: ``(exit status, stdout, stderr)``."""
    try:
        return gitprocs.run(root, *gitprocs.COMMANDS[name], timeout=GIT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return -1, b"", f"git {name} ran past {GIT_TIMEOUT} s".encode()


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
    """The tracked files of the git work tree at ``root`` (with whether a symlink was dropped,
    and git's listing), None when it is not one.

    Where git is installed it lists, not dulwich (:func:`index_files`): on the generated
    100,000-file checkout (``benchmarks/bench_local.py``, index version 2, 2-core machine, 5
    runs each, medians) ``git ls-files -s -z`` takes 60 ms and this function 157 ms, while
    dulwich 1.2.21 reads the same index in 994 ms (:func:`index_files`: 1,086 ms). The content
    scan keeps ``git grep --cached`` likewise: 1.1-1.4 s over the tree, against 4.7 s for
    reading every blob with dulwich and searching it in Python."""
    if shutil.which("git") is None:
        return None
    status, stdout, stderr = _run(root, "ls-files")
    if status != 0:
        err = stderr.decode("utf-8", "replace")
        if "not a git repository" in err:
            return None
        raise SourceError(f"git ls-files failed in {root}: {err.strip()}")
    entries = stdout.split(b"\0")
    if entries and not entries[-1]:
        entries.pop()
    if not entries:
        return [], False, b""
    # "<mode> <object id> <stage>\t<path>": the path starts at the same offset in every entry
    # (object ids are all SHA-1 or all SHA-256)
    offset = entries[0].index(b"\t") + 1
    regular = [e[offset:] for e in entries if e.startswith(b"100") and e[offset - 2] == 48]
    files = os.fsdecode(b"\0".join(regular)).split("\0") if regular else []
    dropped = False
    if len(regular) != len(entries):  # symlinks, submodules, merge conflicts
        links: dict[str, str] = {}
        dropped = _add_irregular(
            root,
            root_real,
            files,
            [
                (e[:6], os.fsdecode(e[offset:]))
                for e in entries
                if not (e.startswith(b"100") and e[offset - 2] == 48)
            ],
            links,
        )
        files.sort()
        expand_dir_links(files, links)
    files.sort()  # git's byte order and Python's string order differ only for rare names
    return files, dropped, stdout


def _add_irregular(
    root: str,
    root_real: str,
    files: list[str],
    irregular: list[tuple[bytes, str]],
    links: dict[str, str],
) -> bool:
    """Add to ``files`` the index entries (mode, path) that are not a regular file at stage 0:
    a symlink that leads to a file inside the root, and each conflicted path once; not a
    submodule (a commit, not a file). A symlink to a folder inside the root goes to ``links``
    (its path -> the folder's), for :func:`_expand_dir_links`. Whether a symlink was dropped
    (one that leads out, dangles or loops)."""
    dropped = False
    seen = set(files)
    for mode, path in irregular:
        if mode == b"160000" or path in seen:
            continue
        if mode == b"120000" and not _is_contained_file(root_real, os.path.join(root, path)):
            target = _linked_dir(root_real, os.path.join(root, path), path)
            if target is None:
                dropped = True
            else:
                links[path] = target
            continue
        seen.add(path)
        files.append(path)
    return dropped


def _linked_dir(root_real: str, full: str, path: str) -> str | None:
    """The folder (relative to the root, ``/``-separated) that the symlink ``path`` leads to:
    None when it leads to no folder, out of the root, to the root, or to a folder that holds
    the link (a loop)."""
    real = os.path.realpath(full)
    if real == root_real or not real.startswith(root_real + os.sep) or not os.path.isdir(real):
        return None
    target = os.path.relpath(real, root_real).replace(os.sep, "/")
    if path == target or path.startswith(target + "/"):
        return None
    return target


def index_files(root: str, root_real: str) -> tuple[list[str], bool, gitrepo.GitRepo] | None:
    """What :func:`git_files` lists (and the repository), read from git's own files without
    git (:mod:`scorecard.sources.gitrepo`; the caller closes the repository); None when ``root``
    is in no git work tree. Raises :class:`gitrepo.Unsupported` when it cannot be read so."""
    repo = gitrepo.discover(root_real)
    if repo is None:
        return None
    try:
        entries = repo.tracked()
    except gitrepo.Unsupported:
        repo.close()
        raise
    regular = [e.path for e in entries if e.merged and e.mode >> 12 == 0o10]
    files = os.fsdecode(b"\0".join(regular)).split("\0") if regular else []
    dropped = False
    if len(regular) != len(entries):
        links: dict[str, str] = {}
        dropped = _add_irregular(
            root,
            root_real,
            files,
            [
                (b"%06o" % e.mode, os.fsdecode(e.path))
                for e in entries
                if not (e.merged and e.mode >> 12 == 0o10)
            ],
            links,
        )
        files.sort()
        expand_dir_links(files, links)
    files.sort()  # as git_files does
    return files, dropped, repo


def walk_files(root: str, root_real: str) -> list[str]:
    """Every regular file below a folder that is not a git work tree (and, through a symlink
    to a folder inside it, what :func:`_expand_dir_links` adds)."""
    out: list[str] = []
    links: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        for d in dirnames:
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                rel = (d if rel_dir == "." else f"{rel_dir}/{d}").replace(os.sep, "/")
                target = _linked_dir(root_real, full, rel)
                if target is not None:
                    links[rel] = target
        dirnames[:] = [
            d for d in dirnames if d != ".git" and not os.path.islink(os.path.join(dirpath, d))
        ]
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
    if links:
        expand_dir_links(out, links)
    return out


class LocalSnapshot(RepoSnapshot):
    """Build with :func:`open_local`."""

    root: str = ""
    root_real: str = ""
    in_git: bool = False
    index_raw: bytes = b""  # `git ls-files -s -z`, kept for content scans by blob id (with git)
    #: `git diff-files` (the files the work tree changed, for the content scan), started by
    #: :func:`open_local` beside the listing; the first content scan takes it.
    changes: subprocess.Popen[bytes] | None = None

    def close(self) -> None:
        changes, self.changes = self.changes, None
        if changes is not None:  # no content scan took it
            gitprocs.end(changes)

    def _take_changes(self) -> subprocess.Popen[bytes]:
        with self._lock:
            changes, self.changes = self.changes, None
        return changes or gitprocs.popen(self.root, *gitprocs.COMMANDS["diff-files"])

    def _kept(self, kind: str, inputs: Sequence[bytes], compute: Callable[[], bytes]) -> bytes:
        """Kept for the checkout's next run (:class:`scorecard.cache.Kept`), keyed by a digest
        of the tracked-file list and of each input."""
        from scorecard.cache import Kept

        kept = Kept(kind, os.fsencode(self.root_real))
        if kept.path is None:
            return compute()
        files: bytes = self.cached(
            "files-digest",
            lambda: hashlib.sha256("\0".join(self.files).encode("utf-8", "surrogatepass")).digest(),
        )
        key = hashlib.sha256(files + b"".join(hashlib.sha256(p).digest() for p in inputs))
        digest = key.hexdigest()
        found = kept.load(digest)
        if found is None:
            found = compute()
            kept.save(digest, found)
        return found

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

    def _scan_read(self, path: str, cap: int, folders: dict[str, bool]) -> bytes | None:
        """What :meth:`_read_raw` returns, None where it raises: the same answer, faster over
        many files. Whether a folder resolves inside the root is asked once per folder (not
        once per file), and a file is opened without following a symlink; a symlink, or a
        folder that leads out, is read the careful way."""
        folder = path.rpartition("/")[0]
        inside = folders.get(folder)
        if inside is None:
            inside = folders[folder] = _inside(self.root_real, os.path.join(self.root, folder))
        try:
            if not inside:
                raise OSError
            fd = os.open(f"{self.root}/{path}", _SCAN_OPEN)
        except OSError:  # a symlink (or absent, or unreadable): the careful way says which
            try:
                return self._read_raw(path, cap)
            except ReadError:
                return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
                return None
            data = os.read(fd, st.st_size)
            while len(data) < st.st_size:  # a short read: the rest
                chunk = os.read(fd, st.st_size - len(data))
                if not chunk:
                    break
                data += chunk
        except OSError:
            return None
        finally:
            os.close(fd)
        return data

    def _grep_paths(self, pattern: bytes, max_size: int, paths: Sequence[str]) -> list[str]:
        rx = re.compile(pattern)
        folders: dict[str, bool] = {}
        out = []
        for path in paths:
            try:
                data = self._stored(path, max_size)
            except ReadError:
                continue
            if data is None:
                data = self._scan_read(path, max_size, folders)
                if data is None:
                    continue
                self._keep(path, data)
            if rx.search(data):
                out.append(path)
        return sorted(out)

    def _prefetch_grep(self, pattern: bytes, max_size: int) -> None:
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

        from scorecard.cache import LastResult, VerdictCache

        changed = self._take_changes()
        rx = re.compile(pattern)
        fingerprint = hashlib.sha256(self.index_raw).hexdigest()  # C code, no interpreter lock
        last = LastResult(pattern, max_size, self.root_real)
        try:
            changed_raw, _ = changed.communicate(timeout=GIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            changed.kill()
            changed.communicate()
        if changed.returncode != 0:
            return super()._grep(pattern, max_size)
        modified = set(changed_raw.split(b"\0")) - {b""}
        if not modified:
            previous = last.load_paths(fingerprint)
            if previous is not None:  # the same index, nothing changed: the same answer
                return sorted(
                    p
                    for p in map(os.fsdecode, previous)
                    if self.has(p) and self._matches(rx, p, max_size)
                )
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
            oid = e[7 : offset - 3]
            if oid in clean and e[:3] == b"100":
                continue  # the fast path: content known not to match
            path = e[offset:]
            if e[:3] != b"100" or e[offset - 2] != 48:  # symlinks, conflicts: the files
                others.append(path)
                if e[:6] == b"120000":  # a link to a folder: what it shows
                    others.extend(map(os.fsencode, self.files_under(os.fsdecode(path))))
                continue
            verdict = known(oid)
            if verdict is None:
                unseen.append((path, oid))
            elif verdict:
                hits.append(path)
        if len(unseen) > 500:  # many: one `git grep` over the object store
            # Never hand git a blob over the cap (a 2 GB file held git for minutes): each
            # blob's size is asked first; one over the cap cannot match (TooLarge), and the
            # grep excludes it by name.
            sizes = self._blob_sizes([oid for _, oid in unseen])
            if sizes is None:
                return super()._grep(pattern, max_size)
            # named in the grep's command line: over the cap, or absent (a partial clone's
            # missing blob would be fetched)
            excluded = [path for path, oid in unseen if sizes.get(oid, max_size + 1) > max_size]
            for path, oid in unseen:
                size = sizes.get(oid)
                if size is None:  # not in the object store: read from the work tree
                    others.append(path)
                elif size > max_size:
                    cache.record(oid, False)
            unseen = [(p, oid) for p, oid in unseen if sizes.get(oid, max_size + 1) <= max_size]
            found = (
                self._git_grep(pattern, excluded)
                if len(excluded) <= MAX_EXCLUDED and sum(map(len, excluded)) <= MAX_EXCLUDED * 256
                else None
            )
            if found is not None:  # else: too many to exclude, each file read below
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
        out |= {
            f for f in map(os.fsdecode, others) if self.has(f) and self._matches(rx, f, max_size)
        }
        if cache.dirty:
            cache.save(seen={e[7 : offset - 3] for e in entries if e})
        answer = sorted(p for p in out if self.has(p))
        if not modified:
            last.save_paths(fingerprint, [os.fsencode(p) for p in answer])
        return answer

    def _blob_sizes(self, oids: list[bytes]) -> dict[bytes, int] | None:
        """The size of each blob in the object store (``git cat-file --batch-check``, which
        reads no content); a blob git does not have is left out. None when git fails."""
        try:
            status, out, _ = gitprocs.run(
                self.root,
                "cat-file",
                "--batch-check=%(objectname) %(objectsize)",
                "--buffer",
                stdin=b"\n".join(oids) + b"\n",
                timeout=GIT_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return None
        if status != 0:
            return None
        sizes = {}
        for line in out.splitlines():
            oid, _, size = line.partition(b" ")
            if size.isdigit():
                sizes[oid] = int(size)
        return sizes

    def _git_grep(self, pattern: bytes, excluded: list[bytes]) -> set[bytes] | None:
        """The paths whose blob in the index matches ``pattern`` (``git grep --cached``), not
        searching ``excluded`` (paths); None when git fails or runs past its timeout."""
        excludes = [b":(exclude,literal)" + path for path in excluded]
        try:
            status, out, _ = gitprocs.run(
                self.root,
                "grep",
                "--cached",
                "-z",
                "-l",
                "--text",
                "-E",
                "-e",
                pattern.decode("ascii"),
                "--",
                ".",
                *map(os.fsdecode, excludes),
                timeout=GIT_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return None
        if status not in (0, 1):
            return None
        return set(out.split(b"\0"))

    def _matches(self, rx: re.Pattern[bytes], path: str, max_size: int) -> bool:
        """Whether ``path`` matches, read through the content store (the rules share it)."""
        try:
            data = self._stored(path, max_size)
            if data is None:
                data = self._read_raw(path, max_size)
                self._keep(path, data)
        except ReadError:  # too large, unreadable or deleted: not a match
            return False
        return rx.search(data) is not None


def _head_commit(root: str) -> str | None:
    status, stdout, _ = _run(root, "rev-parse")
    if status != 0:
        return None
    return stdout.decode().strip() or None


def _without_git(
    root: str, root_real: str, warnings: list[str]
) -> tuple[list[str] | None, str | None]:
    """The tracked files (None: not a work tree, or one that cannot be read without git) and
    the HEAD commit, from git's files. No ``index_raw``: content scans then read every file."""
    try:
        found = index_files(root, root_real)
    except gitrepo.Unsupported as exc:
        warnings.append(
            f"git is not installed and the repository cannot be read without it "
            f"({exc}): every file in the folder is counted, tracked or not"
        )
        return None, None
    if found is None:
        return None, None
    files, _dropped, repo = found
    try:
        return files, repo.head_commit()
    except gitrepo.Unsupported as exc:
        warnings.append(f"git is not installed and the commit cannot be read without it ({exc})")
        return files, None
    finally:
        repo.close()


def open_local(
    path: str | os.PathLike[str], label: str | None = None, *, use_git: bool = True
) -> LocalSnapshot:
    """A snapshot of the directory at ``path`` (``use_git=False``: a plain folder, every
    regular file counts). Raises :class:`SourceError`."""
    root = os.path.abspath(os.fspath(path))
    if not os.path.isdir(root):
        raise SourceError(f"{path}: not a directory")
    root_real = os.path.realpath(root)
    warnings: list[str] = []
    files: list[str] | None = None
    commit: str | None = None
    index_raw = b""
    changes = None
    if use_git and shutil.which("git") is not None:
        # the content scan's `git diff-files` runs beside the listing (each on a core), so
        # that it has ended by the time the scan needs it
        changes = gitprocs.popen(root, *gitprocs.COMMANDS["diff-files"])
        try:
            listed = git_files(root, root_real)
        except BaseException:
            gitprocs.end(changes)
            raise
        if listed is not None:
            files, _dropped, index_raw = listed
            commit = _head_commit(root)
        else:  # not a work tree
            gitprocs.end(changes)
            changes = None
    elif use_git:  # no git binary (the Action's image has none): git's own files, read here
        files, commit = _without_git(root, root_real, warnings)
    in_git = files is not None
    if files is None:
        files = walk_files(root, root_real)
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
    snap.changes = changes
    return snap
