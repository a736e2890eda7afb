"""Property tests: CODEOWNERS matching against a simple reference matcher written here.

The reference works on path segments, by plain memoised recursion, from the rules of the
module docstring of ``_codeowners``: it is slow but obviously right, and independent of the
regular expressions and the lookup keys of the real matcher. Hypothesis generates patterns
(``a``, ``b``, ``.``, ``*``, ``**``, ``?``, ``/``) and paths, and each example has a time
bound (``deadline``), so a matcher that backtracks shows up too.

``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``, run by CI) runs ten times as many examples.
"""

import functools
import os
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.checks._codeowners import Matcher, Rule, parse

FUZZ = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
CHECKED = settings(
    max_examples=3_000 if FUZZ else 300, deadline=timedelta(seconds=2), database=None
)
pytestmark = pytest.mark.fuzz


@functools.cache
def glob_matches(glob: str, name: str) -> bool:
    """One segment: ``*`` any characters, ``?`` one character, anything else itself."""
    if not glob:
        return not name
    if glob[0] == "*":
        return glob_matches(glob[1:], name) or (bool(name) and glob_matches(glob, name[1:]))
    if not name:
        return False
    return (glob[0] == "?" or glob[0] == name[0]) and glob_matches(glob[1:], name[1:])


def normalize(pattern: str) -> list[str]:
    """Gitignore's reading of a pattern, as segments: a leading ``/`` anchors it to the root;
    a pattern with no other slash than a trailing one matches at any depth (``**/`` before
    it); a trailing ``/`` is ``/**`` (everything below); ``**/**`` is ``**``."""
    segments = pattern.split("/")
    if segments[0] == "":
        segments = segments[1:]
    elif len(segments) == 1 or segments[1:] == [""]:
        segments = ["**", *segments]
    if segments[-1] == "":
        segments[-1] = "**"
    out: list[str] = []
    for segment in segments:
        if not (segment == "**" and out[-1:] == ["**"]):
            out.append(segment)
    return out


def reference(pattern: str, path: str) -> bool:
    """Whether a CODEOWNERS ``pattern`` matches the file ``path``."""
    if pattern == "/":
        return False  # `/` alone matches nothing
    parts = path.split("/")
    segments = normalize(pattern)
    if segments == ["**", "*"]:
        return True  # `*`: every file
    if segments == ["**"]:  # `**` every file; `**/` every file in a directory
        return not pattern.endswith("/") or len(parts) > 1

    @functools.cache
    def match(i: int, j: int) -> bool:
        """segments[i:] against parts[j:]."""
        segment, last = segments[i], i == len(segments) - 1
        if segment == "**":
            if last:  # a trailing `**`: one or more segments, everything below
                return j < len(parts)
            return any(match(i + 1, k) for k in range(j, len(parts) + 1))  # zero or more
        if j == len(parts) or not glob_matches(segment, parts[j]):
            return False
        if last:  # a last `*` matches files only (`docs/*`); other globs directories too
            return segment != "*" or j == len(parts) - 1
        return match(i + 1, j + 1)

    return match(0, 0)


def as_rule(pattern: str) -> Rule | None:
    rules, problems = parse(pattern + " @o")
    if problems:
        assert "***" in pattern, problems  # the only invalid patterns of this alphabet
        return None
    return rules[0]


patterns = st.lists(
    st.sampled_from(["a", "b", ".", "*", "**", "?", "/"]), min_size=1, max_size=12
).map("".join)
segments = st.text(alphabet="ab.", min_size=1, max_size=12)
paths = st.lists(segments, min_size=1, max_size=6).map("/".join)


@CHECKED
@given(patterns, paths)
def test_a_rule_matches_as_the_reference_does(pattern, path):
    rule = as_rule(pattern)
    if rule is not None:
        expected = reference(pattern, path)
        assert rule.matches(path) is expected
        assert (Matcher([rule]).rule_for(path) is rule) is expected


@CHECKED
@given(st.lists(patterns, min_size=1, max_size=8), st.lists(paths, min_size=1, max_size=12))
def test_the_last_matching_rule_wins_as_in_the_reference(pattern_list, path_list):
    kept = [p for p in pattern_list if as_rule(p) is not None]
    rules, _ = parse("\n".join(f"{p} @o{i}" for i, p in enumerate(kept)))
    path_list = sorted(set(path_list))
    expected = [
        max((i for i, p in enumerate(kept, 1) if reference(p, path)), default=0)
        for path in path_list
    ]
    assert Matcher(rules).indexes(path_list) == expected


@CHECKED
@given(st.integers(1, 40), st.integers(1, 80), st.sampled_from(["", "/", "**/", "/**/"]))
def test_backtracking_shapes_are_answered_in_time(stars, length, prefix):
    """``*a*a…*b`` and its kin against a run of ``a``: what made a backtracking engine hang."""
    pattern = prefix + "*a" * stars + "*b"
    path = "x/" + "a" * length + "c"
    rule = as_rule(pattern)
    assert rule is not None
    assert rule.matches(path) is False
    assert Matcher([rule]).rule_for(path) is None
