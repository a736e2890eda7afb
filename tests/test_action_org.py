"""The Action's org modes against the fake GitHub: scan, report, dashboard issue, shards."""

from __future__ import annotations

import io
import json
import time

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.action import ActionEnv
from scorecard.action.env import ActionError
from scorecard.action.org import run_org
from scorecard.action.report import run_report_mode
from scorecard.registry import default_registry

TOKEN = "ghp_action_org_token"


def env_for(gh, tmp_path, **inputs):
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (tmp_path / "out.txt").touch()
    (tmp_path / "summary.md").touch()
    environ = {
        "GITHUB_WORKSPACE": str(ws),
        "GITHUB_REPOSITORY": "acme/.github",
        "GITHUB_API_URL": gh.api_url,
        "GITHUB_GRAPHQL_URL": gh.graphql_url,
        "GITHUB_OUTPUT": str(tmp_path / "out.txt"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "INPUT_TOKEN": TOKEN,
    }
    environ.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return ActionEnv(environ, io.StringIO()), ws


def org_of(gh, tmp_path, n=12):
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    root = build_repo(
        tmp_path / "tpl",
        {"README.md": "# x\n", "LICENSE": "MIT License\n", "CODEOWNERS": "* @acme/platform\n"},
        commit=True,
    )
    gh.add_team("acme", "platform")
    gh.add_repo("acme/.github", root)
    for i in range(n):
        gh.add_repo(f"acme/svc-{i:02d}", root)


def test_org_mode_scans_publishes_and_keeps_one_dashboard_issue(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path)
    env, ws = env_for(gh, tmp_path, **{"org": "acme", "history": "history.jsonl"})
    assert run_org(env, default_registry()) == 0
    out = ws / "scorecard-output"
    assert (out / "org-report.html").exists() and (out / "dashboard.md").exists()
    assert not (out / "report.json").exists()  # the name of a repository's scorecard
    report = json.loads((out / "org-report.json").read_text())
    assert len(report["repositories"]) == 13
    issues = gh.issues_of("acme/.github")
    assert len(issues) == 1 and issues[0].body.startswith("<!-- repo-scorecard: org-dashboard")
    assert (ws / "history.jsonl").read_text().count("\n") == 1
    summary = (tmp_path / "summary.md").read_text()
    assert "org-dashboard" in summary
    outputs = (tmp_path / "out.txt").read_text()
    assert "report-html<<" in outputs and "results-path<<" in outputs
    badges = sorted(p.name for p in (out / "badges" / "acme").glob("*.json"))
    assert len(badges) == 13 and "badges-dir<<" in outputs
    # a second run (a second later: scans are told apart by their start time) keeps one issue
    time.sleep(1.1)
    env, ws = env_for(gh, tmp_path, **{"org": "acme", "history": "history.jsonl"})
    (ws / "scorecard-output" / "results.jsonl").unlink()
    assert run_org(env, default_registry()) == 0
    assert len(gh.issues_of("acme/.github")) == 1
    assert (ws / "history.jsonl").read_text().count("\n") == 2


def test_the_action_entry_point_runs_the_org_modes(fake_github, tmp_path):  # noqa: F811
    from scorecard.action import run

    gh = fake_github
    org_of(gh, tmp_path, n=3)
    env, ws = env_for(gh, tmp_path, mode="org", org="acme", **{"dashboard-repo": "off"})
    assert run(env.environ, io.StringIO()) == 0
    assert (ws / "scorecard-output" / "org-report.html").exists()
    env, ws = env_for(gh, tmp_path, mode="report", **{"dashboard-repo": "off"})
    assert run(env.environ, io.StringIO()) == 0
    out = io.StringIO()
    env, ws = env_for(gh, tmp_path, mode="org", shard="5/3")
    assert run(env.environ, out) == 2 and "I must be between 1 and N" in out.getvalue()


def test_shards_then_report_mode(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path)
    for i in (1, 2, 3):
        env, ws = env_for(gh, tmp_path, **{"org": "acme", "shard": f"{i}/3"})
        assert run_org(env, default_registry()) == 0
    files = sorted(p.name for p in (ws / "scorecard-output").glob("results-*.jsonl"))
    assert files == ["results-1-of-3.jsonl", "results-2-of-3.jsonl", "results-3-of-3.jsonl"]
    assert gh.issues_of("acme/.github") == []  # shards do not publish
    env, ws = env_for(gh, tmp_path, **{"dashboard-repo": "off"})
    assert run_report_mode(env) == 0
    report = json.loads((ws / "scorecard-output" / "org-report.json").read_text())
    assert len(report["repositories"]) == 13
    assert gh.issues_of("acme/.github") == []
    env, ws = env_for(gh, tmp_path, **{"dashboard-repo": "off", "badges": "false"})
    (ws / "scorecard-output" / "badges").rename(ws / "old-badges")
    assert run_report_mode(env) == 0 and not (ws / "scorecard-output" / "badges").exists()
    env, ws = env_for(gh, tmp_path, **{"dashboard-repo": "off", "badge-max-age": "soon"})
    with pytest.raises(ActionError, match="badge-max-age 'soon'"):
        run_report_mode(env)


def test_incremental_org_mode_reuses_the_previous_run(fake_github, tmp_path):  # noqa: F811
    """Issue 13: the scheduled org scan, incremental end to end. The second run finds the
    first run's results file (a cache restores it on a fresh runner) and downloads nothing."""
    gh = fake_github
    org_of(gh, tmp_path, n=6)
    inputs = {"org": "acme", "incremental": "true", "dashboard-repo": "off"}
    env, ws = env_for(gh, tmp_path, **inputs)
    assert run_org(env, default_registry()) == 0
    results = ws / "scorecard-output" / "results.jsonl"
    assert results.exists() and not results.with_name("results.jsonl.partial").exists()
    downloads = gh.count(kind="codeload")
    assert downloads == 7
    env, ws = env_for(gh, tmp_path, **inputs)
    assert run_org(env, default_registry()) == 0
    assert gh.count(kind="codeload") == downloads  # nothing downloaded again
    outputs = (tmp_path / "out.txt").read_text()
    assert "reused<<" in outputs and "\n7\n" in outputs.split("reused<<", 1)[1]
    records = [json.loads(x) for x in results.read_text().splitlines()]
    assert sum(1 for r in records if r.get("reused")) == 7


def test_max_requests_stops_and_the_next_run_finishes(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path, n=12)
    inputs = {"org": "acme", "incremental": "true", "dashboard-repo": "off"}
    env, ws = env_for(gh, tmp_path, **{**inputs, "max-requests": "8"})
    out = env.out
    assert run_org(env, default_registry()) == 0
    assert "stopped before max-requests 8 could be passed" in out.getvalue()  # type: ignore[attr-defined]
    partial = ws / "scorecard-output" / "results.jsonl.partial"
    assert partial.exists() and not (ws / "scorecard-output" / "results.jsonl").exists()
    env, ws = env_for(gh, tmp_path, **inputs)
    assert run_org(env, default_registry()) == 0
    assert not partial.exists()
    done = [
        json.loads(x)["repository"]
        for x in (ws / "scorecard-output" / "results.jsonl").read_text().splitlines()
        if '"kind": "repository"' in x or '"kind":"repository"' in x
    ]
    assert len(done) == len(set(done)) == 13


def test_bad_numeric_inputs_are_named(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    org_of(gh, tmp_path, n=1)
    env, _ = env_for(gh, tmp_path, org="acme", **{"max-requests": "lots"})
    with pytest.raises(ActionError, match="max-requests 'lots': give a number, 1 or more"):
        run_org(env, default_registry())
