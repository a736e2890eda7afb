"""The on-disk memo of pattern compilation."""

from __future__ import annotations

from scorecard.memo import DiskMemo


def test_memo_remembers_across_instances_and_forgets_on_a_new_identity(tmp_path, monkeypatch):
    monkeypatch.setenv("SCORECARD_CACHE_DIR", str(tmp_path))
    calls: list[str] = []

    def compute(key: str):
        return lambda: calls.append(key) or key.upper()

    memo = DiskMemo("m", "lib 1")
    assert memo.get("a", compute("a")) == "A" and memo.get("a", compute("a")) == "A"
    memo.get("b", compute("b"))
    memo.save()
    again = DiskMemo("m", "lib 1")
    assert again.get("a", compute("a")) == "A" and calls == ["a", "b"]
    again.save()  # nothing new: nothing written, "b" stays
    assert DiskMemo("m", "lib 1").known == {"a": "A", "b": "B"}
    monkeypatch.setattr("scorecard.memo.MAX_ENTRIES", 2)
    third = DiskMemo("m", "lib 1")
    third.get("c", compute("c"))
    third.save()  # past the bound: only what this run used
    assert DiskMemo("m", "lib 1").known == {"c": "C"}
    assert DiskMemo("m", "lib 2").known == {}  # another version of the library
    monkeypatch.setenv("SCORECARD_NO_CACHE", "1")
    off = DiskMemo("m", "lib 1")
    assert off.known == {} and off.get("a", compute("a")) == "A"
    off.save()  # nothing written, nothing raised
