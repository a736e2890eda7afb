"""Grading through the API, against the fake GitHub: the same answers as a checkout for every
file-based check, the API-only checks, resilience, and clear errors."""

from __future__ import annotations

import json
import time

import pytest
from fakegithub import ADMIN, READ, WORKFLOW, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import FileSpec, Symlink, build_repo, git, run_cli

from scorecard.github.client import GitHubClient
from scorecard.pipeline import grade_snapshot
from scorecard.registry import default_registry
from scorecard.sources.github import RepoNotFound, open_github
from scorecard.sources.local import open_local
from scorecard.standard import default_standard

TOKEN = "ghp_admin_token_0123456789"
API_ONLY = {
    "branch-protected",
    "secret-scanning-enabled",
    "code-scanning-configured",
    "codeowners-valid",
}

RICH: FileSpec = {
    "README.md": "# Widgets\n\n" + "Widgets make things. " * 40 + "\n\n```\ncode here\n```\n",
    "LICENSE": "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n",
    ".github/CODEOWNERS": "# owners\n* @acme/platform\n/docs/ @alice\n*.md @acme/docs\n",
    "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
    "  name: widgets\nspec:\n  type: service\n  lifecycle: production\n"
    "  owner: acme/platform\n",
    ".github/workflows/ci.yml": "name: CI\non: [push, pull_request]\npermissions: {}\njobs:\n"
    "  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - run: |\n          pip install -e .\n"
    "          pytest --cov\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    "SECURITY.md": "# Security\nMail security@example.com\n",
    "CONTRIBUTING.md": "Please test.\n",
    "CHANGELOG.md": "# 1.0\n",
    "docs/index.md": "# Docs\n",
    "docs/link.md": Symlink("index.md"),
    "src/widgets/__init__.py": "VERSION = '1.0'\n",
    "tests/test_widgets.py": "def test_x():\n    assert True\n",
    "tests/fixtures/key.pem": "-----BEGIN RSA PRIVATE KEY-----\nabc\n",
    "config/deploy.key": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n",
    "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00binary",
    "notes/latin1.txt": "caf\xe9".encode("latin-1"),
    "escape.md": Symlink("../../etc/passwd"),
}


def client_for(gh: FakeGitHub, token: str = TOKEN) -> GitHubClient:
    return GitHubClient(
        token, api_url=gh.api_url, graphql_url=gh.graphql_url, backoff=0.01, sleep=lambda s: None
    )


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_team("acme", "platform", members=["alice"])
    fake_github.add_team("acme", "docs")
    fake_github.add_user("alice")
    fake_github.add_token(TOKEN, ADMIN, login="admin-user")
    return fake_github


def add(gh: FakeGitHub, tmp_path, files=RICH, name="acme/widgets", **kw):
    root = build_repo(tmp_path / name.replace("/", "-"), files, commit=True)
    gh.add_repo(name, root, **kw)
    return root


def results(card):
    return {r.id: r for r in card.checks}


def test_same_answers_locally_and_through_the_api(gh, tmp_path):
    root = add(gh, tmp_path)
    reg = default_registry()
    std = default_standard(reg)
    local = results(grade_snapshot(open_local(root), std, reg))
    with open_github(client_for(gh), "acme/widgets") as snap:
        assert snap.commit == git(root, "rev-parse", "HEAD").strip()
        assert list(snap.files) == list(open_local(root).files)
        remote = results(grade_snapshot(snap, std, reg))
    assert set(local) == set(remote)
    compared = sorted(set(local) - API_ONLY)
    assert len(compared) >= 20
    for cid in compared:
        assert (
            local[cid].status,
            local[cid].message,
            local[cid].locations,
            dict(local[cid].data),
        ) == (
            remote[cid].status,
            remote[cid].message,
            remote[cid].locations,
            dict(remote[cid].data),
        ), cid
    assert remote["no-private-keys"].status.value == "fail"  # config/deploy.key
    gh.assert_clean()


def test_large_archives_spill_to_a_file_with_the_same_answers(gh, tmp_path, monkeypatch):
    import scorecard.sources.archive as archive

    root = add(gh, tmp_path)
    reg = default_registry()
    std = default_standard(reg)
    monkeypatch.setattr(archive, "MAX_IN_MEMORY", 100)
    with open_github(client_for(gh), "acme/widgets") as snap:
        assert isinstance(snap, archive.ArchiveSnapshot)
        assert snap.content.spilled  # one anonymous temporary file, never a folder
        remote = results(grade_snapshot(snap, std, reg))
    assert snap.content.stream.closed
    local = results(grade_snapshot(open_local(root), std, reg))
    for cid in sorted(set(local) - API_ONLY):
        assert (local[cid].status, local[cid].message) == (
            remote[cid].status,
            remote[cid].message,
        ), cid


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_the_archive_comes_from_the_graphql_link_without_the_token(gh, tmp_path, visibility):
    """The commit's ``tarballUrl`` spares the REST request that would redirect to it; the
    token is never sent to the download host (private links carry their own ticket)."""
    add(gh, tmp_path, visibility=visibility)
    client = client_for(gh)
    with open_github(client, "acme/widgets") as snap:
        assert "README.md" in snap.files
    assert gh.count(path_prefix="/repos/acme/widgets/tarball") == 0
    loads = [r for r in gh.requests if r.kind == "codeload"]
    assert len(loads) == 1 and loads[0].status == 200 and loads[0].token_kind is None
    assert client.links_work is True and gh.count() == 1  # the GraphQL query alone


def test_an_expired_link_falls_back_to_the_rest_archive_then_links_are_not_tried(gh, tmp_path):
    add(gh, tmp_path, visibility="private")
    add(gh, tmp_path, name="acme/gadgets", visibility="private")
    gh.graphql_links_expired = True
    client = client_for(gh)
    reg = default_registry()
    std = default_standard(reg)
    with open_github(client, "acme/widgets") as snap:
        first = results(grade_snapshot(snap, std, reg))
    assert client.links_work is False
    assert [r.status for r in gh.requests if r.kind == "codeload"] == [404, 200]
    assert gh.count(path_prefix="/repos/acme/widgets/tarball") == 1
    gh.reset_log()
    with open_github(client, "acme/gadgets"):
        pass
    assert [r.status for r in gh.requests if r.kind == "codeload"] == [200]  # straight to REST
    gh.graphql_links_expired = False
    with open_github(client_for(gh), "acme/widgets") as snap:
        again = results(grade_snapshot(snap, std, reg))
    assert {k: (v.status, v.message) for k, v in first.items()} == {
        k: (v.status, v.message) for k, v in again.items()
    }


def test_api_only_checks(gh, tmp_path):
    add(
        gh,
        tmp_path,
        secret_scanning="enabled",
        releases=2,
        rulesets=[
            {
                "name": "main",
                "target": "branch",
                "enforcement": "active",
                "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
                "rules": [
                    {
                        "type": "pull_request",
                        "parameters": {
                            "required_approving_review_count": 2,
                            "dismiss_stale_reviews_on_push": False,
                            "require_code_owner_review": False,
                            "require_last_push_approval": False,
                            "required_review_thread_resolution": False,
                        },
                    }
                ],
            }
        ],
    )
    reg = default_registry()
    with open_github(client_for(gh), "acme/widgets") as snap:
        card = results(grade_snapshot(snap, default_standard(reg), reg))
    assert card["branch-protected"].status.value == "pass"
    assert card["secret-scanning-enabled"].status.value == "pass"
    assert card["codeowners-valid"].status.value == "pass"


def test_unknown_owner_and_unprotected_branch(gh, tmp_path):
    files = {**RICH, ".github/CODEOWNERS": "* @acme/platform\n/docs/ @acme/nope\n"}
    add(gh, tmp_path, files=files)
    reg = default_registry()
    with open_github(client_for(gh), "acme/widgets") as snap:
        card = results(grade_snapshot(snap, default_standard(reg), reg))
    cv = card["codeowners-valid"]
    assert cv.status.value == "fail" and "@acme/nope" in cv.message
    assert [loc.line for loc in cv.locations] == [2]
    assert card["branch-protected"].status.value == "fail"


def test_read_token_gets_unknown_with_the_permission_needed(gh, tmp_path):
    add(gh, tmp_path, secret_scanning="enabled")
    gh.add_token("read-token", READ, login="reader")
    reg = default_registry()
    with open_github(client_for(gh, "read-token"), "acme/widgets") as snap:
        card = results(grade_snapshot(snap, default_standard(reg), reg))
    ss = card["secret-scanning-enabled"]
    assert ss.status.value == "unknown" and "administration: read" in ss.message


def test_inherited_community_files_and_releases(gh, tmp_path):
    files = {
        k: v for k, v in RICH.items() if k not in ("SECURITY.md", "CONTRIBUTING.md", "CHANGELOG.md")
    }
    add(gh, tmp_path, files=files, releases=3)
    add(
        gh,
        tmp_path,
        files={"SECURITY.md": "# Report here\n", "README.md": "org profile\n"},
        name="acme/.github",
    )
    reg = default_registry()
    with open_github(client_for(gh), "acme/widgets") as snap:
        card = results(grade_snapshot(snap, default_standard(reg), reg))
    assert card["security-policy-present"].status.value == "pass"
    assert "inherited" in card["security-policy-present"].message.lower() or card[
        "security-policy-present"
    ].data.get("inherited")
    assert card["contributing-present"].status.value == "fail"
    assert card["changelog-present"].status.value == "pass"
    assert "3" in card["changelog-present"].message


def test_workflow_token_sees_only_its_repository(gh, tmp_path):
    add(gh, tmp_path)
    add(gh, tmp_path, files={"README.md": "x"}, name="acme/other", visibility="private")
    gh.add_token("wf", WORKFLOW, repo="acme/widgets")
    with open_github(client_for(gh, "wf"), "acme/widgets") as snap:
        assert snap.has("README.md")
    with pytest.raises(RepoNotFound):
        open_github(client_for(gh, "wf"), "acme/other")


def test_resilience_faults_and_rate_limits_give_the_same_result(gh, tmp_path):
    add(gh, tmp_path)
    reg = default_registry()
    std = default_standard(reg)

    def grade_json():
        with open_github(client_for(gh), "acme/widgets") as snap:
            return grade_snapshot(snap, std, reg).to_json()

    expected = grade_json()
    gh.fault_rate, gh.seed, gh.slow_seconds = 0.3, 7, 0.05
    gh.secondary_rate, gh.retry_after = 0.2, 0
    gh.graphql_rate_limited, gh.primary_reset_seconds = 1, 1
    for _ in range(3):
        assert grade_json() == expected
    statuses = {r.status for r in gh.requests}
    assert statuses & {502, 503, 403}, statuses  # faults really happened


def test_primary_rate_limit_is_waited_out(gh, tmp_path):
    """Paced (see tests/test_pacing.py): the spent budget is waited for before a request is
    sent, so none is refused."""
    add(gh, tmp_path)
    gh.primary_limit, gh.primary_reset_seconds = 2, 1
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(min(seconds, 0.05))

    client = GitHubClient(TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url, sleep=sleep)
    with open_github(client, "acme/widgets") as snap:
        reg = default_registry()
        grade_snapshot(snap, default_standard(reg), reg)
    assert waits and client.pacer.waited > 0
    assert not [r for r in gh.requests if r.fault == "primary"]


def test_cli_grades_owner_repo_and_counts_requests(gh, tmp_path, capsys):
    add(gh, tmp_path)
    code, out = run_cli(
        "check",
        "acme/widgets",
        "--api-url",
        gh.api_url,
        "-f",
        "json",
        "--verbose",
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert code == 0, capsys.readouterr().err
    data = json.loads(out)
    assert data["target"] == "acme/widgets" and len(data["commit"]) == 40
    err = capsys.readouterr().err
    assert "GitHub API:" in err and "requests" in err
    assert TOKEN not in err and TOKEN not in out


@pytest.mark.parametrize(
    "setup,target,expected",
    [
        ("bad-token", "acme/widgets", "rejected the token"),
        ("none", "acme/missing", "not found"),
        ("sso", "sso-org/app", "single sign-on"),
    ],
)
def test_cli_errors_are_clear_and_never_leak_the_token(
    gh, tmp_path, capsys, setup, target, expected
):
    add(gh, tmp_path)
    token = TOKEN
    if setup == "bad-token":
        token = "ghp_wrong_token_zzzzzzzz"
    if setup == "sso":
        gh.add_org("sso-org", sso_required=True)
        add(gh, tmp_path, files={"README.md": "x"}, name="sso-org/app")
    code, out = run_cli("check", target, "--api-url", gh.api_url, env={"GITHUB_TOKEN": token})
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert token not in err and token not in out


def test_cli_ref_option(gh, tmp_path):
    root = add(gh, tmp_path)
    first = git(root, "rev-parse", "HEAD").strip()
    (root / "NEWFILE.md").write_text("x")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "more")
    code, out = run_cli(
        "check",
        "acme/widgets",
        "--api-url",
        gh.api_url,
        "--ref",
        first,
        "-f",
        "json",
        env={"GITHUB_TOKEN": TOKEN},
    )
    assert code == 0 and json.loads(out)["commit"] == first


def app_key(gh: FakeGitHub) -> str:
    """A new RSA key for app 4242, installed (77) on acme: the private key in PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    gh.add_app(4242, public.decode(), {77: "acme"})
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def test_github_app_installation_authentication(gh, tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    add(gh, tmp_path)
    pem = app_key(gh)
    key_file = tmp_path / "app.pem"
    key_file.write_text(pem)
    code, out = run_cli(
        "check",
        "acme/widgets",
        "--api-url",
        gh.api_url,
        "-f",
        "json",
        "--app-id",
        "4242",
        "--app-private-key",
        str(key_file),
        "--app-installation-id",
        "77",
        env={"GITHUB_TOKEN": ""},
    )
    assert code == 0, capsys.readouterr().err
    assert json.loads(out)["target"] == "acme/widgets"
    assert gh.count("POST", "/app/installations/77/access_tokens") == 1
    # a wrong key is refused with one clear message
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file.write_text(
        other.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    )
    code, _ = run_cli(
        "check",
        "acme/widgets",
        "--api-url",
        gh.api_url,
        "--app-id",
        "4242",
        "--app-private-key",
        str(key_file),
        "--app-installation-id",
        "77",
        env={"GITHUB_TOKEN": ""},
    )
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err, err


def test_an_installation_token_is_kept_until_it_nears_its_expiry(gh):
    import time

    from scorecard import secrets
    from scorecard.github import auth

    pem = app_key(gh)
    now = [time.time()]
    app = auth.AppInstallation(4242, pem, 77, api_url=gh.api_url, clock=lambda: now[0])
    first = app.token()
    assert app.token() == first and secrets.redact(first) != first
    assert gh.count("POST", "/app/installations/77/access_tokens") == 1
    # GitHub's tokens last an hour: within RENEW_BEFORE of the end, a new one is asked for
    now[0] += 3600 - auth.RENEW_BEFORE - 60
    assert app.token() == first
    now[0] += 61
    assert app.token() != first
    assert gh.count("POST", "/app/installations/77/access_tokens") == 2


@pytest.mark.parametrize(
    ("kind", "status", "said"),
    [
        (
            ADMIN,
            "fail",
            "code scanning is not available on this repository (Advanced Security must be enabled",
        ),
        (READ, "unknown", "administration: read"),
    ],
)
def test_code_scanning_unavailable_is_told_apart_from_a_missing_permission(
    gh, tmp_path, kind, status, said
):
    """Issue 13, fault 2: a private repository without Advanced Security answers 403 even to an
    admin; only a token that lacks the permission makes the check `unknown`."""
    add(
        gh,
        tmp_path,
        {"README.md": "# w\n"},
        visibility="private",
        code_scanning_default_setup="unavailable",
    )
    gh.add_token("ghp_other_token_4242", kind, login="someone")
    token = TOKEN if kind == ADMIN else "ghp_other_token_4242"
    client = GitHubClient(token, api_url=gh.api_url, graphql_url=gh.graphql_url)
    reg = default_registry()
    with open_github(client, "acme/widgets") as snap:
        card = grade_snapshot(snap, default_standard(reg), reg, only=["code-scanning-configured"])
    result = card.checks[0]
    assert (result.status.value, said in result.message) == (status, True), result.message
