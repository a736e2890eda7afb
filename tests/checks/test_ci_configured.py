from __future__ import annotations

import pytest

from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"
JOBS = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"


@pytest.mark.parametrize(
    "on", ["on: push\n", "'on': [push]\n", "true: push\n", "on:\n  pull_request:\n"]
)
def test_workflow_passes(run_check, on):
    r = run_check("ci-configured", {WF: on + JOBS})
    assert r.status is Status.PASS, r.message
    assert r.message == f"CI configured: {WF}"
    assert r.locations == (Location(WF),)


@pytest.mark.parametrize(
    "path",
    [
        ".gitlab-ci.yml",
        ".circleci/config.yml",
        "Jenkinsfile",
        "azure-pipelines.yml",
        ".travis.yml",
        ".buildkite/pipeline.yml",
        ".buildkite/hooks/pre-command",
        "bitbucket-pipelines.yml",
        ".drone.yml",
        "appveyor.yml",
    ],
)
def test_other_ci_passes(run_check, path):
    r = run_check("ci-configured", {path: "not even parsed: ["})
    assert r.status is Status.PASS
    assert r.locations == (Location(path),)


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "x"},
        {".github/workflows/sub/ci.yml": "on: push\n" + JOBS},
        {".github/actions/build/action.yml": "runs:\n  using: composite\n  steps: []\n"},
        {".github/workflows/ci.json": "{}"},
        {"gitlab-ci.yml": "x", ".circleci/other.yml": "x", "jenkinsfile": "x"},
    ],
)
def test_nothing_fails(run_check, files):
    r = run_check("ci-configured", files)
    assert r.status is Status.FAIL
    assert r.message.startswith("no CI configuration")


def test_broken_workflow_names_file_and_line(run_check):
    r = run_check("ci-configured", {WF: "on: push\njobs:\n  t:\n    steps: [\n"})
    assert r.status is Status.FAIL
    assert f"{WF} line 5: invalid YAML" in r.message
    assert r.locations == (Location(WF, 5),)


@pytest.mark.parametrize(
    ("text", "why", "line"),
    [
        ("on: push\n", "no `jobs:` mapping", 1),
        (JOBS, "no `on:` trigger", 1),
        ("on: push\n\njobs: [a]\n", "no `jobs:` mapping", 3),
        ("name: x\n", "no `on:` trigger and no `jobs:` mapping", 1),
        ("- a\n- b\n", "a workflow must be a mapping", 1),
    ],
)
def test_incomplete_workflow_fails(run_check, text, why, line):
    r = run_check("ci-configured", {WF: text})
    assert r.status is Status.FAIL
    assert f"{WF} line {line}: {why}" in r.message
    assert r.locations == (Location(WF, line),)


@pytest.mark.parametrize("content", [b"on: push\n\x00\x01", b"on: push\njobs: \xff\n"])
def test_unreadable_workflow_fails_with_reason(run_check, content):
    r = run_check("ci-configured", {WF: content})
    assert r.status is Status.FAIL
    assert WF in r.message and ("binary" in r.message or "UTF-8" in r.message)
    assert r.locations == (Location(WF),)


def test_one_good_workflow_is_enough(run_check):
    r = run_check("ci-configured", {WF: "on: push\n" + JOBS, ".github/workflows/b.yaml": "x: ["})
    assert r.status is Status.PASS
    assert r.locations == (Location(WF),)
