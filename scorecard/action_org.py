"""The Action's org modes: ``mode: org`` scans an organisation (or one shard of it) and,
unsharded, publishes the report; ``mode: report`` merges the shards' results and publishes.

Publishing means: the HTML report, the JSON and CSV, and the dashboard Markdown written to
``output-dir`` (for ``actions/upload-artifact`` or GitHub Pages), the dashboard issue created
or updated in place in ``dashboard-repo``, the history file updated when ``history`` names one,
and the dashboard written to the job summary.
"""

from __future__ import annotations

import argparse
import glob
import io
import os
from pathlib import Path
from typing import Any

from scorecard.github import workflow as wf
from scorecard.github.client import GitHubClient
from scorecard.org import Filters, ResultWriter, done_repositories, parse_shard, scan
from scorecard.registry import Registry


class OrgActionError(Exception):
    pass


def _client(env: Any) -> GitHubClient:
    from scorecard.action import _client as action_client

    client = action_client(env)
    if client is None:
        raise OrgActionError("mode: org needs a token that can read every repository (a GitHub "
                             "App installation token or a personal token)")
    return client


def run_org(env: Any, registry: Registry) -> int:
    org = env.input("org") or env.repository.split("/")[0]
    if not org:
        raise OrgActionError("mode: org needs the `org` input")
    shard_text = env.input("shard")
    try:
        shard = parse_shard(shard_text) if shard_text else None
    except ValueError as exc:
        raise OrgActionError(str(exc)) from None
    out_dir = env.output_dir()
    name = f"results-{shard[0]}-of-{shard[1]}.jsonl" if shard else "results.jsonl"
    results = out_dir / name
    client = _client(env)
    resume = done_repositories(results) if results.exists() else None
    writer = ResultWriter(results)
    try:
        stats = scan(client, org, registry, filters=Filters(shard=shard), writer=writer,
                     resume_from=resume, progress_stream=env.out,
                     log=lambda m: env.log(f"scorecard org: {m}"))
    finally:
        writer.close()
    env.log(f"scorecard org: {stats.graded} graded, {stats.failed} failed in "
            f"{stats.seconds:.0f} s ({stats.requests} API requests, {stats.downloads} archive "
            "downloads)")
    for failure in stats.failures[:10]:
        env.command("warning", failure, title="scorecard org")
    outputs = {"results-path": _rel(env, results), "graded": str(stats.graded),
               "failed": str(stats.failed)}
    if shard:  # the merge job publishes
        wf.set_outputs(outputs, env.get("GITHUB_OUTPUT") or None, env.out)
        return 0
    return publish(env, [str(results)], outputs)


def run_report_mode(env: Any) -> int:
    pattern = env.input("results", f"{env.input('output-dir', 'scorecard-output')}/**/*.jsonl")
    base = env.workspace
    files = sorted(set(glob.glob(str(base / pattern), recursive=True)))
    if not files:
        raise OrgActionError(f"mode: report found no results files matching {pattern!r}")
    return publish(env, files, {})


def publish(env: Any, files: list[str], outputs: dict[str, str]) -> int:
    from scorecard.report.command import run_report

    out_dir = env.output_dir()
    paths = {kind: out_dir / f"report.{kind}" for kind in ("html", "json", "csv")}
    paths["markdown"] = out_dir / "dashboard.md"
    history = env.input("history")
    dashboard_repo = env.input("dashboard-repo", env.repository)
    if dashboard_repo.lower() in ("off", "none", "false"):
        dashboard_repo = ""
    args = argparse.Namespace(
        files=files, html=str(paths["html"]), markdown=str(paths["markdown"]),
        json=str(paths["json"]), csv=str(paths["csv"]),
        history=str(env.workspace / history) if history else None, no_history_update=False,
        report_url=env.input("report-url") or None, issue=dashboard_repo or None,
        title=env.input("dashboard-title") or None,
        token=env.input("token") or env.get("GITHUB_TOKEN") or None,
        api_url=env.get("GITHUB_API_URL") or None,
        graphql_url=env.get("GITHUB_GRAPHQL_URL") or None,
        app_id=None, app_private_key=None, app_installation_id=None)

    def client_for(ns: argparse.Namespace) -> GitHubClient:
        return _client(env)

    code = run_report(args, io.StringIO(), client_for)
    if code != 0:
        raise OrgActionError("the report could not be rendered (see the messages above)")
    wf.append_summary(paths["markdown"].read_text(encoding="utf-8"),
                      env.get("GITHUB_STEP_SUMMARY") or None)
    outputs.update({f"report-{k}": _rel(env, p) for k, p in paths.items()})
    wf.set_outputs(outputs, env.get("GITHUB_OUTPUT") or None, env.out)
    return 0


def _rel(env: Any, path: Path) -> str:
    try:
        return str(Path(path).relative_to(env.workspace))
    except ValueError:
        return os.fspath(path)
