"""Reading objects from git's object store without git: loose objects, and packs through their
``.idx`` files (version 2) with both kinds of deltas.

The Action's image has no git binary; this lets it still read a pull request's base commit
from the checkout when the checkout has it (``fetch-depth: 0``), as git would, instead of
asking the API. Only reading is done, nothing is written, and nothing that a repository
configures is run. What it does not know (an ``.idx`` of version 1, alternates, a commit a
partial clone has not fetched, a corrupt object) raises :class:`Unsupported`, and the caller
reads the base through the API instead.
"""

from __future__ import annotations

import mmap
import os
import struct
import zlib
from typing import Any

from scorecard.sources.gitindex import Repo

OBJ_COMMIT, OBJ_TREE, OBJ_BLOB, OBJ_TAG, OBJ_OFS_DELTA, OBJ_REF_DELTA = 1, 2, 3, 4, 6, 7
TYPES = {OBJ_COMMIT: b"commit", OBJ_TREE: b"tree", OBJ_BLOB: b"blob", OBJ_TAG: b"tag"}
BASE_CACHE_BYTES = 32 << 20
MAX_DELTA_CHAIN = 400  # git makes chains of 50 (250 with --aggressive)


class Unsupported(Exception):
    """An object this reader cannot give (absent, or stored in a way it does not read)."""


class _Pack:
    """A pack and its index, looked up in place: the index is read whole (its names and
    offsets are searched in the file's bytes, nothing per object is built), the pack mapped."""

    def __init__(self, idx_path: str, hash_size: int) -> None:
        with open(idx_path, "rb") as fh:
            self.idx = fh.read()
        if self.idx[:8] != b"\xfftOc\x00\x00\x00\x02" or len(self.idx) < 8 + 256 * 4:
            raise Unsupported(f"{os.path.basename(idx_path)}: not a version 2 pack index")
        self.hash_size = hash_size
        self.fanout = struct.unpack_from(">256I", self.idx, 8)
        self.count = self.fanout[255]
        self.names_at = 8 + 256 * 4
        self.offsets_at = self.names_at + self.count * (hash_size + 4)  # after names and CRCs
        self.large_at = self.offsets_at + self.count * 4
        if len(self.idx) < self.large_at + 2 * hash_size:
            raise Unsupported(f"{os.path.basename(idx_path)}: a truncated pack index")
        self.path = idx_path[:-4] + ".pack"
        self.data: Any = None  # the pack, mapped when first read

    def offset_of(self, oid: bytes) -> int | None:
        idx, size, names = self.idx, self.hash_size, self.names_at
        lo = self.fanout[oid[0] - 1] if oid[0] else 0
        hi = self.fanout[oid[0]]
        while lo < hi:  # a binary search over the sorted names, in place
            mid = (lo + hi) // 2
            name = idx[names + mid * size:names + (mid + 1) * size]
            if name < oid:
                lo = mid + 1
            elif name > oid:
                hi = mid
            else:
                try:
                    (off,) = struct.unpack_from(">I", idx, self.offsets_at + mid * 4)
                    if off & 0x80000000:
                        (off,) = struct.unpack_from(">Q", idx, self.large_at
                                                    + (off & 0x7FFFFFFF) * 8)
                except struct.error:
                    raise Unsupported(f"{os.path.basename(self.path)[:-5]}.idx is corrupt") \
                        from None
                return int(off)
        return None

    def bytes(self) -> Any:
        """The pack's bytes (a memory map: a pack may be larger than what is read of it)."""
        if self.data is None:
            try:
                with open(self.path, "rb") as fh:
                    mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError) as exc:
                raise Unsupported(f"{os.path.basename(self.path)}: {exc}") from None
            if mapped[:4] != b"PACK":
                raise Unsupported(f"{os.path.basename(self.path)}: not a pack")
            self.data = memoryview(mapped)
        return self.data


class ObjectStore:
    """``read(oid)`` -> ``(type, content)`` for a repository found by :mod:`gitindex`."""

    def __init__(self, repo: Repo) -> None:
        self.hash_size = repo.hash_size
        self.objects = os.path.join(repo.commondir, "objects")
        if os.path.exists(os.path.join(self.objects, "info", "alternates")):
            raise Unsupported("the repository borrows objects from another (alternates)")
        pack_dir = os.path.join(self.objects, "pack")
        try:
            idxs = sorted(n for n in os.listdir(pack_dir) if n.endswith(".idx"))
        except OSError:
            idxs = []
        self.packs = [_Pack(os.path.join(pack_dir, n), self.hash_size) for n in idxs]
        # delta bases already resolved (by pack and offset): the objects of one commit share
        # chains, which would otherwise be inflated again for every object
        self._bases: dict[tuple[int, int], tuple[bytes, bytes]] = {}
        self._bases_size = 0

    def read(self, hex_oid: str) -> tuple[bytes, bytes]:
        try:
            oid = bytes.fromhex(hex_oid)
        except ValueError:
            raise Unsupported(f"{hex_oid!r} is not an object id") from None
        if len(oid) != self.hash_size:
            raise Unsupported(f"{hex_oid!r} is not a full object id")
        return self._read(oid, 0)

    def _read(self, oid: bytes, depth: int) -> tuple[bytes, bytes]:
        loose = os.path.join(self.objects, oid[:1].hex(), oid[1:].hex())
        try:
            with open(loose, "rb") as fh:
                raw = zlib.decompress(fh.read())
        except FileNotFoundError:
            raw = None
        except (OSError, zlib.error) as exc:
            raise Unsupported(f"loose object {oid.hex()}: {exc}") from None
        if raw is not None:
            head, _, body = raw.partition(b"\0")
            kind, _, size = head.partition(b" ")
            if not size.isdigit() or int(size) != len(body):
                raise Unsupported(f"loose object {oid.hex()} is corrupt")
            return kind, body
        for pack in self.packs:
            off = pack.offset_of(oid)
            if off is not None:
                return self._packed(pack, off, depth)
        raise Unsupported(f"object {oid.hex()} is not in the repository")

    def _packed(self, pack: _Pack, off: int, depth: int) -> tuple[bytes, bytes]:
        if depth > MAX_DELTA_CHAIN:
            raise Unsupported("a delta chain too long")
        key = (id(pack), off)
        found = self._bases.get(key)
        if found is not None:
            return found
        found = self._unpack(pack, off, depth)
        if depth:  # a delta's base: kept, within a bound
            if self._bases_size > BASE_CACHE_BYTES:
                self._bases.clear()
                self._bases_size = 0
            self._bases[key] = found
            self._bases_size += len(found[1])
        return found

    def _unpack(self, pack: _Pack, off: int, depth: int) -> tuple[bytes, bytes]:
        data = pack.bytes()
        try:
            byte = data[off]
            kind, size, shift, pos = (byte >> 4) & 7, byte & 15, 4, off + 1
            while byte & 0x80:
                byte = data[pos]
                size |= (byte & 0x7F) << shift
                shift, pos = shift + 7, pos + 1
            if kind == OBJ_OFS_DELTA:
                byte = data[pos]
                base_off, pos = byte & 0x7F, pos + 1
                while byte & 0x80:
                    byte = data[pos]
                    base_off = ((base_off + 1) << 7) | (byte & 0x7F)
                    pos += 1
                base_kind, base = self._packed(pack, off - base_off, depth + 1)
            elif kind == OBJ_REF_DELTA:
                base_oid = bytes(data[pos:pos + self.hash_size])
                pos += self.hash_size
                base_kind, base = self._read(base_oid, depth + 1)
            elif kind in TYPES:
                return TYPES[kind], _inflate(data, pos, size)
            else:
                raise Unsupported(f"a packed object of unknown type {kind}")
            return base_kind, apply_delta(base, _inflate(data, pos, size))
        except (IndexError, zlib.error, struct.error, RecursionError) as exc:
            raise Unsupported(f"{os.path.basename(pack.path)} is corrupt ({exc})") from None


def _inflate(data: Any, pos: int, size: int) -> bytes:
    """The ``size`` bytes of the zlib stream at ``pos``. The input is cut at zlib's bound for
    that size: handing the decompressor the rest of a large pack would have it copy all of it
    at each object."""
    bound = size + (size >> 12) + (size >> 14) + (size >> 25) + 64  # zlib's compressBound
    out = zlib.decompressobj().decompress(data[pos:pos + bound], size)
    if len(out) != size:
        raise Unsupported("a packed object is cut short")
    return out


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def apply_delta(base: bytes, delta: bytes) -> bytes:
    """git's delta format: the base's size, the result's, then copy and insert instructions."""
    base_size, pos = _varint(delta, 0)
    result_size, pos = _varint(delta, pos)
    if base_size != len(base):
        raise Unsupported("a delta for another base")
    out = bytearray()
    end = len(delta)
    while pos < end:
        op = delta[pos]
        pos += 1
        if op & 0x80:  # copy from the base: offset and size bytes as the bits say
            offset = size = 0
            for i in range(4):
                if op & (1 << i):
                    offset |= delta[pos] << (8 * i)
                    pos += 1
            for i in range(3):
                if op & (1 << (4 + i)):
                    size |= delta[pos] << (8 * i)
                    pos += 1
            size = size or 0x10000
            if offset + size > len(base):
                raise Unsupported("a delta copies past its base")
            out += base[offset:offset + size]
        elif op:  # insert the next op bytes
            out += delta[pos:pos + op]
            pos += op
        else:
            raise Unsupported("a delta with a reserved instruction")
    if len(out) != result_size:
        raise Unsupported("a delta of the wrong size")
    return bytes(out)


def commit_tree(store: ObjectStore, commit: str) -> str:
    kind, body = store.read(commit)
    if kind != b"commit" or not body.startswith(b"tree "):
        raise Unsupported(f"{commit} is not a commit")
    return body[5:body.index(b"\n")].decode("ascii")


def walk_tree(store: ObjectStore, tree: str, prefix: str = ""
              ) -> list[tuple[str, str, str]]:
    """Every entry below ``tree`` that is not a tree: ``(path, mode, hex object id)``, as
    ``git ls-tree -r`` lists them (modes as six digits)."""
    kind, body = store.read(tree)
    if kind != b"tree":
        raise Unsupported(f"{tree} is not a tree")
    out: list[tuple[str, str, str]] = []
    pos, size = 0, store.hash_size
    while pos < len(body):
        space = body.index(b" ", pos)
        nul = body.index(b"\0", space)
        mode = body[pos:space].decode("ascii").rjust(6, "0")
        name = os.fsdecode(body[space + 1:nul])
        oid = body[nul + 1:nul + 1 + size].hex()
        pos = nul + 1 + size
        path = prefix + name
        if mode == "040000":
            out.extend(walk_tree(store, oid, path + "/"))
        else:
            out.append((path, mode, oid))
    return out
