"""``scorecard action`` against the fake GitHub, run in-process with the environment the Actions
runner gives a container action (``INPUT_FAIL-ON`` with its dash, ``GITHUB_EVENT_PATH``,
``GITHUB_OUTPUT``...), on event payloads validated against GitHub's webhook schemas."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from actionenv import MATURE, REPO, Project, Runner, head, parse_outputs
from events import Events, validate
from fakegithub import ADMIN, FORK, WORKFLOW
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture

from scorecard.action.saved_comment import untrusted_scorecard
from scorecard.compare import compare
from scorecard.github import workflow as wf
from scorecard.model import CheckResult, LevelStatus, Location, PillarSummary, Scorecard, Status
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.render import comment as comment_render
from scorecard.render.markdown import MARKER
from scorecard.sources.local import open_local
from scorecard.standard import default_standard

ADMIN_TOKEN = "ghp_admin_0123456789abcdefABCDEF"
WRITE = "ghs_workflowTOKEN0123456789abcdefXYZ"
FORK_TOKEN = "ghs_forkTOKEN0123456789abcdefXYZ00"
ROOT = Path(__file__).resolve().parents[1]
COMMENT_LIMIT = 65_536


@pytest.fixture
def gh(fake_github):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_team("acme", "platform", members=["alice"])
    fake_github.add_team("acme", "docs")
    fake_github.add_token(ADMIN_TOKEN, ADMIN, login="octocat")
    return fake_github


@pytest.fixture
def runner(gh, tmp_path):
    return Runner(gh, tmp_path / "runner")


def tokens(gh):
    gh.add_token(WRITE, WORKFLOW, repo=REPO)
    gh.add_token(FORK_TOKEN, FORK, repo=REPO)


def writes(gh):
    """What the Action wrote to GitHub: REST requests other than reads."""
    return [
        (r.method, r.path)
        for r in gh.requests
        if r.kind == "rest" and r.method not in ("GET", "HEAD")
    ]


def ours(gh, number):
    return [
        c
        for c in gh.comments_of(REPO, number)
        if c.body.startswith(comment_render.COMMENT_MARKER) and c.user == "github-actions[bot]"
    ]


# ---- the sticky comment --------------------------------------------------------------------


def test_one_comment_created_then_updated_then_left_alone(gh, tmp_path, runner):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "LICENSE"})
    tokens(gh)
    head1 = project.commit("feature", {"LICENSE": MATURE["LICENSE"]})
    issue = gh.add_pull(REPO, 7, head1, project.base)
    # a person quoting the marker: never taken for ours, never overwritten
    gh.add_comment(REPO, 7, f"{comment_render.COMMENT_MARKER}\nquoted by hand", user="alice")
    events = Events(gh, ADMIN_TOKEN)

    ws = project.checkout(head1, merge_into="main")
    first = runner.run("pull_request", events.pull_request(REPO, 7), WRITE, ws)
    assert first.code == 0, first.log
    assert first.outputs["comment"] == "created"
    assert len(ours(gh, 7)) == 1 and len(gh.comments_of(REPO, 7)) == 2
    body1 = ours(gh, 7)[0].body
    assert "fixed `license-present`" in body1
    assert gh.comments_of(REPO, 7)[0].body.endswith("quoted by hand")
    assert ours(gh, 7)[0].user == "github-actions[bot]"

    # a new push that changes the result: the same comment, edited in place
    head2 = project.commit("feature", remove=(".github/CODEOWNERS",))
    issue.pull.head_sha = head2
    sync = events.pull_request(REPO, 7, action="synchronize", before=head1)
    gh.reset_log()
    ws2 = project.checkout(head2, merge_into="main")
    second = runner.run("pull_request", sync, WRITE, ws2)
    assert second.code == 0, second.log
    assert second.outputs["comment"] == "updated"
    assert len(ours(gh, 7)) == 1 and ours(gh, 7)[0].body != body1
    assert "broke `codeowners-present`" in ours(gh, 7)[0].body
    assert gh.count("POST", kind="rest") == 0 and gh.count("PATCH") == 1

    # the same commit again (a re-run): nothing written at all
    gh.reset_log()
    third = runner.run("pull_request", sync, WRITE, project.checkout(head2, merge_into="main"))
    assert third.code == 0 and third.outputs["comment"] == "unchanged"
    assert writes(gh) == []
    assert gh.count("POST", kind="rest") == 0 and gh.count("PATCH") == 0
    assert len(gh.comments_of(REPO, 7)) == 2


def test_comment_off_and_no_pull_request_in_the_event(gh, tmp_path, runner):
    project = Project(gh, tmp_path)
    tokens(gh)
    sha = project.commit("feature", {"docs/guide.md": "# Guide\n"})
    gh.add_pull(REPO, 3, sha, project.base)
    events = Events(gh, ADMIN_TOKEN)
    res = runner.run(
        "pull_request", events.pull_request(REPO, 3), WRITE, project.checkout(sha), comment="off"
    )
    assert res.code == 0 and res.outputs["comment"] == "off" and writes(gh) == []


# ---- forks: save, then post from workflow_run ------------------------------------------------


def fork_run(gh, tmp_path, runner, number=8):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "SECURITY.md"})
    tokens(gh)
    sha = project.commit("patch-1", {"SECURITY.md": "# Security\n\nMail security@acme.test\n"})
    issue = gh.add_pull(
        REPO, number, sha, project.base, head_ref="patch-1", from_fork=True, user="contributor"
    )
    events = Events(gh, ADMIN_TOKEN)
    payload = events.pull_request(REPO, number)
    assert payload["pull_request"]["head"]["repo"]["fork"] is True
    gh.reset_log()
    ws = project.checkout(sha, merge_into="main")
    res = runner.run("pull_request", payload, FORK_TOKEN, ws)
    return project, issue, events, sha, res


def artifact_workspace(tmp_path: Path, res, name="post") -> Path:
    """The workflow_run job's workspace: no checkout, the artifact downloaded into it."""
    ws = tmp_path / name
    (ws / "scorecard-comment").mkdir(parents=True)
    shutil.copy(res.workspace / res.outputs["comment-path"], ws / "scorecard-comment")
    return ws


def test_fork_run_succeeds_writes_nothing_and_saves_the_comment(gh, tmp_path, runner):
    _project, _, _, sha, res = fork_run(gh, tmp_path, runner)
    assert res.code == 0, res.log
    assert writes(gh) == []
    assert res.outputs["comment"] == "saved"
    assert res.outputs["comment-path"] == "scorecard-output/comment.json"
    assert res.summary.strip() and "fixed `security-policy-present`" in res.summary
    saved = res.saved
    assert saved["pull_request"] == 8 and saved["repository"] == REPO
    # the pull request's head, not the merge commit the workspace holds
    assert saved["head_sha"] == sha != head(res.workspace)
    assert any("fork" in msg for _, _, msg in res.commands("notice"))


def test_saved_comment_is_posted_once_by_workflow_run(gh, tmp_path, runner):
    project, _, events, sha, res = fork_run(gh, tmp_path, runner)
    ws = artifact_workspace(tmp_path, res)
    run_event = events.workflow_run(REPO, head_sha=sha, head_branch="patch-1")
    gh.reset_log()
    post = runner.run(
        "workflow_run",
        run_event,
        WRITE,
        ws,
        post_saved_comment="scorecard-comment/comment.json",
        sha=project.base,
    )
    assert post.code == 0, post.log
    assert post.outputs["comment"] == "created"
    assert len(gh.comments_of(REPO, 8)) == 1
    body = gh.comments_of(REPO, 8)[0].body
    assert body.startswith(comment_render.COMMENT_MARKER)
    assert "fixed `security-policy-present`" in body
    assert run_event["workflow_run"]["html_url"] in body
    assert gh.count("POST", kind="rest") == 1

    again = runner.run(
        "workflow_run",
        run_event,
        WRITE,
        artifact_workspace(tmp_path, res, "p2"),
        post_saved_comment="scorecard-comment",
        sha=project.base,
    )
    assert again.code == 0 and again.outputs["comment"] == "unchanged"
    assert len(gh.comments_of(REPO, 8)) == 1 and gh.count("POST", kind="rest") == 1


def test_saved_comment_of_another_head_is_not_posted(gh, tmp_path, runner):
    project, issue, events, sha, res = fork_run(gh, tmp_path, runner)
    # the pull request moved on before the workflow_run job ran
    newer = project.commit("patch-1", {"docs/x.md": "x\n"})
    issue.pull.head_sha = newer
    gh.reset_log()
    post = runner.run(
        "workflow_run",
        events.workflow_run(REPO, head_sha=sha),
        WRITE,
        artifact_workspace(tmp_path, res),
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert post.code == 0 and post.outputs["comment"] == "skipped"
    assert gh.comments_of(REPO, 8) == [] and writes(gh) == []

    # the saved file names a commit the workflow run was not for
    stale = runner.run(
        "workflow_run",
        events.workflow_run(REPO, head_sha=newer),
        WRITE,
        artifact_workspace(tmp_path, res, "p2"),
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert stale.code == 2 and gh.comments_of(REPO, 8) == [] and writes(gh) == []
    assert any("was for" in msg for _, _, msg in stale.commands("error"))

    # a saved file that points the comment at another pull request (#9, head elsewhere)
    other = project.commit("other", {"docs/y.md": "y\n"})
    gh.add_pull(REPO, 9, other, project.base)
    ws = artifact_workspace(tmp_path, res, "p3")
    data = json.loads((ws / "scorecard-comment/comment.json").read_text())
    data["pull_request"] = 9
    (ws / "scorecard-comment/comment.json").write_text(json.dumps(data))
    moved = runner.run(
        "workflow_run",
        events.workflow_run(REPO, head_sha=sha),
        WRITE,
        ws,
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert moved.code == 0 and gh.comments_of(REPO, 9) == [] and writes(gh) == []


HOSTILE = "<img src=x onerror=alert(1)> @acme/platform [click](javascript:alert(1)) **b** |x|"


def test_tampered_saved_comment_is_rendered_anew_with_escaping(gh, tmp_path, runner):
    _project, _, events, sha, res = fork_run(gh, tmp_path, runner)
    ws = artifact_workspace(tmp_path, res)
    path = ws / "scorecard-comment/comment.json"
    data = json.loads(path.read_text())
    data["base_ref"] = "<script>alert(1)</script>"
    data["run_url"] = "javascript:alert(1)"
    head_card = data["head"]
    head_card["level"] = "<b>Platinum</b> @acme/docs"
    head_card["standard"] = HOSTILE
    head_card["levels"][0]["name"] = "<i>lvl</i>"
    head_card["pillars"][0]["pillar"] = "<h1>p</h1>"
    for check in head_card["checks"]:
        check["docs_url"] = "javascript:alert(1)"
        check["remediation"] = "Visit https://evil.example/steal and <a href=x>click</a>"
        if check["status"] in ("fail", "pass"):
            check["status"] = "fail"
            check["message"] = HOSTILE
            check["locations"] = [{"path": "x<script>.md", "line": "1) <b>bold</b>"}]
    head_card["checks"].append(
        {
            "id": "evil-check<img>",
            "pillar": "docs",
            "status": "fail",
            "message": HOSTILE,
            "docs_url": "https://x.test/a) <img>",
            "remediation": "@acme/platform https://evil.example",
        }
    )
    path.write_text(json.dumps(data))
    post = runner.run(
        "workflow_run",
        events.workflow_run(REPO, head_sha=sha),
        WRITE,
        ws,
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert post.code == 0, post.log
    body = gh.comments_of(REPO, 8)[0].body
    assert_inert(body)
    assert not re.search(r"(?<!\\)\]\(javascript", body)  # only as escaped text
    assert "evil.example" not in body
    docs = re.findall(r"(?<!\\)\]\(([^)]*)\)", strip_code(body))
    assert docs and all(
        u.startswith((gh.web_url, "https://github.com/", f"{gh.web_url}/"))
        or "/docs/checks.md#" in u
        for u in docs
    ), docs

    # and a file that is not a saved comment at all: a clear error, nothing posted
    path.write_text(json.dumps({"kind": "repo-scorecard-comment", "head": [1, 2]}))
    bad = runner.run(
        "workflow_run",
        events.workflow_run(REPO, head_sha=sha),
        WRITE,
        ws,
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert bad.code == 2 and len(gh.comments_of(REPO, 8)) == 1


ALLOWED_TAGS = {"details", "/details", "summary", "/summary", "sub", "/sub"}


def live_html(body: str) -> list[str]:
    """Tags GitHub would render, outside code spans (our own folding tags allowed)."""
    text = strip_code(body).replace(comment_render.COMMENT_MARKER, "")
    return [
        t
        for t in re.findall(r"<\s*(/?[A-Za-z][A-Za-z0-9-]*)", text)
        if t.lower() not in ALLOWED_TAGS
    ]


def strip_code(body: str) -> str:
    return re.sub(r"(`+)(?:(?!\1).)*?\1", "", body)


def live_mentions(body: str) -> list[str]:
    return re.findall(r"(?<![\w`])@[A-Za-z0-9][\w-]*(?:/[\w.-]+)?", strip_code(body))


def assert_inert(body: str) -> None:
    assert live_html(body) == [], live_html(body)
    assert live_mentions(body) == [], live_mentions(body)
    assert "\x1b" not in body


def test_untrusted_scorecard_coerces_types():
    reg = default_registry()
    card = untrusted_scorecard(
        {
            "schema_version": 1,
            "target": "x",
            "commit": 5,
            "score": "70",
            "level": ["Gold"],
            "standard": "s",
            "levels": [{"name": 3, "held": 1, "blocking": [1]}],
            "checks": [
                {
                    "id": "readme-present",
                    "pillar": "docs",
                    "status": "fail",
                    "message": "m",
                    "docs_url": "https://ok.test/docs#a",
                    "locations": [{"path": "a", "line": "7"}, {"path": "b", "line": 3}],
                }
            ],
        },
        reg,
    )
    assert card.commit == "5" and card.level == "['Gold']" and card.score == 70
    assert card.levels[0] == LevelStatus("3", True, ("1",))
    r = card.checks[0]
    assert r.locations == (Location("a", None), Location("b", 3))
    assert r.remediation == reg["readme-present"].remediation
    with pytest.raises((ValueError, KeyError, TypeError)):
        untrusted_scorecard({"schema_version": 1, "checks": [{"id": "x"}]}, reg)


# ---- the standard of the base -----------------------------------------------------------------


def test_pull_request_cannot_loosen_its_own_standard(gh, tmp_path, runner):
    files = {k: v for k, v in MATURE.items() if k != "SECURITY.md"}
    project = Project(gh, tmp_path, files)
    tokens(gh)
    loosen = (
        "checks:\n  security-policy-present: false\n  license-present: false\n"
        "levels:\n  - name: Bronze\n    checks: [readme-present]\n"
        "  - name: Silver\n    checks: [tests-present]\n"
        "  - name: Gold\n    checks: [ci-configured]\n"
        "exemptions:\n  - check: no-private-keys\n    reason: trust me\n"
        "    expires: 2099-01-01\n"
    )
    sha = project.commit(
        "feature",
        {
            ".github/standards.yml": loosen,
            "keys/deploy.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n",
        },
        remove=("LICENSE",),
    )
    gh.add_pull(REPO, 5, sha, project.base)
    res = runner.run(
        "pull_request",
        Events(gh, ADMIN_TOKEN).pull_request(REPO, 5),
        WRITE,
        project.checkout(sha, merge_into="main"),
        fail_on="regression",
    )
    by_id = {c["id"]: c for c in res.report["scorecard"]["checks"]}
    assert by_id["security-policy-present"]["status"] == "fail"
    assert by_id["license-present"]["status"] == "fail"
    assert by_id["no-private-keys"]["status"] == "fail"  # the exemption is not the base's
    assert res.report["scorecard"]["standard"] == "default"
    assert res.outputs["level"] != "Gold" and res.code == 1
    body = ours(gh, 5)[0].body
    assert "broke `license-present`" in body and "broke `no-private-keys`" in body
    assert "Graded by the standard on `main`" in body

    # graded by its own file, the same head would look better: the base's rules decided
    reg = default_registry()
    own = open_local(project.checkout(sha))
    from scorecard.pipeline import load_standard

    loose = grade_snapshot(own, load_standard(reg, own), reg)
    assert loose.score > int(res.outputs["score"])


def test_base_standard_file_is_used(gh, tmp_path, runner):
    strict = "levels:\n  - name: Bronze\n    checks: [readme-present, changelog-present]\n"
    project = Project(gh, tmp_path, {**MATURE, ".github/standards.yml": strict})
    tokens(gh)
    sha = project.commit(
        "feature",
        {".github/standards.yml": "levels:\n  - name: Bronze\n    checks: [readme-present]\n"},
    )
    gh.add_pull(REPO, 6, sha, project.base)
    res = runner.run(
        "pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 6), WRITE, project.checkout(sha)
    )
    assert res.outputs["level"] == "" and res.report["scorecard"]["level"] is None
    assert "changelog-present" in ours(gh, 6)[0].body


# ---- the base commit: git when the checkout has it, else the API -----------------------------


def test_base_read_through_git_or_through_the_api(gh, tmp_path, runner):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "LICENSE"})
    tokens(gh)
    sha = project.commit("feature", {"LICENSE": MATURE["LICENSE"]})
    sha = project.commit("feature", {"CHANGELOG.md": "# 1.0\n"})
    gh.add_pull(REPO, 4, sha, project.base)
    payload = Events(gh, ADMIN_TOKEN).pull_request(REPO, 4)

    gh.reset_log()
    full = runner.run("pull_request", payload, WRITE, project.checkout(sha), comment="off")
    assert full.code == 0, full.log
    assert gh.count(kind="graphql") == 0 and gh.count(kind="codeload") == 0
    assert gh.count() == 0  # no comment, the base from git: not one API request

    gh.reset_log()
    shallow_ws = project.checkout("feature", shallow=True)
    assert head(shallow_ws) == sha
    shallow = runner.run("pull_request", payload, WRITE, shallow_ws, comment="off")
    assert shallow.code == 0, shallow.log
    assert gh.count(kind="graphql") >= 1
    assert (full.outputs["base-score"], full.outputs["base-level"]) == (
        shallow.outputs["base-score"],
        shallow.outputs["base-level"],
    )
    assert full.report["comparison"] == shallow.report["comparison"]
    assert {c["id"] for c in full.report["comparison"]["fixed"]} == {
        "license-present",
        "changelog-present",
    }


# ---- hostile repository content ----------------------------------------------------------------

HOSTILE_FILES = {
    **{k: v for k, v in MATURE.items() if k != ".github/CODEOWNERS"},
    ".github/CODEOWNERS": "* @acme/platform\n/docs/ @acme/docs <b>x</b>\n"
    "/src/ @acme/nope @someone\n[broken pattern @acme/platform\n",
    "keys/<img src=x onerror=alert(1)>.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n",
    "keys/*bold* [link](javascript:alert(1)) @acme|team.key": (
        "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n"
    ),
    "keys/`code`<script>alert(1)</script>.pem": "-----BEGIN EC PRIVATE KEY-----\nx\n",
    "docs/@acme/platform.md": "# hi\n",
    ".github/workflows/evil <b>.yml": "on: pull_request_target\njobs:\n  x:\n    runs-on: "
    "ubuntu-latest\n    steps:\n      - uses: actions/checkout"
    "@v4\n        with:\n          ref: ${{ github.event."
    "pull_request.head.sha }}\n",
}


def test_hostile_names_and_owners_make_an_inert_comment(
    gh, tmp_path, runner, snapshot, monkeypatch
):
    monkeypatch.setenv("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
    project = Project(gh, tmp_path, MATURE)
    tokens(gh)
    sha = project.commit("feature", {k: v for k, v in HOSTILE_FILES.items() if MATURE.get(k) != v})
    gh.add_pull(REPO, 11, sha, project.base)
    runner.server_url = "https://github.com"
    res = runner.run(
        "pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 11), WRITE, project.checkout(sha)
    )
    assert res.code == 0, res.log
    body = ours(gh, 11)[0].body
    assert body == snapshot
    assert_inert(body)
    assert "&lt;img src=x" in body or "`keys/<img" in body
    assert "`@acme/platform`" in body or "@acme/platform" not in strip_code(body)
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", strip_code(body))
    assert links and all(
        u.startswith(
            (
                "https://github.com/acme/widgets/blob/",
                "https://github.com/acme/widgets/actions/runs/",
            )
        )
        or "/docs/checks.md#" in u
        for u in links
    ), links
    # the summary (the whole report) is as inert
    assert_inert(res.summary)
    # and so are the annotations: one line each, properties escaped
    for line in res.log.splitlines():
        if line.startswith(("::warning", "::error")):
            assert "\n" not in line and line.count("::") >= 2


# ---- outputs, summary, annotations, exit codes, the token ------------------------------------


def test_outputs_are_multiline_safe_and_parse_back(tmp_path):
    path = tmp_path / "out"
    values = {
        "one": "plain",
        "two": "line 1\nline 2\n\nline 4",
        "three": "",
        "four": "EOF\nghadelimiter_fake\n<<x\nname=value",
        "five": "a=b<<c",
    }
    wf.set_outputs(values, str(path), io.StringIO())
    wf.set_outputs({"six": "later"}, str(path), io.StringIO())
    assert parse_outputs(path.read_text()) == {**values, "six": "later"}


def test_pr_outputs_summary_and_report(gh, tmp_path, runner):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "LICENSE"})
    tokens(gh)
    sha = project.commit("feature", {"LICENSE": MATURE["LICENSE"]})
    gh.add_pull(REPO, 2, sha, project.base)
    res = runner.run(
        "pull_request",
        Events(gh, ADMIN_TOKEN).pull_request(REPO, 2),
        WRITE,
        project.checkout(sha, merge_into="main"),
    )
    assert res.code == 0
    out = res.outputs
    assert set(out) == {
        "score",
        "level",
        "base-level",
        "base-score",
        "passed",
        "report-path",
        "comment-path",
        "comment",
    }
    meta = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(out) <= set(meta["outputs"])
    assert int(out["score"]) > int(out["base-score"]) and out["passed"] == "true"
    assert out["level"] == res.report["scorecard"]["level"]
    assert res.summary.startswith(MARKER.format(kind="pr-comment"))
    assert "Full report" in res.summary and "fixed `license-present`" in res.summary
    assert len(res.summary.encode()) < wf.SUMMARY_LIMIT


def key_files(n: int, prefix: str = "keys/k") -> dict[str, str]:
    return {f"{prefix}{i:04d}.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n" for i in range(n)}


def test_annotations_escaped_and_capped(gh, tmp_path, runner):
    files = {
        **MATURE,
        **key_files(14, "old/k"),
        "old/a,b:c%d\r.pem": "-----BEGIN RSA PRIVATE KEY-----\nx\n",
    }
    project = Project(gh, tmp_path, files)
    tokens(gh)
    # the pull request breaks a check (errors) while the others keep failing (warnings)
    sha = project.commit("feature", remove=("SECURITY.md",))
    gh.add_pull(REPO, 12, sha, project.base)
    res = runner.run(
        "pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 12), WRITE, project.checkout(sha)
    )
    warnings = [
        c for c in res.commands("warning") if c[1].get("title", "").startswith("scorecard: ")
    ]
    errors = [c for c in res.commands("error") if c[1].get("title", "").startswith("scorecard: ")]
    assert len(warnings) == 10
    assert all(c[1]["file"].startswith("old/") for c in warnings)
    notices = [c for c in res.commands("notice") if "more failing locations" in c[2]]
    assert len(notices) == 1 and notices[0][2].startswith("5 more")
    # the one with separators in its name: escaped in the command, intact once parsed
    raw = [line for line in res.log.splitlines() if "file=old/a" in line]
    assert len(raw) == 1 and "file=old/a%2Cb%3Ac%25d%0D.pem," in raw[0]
    assert any(c[1]["file"] == "old/a,b:c%d\r.pem" for c in warnings)
    assert all(c[1]["title"] == "scorecard: security-policy-present" for c in errors)
    assert len(errors) <= 10
    for name, props, _ in warnings + errors:
        assert props.get("file") and name in ("warning", "error")


def test_exit_codes_follow_the_gates(gh, tmp_path, runner):
    project = Project(gh, tmp_path)
    tokens(gh)
    worse = project.commit("worse", remove=("LICENSE",))
    better = project.commit("better", {"CHANGELOG.md": "# 1\n"})
    gh.add_pull(REPO, 20, worse, project.base, head_ref="worse")
    gh.add_pull(REPO, 21, better, project.base, head_ref="better")
    events = Events(gh, ADMIN_TOKEN)
    ws_worse, ws_better = project.checkout(worse), project.checkout(better)
    ev_worse, ev_better = events.pull_request(REPO, 20), events.pull_request(REPO, 21)

    def code(ev, ws, **inputs):
        res = runner.run("pull_request", ev, WRITE, ws, comment="off", **inputs)
        return res.code, res.outputs.get("passed"), res

    assert code(ev_worse, ws_worse)[:2] == (0, "true")  # no gate by default
    c, passed, res = code(ev_worse, ws_worse, fail_on_regression="true")
    assert (c, passed) == (1, "false")
    assert any("lowers the grade" in m for _, _, m in res.commands("error"))
    c, passed, res = code(ev_better, ws_better, fail_on_regression="true")
    assert (c, passed) == (0, "true")
    level, score = res.report["scorecard"]["level"], res.report["scorecard"]["score"]
    assert level == "Silver", level
    c, passed, res = code(ev_better, ws_better, fail_under="Gold")
    assert (c, passed) == (1, "false")
    assert any("below fail-under Gold" in m for _, _, m in res.commands("error"))
    assert code(ev_better, ws_better, fail_under="bronze")[:2] == (0, "true")
    assert code(ev_better, ws_better, fail_under=str(score))[:2] == (0, "true")
    assert code(ev_better, ws_better, fail_under=str(score + 1))[:2] == (1, "false")
    c, _, res = code(ev_better, ws_better, fail_under="Platinum")
    assert c == 2 and any("fail-under 'Platinum'" in m for _, _, m in res.commands("error"))
    # the deprecated fail-on still works, with a warning
    c, passed, res = code(ev_better, ws_better, fail_on="below-level", min_level="Gold")
    assert (c, passed) == (1, "false")
    assert any("fail-on input is deprecated" in m for _, _, m in res.commands("warning"))
    assert code(ev_worse, ws_worse, fail_on="regression")[:2] == (1, "false")
    assert code(ev_better, ws_better, fail_on="below-level")[:2] == (0, "true")  # Bronze
    c, _, res = code(ev_better, ws_better, fail_on="sometimes")
    assert c == 2 and res.outputs == {}
    assert any("fail-on 'sometimes'" in m for _, _, m in res.commands("error"))


def test_token_masked_and_never_printed(gh, tmp_path, runner):
    project = Project(gh, tmp_path)
    tokens(gh)
    sha = project.commit("feature", {"docs/a.md": "a\n"})
    gh.add_pull(REPO, 30, sha, project.base)
    ws = project.checkout(sha, shallow=False)
    res = runner.run("pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 30), WRITE, ws)
    assert res.log.splitlines()[0] == f"::add-mask::{WRITE}"
    assert res.log.count(WRITE) == 1
    everything = [
        res.summary,
        json.dumps(res.outputs),
        *(p.read_text() for p in (ws / "scorecard-output").iterdir()),
    ]
    assert not any(WRITE in text for text in everything)
    # a token GitHub refuses: an error that names no token
    gh.reset_log()
    bad = runner.run(
        "pull_request",
        Events(gh, ADMIN_TOKEN).pull_request(REPO, 30),
        "ghs_revokedTOKEN123456789",
        project.checkout(sha, shallow=True),
    )
    assert bad.log.count("ghs_revokedTOKEN123456789") == 1
    assert bad.log.splitlines()[0] == "::add-mask::ghs_revokedTOKEN123456789"


# ---- size ------------------------------------------------------------------------------------


def test_comment_fits_for_thousands_of_failures(gh, tmp_path, runner):
    files = {**{k: v for k, v in MATURE.items() if k != "LICENSE"}, **key_files(1500)}
    project = Project(gh, tmp_path, files)
    tokens(gh)
    sha = project.commit(
        "feature",
        {
            **key_files(1000, "more/k"),
            ".github/CODEOWNERS": "".join(f"/d{i}/ @acme/nope{i} <b>{i}\n" for i in range(400)),
        },
    )
    gh.add_pull(REPO, 40, sha, project.base)
    res = runner.run(
        "pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 40), WRITE, project.checkout(sha)
    )
    assert res.code == 0, res.log
    body = ours(gh, 40)[0].body
    assert len(body) <= COMMENT_LIMIT
    assert "more" in body
    assert_inert(body)


def synthetic(n_checks: int, n_locations: int, message_len: int) -> Scorecard:
    checks = tuple(
        CheckResult(
            id=f"check-{i}",
            pillar="docs",
            title=f"Check {i}",
            status=Status.FAIL,
            message=("<b>x</b> @acme/t " * message_len)[:message_len],
            locations=tuple(Location(f"dir{i}/file{j}.txt", j + 1) for j in range(n_locations)),
            remediation="Fix it.",
            docs_url=f"https://example.test/docs/checks.md#check-{i}",
            level="Gold",
        )
        for i in range(n_checks)
    )
    return Scorecard(
        target=REPO,
        commit="0" * 40,
        score=0,
        level=None,
        checks=checks,
        pillars=(PillarSummary("docs", 0, n_checks, n_checks),),
        levels=(LevelStatus("Bronze", False, tuple(c.id for c in checks[: n_checks // 2])),),
        standard="default",
    )


@pytest.mark.parametrize(
    "n_checks,n_locations,message_len", [(3000, 40, 300), (40, 5000, 20_000), (5, 3, 100)]
)
def test_comment_cut_gracefully(n_checks, n_locations, message_len):
    base = synthetic(0, 0, 0)
    head_card = synthetic(n_checks, n_locations, message_len)
    links = comment_render.Links(
        blob="https://github.com/acme/widgets/blob/abc/",
        run="https://github.com/acme/widgets/actions/runs/1",
        base_ref="main",
    )
    body = comment_render.render(compare(base, head_card), links)
    assert len(body) <= COMMENT_LIMIT
    assert body.count("<details>") == body.count("</details>")
    assert_inert(body)
    if n_checks > 100:
        assert "in the job summary" in body
        assert "https://github.com/acme/widgets/actions/runs/1" in body
    lines = body.splitlines()
    assert lines[0] == comment_render.COMMENT_MARKER and lines[1].startswith("### ")


# ---- push, schedule, workflow_dispatch -------------------------------------------------------


@pytest.mark.parametrize("event_name", ["push", "schedule", "workflow_dispatch"])
def test_other_events_grade_without_a_comment(gh, tmp_path, runner, event_name):
    project = Project(gh, tmp_path)
    tokens(gh)
    before = project.base
    sha = project.commit("main", {"CHANGELOG.md": "# 1\n"})
    events = Events(gh, ADMIN_TOKEN)
    payload = {
        "push": lambda: events.push(REPO, sha, before),
        "schedule": lambda: {"schedule": "17 3 * * 1", **events.workflow_dispatch(REPO)},
        "workflow_dispatch": lambda: events.workflow_dispatch(REPO),
    }[event_name]()
    if event_name == "schedule":
        payload = {k: payload[k] for k in ("schedule", "repository", "sender", "organization")}
    gh.reset_log()
    res = runner.run(event_name, payload, WRITE, project.checkout(sha))
    assert res.code == 0, res.log
    # no write; one read: the default branch's head, for the badge
    assert writes(gh) == [] and gh.count() == gh.count(kind="graphql") == 1
    assert res.outputs["comment"] == "off" and res.outputs["comment-path"] == ""
    assert res.outputs["base-score"] == "" and res.outputs["score"].isdigit()
    assert res.summary.strip() and "Full report" in res.summary
    assert res.report["scorecard"]["commit"] == sha
    badge = json.loads((res.workspace / res.outputs["badge-json"]).read_text("utf-8"))
    assert badge["message"] == f"{res.outputs['level']} · {res.outputs['score']}"
    assert (res.workspace / res.outputs["badge-svg"]).read_text("utf-8").startswith("<svg")


def test_repo_mode_badge_is_stale_once_the_default_branch_moved_on(gh, tmp_path, runner):
    project = Project(gh, tmp_path)
    tokens(gh)
    old = project.commit("main", {"CHANGELOG.md": "# 1\n"})
    project.commit("main", {"CHANGELOG.md": "# 2\n"})
    payload = Events(gh, ADMIN_TOKEN).workflow_dispatch(REPO)
    res = runner.run("workflow_dispatch", payload, WRITE, project.checkout(old), sha=old)
    assert res.code == 0, res.log
    badge = json.loads((res.workspace / res.outputs["badge-json"]).read_text("utf-8"))
    assert badge["color"] == "lightgrey" and badge["message"].endswith("(stale)")
    assert f"has moved past {old[:7]}" in res.log


def test_repo_mode_writes_no_badge_off_the_default_branch(gh, tmp_path, runner):
    project = Project(gh, tmp_path)
    tokens(gh)
    sha = project.commit("feature", {"docs/a.md": "a\n"})
    payload = Events(gh, ADMIN_TOKEN).workflow_dispatch(REPO)
    runner.extra["GITHUB_REF"] = "refs/heads/feature"
    gh.reset_log()
    res = runner.run("workflow_dispatch", payload, WRITE, project.checkout(sha), sha=sha)
    assert res.code == 0, res.log
    assert "badge-json" not in res.outputs and "not the default branch main" in res.log
    assert gh.count() == 0
    off = runner.run("workflow_dispatch", payload, WRITE, project.checkout(sha), badges="false")
    assert off.code == 0 and "badge" not in off.log


# ---- the README's recipes ----------------------------------------------------------------------


def readme_workflows() -> dict[str, list[tuple[str, Any]]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The GitHub Action", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    out: dict[str, list[tuple[str, Any]]] = {}
    for block in blocks:
        name = re.match(r"# (\.github/workflows/[\w.-]+)", block)
        assert name, block[:80]
        out.setdefault(name.group(1), []).append((block, yaml.safe_load(block)))
    return out


def steps_using_action(workflow: dict) -> list[dict]:
    return [
        s
        for job in workflow["jobs"].values()
        for s in job["steps"]
        if str(s.get("uses", "")).startswith("repo-scorecard/repo-scorecard@")
    ]


def test_readme_fork_recipe_is_what_the_tests_exercise(tmp_path):
    workflows = readme_workflows()
    ((_pr_text, pr),) = [
        b for b in workflows[".github/workflows/scorecard.yml"] if b[1][True] == "pull_request"
    ]
    ((_post_text, post),) = workflows[".github/workflows/scorecard-comment.yml"]
    meta = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs, outputs = set(meta["inputs"]), set(meta["outputs"])
    for wf_ in [pr, post, *(b[1] for b in workflows[".github/workflows/scorecard.yml"])]:
        for step in steps_using_action(wf_):
            assert set(step.get("with") or {}) <= inputs
        text = json.dumps(wf_)
        assert "pull_request_target" not in text
        for used in re.findall(r"steps\.scorecard\.outputs\.([\w-]+)", text):
            assert used in outputs
    # the pull-request side: read contents, write the comment (read-only on forks anyway)
    assert pr["permissions"] == {"contents": "read", "pull-requests": "write"}
    upload = [
        s for s in pr["jobs"]["scorecard"]["steps"] if "upload-artifact" in str(s.get("uses"))
    ]
    assert upload and upload[0]["if"] == "steps.scorecard.outputs.comment == 'saved'"
    assert upload[0]["with"]["path"] == "${{ steps.scorecard.outputs.comment-path }}"
    # the posting side: workflow_run, no checkout, the inputs our test passes
    assert post[True] == {"workflow_run": {"workflows": [pr["name"]], "types": ["completed"]}}
    assert post["permissions"] == {"actions": "read", "pull-requests": "write"}
    steps = post["jobs"]["post"]["steps"]
    assert not any("checkout" in str(s.get("uses")) for s in steps)
    download = next(s for s in steps if "download-artifact" in str(s.get("uses")))
    action_step = steps_using_action(post)[0]
    saved = action_step["with"]["post-saved-comment"]
    assert saved == f"{download['with']['path']}/comment.json"
    assert download["with"]["name"] == upload[0]["with"]["name"]
    assert saved == "scorecard-comment/comment.json"  # what the tests above post from


def test_readme_workflows_pass_our_own_checks(tmp_path):
    reg = default_registry()
    std = default_standard(reg)
    for name, blocks in readme_workflows().items():
        for i, (text, _) in enumerate(blocks):
            root = tmp_path / f"{Path(name).stem}{i}"
            (root / ".github/workflows").mkdir(parents=True)
            (root / name).write_text(text, encoding="utf-8")
            card = grade_snapshot(open_local(root), std, reg)
            for cid in ("no-dangerous-triggers", "workflow-permissions-restricted"):
                r = card.result(cid)
                assert r is not None and r.status is Status.PASS, (name, r)


def test_events_validate_against_the_webhook_schemas(gh, tmp_path):
    project = Project(gh, tmp_path)
    sha = project.commit("feature", {"docs/a.md": "a\n"})
    gh.add_pull(REPO, 1, sha, project.base)
    gh.add_pull(REPO, 2, sha, project.base, from_fork=True)
    events = Events(gh, ADMIN_TOKEN)
    events.pull_request(REPO, 1)
    events.pull_request(REPO, 2, action="synchronize", before=project.base)
    events.push(REPO, sha, project.base)
    events.workflow_dispatch(REPO, inputs={"x": "1"})
    events.workflow_run(REPO, head_sha=sha, pull_numbers=(1,))
    bad = events.pull_request(REPO, 1)
    bad["pull_request"]["head"]["sha"] = 7
    with pytest.raises(Exception, match="is not of type"):
        validate("pull_request$opened", bad)
