"""scorecard.names.search: every path searched in one pass over their joined text."""

from __future__ import annotations

import random
from typing import Any

import re2

from scorecard.names import search


def _loop(paths: list[str], rx: Any, lower: bool = False) -> list[int]:
    """What search must give: each path tested on its own, as ``\\x01path\\x00``."""
    out = []
    for i, p in enumerate(paths):
        text = "\x01" + (p.lower() if lower else p) + "\x00"
        if rx.search(text.encode("utf-8", "surrogatepass")) is not None:
            out.append(i)
    return out


def test_each_path_once_in_order():
    rx = re2.compile(rb"[\x01/]a|b\x00")
    paths = ["a/a/ab", "x", "ya", "a", "b", "", "c/a"]
    assert list(search(paths, rx)) == [0, 3, 4, 6]  # "a/a/ab" matches three times: once


def test_lower_and_case():
    rx = re2.compile(rb"\.md\x00")
    paths = ["README.MD", "a.md", "b.mdx", "c.Md/x"]
    assert list(search(paths, rx)) == [1]
    assert list(search(paths, rx, lower=True)) == [0, 1]


def test_odd_paths_never_raise():
    rx = re2.compile(rb"[\x01/]go\.mod\x00")
    paths = ["\udcff/go.mod", "line\nbreak/go.mod", "\ud800", "é/go.mod", "\x01go.mod", "go.mod"]
    assert list(search(paths, rx)) == [0, 1, 3, 4, 5]
    assert list(search([], rx)) == []


def test_agrees_with_a_loop():
    rng = random.Random(11)
    parts = ["a", "b", "ab", "B", "x.md", "é", "\udc80", "\n", "tests", "", "a\x00b", "\x00"]
    expressions = [
        re2.compile(rb"[\x01/]ab?/"),
        re2.compile(rb"\.md\x00"),
        re2.compile(rb"[\x01/]b\x00|[\x01/]tests/"),
    ]
    for _ in range(300):
        paths = [
            "/".join(rng.choices(parts, k=rng.randint(1, 4))) for _ in range(rng.randint(0, 20))
        ]
        for rx in expressions:
            for lower in (False, True):
                assert list(search(paths, rx, lower=lower)) == _loop(paths, rx, lower), paths


def test_a_path_holding_nul_is_searched_on_its_own():
    """No checkout or archive gives a path holding NUL, but a snapshot built in memory may:
    the paths are then each searched on their own, so that no match goes to the wrong path."""
    rx = re2.compile(rb"[\x01/]b\x00")
    assert list(search(["a\x00b", "c", "x/b"], rx)) == [2]
    assert list(search(["a\x00", "b"], rx)) == [1]
