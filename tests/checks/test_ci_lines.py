"""The file line cited for a command of a ``run:`` script, whatever the scalar's style, is the
one every check computes (one helper: ``_workflows.text_value_line``)."""

from __future__ import annotations

import pytest

from scorecard.checks.ci import analyse
from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"
TITLE = "${{ github.event.pull_request.title }}"


def steps(body: str) -> str:
    return (
        "on: pull_request_target\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n" + body
    )


# Each script has `pytest` (with the injection) on line 8, and the word `pytest` earlier on
# line 7, where a search for the command's first word would stop.
@pytest.mark.parametrize(
    "body",
    [
        f'      - run: echo a &&\n          true; echo pytest;\n          pytest -k "{TITLE}"\n',
        f'      - run: "echo a &&\n          true; echo pytest;\n          pytest -k {TITLE}"\n',
        f'      - run: >\n          true; echo pytest;\n          pytest -k "{TITLE}"\n',
        f'      - run: |\n          true; echo pytest\n          pytest -k "{TITLE}"\n',
    ],
    ids=["plain", "double-quoted", "folded", "literal"],
)
def test_two_checks_cite_the_same_line_for_the_same_step(run_check, make_snapshot, body):
    files = {WF: steps(body)}
    lines = files[WF].splitlines()
    want = next(n for n, text in enumerate(lines, 1) if "pytest -k" in text)
    tests = run_check("ci-runs-tests", files)
    injection = run_check("no-dangerous-triggers", files)
    assert tests.status is Status.PASS, tests.message
    assert injection.status is Status.FAIL, injection.message
    assert tests.locations == (Location(WF, want),)
    assert injection.locations == (Location(WF, want),)
    cmds = {c.argv[0]: c.line for c in analyse(make_snapshot(files)).commands}
    assert cmds["pytest"] == want


def test_other_ci_systems_cite_exact_lines_too(make_snapshot):
    gitlab = (
        "test:\n  script: true &&\n    echo pytest;\n    pytest -q\n"
        "lint:\n  script:\n    - >\n      ruff check --fix;\n      echo mypy;\n\n"
        "      mypy\n"
    )
    snap = make_snapshot({".gitlab-ci.yml": gitlab})
    cmds = [(c.argv[0], c.line) for c in analyse(snap).commands]
    assert cmds == [("true", 2), ("echo", 3), ("pytest", 4), ("ruff", 8), ("echo", 9), ("mypy", 11)]
