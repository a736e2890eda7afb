"""The token never leaves the process: a fake GitHub that echoes the ``Authorization`` header
in its error bodies (401, 403, 500), and every output of `scorecard check`, `scorecard org` and
`scorecard report` (standard output, standard error, logs, every file written) scanned for it.

The canary does not look like a GitHub token, so only its registration can remove it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fakegithub import ADMIN, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard import secrets
from scorecard.cli import main
from scorecard.github.client import GitHubClient

CANARY = "canary-tok-7f3e9a1c5b2d4e6f"


@pytest.fixture(autouse=True)
def _clean():
    secrets._forget_all()
    yield
    secrets._forget_all()


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_token(CANARY, ADMIN, login="admin-user")
    for name in ("acme/widgets", "acme/gadgets"):
        root = build_repo(tmp_path / name.replace("/", "-"), {"README.md": "# hi\n"}, commit=True)
        fake_github.add_repo(name, root)
    return fake_github


def scorecard(gh: FakeGitHub, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(GITHUB_TOKEN=CANARY, GITHUB_API_URL=gh.api_url, GITHUB_GRAPHQL_URL=gh.graphql_url)
    return subprocess.run(
        [sys.executable, "-m", "scorecard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_no_canary(*texts: str, folder: Path | None = None) -> None:
    for text in texts:
        assert CANARY not in text
    for path in folder.rglob("*") if folder else ():
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


@pytest.mark.parametrize("status", [401, 403])
def test_check_never_prints_the_token(gh, tmp_path, status):
    gh.echo_auth = {"/graphql": status}
    proc = scorecard(gh, tmp_path, "check", "acme/widgets", "--verbose")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "***" in proc.stderr  # the server's text is there, the token is not
    assert_no_canary(proc.stdout, proc.stderr, folder=tmp_path)


def test_check_with_a_500_that_echoes_the_token(gh, tmp_path, capsys, caplog, monkeypatch):
    monkeypatch.setattr(GitHubClient, "_backoff", lambda self, attempt: 0.0)
    monkeypatch.setenv("GITHUB_TOKEN", CANARY)
    monkeypatch.setenv("GITHUB_API_URL", gh.api_url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", gh.graphql_url)
    gh.echo_auth = {"/graphql": 500}
    assert main(["check", "acme/widgets", "--verbose"]) == 2
    out, err = capsys.readouterr()
    assert "HTTP 500" in err
    assert_no_canary(out, err, caplog.text, folder=tmp_path)


def scan_and_report(gh: FakeGitHub, tmp_path: Path) -> tuple[Path, list[str]]:
    out = tmp_path / "out"
    out.mkdir()
    # the archive downloads fail with the token echoed: each repository's error is recorded
    gh.echo_auth = {
        "/_codeload/": 403,
        "/repos/acme/widgets/tarball": 403,
        "/repos/acme/gadgets/tarball": 401,
    }
    org = scorecard(gh, out, "org", "acme", "--output", "results.jsonl", "--verbose")
    assert org.returncode == 0, org.stderr
    assert "Traceback" not in org.stderr
    records = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    errors = [r["error"] for r in records if r["kind"] == "error"]
    assert len(errors) == 2 and all("Authorization: token ***" in e for e in errors), errors
    return out, [org.stdout, org.stderr]


def test_org_scan_never_writes_the_token(gh, tmp_path):
    out, texts = scan_and_report(gh, tmp_path)
    assert_no_canary(*texts, folder=out)


def test_report_never_writes_the_token(gh, tmp_path):
    out, texts = scan_and_report(gh, tmp_path)
    gh.echo_auth = {}
    report = scorecard(
        gh,
        out,
        "report",
        "results.jsonl",
        "--html",
        "report.html",
        "--json",
        "report.json",
        "--csv",
        "report.csv",
        "--markdown",
        "dashboard.md",
    )
    assert report.returncode == 0, report.stderr
    assert {"report.html", "report.json", "report.csv", "dashboard.md"} <= {
        p.name for p in out.iterdir()
    }
    assert_no_canary(*texts, report.stdout, report.stderr, folder=out)


def test_app_key_and_installation_token_never_printed(gh, tmp_path, capsys, caplog, monkeypatch):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    gh.add_app(
        4242,
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode(),
        {77: "acme"},
    )
    gh.echo_auth = {"/graphql": 403}
    for name in ("GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", pem.replace("\n", "\\n"))  # as CI secrets do
    code = main(
        [
            "check",
            "acme/widgets",
            "--api-url",
            gh.api_url,
            "--graphql-url",
            gh.graphql_url,
            "--app-id",
            "4242",
            "--app-installation-id",
            "77",
            "--verbose",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 2 and "forbidden (403" in err
    installation = [v for v, t in gh.tokens.items() if t.kind == "installation"]
    assert installation
    body = [line for line in pem.splitlines()[1:-1] if len(line) >= secrets.MIN_LENGTH]
    for value in [*installation, *body]:
        assert value not in out + err + caplog.text
        assert secrets.redact(f"x {value} y") == "x *** y"
