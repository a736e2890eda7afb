"""Credentials: a token, or a GitHub App installation, from options and the environment."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from scorecard import secrets
from scorecard.github.client import DEFAULT_API_URL, USER_AGENT, GitHubClient, HTTPFailure

#: An installation token (valid one hour) is renewed this many seconds before it expires, so
#: that none expires during a request that uses it.
RENEW_BEFORE = 300


def register_credentials(environ: Mapping[str, str], *values: str | None) -> None:
    """Register with :mod:`scorecard.secrets` the credentials of ``environ`` (``GITHUB_TOKEN``,
    ``GH_TOKEN``, an inline ``GITHUB_APP_PRIVATE_KEY``) and ``values`` (tokens from options or
    inputs), where they enter the process, whether they are used or not."""
    for value in (environ.get("GITHUB_TOKEN"), environ.get("GH_TOKEN"), *values):
        secrets.register(value)
    key = environ.get("GITHUB_APP_PRIVATE_KEY") or ""
    if "-----BEGIN" in key:
        secrets.register(key)
        secrets.register(key.replace("\\n", "\n"))


def _private_key(value: str, error: type[Exception]) -> str:
    """A PEM key given itself or as a path to a file holding it; registered as a secret (every
    line of it) before anything can print it."""
    if "-----BEGIN" in value:
        secrets.register(value)
        key = value.replace("\\n", "\n")
        secrets.register(key)
        return key
    try:
        with open(os.path.expanduser(value), encoding="utf-8") as fh:
            key = fh.read()
    except OSError as exc:
        raise error(
            f"cannot read the GitHub App private key file {value!r}: {exc.strerror}"
        ) from None
    secrets.register(key)
    return key


class AppInstallation:
    """A GitHub App installation's tokens, through PyGithub's documented App API: a
    ``GithubIntegration`` signs the app's JWT with its private key and asks
    ``POST /app/installations/{id}/access_tokens``; each token is kept until
    :data:`RENEW_BEFORE` seconds before it expires, and registered as a secret before it is
    ever sent."""

    def __init__(
        self,
        app_id: int,
        private_key: str,
        installation_id: int,
        *,
        api_url: str,
        timeout: int = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        from github import Auth, GithubIntegration

        self.installation_id = installation_id
        self._integration = GithubIntegration(
            # the id as text: a recent PyJWT refuses a number as the issuer, and PyGithub 2.3
            # (our lowest) passes the id through as given (make test-lowest found it)
            auth=Auth.AppAuth(str(app_id), private_key),
            base_url=api_url,
            timeout=timeout,
            user_agent=USER_AGENT,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()
        self._clock = clock

    def token(self) -> str:
        from github import GithubException

        with self._lock:
            if self._token is None or self._clock() >= self._expires - RENEW_BEFORE:
                try:
                    issued = self._integration.get_access_token(self.installation_id)
                except GithubException as exc:
                    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
                    raise HTTPFailure(exc.status, exc.data, headers) from None
                secrets.register(issued.token)
                self._token = issued.token
                expires = issued.expires_at
                self._expires = expires.timestamp() if expires else self._clock() + 3600
            return self._token


def client_from_settings(
    *,
    token: str | None = None,
    api_url: str | None = None,
    graphql_url: str | None = None,
    app_id: str | None = None,
    app_private_key: str | None = None,
    app_installation_id: str | None = None,
    environ: Mapping[str, str] = os.environ,
    error: type[Exception] = ValueError,
    **kw: Any,
) -> GitHubClient:
    """Options first, then the environment: ``GITHUB_TOKEN``/``GH_TOKEN``, or
    ``GITHUB_APP_ID`` + ``GITHUB_APP_PRIVATE_KEY`` + ``GITHUB_APP_INSTALLATION_ID``. Every
    token and key found is registered with :mod:`scorecard.secrets`, used or not."""
    register_credentials(environ, token)
    app_id = app_id or environ.get("GITHUB_APP_ID")
    app_key = app_private_key or environ.get("GITHUB_APP_PRIVATE_KEY")
    installation = app_installation_id or environ.get("GITHUB_APP_INSTALLATION_ID")
    api_url = api_url or environ.get("GITHUB_API_URL")
    graphql_url = graphql_url or environ.get("GITHUB_GRAPHQL_URL")
    app_auth: AppInstallation | None = None
    if (app_id or app_key or installation) and not token:
        if not (app_id and app_key and installation):
            raise error(
                "GitHub App authentication needs all three of --app-id, "
                "--app-private-key and --app-installation-id (or GITHUB_APP_ID, "
                "GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID)"
            )
        try:
            numbers = int(app_id), int(installation)
        except ValueError:
            raise error("--app-id and --app-installation-id are numbers") from None
        try:
            app_auth = AppInstallation(
                numbers[0],
                _private_key(app_key, error),
                numbers[1],
                api_url=api_url or DEFAULT_API_URL,
                timeout=kw.get("timeout", 30),
            )
        except ImportError:
            raise error(
                "GitHub App authentication needs PyGithub: pip install "
                "'repo-scorecard[app]' (or pass a token: GITHUB_TOKEN, --token)"
            ) from None
    else:
        token = token or environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN")
        if not token:
            raise error(
                "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), pass --token, or "
                "use a GitHub App (--app-id, --app-private-key, --app-installation-id)"
            )
    return GitHubClient(token, api_url=api_url, graphql_url=graphql_url, app_auth=app_auth, **kw)
