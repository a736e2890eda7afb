from __future__ import annotations

import pytest

from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"


def checkout(trigger: str, ref: str, uses: str = "actions/checkout@v4") -> str:
    return (
        f"on: {trigger}\n"
        "jobs:\n"
        "  build:\n"
        "    steps:\n"
        f"      - uses: {uses}\n"
        "        with:\n"
        f"          ref: {ref}\n"
        "      - run: make\n"
    )


def script(run: str) -> str:
    return f"on: push\njobs:\n  a:\n    steps:\n      - run: |\n          {run}\n"


@pytest.mark.parametrize(
    "trigger,ref",
    [
        ("pull_request_target", "${{ github.event.pull_request.head.sha }}"),
        ("pull_request_target", "${{ github.event.pull_request.head.ref }}"),
        ("pull_request_target", "${{ github.head_ref }}"),
        ("[pull_request_target, push]", "${{github.event['pull_request']['head']['sha']}}"),
        ("pull_request_target", "refs/pull/${{ github.event.pull_request.number }}/merge"),
        ("workflow_run", "${{ github.event.workflow_run.head_sha }}"),
        ("workflow_run", "${{ github.event.workflow_run.head_branch }}"),
        ("{workflow_run: {workflows: [CI]}}", "${{ GitHub.Event.Workflow_Run.Head_Sha }}"),
    ],
)
def test_privileged_checkout_of_head_fails(run_check, trigger, ref):
    r = run_check("no-dangerous-triggers", {WF: checkout(trigger, ref)})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 7),)
    assert "checks out the pull request's head" in r.message


@pytest.mark.parametrize(
    "trigger,ref,uses",
    [
        ("pull_request", "${{ github.event.pull_request.head.sha }}", "actions/checkout@v4"),
        ("push", "${{ github.head_ref }}", "actions/checkout@v4"),
        ("pull_request_target", "${{ github.event.pull_request.base.sha }}", "actions/checkout@v4"),
        ("pull_request_target", "main", "actions/checkout@v4"),
        ("pull_request_target", "${{ github.event.pull_request.head.sha }}", "other/checkout@v4"),
    ],
)
def test_safe_checkouts_pass(run_check, trigger, ref, uses):
    r = run_check("no-dangerous-triggers", {WF: checkout(trigger, ref, uses)})
    assert r.status is Status.PASS, r.message


def test_checkout_with_sha_pin_and_multiline_ref(run_check):
    text = (
        "on:\n  pull_request_target:\n    types: [opened]\n"
        "jobs:\n  a:\n    steps:\n"
        "      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567\n"
        "        with:\n"
        "          ref: >-\n"
        "            ${{ github.event.pull_request.head.sha }}\n"
    )
    r = run_check("no-dangerous-triggers", {WF: text})
    assert r.locations == (Location(WF, 10),)


@pytest.mark.parametrize(
    "context",
    [
        "github.head_ref",
        "github.event.issue.title",
        "github.event.issue.body",
        "github.event.pull_request.title",
        "github.event.pull_request.body",
        "github.event.pull_request.head.ref",
        "github.event.pull_request.head.label",
        "github.event.pull_request.head.repo.default_branch",
        "github.event.comment.body",
        "github.event.review.body",
        "github.event.review_comment.body",
        "github.event.discussion.title",
        "github.event.discussion.body",
        "github.event.pages[1].page_name",
        "github.event.pages.*.page_name",
        "github.event.commits[0].message",
        "github.event.commits.*.message",
        "github.event.commits[0].author.email",
        "github.event.commits[0].author.name",
        "github.event.head_commit.message",
        "github.event.head_commit.author.email",
        "github.event.head_commit.author.name",
        "github.event.workflow_run.head_branch",
        "github.event.workflow_run.head_commit.message",
        "github['head_ref']",
        "github.event['issue'][\"title\"]",
        "GITHUB.EVENT.ISSUE.TITLE",
        "join(github.event.commits.*.message, ' ')",
        "toJSON(github.event.pull_request)",
        "toJSON( github.event )",
        "format('{0}', github.event.issue.body)",
    ],
)
def test_interpolation_in_run_fails(run_check, context):
    r = run_check("no-dangerous-triggers", {WF: script(f'echo "${{{{ {context} }}}}"')})
    assert r.status is Status.FAIL, context
    assert r.locations == (Location(WF, 6),)
    assert "`run:` interpolates" in r.message


@pytest.mark.parametrize(
    "context",
    [
        "github.event.pull_request.number",
        "github.event.pull_request.head.sha",
        "github.event.issue.number",
        "github.sha",
        "github.event.commits[0].id",
        "toJSON(github.event.pull_request.labels)",
        "github.event.pull_request",
        "contains('github.head_ref', 'x')",
        "steps.github.outputs.head_ref",
        "env.github_head_ref",
        "inputs.title",
    ],
)
def test_safe_interpolation_passes(run_check, context):
    r = run_check("no-dangerous-triggers", {WF: script(f"echo ${{{{ {context} }}}}")})
    assert r.status is Status.PASS, context


def test_env_is_the_safe_pattern(run_check):
    text = (
        "on: issues\njobs:\n  a:\n"
        "    if: contains(github.event.issue.title, 'bug')\n"
        "    steps:\n"
        "      - env:\n"
        "          TITLE: ${{ github.event.issue.title }}\n"
        '        run: echo "$TITLE"\n'
        "      - name: ${{ github.event.issue.title }}\n"
        "        run: echo ok\n"
    )
    r = run_check("no-dangerous-triggers", {WF: text})
    assert r.status is Status.PASS
    assert "1 workflow" in r.message


def test_script_line_inside_multiline_run(run_check):
    text = (
        "on: pull_request\njobs:\n  a:\n    steps:\n"
        "      - run: |\n"
        "          echo start\n"
        '          echo "${{ github.event.pull_request.title }}"\n'
        '          echo "${{ github.head_ref }}" "${{ github.head_ref }}"\n'
        "      - run: echo plain\n"
        "          ${{ github.event.issue.body }}\n"
    )
    r = run_check("no-dangerous-triggers", {WF: text})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 7), Location(WF, 8), Location(WF, 10))
    assert r.message.startswith("4 dangerous patterns")
    assert f"{WF}:7: `run:` interpolates `${{{{ github.event.pull_request.title }}}}`" in r.message


def test_github_script_is_checked_like_run(run_check):
    text = (
        "on: issue_comment\njobs:\n  a:\n    steps:\n"
        "      - uses: actions/github-script@v7\n"
        "        with:\n"
        "          script: |\n"
        "            const body = `${{ github.event.comment.body }}`\n"
    )
    r = run_check("no-dangerous-triggers", {WF: text})
    assert r.status is Status.FAIL
    assert r.locations == (Location(WF, 8),)
    assert "github-script" in r.message


def test_both_problems_in_one_workflow(run_check):
    text = checkout("pull_request_target", "${{ github.event.pull_request.head.sha }}")
    text += "      - run: echo ${{ github.event.pull_request.title }}\n"
    r = run_check("no-dangerous-triggers", {WF: text})
    assert r.locations == (Location(WF, 7), Location(WF, 9))


@pytest.mark.parametrize(
    "files",
    [
        {},
        {".github/workflows/bad.yml": "on: push\njobs: [\n"},
        {".github/workflows/bin.yml": b"\x00binary"},
        {"workflows/ci.yml": script("echo ${{ github.head_ref }}")},
    ],
)
def test_skip(run_check, files):
    assert run_check("no-dangerous-triggers", files).status is Status.SKIP


def test_broken_workflow_is_mentioned_and_odd_shapes_pass(run_check):
    r = run_check(
        "no-dangerous-triggers",
        {
            WF: "on: pull_request_target\njobs:\n  a: 1\n  b:\n"
            "    steps: [1, {run: 2}, {uses: 3}]\n"
            "  c:\n    steps:\n      - uses: actions/checkout@v4\n        with: [1]\n",
            ".github/workflows/z.yml": b"\xff",
        },
    )
    assert r.status is Status.PASS
    assert "(1 workflow did not parse: .github/workflows/z.yml (is not valid UTF-8" in r.message
