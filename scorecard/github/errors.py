"""The errors of the GitHub layer: one sentence each, for a person, never with the token."""

from __future__ import annotations

from typing import Any


class GitHubError(Exception):
    """A request GitHub refused or that never succeeded. ``str()`` is one sentence."""

    def __init__(self, message: str, status: int | None = None,
                 data: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
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
