"""One reader of git repositories without the git command, on dulwich: a work tree's tracked
files (its index), HEAD's commit, and a commit's tree and blobs from the object store. The
Action's image has no git binary; this is how it lists a checkout and reads a pull request's
base commit.

The repository is found as git finds it from a folder: a ``.git`` folder, or a ``.git`` file
saying ``gitdir: PATH`` (linked work trees, submodules), in the folder or one above it, not
past ``GIT_CEILING_DIRECTORIES`` nor (unless ``GIT_DISCOVERY_ACROSS_FILESYSTEM``) a file
system's boundary. Only reading is done: dulwich's index, refs and object store are read; no
hook, filter, fsmonitor or anything else the repository configures is run, and no
``.gitattributes`` filter is applied (blobs are read as stored).

Whatever cannot be read so raises :class:`Unsupported` with the reason, and the caller falls
back (a plain folder, or the API): git's own ``GIT_DIR``-like variables, a bare repository, a
work tree configured elsewhere, a corrupt or truncated index, and what dulwich 1.2.21 does
not read, or misreads without an error (so it is refused here, before any path is used): a
split index; a sparse index (it stops at the ``sdir`` extension); index version 4 (it decodes
the prefix lengths as LEB128, not as git's offset varints: a shared prefix of 128 bytes or more
gives wrong paths); a path of :data:`MAX_PATH` bytes or more (it reads only the 4,095 bytes the
entry's length field holds, and the rest as the next entries).

Bounds: a blob is inflated whole when read (dulwich has no size-first read; the hand-written
reader this replaced did the same), then the caller's cap is applied; the process's memory
limit (``--memory-limit``, 4096 MiB) bounds that. A commit's tree is walked to dulwich's
``DEFAULT_MAX_TREE_DEPTH`` (1,280 nested folders); a deeper tree is :class:`Unsupported`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dulwich.errors import NotGitRepository
from dulwich.index import ConflictedIndexEntry, IndexEntry
from dulwich.objects import Blob, Commit, ObjectID, Tree
from dulwich.refs import Ref
from dulwich.repo import Repo

# Environment variables that move git's repository, work tree or index: with one of them set,
# what git would read is not what discovery finds.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")
#: An index entry's path this long or longer is misread by dulwich 1.2.21 (see above).
MAX_PATH = 0xFFF


class Unsupported(Exception):
    """This repository cannot be read without git; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One tracked path of the index: its mode, and whether it is at stage 0 (not a merge
    conflict)."""

    path: bytes
    mode: int
    merged: bool


class GitRepo:
    """A git work tree, read with dulwich. Build with :func:`discover`; :meth:`close` it (its
    packs stay open until then)."""

    def __init__(self, repo: Repo, worktree: str, prefix: bytes) -> None:
        self.repo = repo
        self.worktree = worktree  # the top of the work tree (a real path)
        self.prefix = prefix  # the folder asked about, below the top: b"" or b"sub/dir/"

    @property
    def gitdir(self) -> str:
        return self.repo.controldir()

    def tracked(self) -> list[Entry]:
        """The index's entries below the folder asked about (paths relative to it), in the
        index's order. Raises :class:`Unsupported`."""
        try:
            if any(name.startswith("sharedindex.") for name in os.listdir(self.gitdir)):
                raise Unsupported("a split index")
            with open(self.repo.index_path(), "rb") as fh:
                version = int.from_bytes(fh.read(8)[4:], "big")
            if version == 4:
                raise Unsupported("index version 4 (git config index.version 2 makes it readable)")
            index = self.repo.open_index()
        except FileNotFoundError:
            return []
        except Unsupported:
            raise
        except Exception as exc:  # dulwich raises many kinds on a corrupt index
            if self._sparse():
                raise Unsupported("a sparse index") from None
            raise Unsupported(f"the index cannot be read ({_reason(exc)})") from None
        out = []
        cut = len(self.prefix)
        for path, entry in index.iteritems():
            if len(path) >= MAX_PATH:
                raise Unsupported(f"a path of {MAX_PATH:,} bytes or more in the index")
            if not path.startswith(self.prefix):
                continue
            if isinstance(entry, ConflictedIndexEntry):
                stages = [e for e in (entry.this, entry.other, entry.ancestor) if e is not None]
                out.append(Entry(path[cut:], stages[0].mode if stages else 0, False))
            elif _is_dir(entry):
                raise Unsupported("a sparse index")
            else:
                out.append(Entry(path[cut:], entry.mode, True))
        return out

    def close(self) -> None:
        self.repo.close()

    def _sparse(self) -> bool:
        """Whether git is configured to write a sparse index here (``index.sparse``)."""
        try:
            return self.repo.get_config_stack().get_boolean((b"index",), b"sparse", False)
        except Exception:  # a config dulwich cannot parse: not known to be sparse
            return False

    def head_commit(self) -> str | None:
        """The commit id HEAD names, None for a branch with no commit yet (as ``git rev-parse
        --verify HEAD`` answers). Raises :class:`Unsupported`."""
        try:
            return self.repo.refs[Ref(b"HEAD")].decode("ascii")
        except KeyError:
            return None
        except Exception as exc:
            raise Unsupported(f"HEAD cannot be read ({_reason(exc)})") from None

    def commit_files(self, sha: str) -> dict[str, tuple[str, str]]:
        """Every entry below commit ``sha``'s tree that is not a tree: path -> (mode as six
        digits, hex object id), as ``git ls-tree -r`` lists them. Raises
        :class:`Unsupported`."""
        try:
            commit = self.repo.object_store[ObjectID(sha.encode("ascii"))]
            if not isinstance(commit, Commit):
                raise Unsupported(f"{sha} is not a commit")
            tree = self.repo.object_store[commit.tree]
            if not isinstance(tree, Tree):
                raise Unsupported(f"{sha} has no tree")
            return {
                os.fsdecode(e.path): (f"{e.mode:06o}", e.sha.decode("ascii"))
                for e in self.repo.object_store.iter_tree_contents(commit.tree)
                if e.path is not None and e.mode is not None and e.sha is not None
            }
        except Unsupported:
            raise
        except Exception as exc:  # absent, corrupt, or stored in a way dulwich does not read
            raise Unsupported(f"{sha} cannot be read ({_reason(exc)})") from None

    def blob(self, oid: str) -> bytes:
        """The content of blob ``oid``, inflated whole. Raises :class:`Unsupported`."""
        try:
            obj = self.repo.object_store[ObjectID(oid.encode("ascii"))]
        except Exception as exc:
            raise Unsupported(f"{oid} cannot be read ({_reason(exc)})") from None
        if not isinstance(obj, Blob):
            raise Unsupported(f"{oid} is not a blob")
        return obj.as_raw_string()


def _is_dir(entry: IndexEntry) -> bool:
    """Whether an index entry is a folder (a sparse index's collapsed folder)."""
    return entry.mode & 0o170000 == 0o040000


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:200]


def discover(path: str) -> GitRepo | None:
    """The git work tree that holds the folder ``path`` (a real path), found as git finds it
    from there; None when there is none. Raises :class:`Unsupported`."""
    for var in _GIT_ENV:
        if os.environ.get(var):
            raise Unsupported(f"{var} is set")
    ceilings = {
        os.path.realpath(entry)
        for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
        if os.path.isabs(entry)
    }
    across = os.environ.get("GIT_DISCOVERY_ACROSS_FILESYSTEM", "").lower() in (
        "1",
        "true",
        "yes",
        "on",
    )
    try:
        device = os.stat(path).st_dev
    except OSError as exc:
        raise Unsupported(f"{path} cannot be read ({exc.strerror})") from None
    current = path
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return _open(path, current)
        if _is_git_directory(current):
            raise Unsupported(f"{current} is a git folder, not a work tree")
        parent = os.path.dirname(current)
        if parent == current or parent in ceilings:
            return None
        try:
            if not across and os.stat(parent).st_dev != device:
                return None  # git stops at a file system's boundary
        except OSError:
            return None
        current = parent


def _is_git_directory(folder: str) -> bool:
    return all(os.path.exists(os.path.join(folder, name)) for name in ("HEAD", "objects", "refs"))


def _open(path: str, top: str) -> GitRepo:
    dotgit = os.path.join(top, ".git")
    if os.path.isfile(dotgit):
        try:
            with open(dotgit, "rb") as fh:
                head = fh.read(8)
        except OSError as exc:
            raise Unsupported(f"{dotgit} cannot be read ({exc.strerror})") from None
        if not head.startswith(b"gitdir: "):
            raise Unsupported(f"{dotgit} is not a gitdir file")
    try:
        repo = Repo(top)
    except NotGitRepository:
        raise Unsupported(f"{dotgit} is not a git folder") from None
    except Exception as exc:
        raise Unsupported(f"{dotgit} cannot be read ({_reason(exc)})") from None
    try:
        return _check(repo, path, top)
    except BaseException:
        repo.close()
        raise


def _check(repo: Repo, path: str, top: str) -> GitRepo:
    """``repo`` as a :class:`GitRepo`, when it is a work tree that is ``top``'s."""
    if repo.bare:
        raise Unsupported(f"{repo.controldir()} is a bare repository")
    config = repo.get_config()
    if repo.controldir() == repo.commondir() and config.has_section((b"core",)):
        try:
            worktree = config.get((b"core",), b"worktree")
        except KeyError:
            worktree = None
        if worktree:  # a submodule's git folder names its work tree; anything else: not ours
            named = os.path.realpath(os.path.join(repo.controldir(), os.fsdecode(worktree)))
            if named != os.path.realpath(top):
                raise Unsupported(f"core.worktree names another folder ({os.fsdecode(worktree)})")
    top = os.path.realpath(top)
    rel = os.path.relpath(path, top)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        raise Unsupported(f"{path} is outside the work tree {top}")
    prefix = b"" if rel == os.curdir else os.fsencode(rel.replace(os.sep, "/")) + b"/"
    return GitRepo(repo, top, prefix)
