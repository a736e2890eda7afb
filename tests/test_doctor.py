"""`repo-scorecard doctor`: what a token is, what it sees, which checks it leaves unknown,
against the fake GitHub."""

from __future__ import annotations

import pytest
from fakegithub import ADMIN, READ, WORKFLOW, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo, run_cli

ADMIN_TOKEN = "ghp_doctor_admin_0123456789"
READ_TOKEN = "github_pat_doctor_read_0123456789"
WORKFLOW_TOKEN = "ghs_doctor_workflow_0123456789"
FILES = {"README.md": "# w\n", ".github/CODEOWNERS": "* @acme/platform\n"}


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_team("acme", "platform", members=["alice"])
    fake_github.add_user("alice")
    fake_github.add_repo(
        "acme/widgets",
        build_repo(tmp_path / "w", FILES, commit=True),
        visibility="private",
        secret_scanning="enabled",
    )
    fake_github.add_token(ADMIN_TOKEN, ADMIN, login="admin-user")
    fake_github.add_token(READ_TOKEN, READ, login="reader")
    fake_github.add_token(WORKFLOW_TOKEN, WORKFLOW, repo="acme/widgets")
    return fake_github


def doctor(gh: FakeGitHub, token: str, *args: str) -> tuple[int, str]:
    return run_cli("doctor", *args, "--api-url", gh.api_url, env={"GITHUB_TOKEN": token})


def test_an_admin_token_sees_everything(gh):
    code, out = doctor(gh, ADMIN_TOKEN, "acme/widgets")
    assert "token: a classic personal access token" in out
    assert "user: admin-user" in out and "scopes: repo, read:org, admin:org" in out
    assert "ok repository: acme/widgets (private" in out and "role: admin" in out
    assert "no check will be unknown" in out, out
    assert code == 0, out


def test_a_read_token_is_told_which_checks_it_leaves_unknown_and_why(gh):
    code, out = doctor(gh, READ_TOKEN, "acme/widgets")
    assert code == 1, out
    assert "token: a fine-grained personal access token" in out
    assert "!! secret scanning setting:" in out and "[secret-scanning-enabled]" in out
    unknown = out.split("unknown with this token: ", 1)[1].splitlines()[0].split(", ")
    assert "secret-scanning-enabled" in unknown and "code-scanning-configured" in unknown
    assert "administration: read" in out.split("minimum fine-grained permissions", 1)[1]


def test_the_workflow_token_acts_as_no_user(gh):
    _, out = doctor(gh, WORKFLOW_TOKEN, "acme/widgets")
    assert "token: a GitHub App installation token" in out
    assert "user: none: an installation token acts as the app" in out


def test_a_repository_out_of_sight(gh):
    code, out = doctor(gh, READ_TOKEN, "acme/nothing")
    assert code == 1 and "!! repository: acme/nothing: repository acme/nothing not found" in out


def test_an_organisation(gh):
    code, out = doctor(gh, ADMIN_TOKEN, "--org", "acme")
    assert "ok repositories: 1 visible (1 private, 0 archived)" in out
    assert "ok teams: readable" in out and code == 0, out


@pytest.mark.parametrize("args", [(), ("acme/widgets", "--org", "acme"), ("not a repo",)])
def test_usage_errors(gh, args):
    code, _ = doctor(gh, ADMIN_TOKEN, *args)
    assert code == 2


def test_the_token_is_never_printed(gh):
    for token, args in ((ADMIN_TOKEN, ("acme/widgets",)), (READ_TOKEN, ("--org", "acme"))):
        _, out = doctor(gh, token, *args)
        assert token not in out
