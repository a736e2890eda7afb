"""Fix pull requests through the API (scorecard.github.fixpr) against the fake GitHub: opened
once, updated in place, never duplicated, a declined one left alone until the fixes change, the
default branch never written, a read-only token refused with nothing half-written."""

from __future__ import annotations

import subprocess

import pytest
from fakegithub import ADMIN, INSTALLATION
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo

from scorecard.github.client import GitHubClient
from scorecard.github.fixpr import BRANCH, FileChange, FixPRError, Proposal, propose

TOKEN = "ghp_fix_pr_token"
READ_ONLY = "ghs_fix_pr_read_only"
REPO = "acme/api"


@pytest.fixture
def gh(fake_github, tmp_path):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    gh.add_token(
        READ_ONLY,
        INSTALLATION,
        org="acme",
        permissions={"contents": "read", "metadata": "read", "pull_requests": "read"},
    )
    gh.root = build_repo(tmp_path / "api", {"README.md": "# api\n"}, commit=True)
    gh.add_repo(REPO, gh.root)
    return gh


def client(gh, token: str = TOKEN) -> GitHubClient:
    return GitHubClient(token, api_url=gh.api_url, graphql_url=gh.graphql_url)


def proposal(text: str = "Report vulnerabilities to security@acme.test\n") -> Proposal:
    return Proposal(
        title="Scorecard fixes",
        body="- `SECURITY.md`: how to report a vulnerability",
        message="Add a security policy",
        changes=(FileChange("SECURITY.md", text.encode()), FileChange("README.md", None)),
    )


def git(gh, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(gh.root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def pulls(gh) -> list:
    return gh.issues_of(REPO, pulls=True)


def test_opened_once_then_unchanged_then_updated(gh):
    main_before = git(gh, "rev-parse", "main")
    out = propose(client(gh), REPO, proposal())
    assert out.action == "opened" and out.number is not None
    (pr,) = pulls(gh)
    assert (
        pr.pull.head_ref == BRANCH and pr.pull.base_ref == "main" and pr.title == "Scorecard fixes"
    )
    assert git(gh, "rev-parse", "main") == main_before  # the default branch is never written
    tree = git(gh, "ls-tree", "--name-only", BRANCH)
    assert tree.split() == ["SECURITY.md"]  # added one file, deleted the other
    assert git(gh, "show", f"{BRANCH}:SECURITY.md").startswith("Report vulnerabilities")
    assert git(gh, "log", "-1", "--format=%cn %s", BRANCH) == "GitHub Add a security policy"
    gh.reset_log()
    again = propose(client(gh), REPO, proposal())
    assert (again.action, again.number) == ("unchanged", out.number)
    assert gh.count("POST") == gh.count("PATCH") == 0
    changed = propose(client(gh), REPO, proposal("Mail security@acme.test\n"))
    assert (changed.action, changed.number) == ("updated", out.number)
    assert len(pulls(gh)) == 1
    assert git(gh, "show", f"{BRANCH}:SECURITY.md") == "Mail security@acme.test"
    assert git(gh, "rev-list", "--count", f"main..{BRANCH}") == "1"  # one commit, on the base


def test_closed_unmerged_is_left_alone_until_the_fixes_change(gh):
    out = propose(client(gh), REPO, proposal())
    (pr,) = pulls(gh)
    pr.state = "closed"
    assert propose(client(gh), REPO, proposal()).action == "declined"
    assert pulls(gh)[0].state == "closed"
    new = propose(client(gh), REPO, proposal("Mail us\n"))
    assert (new.action, new.number) == ("reopened", out.number)
    assert [p.state for p in pulls(gh)] == ["open"]


def test_merged_then_new_fixes_open_a_new_pull_request(gh):
    first = propose(client(gh), REPO, proposal())
    (pr,) = pulls(gh)
    pr.state, pr.pull.merged = "closed", True
    assert propose(client(gh), REPO, proposal("Mail us\n")).action == "opened"
    assert first.number is not None
    assert [p.number for p in pulls(gh)] == [first.number, first.number + 1]


def test_dry_run_writes_nothing(gh):
    gh.reset_log()
    assert propose(client(gh), REPO, proposal(), dry_run=True).action == "would be opened"
    assert gh.count("POST") == gh.count("PATCH") == 0 and pulls(gh) == []


def test_nothing_to_change_writes_nothing(gh):
    empty = Proposal("t", "b", "m", ())
    assert propose(client(gh), REPO, empty).action == "nothing"
    assert pulls(gh) == []


def test_never_the_default_branch(gh):
    with pytest.raises(FixPRError, match="refusing to write the default branch 'main'"):
        propose(client(gh), REPO, proposal(), branch="main")


def test_read_only_token_is_refused_with_nothing_half_written(gh):
    with pytest.raises(FixPRError) as exc:
        propose(client(gh, READ_ONLY), REPO, proposal())
    assert "the branch scorecard/fixes could not be written" in str(exc.value)
    assert "Resource not accessible by integration" in str(exc.value)
    assert BRANCH not in git(gh, "branch", "--list", BRANCH) and pulls(gh) == []


def test_a_refused_pull_request_leaves_no_branch(gh):
    """An App that may push but not open pull requests: the branch it made is deleted."""
    gh.add_token(
        "ghs_contents_only",
        INSTALLATION,
        org="acme",
        permissions={"contents": "write", "metadata": "read", "pull_requests": "read"},
    )
    with pytest.raises(FixPRError, match="the pull request could not be written"):
        propose(client(gh, "ghs_contents_only"), REPO, proposal())
    assert git(gh, "branch", "--list", BRANCH) == "" and pulls(gh) == []
