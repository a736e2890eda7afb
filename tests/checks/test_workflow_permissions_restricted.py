from __future__ import annotations

import pytest

from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"
JOBS = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: echo}]\n"


@pytest.mark.parametrize(
    "permissions",
    [
        "permissions: read-all\n",
        "permissions: {}\n",
        "permissions:\n",
        "permissions: ~\n",
        "permissions:\n  contents: read\n  pull-requests: write\n",
    ],
)
def test_restricted_passes(run_check, permissions):
    r = run_check("workflow-permissions-restricted", {WF: "on: push\n" + permissions + JOBS})
    assert r.status is Status.PASS, r.message


def test_reusable_workflow_is_checked_too(run_check):
    r = run_check(
        "workflow-permissions-restricted",
        {
            WF: "on: push\npermissions: {}\n" + JOBS,
            ".github/workflows/reusable.yaml": "on:\n  workflow_call:\n" + JOBS,
        },
    )
    assert r.status is Status.FAIL
    assert r.locations == (Location(".github/workflows/reusable.yaml", 1),)
    assert "1 of 2 workflows does not" in r.message
    assert "reusable.yaml has no top-level `permissions:`" in r.message


def test_write_all_points_at_the_key(run_check):
    r = run_check(
        "workflow-permissions-restricted", {WF: "on: push\n\npermissions: write-all\n" + JOBS}
    )
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 3),)
    assert "write-all" in r.message


def test_job_level_permissions_do_not_count(run_check):
    text = "on: push\njobs:\n  a:\n    permissions: {}\n    steps: [{run: echo}]\n"
    r = run_check("workflow-permissions-restricted", {WF: text})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 1),)


def test_true_on_key_and_broken_file(run_check):
    r = run_check(
        "workflow-permissions-restricted",
        {
            WF: "'on': push\npermissions: read-all\n" + JOBS,
            ".github/workflows/bad.yml": "on: push\npermissions: [\n",
        },
    )
    assert r.status is Status.PASS
    assert "1 workflow did not parse: .github/workflows/bad.yml line" in r.message


@pytest.mark.parametrize(
    "files",
    [
        {},
        {".github/workflows/bad.yml": "a: [\n"},
        {".github/workflows/bin.yml": b"\x00\x00"},
        {".github/workflows/list.yml": "- 1\n"},
    ],
)
def test_skip(run_check, files):
    assert run_check("workflow-permissions-restricted", files).status is Status.SKIP
