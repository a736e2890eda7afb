"""Fuzzing the readers of untrusted input: each must answer, or raise its own documented error,
quickly, for any input.

Hypothesis drives them: a few dozen inputs per reader in the ordinary test run, thousands with
``HYPOTHESIS_PROFILE=fuzz`` (``make fuzz``, which CI runs). A crash is any other exception; a
slow input is one that takes over a second (the profiles' ``deadline``).
"""

from __future__ import annotations

import contextlib
import os
import struct
from pathlib import Path

import pytest
from dulwich.repo import Repo
from hypothesis import given
from hypothesis import strategies as st

from scorecard.checks import _codeowners
from scorecard.checks.ci import split_commands
from scorecard.parsing import ParseError, load_json, load_toml, load_yaml_all
from scorecard.sources import gitrepo

pytestmark = pytest.mark.fuzz

# YAML made of the characters that matter to its grammar, so that the fuzzer reaches anchors,
# aliases, merge keys, flow collections and block scalars rather than plain words.
_YAML_ALPHABET = st.sampled_from([*list("ab01 :-[]{},&*<|>!#'\"\n\t?%@`\\."), "  ", "- ", ": "])
yaml_text = st.one_of(
    st.text(max_size=400),
    st.lists(_YAML_ALPHABET, max_size=300).map("".join),
)


@given(yaml_text)
def test_yaml_loads_or_says_why(text: str) -> None:
    with contextlib.suppress(ParseError):
        load_yaml_all(text)


def _aliases(depth: int, width: int) -> str:
    lines = ["a0: &a0 [x, x, x]"]
    for i in range(1, depth + 1):
        refs = ", ".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


@given(st.integers(1, 12), st.integers(1, 12))
def test_yaml_alias_trees_are_bounded(depth: int, width: int) -> None:
    with contextlib.suppress(ParseError):
        load_yaml_all(_aliases(depth, width))


@given(st.text(max_size=400))
def test_json_and_toml_load_or_say_why(text: str) -> None:
    for load in (load_json, load_toml):
        with contextlib.suppress(ParseError):
            load(text)


_SHELL_ALPHABET = st.sampled_from(
    [*list("ab $(){}[]|&;<>'\"`\\\n#=*?~!-"), "$((", "<<EOF\n", "\nEOF\n", "${", "&&", "||"]
)


@given(
    st.one_of(st.text(max_size=300), st.lists(_SHELL_ALPHABET, max_size=300).map("".join)),
    st.booleans(),
)
def test_shell_lexer_never_crashes(script: str, posix: bool) -> None:
    commands = split_commands(script, posix)
    assert isinstance(commands, list)


_CODEOWNERS_ALPHABET = st.sampled_from(
    [*list("ab*?/ #\\!@[].\n\t"), "**", "@org/team", "a@b.co", "\r\n"]
)


@given(
    st.lists(_CODEOWNERS_ALPHABET, max_size=200).map("".join),
    st.lists(st.sampled_from(["a", "b", "a/b", "a/a/b", ".github/x", "ab/ba/a"]), max_size=8),
)
def test_codeowners_parser_and_matcher_never_crash(text: str, paths: list[str]) -> None:
    rules, problems = _codeowners.parse(text)
    assert all(p.line >= 1 for p in problems)
    matcher = _codeowners.Matcher(rules)
    for path in paths:
        matcher.rule_for(path)


def _index(entries: list[tuple[int, bytes]], version: int) -> bytes:
    """A well-formed index header followed by entry bytes of the fuzzer's choosing."""
    body = b"".join(struct.pack(">I", mode) + name for mode, name in entries)
    return b"DIRC" + struct.pack(">II", version, len(entries)) + body + bytes(20)


@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.builds(
            _index,
            st.lists(st.tuples(st.integers(0, 2**32 - 1), st.binary(max_size=80)), max_size=6),
            st.sampled_from([2, 3, 4, 5]),
        ),
    )
)
def test_git_index_reader_reads_or_refuses(data: bytes, work_tree: Path) -> None:
    (work_tree / ".git" / "index").write_bytes(data)
    repo = gitrepo.discover(str(work_tree))
    assert repo is not None
    with contextlib.suppress(gitrepo.Unsupported):
        repo.tracked()


@pytest.fixture(scope="module")
def work_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty repository (made by dulwich: no git needed) whose index each example
    replaces."""
    root = tmp_path_factory.mktemp("fuzz") / "r"
    root.mkdir()
    Repo.init(str(root)).close()
    return Path(os.path.realpath(root))
