"""A faithful fake GitHub for the test suite: REST (``/api/v3``) and GraphQL (``/api/graphql``)
served from real git repositories built in the tests.

    from fakegithub import FakeGitHub

    with FakeGitHub() as gh:
        gh.add_repo("acme/widgets", checkout)
        gh.add_token("t0k3n", "admin", login="octocat")
        requests.get(f"{gh.api_url}/repos/acme/widgets", headers={"Authorization": "token t0k3n"})

See ``server.FakeGitHub`` for the switches (latency, faults, rate limits) and counters.
"""

from .gql import github_schema
from .openapi import OpenAPIValidator, load_subset, shared_validator
from .process import FakeGitHubProcess
from .server import FAULT_KINDS, FakeGitHub, RequestRecord
from .state import (
    ADMIN,
    FORK,
    INSTALLATION,
    READ,
    TOKEN_KINDS,
    WORKFLOW,
    Comment,
    FakeError,
    Issue,
    Org,
    Pull,
    Repo,
    Team,
    Token,
    User,
)

__all__ = [
    "ADMIN",
    "FAULT_KINDS",
    "FORK",
    "INSTALLATION",
    "READ",
    "TOKEN_KINDS",
    "WORKFLOW",
    "Comment",
    "FakeError",
    "FakeGitHub",
    "FakeGitHubProcess",
    "Issue",
    "OpenAPIValidator",
    "Org",
    "Pull",
    "Repo",
    "RequestRecord",
    "Team",
    "Token",
    "User",
    "github_schema",
    "load_subset",
    "shared_validator",
]
