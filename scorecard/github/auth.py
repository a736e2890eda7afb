"""Credentials: a token, or a GitHub App installation, from options and the environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from scorecard import secrets
from scorecard.github.client import GitHubClient


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
        raise error(f"cannot read the GitHub App private key file {value!r}: "
                    f"{exc.strerror}") from None
    secrets.register(key)
    return key


def client_from_settings(*, token: str | None = None, api_url: str | None = None,
                         graphql_url: str | None = None, app_id: str | None = None,
                         app_private_key: str | None = None,
                         app_installation_id: str | None = None,
                         environ: Mapping[str, str] = os.environ,
                         error: type[Exception] = ValueError, **kw: Any) -> GitHubClient:
    """Options first, then the environment: ``GITHUB_TOKEN``/``GH_TOKEN``, or
    ``GITHUB_APP_ID`` + ``GITHUB_APP_PRIVATE_KEY`` + ``GITHUB_APP_INSTALLATION_ID``. Every
    token and key found is registered with :mod:`scorecard.secrets`, used or not."""
    register_credentials(environ, token)
    app_id = app_id or environ.get("GITHUB_APP_ID")
    app_key = app_private_key or environ.get("GITHUB_APP_PRIVATE_KEY")
    installation = app_installation_id or environ.get("GITHUB_APP_INSTALLATION_ID")
    api_url = api_url or environ.get("GITHUB_API_URL")
    graphql_url = graphql_url or environ.get("GITHUB_GRAPHQL_URL")
    app_auth = None
    if (app_id or app_key or installation) and not token:
        if not (app_id and app_key and installation):
            raise error("GitHub App authentication needs all three of --app-id, "
                        "--app-private-key and --app-installation-id (or GITHUB_APP_ID, "
                        "GITHUB_APP_PRIVATE_KEY and GITHUB_APP_INSTALLATION_ID)")
        try:
            from github import Auth
        except ImportError:
            raise error("GitHub App authentication needs PyGithub: pip install "
                        "'repo-scorecard[app]' (or pass a token: GITHUB_TOKEN, --token)") \
                from None
        try:
            app_auth = Auth.AppAuth(int(app_id), _private_key(app_key, error)) \
                .get_installation_auth(int(installation))
        except ValueError:
            raise error("--app-id and --app-installation-id are numbers") from None
    else:
        token = token or environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN")
        if not token:
            raise error("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), pass --token, or "
                        "use a GitHub App (--app-id, --app-private-key, --app-installation-id)")
    return GitHubClient(token, api_url=api_url, graphql_url=graphql_url, app_auth=app_auth, **kw)
