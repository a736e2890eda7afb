"""Fuzzing the archive reader: damaged, cut and re-compressed archives raise ArchiveError (one
line) or read whole, within the profile's deadline (see tests/fuzz/test_fuzz_parsers.py)."""

from __future__ import annotations

import io
import tarfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_archive_safety import file, gzip_of, kind, tar_of

from scorecard.sources.archive import ArchiveError, read_archive

pytestmark = pytest.mark.fuzz

SEED = tar_of(
    kind("", tarfile.DIRTYPE),
    file("README.md", b"# r\n"),
    kind("l.md", tarfile.SYMTYPE, "README.md"),
    kind("d", tarfile.DIRTYPE),
    file("d/" + "x" * 120, b"y" * 700),
    kind("e", tarfile.SYMTYPE, "d"),
    kind("h", tarfile.LNKTYPE, "acme-widgets-abc1234/README.md"),
    gz=False,
)


@given(
    st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.integers(0, 255)), max_size=8),
    st.integers(0, len(SEED)),
    st.booleans(),
)
def test_damaged_archives_raise_only_archive_error(
    edits: list[tuple[int, int]], cut: int, gz: bool
) -> None:
    data = bytearray(SEED)
    for pos, value in edits:
        data[pos] = value
    body = bytes(data[:cut])
    try:
        content = read_archive(io.BytesIO(gzip_of(body) if gz else body))
    except ArchiveError as exc:
        assert "\n" not in str(exc)
    else:
        try:
            for path in content.files:
                content.read(path)
        finally:
            content.close()


@given(st.binary(max_size=2048), st.booleans())
def test_any_bytes_are_an_archive_or_an_error(body: bytes, gz: bool) -> None:
    try:
        read_archive(io.BytesIO(gzip_of(body) if gz else body)).close()
    except ArchiveError as exc:
        assert "\n" not in str(exc)
