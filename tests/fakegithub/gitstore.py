"""Read git objects of the test repositories, fast and thread-safe.

Each repository gets one long-running ``git cat-file --batch-command`` process (started on first
use, at most ``max_processes`` alive at once: the least recently used idle one is closed), so an
org scan of hundreds of repositories does not spawn a process per file. Archives and diffs use
one-off ``git`` commands, remembered by commit id (the latest ``memo_entries``).
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}
GIT = ["git", "-c", "safe.directory=*", "-c", "core.quotepath=off"]


@dataclass(frozen=True)
class GitObject:
    oid: str
    type: str  # blob, tree, commit, tag
    size: int
    data: bytes | None = None  # None when only the header was asked for


@dataclass(frozen=True)
class TreeItem:
    mode: str  # octal string as git writes it: 100644, 100755, 120000, 40000, 160000
    name: bytes
    oid: str

    @property
    def type(self) -> str:
        if self.mode == "40000":
            return "tree"
        if self.mode == "160000":
            return "commit"
        return "blob"

    @property
    def text_name(self) -> str:
        return self.name.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Signature:
    name: str
    email: str
    timestamp: int
    tz: str


@dataclass(frozen=True)
class CommitInfo:
    oid: str
    tree: str
    parents: tuple[str, ...]
    author: Signature
    committer: Signature
    message: str


class _Closed(Exception):
    pass


class _CatFile:
    """One ``git cat-file --batch-command`` process; every call holds the lock."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None
        self.closed = False

    def _start(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [*GIT, "-C", str(self.root), "cat-file", "--batch-command"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=GIT_ENV,
            )
        return self.proc

    def request(self, command: str, name: str) -> GitObject | None:
        if "\n" in name or "\0" in name or not name:
            return None
        with self.lock:
            if self.closed:
                raise _Closed
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(f"{command} {name}\n".encode())
                proc.stdin.flush()
                header = proc.stdout.readline()
                if not header:
                    raise BrokenPipeError("git cat-file ended")
                parts = header.rstrip(b"\n").rsplit(b" ", 2)
                if (
                    len(parts) != 3
                    or parts[2] in (b"missing", b"ambiguous")
                    or not parts[2].isdigit()
                ):
                    # "<name> missing" / "<name> ambiguous" (names may contain spaces)
                    return None
                oid, otype, size = parts[0].decode(), parts[1].decode(), int(parts[2])
                data = None
                if command == "contents":
                    data = proc.stdout.read(size)
                    proc.stdout.read(1)  # trailing newline
                return GitObject(oid, otype, size, data)
            except (BrokenPipeError, OSError, ValueError):
                self._kill()
                raise

    def _kill(self) -> None:
        if self.proc is not None:
            try:
                self.proc.kill()
                self.proc.wait(timeout=5)
            except Exception:  # pragma: no cover - best effort
                pass
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    if stream is not None:
                        stream.close()
                except Exception:  # pragma: no cover
                    pass
            self.proc = None

    def close(self) -> None:
        with self.lock:
            self.closed = True
            if self.proc is not None:
                try:
                    assert self.proc.stdin is not None
                    self.proc.stdin.close()
                    self.proc.wait(timeout=5)
                except Exception:
                    pass
                self._kill()


class GitPool:
    """Shared by every repository of one fake server."""

    def __init__(self, max_processes: int = 24, memo_entries: int = 256) -> None:
        self.max_processes = max_processes
        self.memo_entries = memo_entries
        self._lock = threading.Lock()
        self._procs: OrderedDict[Path, _CatFile] = OrderedDict()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.closed = False

    # -- processes -------------------------------------------------------------------------
    def _catfile(self, root: Path) -> _CatFile:
        victims: list[_CatFile] = []
        with self._lock:
            if self.closed:
                raise RuntimeError("the fake GitHub has stopped")
            cat = self._procs.get(root)
            if cat is None:
                cat = _CatFile(root)
                self._procs[root] = cat
                while len(self._procs) > self.max_processes:
                    for key, other in self._procs.items():
                        if other is not cat and not other.lock.locked():
                            victims.append(self._procs.pop(key))
                            break
                    else:
                        break
            else:
                self._procs.move_to_end(root)
        for victim in victims:
            victim.close()
        return cat

    def _request(self, root: Path, command: str, name: str) -> GitObject | None:
        return self._retry(root, lambda cat: cat.request(command, name))  # type: ignore[no-any-return]

    def _retry(self, root: Path, call: Callable[[_CatFile], Any]) -> Any:
        for _attempt in range(5):
            cat = self._catfile(root)
            try:
                return call(cat)
            except _Closed:
                with self._lock:
                    if self._procs.get(root) is cat:
                        del self._procs[root]
                continue
            except (BrokenPipeError, OSError, ValueError):
                continue
        raise RuntimeError(f"git cat-file keeps failing in {root}")

    def close(self) -> None:
        with self._lock:
            self.closed = True
            procs = list(self._procs.values())
            self._procs.clear()
            self._memo.clear()
        for cat in procs:
            cat.close()

    # -- objects ---------------------------------------------------------------------------
    def info(self, root: Path, name: str) -> GitObject | None:
        """Header only (oid, type, size) of an object named by any git revision expression."""
        return self._request(root, "info", name)

    def read(self, root: Path, name: str) -> GitObject | None:
        """Header and contents of an object named by any git revision expression."""
        return self._request(root, "contents", name)

    def resolve(self, root: Path, rev: str, peel: str = "commit") -> str | None:
        """The object id ``rev`` names, peeled to ``peel`` (commit by default)."""
        obj = self.info(root, f"{rev}^{{{peel}}}" if peel else rev)
        return obj.oid if obj else None

    def tree(self, root: Path, name: str) -> list[TreeItem] | None:
        obj = self.read(root, name)
        if obj is None or obj.type != "tree" or obj.data is None:
            return None
        return parse_tree(obj.data, len(obj.oid) // 2)

    # -- one-off commands, memoised by immutable inputs -------------------------------------
    def memo(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()``, remembered for the ``memo_entries`` latest keys (whose inputs are
        immutable: commit ids)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > self.memo_entries:
                self._memo.popitem(last=False)
        return value

    def run(self, root: Path, *args: str) -> bytes:
        proc = subprocess.run(
            [*GIT, "-C", str(root), *args], capture_output=True, env=GIT_ENV, check=False
        )
        if proc.returncode != 0:
            raise RuntimeError(f"git {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
        return proc.stdout

    def commit(self, root: Path, name: str) -> CommitInfo | None:
        obj = self.read(root, f"{name}^{{commit}}")
        if obj is None or obj.type != "commit" or obj.data is None:
            return None
        return parse_commit(obj.oid, obj.data)

    def changes(self, root: Path, sha: str) -> list[dict[str, Any]]:
        """The files commit ``sha`` changes from its first parent (a root commit adds all)."""
        args = ("diff-tree", "-r", "--root", "--no-commit-id", "-M", "-z")
        return self.memo(
            ("changes", root, sha),
            lambda: _parse_diff(
                self.run(root, *args, "--name-status", sha),
                self.run(root, *args, "--numstat", sha),
                self,
                root,
                sha,
            ),
        )

    def diff_stats(self, root: Path, base: str, head: str) -> tuple[int, int, int, int]:
        """(commits, files, additions, deletions) from the merge base of ``base`` and ``head``
        to ``head``, as a pull request counts them (renames are not detected)."""

        def compute() -> tuple[int, int, int, int]:
            merge_base = self.run(root, "merge-base", base, head).decode().strip()
            commits = int(self.run(root, "rev-list", "--count", f"{merge_base}..{head}"))
            rows = [
                line.split("\t")
                for line in self.run(root, "diff", "--numstat", merge_base, head)
                .decode()
                .splitlines()
            ]
            return (
                commits,
                len(rows),
                sum(int(r[0]) for r in rows if r[0].isdigit()),
                sum(int(r[1]) for r in rows if r[1].isdigit()),
            )

        try:
            return self.memo(("diff", root, base, head), compute)
        except RuntimeError:
            return 0, 0, 0, 0

    def archive(self, root: Path, sha: str, fmt: str, prefix: str) -> bytes:
        return self.memo(
            ("archive", root, sha, fmt, prefix),
            lambda: self.run(root, "archive", f"--format={fmt}", f"--prefix={prefix}", sha),
        )


def parse_tree(data: bytes, oid_len: int = 20) -> list[TreeItem]:
    items = []
    pos = 0
    end = len(data)
    while pos < end:
        space = data.index(b" ", pos)
        nul = data.index(b"\0", space)
        mode = data[pos:space].decode()
        name = data[space + 1 : nul]
        oid = data[nul + 1 : nul + 1 + oid_len].hex()
        items.append(TreeItem(mode, name, oid))
        pos = nul + 1 + oid_len
    return items


def _signature(raw: str) -> Signature:
    # "Name <email> 1700000000 +0100"
    left, _, rest = raw.rpartition(">")
    name, _, email = left.partition("<")
    fields = rest.split()
    ts = int(fields[0]) if fields else 0
    tz = fields[1] if len(fields) > 1 else "+0000"
    return Signature(name.strip(), email.strip(), ts, tz)


def parse_commit(oid: str, data: bytes) -> CommitInfo:
    head, _, message = data.partition(b"\n\n")
    tree = ""
    parents: list[str] = []
    author = committer = Signature("", "", 0, "+0000")
    for line in head.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(" ")
        if key == "tree":
            tree = value
        elif key == "parent":
            parents.append(value)
        elif key == "author":
            author = _signature(value)
        elif key == "committer":
            committer = _signature(value)
    return CommitInfo(
        oid, tree, tuple(parents), author, committer, message.decode("utf-8", "replace")
    )


def _parse_diff(
    status: bytes, numstat: bytes, pool: GitPool, root: Path, head: str
) -> list[dict[str, Any]]:
    names = {
        "A": "added",
        "D": "removed",
        "M": "modified",
        "R": "renamed",
        "C": "copied",
        "T": "changed",
    }
    parts = status.split(b"\0")
    files: list[dict[str, Any]] = []
    i = 0
    while i < len(parts) and parts[i]:
        code = parts[i].decode()
        kind = code[0]
        if kind in "RC":
            old, new = (
                parts[i + 1].decode("utf-8", "replace"),
                parts[i + 2].decode("utf-8", "replace"),
            )
            files.append({"filename": new, "previous_filename": old, "status": names[kind]})
            i += 3
        else:
            files.append(
                {
                    "filename": parts[i + 1].decode("utf-8", "replace"),
                    "status": names.get(kind, "modified"),
                }
            )
            i += 2
    # numstat -z: "added\tdeleted\tpath\0" or, for renames, "added\tdeleted\t\0old\0new\0"
    counts: dict[str, tuple[int, int]] = {}
    nparts = numstat.split(b"\0")
    j = 0
    while j < len(nparts) and nparts[j]:
        added, deleted, path = nparts[j].decode("utf-8", "replace").split("\t", 2)
        if not path:
            path = nparts[j + 2].decode("utf-8", "replace")
            j += 3
        else:
            j += 1
        counts[path] = (
            int(added) if added.isdigit() else 0,
            int(deleted) if deleted.isdigit() else 0,
        )
    for entry in files:
        add, delete = counts.get(entry["filename"], (0, 0))
        entry["additions"], entry["deletions"], entry["changes"] = add, delete, add + delete
        obj = (
            None if entry["status"] == "removed" else pool.info(root, f"{head}:{entry['filename']}")
        )
        entry["sha"] = obj.oid if obj else None
    return files
