"""What the CI files say (``scorecard.checks.ci.readers``) and repository paths from what a
command names (``scorecard.checks.ci.reading``)."""

from __future__ import annotations

import pytest

from scorecard.checks.ci.limits import MATRIX_VALUES
from scorecard.checks.ci.readers import (
    defaults_shell,
    fill_matrix,
    matrix_of,
    other_ci_configs,
    script_values,
    working_directory,
)
from scorecard.checks.ci.reading import join_path


def test_matrix_values_include_entries_and_the_cap():
    job = {
        "strategy": {
            "matrix": {
                "py": ["3.11", 3.12],
                "debug": [True],
                "exclude": [{"py": 1}],
                "include": [{"py": "pypy"}, {"extra": "x"}, "bad"],
            }
        }
    }
    assert matrix_of(job) == (
        ("py", ("3.11", "3.12", "pypy")),
        ("debug", ("true",)),
        ("extra", ("x",)),
    )
    assert matrix_of({"strategy": {"matrix": "${{ fromJSON(needs.a.outputs.m) }}"}}) == ()
    many = matrix_of({"strategy": {"matrix": {"n": list(range(MATRIX_VALUES + 5))}}})
    assert len(many[0][1]) == MATRIX_VALUES
    assert (
        fill_matrix("tox -e ${{ matrix.env }} ${{ matrix.other }}", {"env": "py"})
        == "tox -e py ${{ matrix.other }}"
    )


def test_script_values_under_the_keys_only():
    doc = {
        "test": {"script": ["a", ["b", ["c"]]], "image": "x", "rules": [{"script": "d"}]},
        "variables": {"command": "not a script key here"},
    }
    assert list(script_values(doc, frozenset({"script"}), 0)) == [
        ("script", "a"),
        ("script", "b"),
        ("script", "c"),
        ("script", "d"),
    ]


def test_defaults_of_a_workflow_or_job():
    defaults = {"run": {"shell": "pwsh", "working-directory": "./src/../app"}}
    assert defaults_shell(defaults, "bash") == "pwsh"
    assert defaults_shell({"run": {"shell": "${{ matrix.shell }}"}}, "bash") == "bash"
    assert working_directory(defaults, "") == "app"
    assert working_directory({"run": {"working-directory": "../out"}}, "x") == "x"


def test_other_ci_configs_found(make_snapshot):
    snap = make_snapshot(
        {
            ".gitlab-ci.yml": "a: 1\n",
            ".buildkite/pipeline.yml": "steps: []\n",
            "Jenkinsfile": "node {}\n",
        }
    )
    assert other_ci_configs(snap) == [".gitlab-ci.yml", "Jenkinsfile", ".buildkite/pipeline.yml"]


@pytest.mark.parametrize(
    ("cwd", "word", "path"),
    [
        ("", "scripts/test.sh", "scripts/test.sh"),
        ("sub", "./run.sh", "sub/run.sh"),
        ("sub", "/tools/x", "tools/x"),
        ("sub", "..", ""),
        ("", "..", None),
        ("", "../../etc/passwd", None),
        ("", "$DIR/x", None),
        ("", "~/x", None),
        ("", "{toxinidir}/x", None),
        ("a", "b\\c.bat", "a/b/c.bat"),
    ],
)
def test_join_path_stays_in_the_repository(cwd, word, path):
    assert join_path(cwd, word) == path
