"""Each file is read at most once by the rules of a run, whatever number of rules read it
(the built-in checks are switched off: the built-in content scan of a checkout reads files
its own way, outside the snapshot's cache)."""

from __future__ import annotations

from collections import Counter

from scorecard.model import Status


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
    reads: Counter[str] = Counter()
    real = snap._read_raw

    def counting(path: str, cap: int) -> bytes:
        reads[path] += 1
        return real(path, cap)

    snap._read_raw = counting
    res = apply_rules("extends: none\nrules:\n" + "".join(rules), {}, snap=snap)
    assert res["c0"].status is Status.PASS and res["d3"].status is Status.PASS
    assert res["d4"].status is Status.FAIL
    assert reads == {"src/a.py": 1, "src/b.py": 1, "c.yaml": 1}, reads
