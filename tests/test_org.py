"""`scorecard org` against the fake GitHub with an organisation of 210 repositories."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.github.client import GitHubClient
from scorecard.org import (
    Filters,
    ResultWriter,
    ScanStats,
    done_repositories,
    parse_shard,
    read_records,
    scan,
    shard_of,
    team_of,
)
from scorecard.registry import default_registry

TOKEN = "ghp_org_admin_token_42"
N_REPOS = 210

VARIANTS = {
    "gold": {
        "README.md": "# Service\n\n" + "words " * 120,
        "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge\n",
        ".github/CODEOWNERS": "* @acme/platform\n",
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
        "  name: svc\nspec:\n  type: service\n  lifecycle: production\n"
        "  owner: group:acme/platform\n",
        ".github/workflows/ci.yml": "on: push\npermissions: {}\njobs:\n  t:\n    runs-on: x\n"
        "    steps:\n      - run: pytest --cov\n",
        "tests/test_a.py": "def test(): pass\n",
        "SECURITY.md": "# Security\n",
        "CONTRIBUTING.md": "x\n",
        "CHANGELOG.md": "x\n",
        ".github/dependabot.yml": "version: 2\n",
        "docs/a.md": "x\n",
    },
    "bronze": {
        "README.md": "# Tool\n",
        "LICENSE": "Apache License\nVersion 2.0\n",
        "CODEOWNERS": "* @acme/payments\n",
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    steps:\n      - run: make\n",
        "tests/x_test.go": "package x\n",
    },
    "none": {"main.py": "print(1)\n"},
    "keys": {"README.md": "# k\n", "deploy/id_rsa": "-----BEGIN RSA PRIVATE KEY-----\nx\n"},
    "weird": {
        "README.md": "<script>alert(1)</script> @acme/everyone\n",
        "CODEOWNERS": "* @acme/<b>team</b>\n",
    },
}


@pytest.fixture
def org(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_team("acme", "platform")
    gh.add_team("acme", "payments")
    gh.add_token(TOKEN, ADMIN, login="owner")
    roots = {
        name: build_repo(tmp_path / name, files, commit=True) for name, files in VARIANTS.items()
    }
    names = sorted(VARIANTS)
    for i in range(N_REPOS):
        variant = names[i % len(names)]
        gh.add_repo(
            f"acme/{variant}-{i:03d}",
            roots[variant],
            topics=[variant],
            secret_scanning="enabled" if i % 2 else "disabled",
        )
    gh.add_repo("acme/old", roots["gold"], archived=True)
    gh.add_repo("acme/forked", roots["gold"], fork=True)
    return gh


def client(gh, **kw) -> GitHubClient:
    return GitHubClient(
        TOKEN,
        api_url=gh.api_url,
        graphql_url=gh.graphql_url,
        backoff=0.01,
        sleep=lambda s: None,
        **kw,
    )


def run_scan(gh, out: Path, **kw) -> ScanStats:
    writer = ResultWriter(out)
    try:
        return scan(
            client(gh),
            "acme",
            default_registry(),
            filters=kw.pop("filters", Filters()),
            writer=writer,
            progress_stream=None,
            **kw,
        )
    finally:
        writer.close()


def graded(path: Path | list[Path]) -> dict[str, dict]:
    paths = path if isinstance(path, list) else [path]
    out: dict[str, dict] = {}
    for rec in read_records(paths):
        if rec["kind"] == "repository":
            card = rec["scorecard"]
            out[rec["repository"]] = {
                "level": card["level"],
                "score": card["score"],
                "team": rec["team"],
                "checks": {c["id"]: (c["status"], c["message"]) for c in card["checks"]},
            }
    return out


def test_full_scan(org, tmp_path):
    out = tmp_path / "results.jsonl"
    stats = run_scan(org, out)
    results = graded(out)
    assert len(results) == N_REPOS and stats.graded == N_REPOS and stats.failed == 0
    assert "acme/old" not in results and "acme/forked" not in results
    gold = results["acme/gold-001"]
    failing = {k for k, v in gold["checks"].items() if v[0] in ("fail", "error")}
    assert failing == {"branch-protected", "code-scanning-configured"}  # API-only facts
    assert gold["level"] == "Silver"
    assert gold["team"] == "platform"
    assert results["acme/bronze-000"]["team"] == "payments"
    assert results["acme/keys-002"]["checks"]["no-private-keys"][0] == "fail"
    assert results["acme/gold-001"]["checks"]["secret-scanning-enabled"][0] == "pass"
    assert results["acme/gold-006"]["checks"]["secret-scanning-enabled"][0] == "fail"
    # Batched: one GraphQL query per 25 (which gives each archive's download link: no REST
    # request for the archives), the listing, the org's teams and members; no repository
    # here runs a code scanner, so each asks GitHub for its code-scanning default setup (the
    # worst case), and the 42 whose CODEOWNERS names an unknown team ask GitHub's CODEOWNERS
    # errors. The archives come from the download host, one per repository.
    per_repo = stats.requests / N_REPOS
    assert org.count(path_prefix="/repos/acme/weird-") > 0
    assert per_repo <= 1.3, per_repo
    # every request but GET /rate_limit, which GitHub does not count
    assert org.count(path_prefix="/rate_limit") == 1
    assert stats.requests == org.count() - 1 and stats.downloads == N_REPOS
    assert org.count(kind="codeload") == N_REPOS
    assert org.count(path_prefix="/repos/acme/gold-001/tarball") == 0
    org.assert_clean()


def test_filters_and_shards(org, tmp_path):
    out = tmp_path / "f.jsonl"
    run_scan(
        org, out, filters=Filters(include=["gold-*", "old"], exclude=["gold-00*"], archived=True)
    )
    names = set(graded(out))
    assert "acme/old" in names and "acme/gold-001" not in names and "acme/gold-011" in names
    assert all(n.startswith("acme/gold-") or n == "acme/old" for n in names)
    out = tmp_path / "t.jsonl"
    run_scan(org, out, filters=Filters(topics=["keys", "weird"], visibility="public"))
    assert {n.split("/")[1].split("-")[0] for n in graded(out)} == {"keys", "weird"}
    assert parse_shard("2/3") == (2, 3)
    with pytest.raises(ValueError):
        parse_shard("4/3")
    assert shard_of("acme/x", 5) == shard_of("ACME/X", 5)


def test_shards_merged_equal_a_single_scan(org, tmp_path):
    single = tmp_path / "single.jsonl"
    run_scan(org, single)
    parts = []
    for i in (1, 2, 3):
        part = tmp_path / f"shard-{i}.jsonl"
        run_scan(org, part, filters=Filters(shard=(i, 3)))
        parts.append(part)
    sizes = [len(graded(p)) for p in parts]
    assert sum(sizes) == N_REPOS and all(s > 40 for s in sizes)
    assert graded(parts) == graded(single)


def test_faults_and_rate_limits_give_exactly_the_same_results(org, tmp_path):
    clean = tmp_path / "clean.jsonl"
    run_scan(org, clean)
    org.fault_rate, org.seed, org.slow_seconds = 0.05, 11, 0.05
    org.secondary_rate, org.retry_after = 0.05, 0
    noisy = tmp_path / "noisy.jsonl"
    stats = run_scan(org, noisy)
    assert stats.failed == 0
    assert graded(noisy) == graded(clean)
    assert any(r.status in (502, 503, 403, 429) for r in org.requests)


def test_a_broken_repository_is_recorded_and_the_scan_goes_on(org, tmp_path, monkeypatch):
    import scorecard.sources.github as source

    real = source.snapshot_from_facts

    def flaky(client, facts, **kw):
        if facts.full_name == "acme/none-003":
            raise RuntimeError("disk on fire")
        return real(client, facts, **kw)

    monkeypatch.setattr(source, "snapshot_from_facts", flaky)
    out = tmp_path / "r.jsonl"
    stats = run_scan(org, out)
    errors = [r for r in read_records([out]) if r["kind"] == "error"]
    assert [(e["repository"], e["error"]) for e in errors] == [
        ("acme/none-003", "RuntimeError: disk on fire")
    ]
    assert stats.graded == N_REPOS - 1 and stats.failed == 1
    # a resumed scan retries the failed repository only
    monkeypatch.setattr(source, "snapshot_from_facts", real)
    stats = run_scan(org, out, resume_from=done_repositories(out))
    assert stats.graded == 1 and stats.skipped_done == N_REPOS - 1


def test_org_standard_and_repository_files(org, tmp_path):
    root = build_repo(
        tmp_path / "dotgithub",
        {
            "org-standards.yml": "name: acme\nchecks:\n  license-present: false\nallow:\n"
            "  disable: false\n"
        },
        commit=True,
    )
    org.add_repo("acme/.github", root)
    rebel = build_repo(
        tmp_path / "rebel",
        {**VARIANTS["gold"], ".github/standards.yml": "checks:\n  readme-present: false\n"},
        commit=True,
    )
    org.add_repo("acme/rebel", rebel)
    out = tmp_path / "s.jsonl"
    run_scan(org, out, filters=Filters(include=["gold-00*", "rebel"]))
    results = graded(out)
    assert "license-present" not in results["acme/gold-001"]["checks"]
    errors = {r["repository"]: r["error"] for r in read_records([out]) if r["kind"] == "error"}
    assert "does not allow repositories to change disable" in errors["acme/rebel"]
    header = next(r for r in read_records([out]) if r["kind"] == "scan")
    assert "acme/.github:org-standards.yml" in header["standard"]


def test_team_names():
    assert team_of("@acme/platform", "acme") == "platform"
    assert team_of("group:default/platform", "acme") == "platform"
    assert team_of("group:acme/platform", "acme") == "platform"
    assert team_of("@alice", "acme") == "alice"
    assert team_of("@other/team", "acme") == "other/team"
    assert team_of(None, "acme") is None


def test_killed_scan_resumes_without_loss_or_duplicates(org, tmp_path):
    out = tmp_path / "killed.jsonl"
    org.latency = 0.01
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scorecard.cli",
            "org",
            "acme",
            "--api-url",
            org.api_url,
            "--output",
            str(out),
            "--concurrency",
            "4",
            "--batch-size",
            "10",
            "--quiet",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= 40:
            break
        if proc.poll() is not None:
            stderr = proc.stderr.read() if proc.stderr else b""
            pytest.fail(f"the scan ended early: {stderr.decode()}")
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = done_repositories(out)
    assert 30 <= len(before) < N_REPOS
    org.latency = 0
    from scorecard.cli import main

    code = main(
        [
            "org",
            "acme",
            "--api-url",
            org.api_url,
            "--output",
            str(out),
            "--resume",
            "--quiet",
            "--token",
            TOKEN,
        ],
        stdout=io.StringIO(),
    )
    assert code == 0
    names = [r["repository"] for r in read_records([out]) if r["kind"] == "repository"]
    assert len(names) == len(set(names)) == N_REPOS  # nothing lost, nothing twice
    assert before <= {n.lower() for n in names}


def test_cli_refuses_to_overwrite_without_resume(org, tmp_path, capsys):
    from scorecard.cli import main

    out = tmp_path / "x.jsonl"
    out.write_text('{"kind": "scan"}\n')
    code = main(
        ["org", "acme", "--api-url", org.api_url, "--output", str(out), "--token", TOKEN],
        stdout=io.StringIO(),
    )
    assert code == 2 and "--resume" in capsys.readouterr().err


def test_progress_lines_in_ci_logs(org, tmp_path):
    stream = io.StringIO()
    writer = ResultWriter(tmp_path / "p.jsonl")
    scan(
        client(org),
        "acme",
        default_registry(),
        filters=Filters(include=["none-*"]),
        writer=writer,
        progress_stream=stream,
    )
    writer.close()
    lines = stream.getvalue().splitlines()
    assert lines and lines[-1].startswith("scorecard org: 42/42 repositories graded")
    json.loads((tmp_path / "p.jsonl").read_text().splitlines()[0])


def test_max_requests_stops_before_the_budget_and_resume_finishes(org, tmp_path, capsys):
    """Issue 13, point 4: `--max-requests N` never passes N; what is left is graded by a
    resumed scan, with nothing lost or twice."""
    from scorecard.cli import main

    out = tmp_path / "budget.jsonl"
    argv = ["org", "acme", "--api-url", org.api_url, "--output", str(out), "--token", TOKEN]
    argv += ["--batch-size", "10", "--concurrency", "4", "--max-requests", "60"]
    first = len(org.requests)
    assert main(argv, stdout=io.StringIO()) == 0
    err = capsys.readouterr().err
    spent = [r for r in org.requests[first:] if "/tarball/" not in r.path]
    assert len(spent) <= 60, len(spent)
    assert "estimate: 21 GraphQL queries" in err and "the token has" in err
    assert "stopped before --max-requests 60 could be passed" in err
    done = done_repositories(out)
    assert 0 < len(done) < N_REPOS
    assert main([*argv[:-1], "100000", "--resume"], stdout=io.StringIO()) == 0
    assert "stopped before" not in capsys.readouterr().err
    repos = [r["repository"] for r in read_records([out]) if r["kind"] in ("repository", "error")]
    assert len(repos) == len(set(repos)) == N_REPOS
