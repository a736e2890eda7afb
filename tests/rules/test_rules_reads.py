"""Each file is read at most once in a run, whatever number of rules and checks read it: the
snapshot's content store (bounded by CONTENT_STORE_BYTES) serves the rules and the in-process
content scan alike (`git grep`, in a git checkout, reads the object store in its own process)."""

from __future__ import annotations

from collections import Counter

from scorecard import snapshot as snapshot_module
from scorecard.model import Status
from scorecard.snapshot import RepoSnapshot


def count_reads(snap: RepoSnapshot) -> Counter[str]:
    """How many times each file is read from the disk (``_read_raw``), from now on."""
    reads: Counter[str] = Counter()
    raw = snap._read_raw

    def counting(path: str, cap: int) -> bytes:
        reads[path] += 1
        return raw(path, cap)

    snap._read_raw = counting  # type: ignore[method-assign]
    return reads


def test_many_rules_read_each_file_once(apply_rules, make_snapshot):
    rules = []
    for i in range(30):
        rules.append(
            f'  - id: c{i}\n    require: {{content: {{glob: "src/*.py", absent: "bad{i}"}}}}\n'
        )
        rules.append(
            f"  - id: d{i}\n    require: {{data: {{file: c.yaml, path: a, equals: {i}}}}}\n"
        )
    snap = make_snapshot({"src/a.py": "x = 1\n", "src/b.py": "y = 2\n", "c.yaml": "a: 3\n"})
    reads = count_reads(snap)
    res = apply_rules("extends: none\nrules:\n" + "".join(rules), {}, snap=snap)
    assert res["c0"].status is Status.PASS and res["d3"].status is Status.PASS
    assert res["d4"].status is Status.FAIL
    assert reads == {"src/a.py": 1, "src/b.py": 1, "c.yaml": 1}, reads


def test_the_content_scan_and_the_rules_share_one_read(apply_rules, make_snapshot):
    """The built-in content scan (no-private-keys) and `content` rules over the same files:
    each file is read once in the run (a checkout outside git: the scan reads in-process)."""
    rules = "".join(
        f'  - id: c{i}\n    require: {{content: {{glob: "src/*.py", absent: "bad{i}"}}}}\n'
        for i in range(5)
    )
    snap = make_snapshot(
        {"src/a.py": "x = 1\n", "src/b.py": "y = 2\n", "README.md": "# r\n"}, git_repo=False
    )
    reads: Counter[str] = Counter()
    raw, scan = snap._read_raw, snap._scan_read

    def counting_raw(path: str, cap: int) -> bytes:
        reads[path] += 1
        return raw(path, cap)

    def counting_scan(path: str, cap: int, folders: dict[str, bool]) -> bytes | None:
        reads[path] += 1
        return scan(path, cap, folders)

    snap._read_raw, snap._scan_read = counting_raw, counting_scan
    res = apply_rules("rules:\n" + rules, {}, snap=snap)
    assert res["c0"].status is Status.PASS and res["no-private-keys"].status is Status.PASS
    assert reads["src/a.py"] == 1 and reads["src/b.py"] == 1, reads
    assert max(reads.values()) == 1, reads


def test_the_content_store_is_bounded(make_snapshot, monkeypatch):
    """Past CONTENT_STORE_BYTES a read is not kept: memory stays bounded, the file is read
    again by a later reader."""
    monkeypatch.setattr(snapshot_module, "CONTENT_STORE_BYTES", 10)
    snap = make_snapshot({"a.txt": "12345678\n", "b.txt": "abcdefgh\n"})
    reads = count_reads(snap)
    for _ in range(2):
        assert snap.read_bytes("a.txt") == b"12345678\n"
        assert snap.read_bytes("b.txt") == b"abcdefgh\n"
    assert reads == {"a.txt": 1, "b.txt": 2}, reads


def test_a_git_checkout_scans_and_rules_share_one_read(apply_rules, make_snapshot):
    """In a git checkout with few files the content scan reads them in-process (no `git
    grep`): through the content store too, so a `content` rule does not read them again."""
    rule = '  - id: c\n    require: {content: {glob: "src/*.py", absent: "bad"}}\n'
    snap = make_snapshot({"src/a.py": "x = 1\n", "src/b.py": "y = 2\n"}, commit=True)
    reads = count_reads(snap)
    res = apply_rules("rules:\n" + rule, {}, snap=snap)
    assert res["c"].status is Status.PASS and res["no-private-keys"].status is Status.PASS
    assert reads["src/a.py"] == 1 and reads["src/b.py"] == 1, reads
