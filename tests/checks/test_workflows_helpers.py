"""The shared workflow helpers: parse split, uses:, run: scripts and lines inside values."""

from __future__ import annotations

import pytest

from scorecard.checks._workflows import iter_scripts, iter_uses, value_line, workflow_set
from scorecard.parsing import load_yaml
from scorecard.snapshot import Workflow


def wf(text: str, path: str = ".github/workflows/ci.yml") -> Workflow:
    return Workflow(path, data=load_yaml(text), text=text)


def line_of_text(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


USES = """\
on: push
jobs:
  call:
    uses: org/repo/.github/workflows/x.yml@v1
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo hi
      - uses: >-
          actions/setup-python@v5
      - uses: |
          docker://alpine:3
      - {uses: "./local", name: flow}
      - uses: 'owner/quoted@main'
      - uses:
      - uses: 12
"""


def test_iter_uses_lines_and_kinds():
    refs = list(iter_uses(wf(USES)))
    got = [(r.job, r.step, r.value, r.line) for r in refs]
    assert got == [
        ("call", None, "org/repo/.github/workflows/x.yml@v1", 4),
        ("build", 0, "actions/checkout@v4", 8),
        ("build", 2, "actions/setup-python@v5", 11),  # folded: the content line
        ("build", 3, "docker://alpine:3", 13),  # literal: the line after `|`
        ("build", 4, "./local", 14),
        ("build", 5, "owner/quoted@main", 15),
    ]
    assert [r.is_local for r in refs] == [False, False, False, False, True, False]
    assert refs[3].is_docker


SCRIPTS = """\
on: push
jobs:
  a:
    steps:
      - run: echo ${{ github.head_ref }}
      - run: |
          echo one

          echo ${{ github.head_ref }}
      - run: >
          echo folded
          ${{ github.head_ref }}

          more ${{ github.head_ref }}
      - run: echo plain
          continues ${{ github.head_ref }}
          and ends
      - run: "echo quoted \\
          and ${{ github.head_ref }} \\"q\\""
      - run: 'single ''q''
          ${{ github.head_ref }}'
      - name: after a comment
        run: |  # a comment
          first
          ${{ github.head_ref }}
      - run: |2
            indented ${{ github.head_ref }}
      - uses: actions/github-script@v7
        with:
          script: |
            core.info("${{ github.head_ref }}")
"""


def test_iter_scripts_and_lines():
    w = wf(SCRIPTS)
    scripts = list(iter_scripts(w))
    assert [s.key for s in scripts] == ["run"] * 8
    expected = []
    pos = 0
    for _ in range(10):
        pos = SCRIPTS.index("${{", pos) + 1
        expected.append(SCRIPTS[:pos].count("\n") + 1)
    got = []
    for s in list(iter_scripts(w, github_script=True)):
        i = -1
        while (i := s.text.find("${{", i + 1)) >= 0:
            got.append(s.line_at(i))
    assert got == expected
    assert list(iter_scripts(w, github_script=True))[-1].key == "script"


def test_line_at_first_and_last_offsets():
    w = wf(SCRIPTS)
    literal = list(iter_scripts(w))[1]
    assert literal.line_at(0) == 7
    assert literal.line_at(len(literal.text)) >= 9
    plain = list(iter_scripts(w))[3]
    assert plain.line_at(0) == line_of_text(SCRIPTS, "echo plain")
    assert plain.line_at(plain.text.index("and ends")) == line_of_text(SCRIPTS, "and ends")


def test_crlf_and_unicode():
    text = (
        "on: push\r\njobs:\r\n  a:\r\n    steps:\r\n      - run: |\r\n"
        "          écho ü\r\n          echo ${{ github.head_ref }}\r\n"
        "      - run: ééé\r\n          ${{ x }}\r\n"
    )
    w = wf(text)
    lit, plain = list(iter_scripts(w))
    assert lit.line_at(lit.text.index("$")) == 7
    assert plain.line_at(plain.text.index("$")) == 9


def test_anchor_and_alias_share_the_definition_line():
    text = (
        "on: push\njobs:\n  a:\n    steps:\n      - run: &s |\n          x\n"
        "          ${{ y }}\n      - run: *s\n"
    )
    scripts = list(iter_scripts(wf(text)))
    assert [s.line_at(s.text.index("$")) for s in scripts] == [7, 7]


def test_value_without_line_uses_default():
    assert value_line(wf("on: push\n"), "plain str", 0, default=5) == 5


@pytest.mark.parametrize(
    "files,parsed,broken,reason",
    [
        ({}, 0, 0, "no workflows in .github/workflows/"),
        (
            {".github/workflows/a.yml": "on: [\n"},
            0,
            1,
            "no workflow parses (1 workflow did not parse: .github/workflows/a.yml line 2)",
        ),
        (
            {
                ".github/workflows/a.yml": "on: push\njobs: {}\n",
                ".github/workflows/b.yaml": b"\x00\x01",
                ".github/workflows/c.txt": "x",
            },
            1,
            1,
            None,
        ),
    ],
)
def test_workflow_set(make_snapshot, files, parsed, broken, reason):
    ws = workflow_set(make_snapshot(files))
    assert (len(ws.parsed), len(ws.broken), ws.skip_reason()) == (parsed, broken, reason)


def test_note_names_files_and_reasons(make_snapshot):
    ws = workflow_set(
        make_snapshot(
            {
                ".github/workflows/a.yml": "on: push\njobs: {}\n",
                ".github/workflows/b.yml": "jobs:\n  x: [\n",
                ".github/workflows/c.yml": b"\xff\xfe bad",
                ".github/workflows/d.yml": "- a list\n",
            }
        )
    )
    note = ws.note()
    assert note.startswith(" (3 workflows did not parse: .github/workflows/b.yml line ")
    assert ".github/workflows/c.yml (is not valid UTF-8" in note
    assert ".github/workflows/d.yml line 1: a workflow must be a mapping" in note


@pytest.mark.parametrize("text", ["- on: push\n  jobs: {}\n", "a scalar\n", "42\n"])
def test_a_workflow_that_is_not_a_mapping_is_reported(make_snapshot, text):
    ws = workflow_set(make_snapshot({".github/workflows/x.yml": text}))
    assert ws.parsed == ()
    assert ws.skip_reason() == (
        "no workflow parses (1 workflow did not parse: "
        ".github/workflows/x.yml line 1: a workflow must be a mapping)"
    )
