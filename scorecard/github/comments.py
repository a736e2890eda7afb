"""Sticky comments: one comment per pull request (or one dashboard issue), found by a hidden
marker and edited in place, never a second one, and not written at all when nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scorecard.github.client import Forbidden, GitHubClient, NotFound


def own_login(client: GitHubClient) -> str | None:
    """The token's login, when GitHub tells (``/user`` is forbidden to workflow and App
    installation tokens)."""
    try:
        data = client.get("/user")
    except (Forbidden, NotFound):
        return None
    login = data.get("login") if isinstance(data, dict) else None
    return str(login) if login else None


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def is_ours(comment: dict[str, Any], marker: str, login: str | None) -> bool:
    body = str(comment.get("body") or "")
    if not body.lstrip().startswith(marker):
        return False
    user = comment.get("user") or {}
    if login is not None:
        return bool(user.get("login") == login)
    # Without our login (a workflow token), only a bot's comment can be ours: a person quoting
    # the marker must never have their comment overwritten.
    return bool(user.get("type") == "Bot")


def upsert_comment(
    client: GitHubClient,
    repo: str,
    number: int,
    body: str,
    marker: str,
    login: str | None = None,
    *,
    same: Callable[[str, str], bool] | None = None,
) -> tuple[str, int | None]:
    """Create or update our comment on issue/pull request ``number``; ``same(old, new)``
    may say that the existing body already says what ``body`` says (by default: equal text).
    Returns ``("created"|"updated"|"unchanged", comment id)``."""
    mine = None
    for comment in client.paginate(f"/repos/{repo}/issues/{number}/comments"):
        if is_ours(comment, marker, login):
            mine = comment
            break
    if mine is not None:
        old = _norm(str(mine.get("body") or ""))
        if old == _norm(body) or (same is not None and same(old, _norm(body))):
            return "unchanged", int(mine["id"])
        client.rest("PATCH", f"/repos/{repo}/issues/comments/{mine['id']}", body={"body": body})
        return "updated", int(mine["id"])
    _, created = client.rest("POST", f"/repos/{repo}/issues/{number}/comments", body={"body": body})
    return "created", int(created["id"]) if isinstance(created, dict) and "id" in created else None
