"""The errors of the GitHub layer: one sentence each, for a person, never with the token.

A message is often built from the server's own words (an error body's ``message``, a GraphQL
error), and a server may echo the request's ``Authorization`` header: every message passes
through :func:`scorecard.secrets.redact` here, where it is made.
"""

from __future__ import annotations

from typing import Any

from scorecard.secrets import redact


class GitHubError(Exception):
    """A request GitHub refused or that never succeeded. ``str()`` is one sentence, with every
    secret redacted (``data`` and ``headers`` are the server's answer as it was)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(redact(" ".join(message.split())))
        self.status, self.data, self.headers = status, data, headers or {}


class BadCredentials(GitHubError):
    pass


class NotFound(GitHubError):
    pass


class Forbidden(GitHubError):
    pass


class SSORequired(Forbidden):
    pass


class RateLimited(GitHubError):
    pass


class BadResponse(GitHubError):
    """An answer that is not what GitHub sends: not JSON, or JSON of another shape."""


class DeadlineExceeded(GitHubError):
    """A request that had no complete answer within its deadline (a server that trickles)."""
