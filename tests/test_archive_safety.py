"""Untrusted archives (issue 9, faults 1, 8, 10 and 12): nothing is ever extracted to disk, every
cap fails that repository with one clear line, and a broken archive is an error, never an
empty repository or a traceback."""

from __future__ import annotations

import io
import os
import tarfile
import tracemalloc
import zlib
from pathlib import Path

import pytest
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from test_github_integration import TOKEN, add, client_for, gh, run_cli  # noqa: F401

from scorecard.github.client import GitHubError
from scorecard.sources.archive import ArchiveError, Limits, read_archive
from scorecard.sources.github import open_github

PREFIX = "acme-widgets-abc1234"


def tar_of(
    *members: tuple[tarfile.TarInfo, bytes | None], fmt: int = tarfile.PAX_FORMAT, gz: bool = True
) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    raw = buf.getvalue()
    return gzip_of(raw) if gz else raw


def gzip_of(raw: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    return packer.compress(raw) + packer.flush()


def file(name: str, data: bytes = b"x\n") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(f"{PREFIX}/{name}")
    info.size = len(data)
    return info, data


def kind(name: str, type_: bytes, target: str = "") -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(f"{PREFIX}/{name}" if name else PREFIX)
    info.type, info.linkname = type_, target
    return info, None


def cve_2025_4517(outer_depth: int, dest_len: int) -> bytes:
    """The public CVE-2025-4517 shape (CPython's test_realpath_limit_attack): a chain of
    directories and symlinks whose expansion overflows PATH_MAX, so that ``realpath`` stops
    expanding and ``data_filter`` sees a path inside the folder; a last link climbs out of it,
    and a file is written through that link. ``outer_depth`` more ``..`` climb from the
    archive's top folder to the test's own temporary folder."""
    steps = "abcdefghijklmnop"
    component = "d" * ((os.pathconf("/", "PC_PATH_MAX") - dest_len) // (len(steps) + 1))
    members: list[tuple[tarfile.TarInfo, bytes | None]] = [kind("", tarfile.DIRTYPE)]
    path = ""
    for step in steps:
        members.append(kind(os.path.join(path, component), tarfile.DIRTYPE))
        members.append(kind(os.path.join(path, step), tarfile.SYMTYPE, component))
        path = os.path.join(path, component)
    linkpath = os.path.join(*steps, "l" * 254)
    members.append(kind(linkpath, tarfile.SYMTYPE, os.path.join(*[".."] * len(steps))))
    members.append(kind("escape", tarfile.SYMTYPE, os.path.join(linkpath, *[".."] * outer_depth)))
    members.append(file("escape/pwned.txt", b"written outside\n"))
    members.append(file("README.md", b"# widgets\n"))
    return tar_of(*members)


def no_symlinks_under(root: Path) -> list[str]:
    return [
        os.path.join(d, n)
        for d, dirs, files in os.walk(root)
        for n in dirs + files
        if os.path.islink(os.path.join(d, n))
    ]


# --- fault 1: arbitrary file write ------------------------------------------------------------


def test_cve_2025_4517_archive_is_refused_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    body = cve_2025_4517(4, len(str(tmp_path)) + 40)
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ArchiveError, match="a symlink"):
        read_archive(io.BytesIO(body))
    assert sorted(tmp_path.rglob("*")) == before and no_symlinks_under(tmp_path) == []


def test_cve_2025_4517_through_the_github_source(gh, tmp_path, monkeypatch):  # noqa: F811
    """End to end, with archives spilled to disk (the path that used to extract): the scan's
    temporary folder is inside ``tmp_path``, four levels below it."""
    import tempfile

    import scorecard.sources.archive as archive

    add(gh, tmp_path, files={"README.md": "# widgets\n"})
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(archive, "MAX_IN_MEMORY", 100)
    # scratch/scorecard-XXXXXXXX/tree/<prefix>/: four `..` from the prefix reach tmp_path
    gh.archive_bodies["acme/widgets"] = cve_2025_4517(
        4, len(str(scratch / "scorecard-12345678" / "tree" / PREFIX))
    )
    before = {p for p in tmp_path.rglob("*") if "scratch" not in p.parts}
    with pytest.raises(GitHubError) as caught:
        open_github(client_for(gh), "acme/widgets").close()
    message = str(caught.value)
    assert message.startswith("archive of acme/widgets: ") and "\n" not in message
    assert not (tmp_path / "pwned.txt").exists()
    assert {p for p in tmp_path.rglob("*") if "scratch" not in p.parts} == before
    assert no_symlinks_under(tmp_path) == [] and list(scratch.iterdir()) == []


def test_links_are_resolved_in_memory_never_created(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    body = tar_of(
        kind("", tarfile.DIRTYPE),
        file("README.md", b"# r\n"),
        kind("docs", tarfile.DIRTYPE),
        file("docs/a.md", b"a\n"),
        kind("link.md", tarfile.SYMTYPE, "README.md"),
        kind("hard.md", tarfile.LNKTYPE, f"{PREFIX}/docs/a.md"),
        kind("out.md", tarfile.SYMTYPE, "../../etc/passwd"),
        kind("abs.md", tarfile.SYMTYPE, "/etc/passwd"),
        kind("hard-out.md", tarfile.LNKTYPE, "/etc/passwd"),
    )
    content = read_archive(io.BytesIO(body))
    assert content.files == ["README.md", "docs/a.md", "hard.md", "link.md"]
    assert content.read("link.md") == b"# r\n" and content.read("hard.md") == b"a\n"
    assert list(tmp_path.iterdir()) == []


# --- fault 8: a short or empty body -----------------------------------------------------------


@pytest.mark.parametrize(
    "body", [b"", b"Not Found\n", b"\x1f\x8b\x08\x00", b"<html>" * 80, gzip_of(b"x" * 300)]
)
def test_a_body_that_is_not_an_archive_is_an_error(gh, tmp_path, capsys, body):  # noqa: F811
    add(gh, tmp_path)
    gh.archive_bodies["acme/widgets"] = body
    code, out = run_cli(
        "check", "acme/widgets", "--api-url", gh.api_url, env={"GITHUB_TOKEN": TOKEN}
    )
    err = capsys.readouterr().err
    assert code == 2 and out == ""
    assert "archive of acme/widgets:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_empty_tree_is_still_an_empty_repository():
    """``git archive`` of a commit with no files: 10 KiB of zeros, gzipped to a few bytes."""
    content = read_archive(io.BytesIO(gzip_of(bytes(10240))))
    assert content.files == []


# --- fault 10: caps ---------------------------------------------------------------------------


def test_a_gzip_bomb_costs_at_most_the_cap():
    info = tarfile.TarInfo(f"{PREFIX}/zeros.bin")
    info.size = 64 << 20
    header = info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    body = packer.compress(header)
    chunk = bytes(1 << 20)
    for _ in range(64):
        body += packer.compress(chunk)
    body += packer.compress(bytes(1024)) + packer.flush()
    assert len(body) < 200_000
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveError) as caught:
            read_archive(io.BytesIO(body), limits=Limits(max_bytes=1 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
    assert str(caught.value) == (
        "more than 1,048,576 bytes unpacked (limit 1,048,576; raise "
        "it with SCORECARD_ARCHIVE_MAX_BYTES)"
    )


def test_the_byte_cap_through_the_github_source(gh, tmp_path, monkeypatch):  # noqa: F811
    add(gh, tmp_path, files={"README.md": "# r\n", "big.bin": b"\0" * (3 << 20)})
    monkeypatch.setenv("SCORECARD_ARCHIVE_MAX_BYTES", str(1 << 20))
    with pytest.raises(
        GitHubError,
        match=r"^archive of acme/widgets: more than 1,048,576 "
        r"bytes unpacked",
    ):
        open_github(client_for(gh), "acme/widgets")


def test_too_many_entries(gh, tmp_path, monkeypatch):  # noqa: F811
    add(gh, tmp_path, files={f"f{i}.txt": "" for i in range(300)})
    monkeypatch.setenv("SCORECARD_ARCHIVE_MAX_ENTRIES", "200")
    with pytest.raises(GitHubError) as caught:
        open_github(client_for(gh), "acme/widgets")
    assert str(caught.value) == (
        "archive of acme/widgets: more than 200 entries (limit 200; "
        "raise it with SCORECARD_ARCHIVE_MAX_ENTRIES)"
    )


def test_a_bad_limit_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("SCORECARD_ARCHIVE_MAX_ENTRIES", "lots")
    with pytest.raises(ArchiveError, match="SCORECARD_ARCHIVE_MAX_ENTRIES='lots' is not"):
        Limits.from_env()


def huge_member() -> bytes:
    """A member declaring 100 GB (a base-256 size) followed by one block of data."""
    info = tarfile.TarInfo(f"{PREFIX}/huge.bin")
    info.size = 100 << 30
    return info.tobuf(tarfile.GNU_FORMAT, "utf-8", "surrogateescape") + b"x" * 512 + bytes(1024)


def test_a_member_declaring_100_gb_is_refused_before_reading():
    with pytest.raises(ArchiveError, match=r"^'huge.bin' declares 107,374,182,400 bytes"):
        read_archive(io.BytesIO(gzip_of(huge_member())))


def test_a_huge_extended_header_is_refused(monkeypatch):
    import scorecard.sources.archive as archive

    monkeypatch.setattr(archive, "MAX_HEADER", 4096)
    body = tar_of(file("a" * 6000 + ".md"))
    with pytest.raises(ArchiveError, match="header"):
        read_archive(io.BytesIO(body))


# --- fault 12: one line, never a traceback ----------------------------------------------------

LONG = "n" * 3000

CASES = {
    "file also a directory": (tar_of(file("a"), file("a/b")), "'a' is both a file and a directory"),
    "a link used as a directory": (
        tar_of(kind("a", tarfile.SYMTYPE, "docs"), file("a/b")),
        "'a' is a symlink and a directory",
    ),
    "3,000-character GNU long name": (tar_of(file(LONG, b"long\n"), fmt=tarfile.GNU_FORMAT), None),
    "a 5,000-character name": (
        tar_of(file("n" * 5000), fmt=tarfile.GNU_FORMAT),
        "a name of 5,000 bytes",
    ),
    "100 GB declared": (gzip_of(huge_member()), "'huge.bin' declares 107,374,182,400 bytes"),
    "tar cut short": (
        gzip_of(tar_of(file("a.md", b"y" * 5000), gz=False)[:3000]),
        "'a.md' declares 5,000 bytes, more than the archive holds",
    ),
    "gzip cut short": (tar_of(file("a.bin", os.urandom(5000)))[:-600], "cut short or corrupt"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_archives_fail_with_one_line(gh, tmp_path, monkeypatch, case):  # noqa: F811
    """Each case spilled to disk (where the OS used to raise) and held in memory."""
    import scorecard.sources.archive as archive

    body, expected = CASES[case]
    add(gh, tmp_path, files={"README.md": "# r\n"})
    gh.archive_bodies["acme/widgets"] = body
    for in_memory in (100, 128 << 20):
        monkeypatch.setattr(archive, "MAX_IN_MEMORY", in_memory)
        if expected is None:
            with open_github(client_for(gh), "acme/widgets") as snap:
                assert snap.read_text(LONG) == "long\n"
            continue
        with pytest.raises(GitHubError) as caught:
            open_github(client_for(gh), "acme/widgets")
        assert expected in str(caught.value) and "\n" not in str(caught.value)
        assert str(caught.value).startswith("archive of acme/widgets: ")


def test_dot_dot_and_absolute_names_are_absent():
    body = tar_of(
        file("../../evil.md"),
        file("ok/../../evil2.md"),
        file("./a.md"),
        (tarfile.TarInfo("/etc/evil3"), b""),
    )
    assert read_archive(io.BytesIO(body)).files == ["a.md"]


def test_one_broken_archive_is_an_error_record_in_an_org_scan(gh, tmp_path):  # noqa: F811
    from scorecard.org import Filters, ResultWriter, read_records, scan
    from scorecard.registry import default_registry

    for name in ("acme/a", "acme/b", "acme/c"):
        add(gh, tmp_path, files={"README.md": "# r\n"}, name=name)
    gh.archive_bodies["acme/b"] = tar_of(file("a"), file("a/b"))
    out = tmp_path / "results.jsonl"
    writer = ResultWriter(out)
    try:
        stats = scan(
            client_for(gh),
            "acme",
            default_registry(),
            filters=Filters(),
            writer=writer,
            progress_stream=None,
        )
    finally:
        writer.close()
    records = {r["repository"]: r for r in read_records([out]) if r["kind"] != "scan"}
    assert stats.graded == 2 and stats.failed == 1  # type: ignore[attr-defined]
    assert records["acme/a"]["kind"] == records["acme/c"]["kind"] == "repository"
    assert records["acme/b"] == {
        **records["acme/b"],
        "kind": "error",
        "error": (
            "archive of acme/b: 'a' is both a file and a directory: no checkout holds that, so "
            "the archive is refused"
        ),
    }
