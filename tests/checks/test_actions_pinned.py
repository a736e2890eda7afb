from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.model import Location, Status

SHA = "0123456789abcdef0123456789abcdef01234567"
DIGEST = "sha256:" + "a" * 64
WF = ".github/workflows/ci.yml"


def workflow(*uses: str) -> str:
    steps = "".join(f"      - uses: {u}\n" for u in uses)
    return f"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


@pytest.mark.parametrize(
    "uses",
    [
        f"actions/checkout@{SHA}",
        f"actions/checkout@{SHA.upper()}",
        f"github/codeql-action/init@{SHA}",
        f"docker://alpine@{DIGEST}",
        f"docker://ghcr.io/o/img:1.2@{DIGEST}",
        "./.github/actions/local",
        f"actions/checkout@{SHA}  # v4.1.1",
    ],
)
def test_pinned_passes(run_check, uses):
    r = run_check("actions-pinned", {WF: workflow(uses)})
    assert r.status is Status.PASS, r.message


@pytest.mark.parametrize(
    "uses",
    [
        "actions/checkout@v4",
        "actions/checkout@main",
        "actions/checkout",
        f"actions/checkout@{SHA[:39]}",
        f"actions/checkout@{SHA}0",
        "github/codeql-action/init@v3",
        "docker://alpine:3.19",
        "docker://alpine@sha256:abc",
        "actions/checkout@${{ env.REF }}",
    ],
)
def test_unpinned_fails(run_check, uses):
    r = run_check("actions-pinned", {WF: workflow(f"actions/setup-go@{SHA}", uses)})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 7),)
    assert f"{WF}:7 `{uses}`" in r.message
    assert r.data == {"unpinned": 1, "total": 2}


def test_reusable_workflow_jobs_and_folded_scalars(run_check):
    text = (
        "on: push\n"
        "jobs:\n"
        "  call:\n"
        "    uses: org/repo/.github/workflows/release.yml@v1\n"
        "  local:\n"
        "    uses: ./.github/workflows/local.yml\n"
        "  pinned:\n"
        f"    uses: org/repo/.github/workflows/release.yml@{SHA}\n"
        "  build:\n"
        "    steps:\n"
        "      - uses: >-\n"
        "          actions/setup-node@v4\n"
    )
    r = run_check("actions-pinned", {WF: text})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 4), Location(WF, 12))
    assert r.data == {"unpinned": 2, "total": 3}
    assert "org/repo/.github/workflows/release.yml@v1" in r.message


def test_many_unpinned_are_counted_and_all_located(run_check):
    r = run_check("actions-pinned", {WF: workflow(*[f"o/a{i}@v1" for i in range(8)])})
    assert r.status is Status.FAIL
    assert len(r.locations) == 8
    assert r.message.startswith("8 of 8 action references")
    assert "and 3 more" in r.message


def test_yaml_extension_and_only_local(run_check):
    r = run_check("actions-pinned", {".github/workflows/a.yaml": workflow("./x")})
    assert r.status is Status.PASS
    assert r.data == {"unpinned": 0, "total": 0}


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"README.md": "x", ".github/actions/x/action.yml": "runs: {using: composite}\n"},
        {WF: "on: [push\n"},
        {WF: b"\xff\xfe\x00binary"},
        {WF: Symlink("../../../outside.yml")},
    ],
)
def test_skip_without_parsing_workflows(run_check, files):
    r = run_check("actions-pinned", files)
    assert r.status is Status.SKIP


def test_broken_workflow_is_mentioned(run_check):
    r = run_check(
        "actions-pinned",
        {
            WF: workflow("actions/checkout@v4"),
            ".github/workflows/bad.yml": "on: push\njobs:\n  x: [\n",
        },
    )
    assert r.status is Status.FAIL
    assert "(1 workflow did not parse: .github/workflows/bad.yml line" in r.message
    assert r.locations == (Location(WF, 6),)


def test_invalid_utf8_workflow_is_ignored(run_check):
    r = run_check(
        "actions-pinned",
        {
            WF: workflow(f"actions/checkout@{SHA}"),
            ".github/workflows/bad.yml": b"on: push\n\xff\n",
        },
    )
    assert r.status is Status.PASS
    assert "bad.yml (is not valid UTF-8" in r.message
