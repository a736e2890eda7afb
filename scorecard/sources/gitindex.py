"""Git's index and HEAD, read without git: what ``git ls-files -s -z`` prints and what
``git rev-parse --verify HEAD`` answers, for machines with no git binary (the Action's image has
none).

Only what git keeps in plain files is read: the repository is found as git finds it (a ``.git``
folder, or a ``.git`` file saying ``gitdir: PATH`` as in linked work trees and submodules, in
the folder or one above it), then its index (versions 2, 3 and 4; SHA-1 and SHA-256
repositories), ``HEAD`` and the refs (loose, or in ``packed-refs``). Whatever this reader does
not understand raises :class:`Unsupported` with the reason: a split index, a sparse index, refs
in a reftable, an index that is truncated or fails its checksum, an unknown index extension that
git requires, a work tree configured elsewhere, git's own ``GIT_DIR``-like variables. The caller
then falls back. Nothing is written; nothing from the repository is run.

Index format: https://git-scm.com/docs/index-format
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
from binascii import hexlify
from dataclasses import dataclass

# Environment variables that move git's repository, work tree or index: with one of them set,
# what git would read is not what discovery finds.
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR",
            "GIT_OBJECT_DIRECTORY")
_HASH_SIZES = {"sha1": 20, "sha256": 32}
_EXTENDED = 0x4000  # in an entry's flags: a second flags word follows (index version 3 and 4)
_SKIP_WORKTREE, _INTENT_TO_ADD = 0x4000, 0x2000  # in that second word
_SYMREF_DEPTH = 5  # git's SYMREF_MAXDEPTH
_HEADER = struct.Struct(">4sII")
_EXT_HEADER = struct.Struct(">4sI")
_U16 = struct.Struct(">H")
_SPARSE_DIR = 0o040000  # a sparse index's folder entry


class Unsupported(Exception):
    """This repository cannot be read without git; the message says why."""


@dataclass(frozen=True)
class Repo:
    """A git work tree found without git."""

    worktree: str  # the top of the work tree (a real path)
    gitdir: str  # the work tree's own git folder (HEAD, index)
    commondir: str  # the repository's shared one (config, refs, packed-refs); often gitdir
    prefix: bytes  # the folder asked about, below the top: b"" or b"sub/dir/"
    hash_size: int  # 20 (SHA-1) or 32 (SHA-256)
    ref_storage: str  # "files" (loose refs and packed-refs), or what git calls another store


# ---- finding the repository ----------------------------------------------------------------------


def discover(path: str) -> Repo | None:
    """The git work tree that holds the folder ``path`` (a real path), found as git finds it
    from there; None when there is none. Raises :class:`Unsupported`."""
    for var in _GIT_ENV:
        if os.environ.get(var):
            raise Unsupported(f"{var} is set")
    ceilings = _ceilings()
    across = os.environ.get("GIT_DISCOVERY_ACROSS_FILESYSTEM", "").lower() in (
        "1", "true", "yes", "on")
    try:
        device = os.stat(path).st_dev
    except OSError as exc:
        raise Unsupported(f"{path} cannot be read ({exc.strerror})") from None
    current = path
    while True:
        gitdir = _gitdir_at(current)
        if gitdir is not None:
            return _open(path, current, gitdir)
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


def _ceilings() -> set[str]:
    out = set()
    for entry in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep):
        if os.path.isabs(entry):
            out.add(os.path.realpath(entry))
    return out


def _gitdir_at(folder: str) -> str | None:
    """The git folder that ``folder/.git`` names (a folder, or a ``gitdir:`` file), if any."""
    dotgit = os.path.join(folder, ".git")
    if os.path.isdir(dotgit):
        return dotgit if _is_git_directory(dotgit) else None
    if not os.path.isfile(dotgit):
        return None
    try:
        with open(dotgit, "rb") as fh:
            text = fh.read(1 << 16)
    except OSError as exc:
        raise Unsupported(f"{dotgit} cannot be read ({exc.strerror})") from None
    if not text.startswith(b"gitdir: "):
        raise Unsupported(f"{dotgit} is not a gitdir file")
    target = os.fsdecode(text[len(b"gitdir: "):].rstrip(b"\r\n"))
    if not target:
        raise Unsupported(f"{dotgit} names no git folder")
    gitdir = os.path.normpath(os.path.join(folder, target))
    if not _is_git_directory(gitdir):
        raise Unsupported(f"{dotgit} names {target}, which is not a git folder")
    return gitdir


def _commondir(gitdir: str) -> str:
    try:
        with open(os.path.join(gitdir, "commondir"), "rb") as fh:
            target = os.fsdecode(fh.read(1 << 16).rstrip(b"\r\n"))
    except OSError:
        return gitdir
    return os.path.normpath(os.path.join(gitdir, target)) if target else gitdir


def _is_git_directory(folder: str) -> bool:
    """git's test: a valid ``HEAD``, and ``objects`` and ``refs`` in the common folder."""
    if not _valid_head(os.path.join(folder, "HEAD")):
        return False
    common = _commondir(folder)
    return (os.path.isdir(os.path.join(common, "objects"))
            and os.path.isdir(os.path.join(common, "refs")))


def _valid_head(path: str) -> bool:
    try:
        if os.path.islink(path):
            return os.readlink(path).startswith("refs/")
        with open(path, "rb") as fh:
            head = fh.read(256)
    except OSError:
        return False
    if head.startswith(b"ref:"):
        return head[4:].lstrip(b" \t").startswith(b"refs/")
    return re.match(rb"(?:[0-9a-f]{64}|[0-9a-f]{40})(?:\s|\Z)", head) is not None


def _config(path: str) -> dict[str, str]:
    """``section.key`` -> value of a git config file, for sections without a subsection (the
    few keys this reader needs: ``core.*`` and ``extensions.*``). Missing: empty."""
    try:
        with open(path, "rb") as fh:
            text = fh.read(1 << 20).decode("utf-8", "replace")
    except OSError:
        return {}
    out: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            close = line.find("]")
            inner = line[1:close] if close > 0 else ""
            # [section "subsection"] and [section.subsection] are not what we read
            section = inner.strip().lower() if re.fullmatch(r"\s*[A-Za-z0-9-]+\s*", inner) \
                else "\0"
            line = line[close + 1:].strip() if close > 0 else ""
            if not line or line[0] in "#;":
                continue
        key, eq, value = line.partition("=")
        key = key.strip().lower()
        if not re.fullmatch(r"[a-z][a-z0-9-]*", key):
            continue
        out[f"{section}.{key}"] = _config_value(value) if eq else "true"
    return out


def _config_value(value: str) -> str:
    out, quoted = [], False
    i = 0
    while i < len(value):
        c = value[i]
        if c == '"':
            quoted = not quoted
        elif c in "#;" and not quoted:
            break
        elif c == "\\" and i + 1 < len(value):
            i += 1
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(value[i], value[i]))
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()


def _truthy(value: str) -> bool:
    return value.strip().lower() in ("true", "yes", "on", "1")


def _open(path: str, top: str, gitdir: str) -> Repo:
    common = _commondir(gitdir)
    config = _config(os.path.join(common, "config"))
    try:
        version = int(config.get("core.repositoryformatversion", "0") or "0")
    except ValueError:
        raise Unsupported("core.repositoryformatversion is not a number") from None
    if version not in (0, 1):
        raise Unsupported(f"repository format version {version}")
    if common == gitdir:  # a linked work tree's shared config says nothing of it (as in git)
        if _truthy(config.get("core.bare", "false")):
            raise Unsupported(f"{gitdir} is a bare repository")
        worktree = config.get("core.worktree")
        if worktree:  # a submodule's git folder names its work tree; anything else: not ours
            named = os.path.realpath(os.path.join(gitdir, worktree))
            if named != os.path.realpath(top):
                raise Unsupported(f"core.worktree names another folder ({worktree})")
    fmt = config.get("extensions.objectformat", "sha1").lower() if version else "sha1"
    if fmt not in _HASH_SIZES:
        raise Unsupported(f"object format {fmt}")
    storage = config.get("extensions.refstorage", "files").lower() if version else "files"
    top = os.path.realpath(top)
    rel = os.path.relpath(path, top)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        raise Unsupported(f"{path} is outside the work tree {top}")
    prefix = b"" if rel == os.curdir else os.fsencode(rel.replace(os.sep, "/")) + b"/"
    return Repo(worktree=top, gitdir=gitdir, commondir=common, prefix=prefix,
                hash_size=_HASH_SIZES[fmt], ref_storage=storage)


# ---- the index -----------------------------------------------------------------------------------


@dataclass
class Index:
    """The entries of an index that lie in the folder asked about, in the index's order (by
    path, then stage): their paths, and beside each its mode, object id and flags."""

    names: list[bytes]  # paths relative to the folder
    entries: list[tuple[int, bytes, int]]  # (mode, binary object id, flags) of each path
    irregular: list[int]  # positions of the entries that are not a regular file at stage 0

    def ls_files(self) -> bytes:
        """What ``git ls-files -s -z`` prints: ``<mode> <object id> <stage>\\t<path>\\0``
        per entry."""
        stages = (b" 0\t", b" 1\t", b" 2\t", b" 3\t")
        return b"".join(b"%06o %s%s%s\0" % (mode, hexlify(oid), stages[(flags >> 12) & 3], name)
                        for (mode, oid, flags), name in zip(self.entries, self.names,
                                                            strict=True))


def read_index(repo: Repo) -> Index:
    """The index of ``repo``'s work tree, limited to the folder asked about. Raises
    :class:`Unsupported`."""
    try:
        with open(os.path.join(repo.gitdir, "index"), "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return Index([], [], [])  # nothing was ever added: git lists nothing
    except OSError as exc:
        raise Unsupported(f"the index cannot be read ({exc.strerror})") from None
    return parse_index(data, repo.hash_size, repo.prefix)


def ls_files(repo: Repo) -> bytes:
    """What ``git ls-files -s -z`` prints in ``repo``'s folder (paths relative to it).
    Raises :class:`Unsupported`."""
    return read_index(repo).ls_files()


def parse_index(data: bytes, hash_size: int = 20, prefix: bytes = b"") -> Index:
    """The entries of the index file ``data`` whose paths start with ``prefix`` (which is cut
    off them). Raises :class:`Unsupported`."""
    try:
        return _parse_index(data, hash_size, prefix)
    except (struct.error, ValueError, IndexError, OverflowError):  # read past the end
        raise Unsupported("the index is truncated or corrupt") from None


def _parse_index(data: bytes, hash_size: int, prefix: bytes) -> Index:
    if len(data) < _HEADER.size + hash_size:
        raise Unsupported("the index is truncated")
    signature, version, count = _HEADER.unpack_from(data)
    if signature != b"DIRC":
        raise Unsupported("the index has no index signature")
    if version not in (2, 3, 4):
        raise Unsupported(f"index version {version}")
    end = len(data) - hash_size
    trailer = data[end:]
    # index.skipHash writes zeros. git checks the sum only in fsck; a sum that does not match
    # is an index half written or broken, and then nothing of it is believed.
    algorithm = "sha1" if hash_size == 20 else "sha256"
    if trailer != bytes(hash_size) and hashlib.new(
            algorithm, memoryview(data)[:end], usedforsecurity=False).digest() != trailer:
        raise Unsupported("the index checksum does not match its content")
    index = Index([], [], [])
    pos = _read_entries(data, count, hash_size, prefix, end, version == 4, index)
    _check_extensions(data, pos, end)
    return index


_KNOWN_MODES = (0o100644, 0o100755, 0o120000, 0o160000)


def _read_entries(data: bytes, count: int, hash_size: int, prefix: bytes, end: int, v4: bool,
                  index: Index) -> int:
    """The entries into ``index``; the offset after the last one. Versions 2 and 3 pad each
    entry with 1 to 8 NULs to a multiple of 8 bytes; version 4 does not, and gives each path as
    how many bytes to drop from the end of the previous one and the bytes that follow."""
    unpack = struct.Struct(f">24xI12x{hash_size}sH").unpack_from  # mode, object id, flags
    u16, find = _U16.unpack_from, data.index
    names, entries, irregular = index.names, index.entries, index.irregular
    add_name, add_entry = names.append, entries.append
    name_offset, cut = 40 + hash_size + 2, len(prefix)
    previous = b""
    pos = 12
    for _ in range(count):
        mode, _oid, flags = entry = unpack(data, pos)
        at = pos + name_offset
        if flags & _EXTENDED:  # version 3+: skip-worktree, intent-to-add (listed all the same)
            if u16(data, at)[0] & ~(_SKIP_WORKTREE | _INTENT_TO_ADD):
                raise Unsupported("an index entry with flags this reader does not know")
            at += 2
        if v4:
            byte = data[at]
            drop = byte & 127
            at += 1
            while byte & 128:  # git's varint: 7 bits a byte, each continuation adding one
                byte = data[at]
                at += 1
                drop = ((drop + 1) << 7) | (byte & 127)
            nul = find(b"\0", at, end)
            if drop > len(previous):
                raise Unsupported("the index is corrupt (a path's shared prefix)")
            name = previous = previous[:len(previous) - drop] + data[at:nul]
            pos = nul + 1
        else:
            length = flags & 0xFFF
            if length == 0xFFF:  # a long path: up to its NUL
                length = find(b"\0", at, end) - at
            name = data[at:at + length]
            pos = at + length + 8 - ((at + length + 8 - pos) & 7)
        if cut:
            if not name.startswith(prefix):
                continue
            name = name[cut:]
        if flags & 0x3000 or (mode != 0o100644 and mode != 0o100755):
            if mode not in _KNOWN_MODES:
                raise Unsupported("a sparse index (folders as entries)" if mode == _SPARSE_DIR
                                  else f"an index entry of mode {mode:o}")
            irregular.append(len(names))
        add_name(name)
        add_entry(entry)
    if pos > end:
        raise Unsupported("the index is truncated")
    return pos


def _check_extensions(data: bytes, pos: int, end: int) -> None:
    while pos + 8 <= end:
        signature, size = _EXT_HEADER.unpack_from(data, pos)
        if signature == b"link":
            raise Unsupported("a split index")
        if signature == b"sdir":
            raise Unsupported("a sparse index")
        if not 65 <= signature[0] <= 90:  # a lowercase first letter: git must understand it
            raise Unsupported(f"an index extension {signature!r} that git requires")
        pos += 8 + size
    if pos != end:
        raise Unsupported("the index is truncated or corrupt (its extensions)")


# ---- HEAD ----------------------------------------------------------------------------------------

_PER_WORKTREE = ("refs/worktree/", "refs/bisect/", "refs/rewritten/")


def head_commit(repo: Repo) -> str | None:
    """The commit id HEAD names, None for a branch with no commit yet (as ``git rev-parse
    --verify HEAD`` answers). Raises :class:`Unsupported`."""
    if repo.ref_storage != "files":
        raise Unsupported(f"refs kept in a {repo.ref_storage} store")
    hex_size = repo.hash_size * 2
    name = "HEAD"
    for _ in range(_SYMREF_DEPTH + 1):
        value = _read_ref(repo, name)
        if value is None:
            return None
        if value.startswith(b"ref:"):
            name = os.fsdecode(value[4:].strip())
            if not _valid_refname(name):
                return None
            continue
        m = re.match(rb"([0-9a-f]{%d})(?:\s|\Z)" % hex_size, value)
        return m.group(1).decode() if m else None
    return None


def _valid_refname(name: str) -> bool:
    if name == "HEAD":
        return True
    if not name.startswith("refs/") or name.endswith((".lock", "/", ".")):
        return False
    return all(part and not part.startswith(".") and ".." not in part
               and not re.search(r"[\x00-\x20\x7f~^:?*\[\\]", part)
               for part in name.split("/"))


def _read_ref(repo: Repo, name: str) -> bytes | None:
    """A ref's stored value (``ref: ...`` or an object id), None when there is none."""
    per_worktree = name == "HEAD" or name.startswith(_PER_WORKTREE)
    folder = repo.gitdir if per_worktree else repo.commondir
    try:
        with open(os.path.join(folder, *name.split("/")), "rb") as fh:
            return fh.read(4096).strip()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        pass
    except OSError as exc:
        raise Unsupported(f"the ref {name} cannot be read ({exc.strerror})") from None
    if per_worktree:
        return None
    return _packed_ref(repo.commondir, name.encode())


def _packed_ref(commondir: str, name: bytes) -> bytes | None:
    try:
        with open(os.path.join(commondir, "packed-refs"), "rb") as fh:
            packed = fh.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unsupported(f"packed-refs cannot be read ({exc.strerror})") from None
    for line in packed.splitlines():
        if not line or line[:1] in (b"#", b"^"):
            continue
        oid, _, ref = line.partition(b" ")
        if ref.rstrip() == name:
            return oid
    return None
