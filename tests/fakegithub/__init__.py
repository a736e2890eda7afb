"""A faithful fake GitHub for the test suite: REST (``/api/v3``) and GraphQL (``/api/graphql``)
served from real git repositories built in the tests, answering what the product reads.

    from fakegithub import FakeGitHub

    with FakeGitHub() as gh:
        gh.add_repo("acme/widgets", checkout)
        gh.add_token("t0k3n", "admin", login="octocat")
        requests.get(f"{gh.api_url}/repos/acme/widgets", headers={"Authorization": "token t0k3n"})

See ``server.FakeGitHub`` for the switches (latency, faults, rate limits) and counters.
"""

from .openapi import shared_validator
from .process import FakeGitHubProcess
from .server import FakeGitHub, RequestRecord
from .state import ADMIN, FORK, INSTALLATION, READ, WORKFLOW, FakeError, Repo, Token

__all__ = [
    "ADMIN",
    "FORK",
    "INSTALLATION",
    "READ",
    "WORKFLOW",
    "FakeError",
    "FakeGitHub",
    "FakeGitHubProcess",
    "Repo",
    "RequestRecord",
    "Token",
    "shared_validator",
]
