"""Every GraphQL query the product can send is valid for GitHub: parsed against GitHub's public
schema and checked with all of graphql-core's specified validation rules, which GitHub applies
too (an unused fragment, an unknown field, a wrong argument type are errors there).

Issue 13, fault 1: an org scan first asks for the organisation's community files alone, and the
query carried ``fragment RepoFacts`` unused; GitHub refused it, so the org-wide SECURITY and
CONTRIBUTING files were never read.
"""

from __future__ import annotations

import pytest
from fakegithub import ADMIN
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from fakegithub.gql import github_schema
from graphql import parse, specified_rules, validate
from harness import build_repo

from scorecard.github.client import GitHubClient
from scorecard.github.queries import org_standard_query, repos_query
from scorecard.org import Filters, ResultWriter, read_records, scan
from scorecard.registry import default_registry

TOKEN = "ghp_contract_token_13"


REPOS = {
    "none": [],
    "one": [("acme", "widgets")],
    "many": [("acme", f"repo-{i}") for i in range(30)],
    "odd names": [("acme", 'we"ird\\name'), ("ACME-2", "x.y_z")],
}


def errors_of(query: str) -> list[str]:
    return [e.message for e in validate(github_schema(), parse(query), specified_rules)]


#: Every shape the product sends: any repositories, with or without the community files and a
#: ref (the community files alone, with no repository, are an org scan's first query).
SHAPES = [
    (repos, community, ref)
    for repos in sorted(REPOS)
    for community in (None, "acme")
    for ref in (None, "refs/heads/main", 'HEAD~1"')
    if REPOS[repos] or community
]


@pytest.mark.parametrize(("repos", "community", "ref"), SHAPES)
def test_every_shape_of_the_repositories_query_is_valid(
    repos: str, community: str | None, ref: str | None
) -> None:
    assert errors_of(repos_query(REPOS[repos], org_community=community, ref=ref)) == []


def test_the_community_files_alone_carry_no_unused_fragment() -> None:
    query = repos_query([], org_community="acme")
    assert "RepoFacts" not in query
    assert errors_of(query) == []


@pytest.mark.parametrize("path", ["org-standards.yml", 'odd "path".yml'])
def test_the_org_standard_query_is_valid(path: str) -> None:
    assert errors_of(org_standard_query("acme", path)) == []


def test_an_org_scan_reads_the_org_wide_security_policy(fake_github, tmp_path):  # noqa: F811
    """End to end: a repository without its own SECURITY.md inherits the organisation's."""
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="owner")
    gh.add_repo(
        "acme/.github",
        build_repo(
            tmp_path / "dotgithub",
            {"SECURITY.md": "# Security\n\nReport to security@acme.example.\n"},
            commit=True,
        ),
    )
    gh.add_repo("acme/widgets", build_repo(tmp_path / "w", {"README.md": "# w\n"}, commit=True))
    out = tmp_path / "results.jsonl"
    writer = ResultWriter(out)
    client = GitHubClient(
        TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url, backoff=0.01, sleep=lambda s: None
    )
    try:
        scan(
            client,
            "acme",
            default_registry(),
            filters=Filters(),
            writer=writer,
            progress_stream=None,
            workers=2,
        )
    finally:
        writer.close()
    record = next(r for r in read_records([out]) if r.get("repository") == "acme/widgets")
    policy = next(c for c in record["scorecard"]["checks"] if c["id"] == "security-policy-present")
    assert policy["status"] == "pass", policy
    assert policy["data"]["inherited"] is True
