"""The dashboard issue: one open issue per repository, found by the hidden marker on its
first line (and written by this token's user, or by a bot when the token cannot tell its
login), labelled ``repo-scorecard``, created once and then edited in place, and not written at
all when its body and title are unchanged. A person's issue that quotes the marker is never
taken over."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scorecard.github.client import GitHubClient
from scorecard.github.comments import is_ours, own_login

LABEL = "repo-scorecard"


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _open_issues(client: GitHubClient, repo: str, label: str | None) -> Iterator[dict[str, Any]]:
    params: dict[str, Any] = {"state": "open", "sort": "created", "direction": "asc"}
    if label:
        params["labels"] = label
    for item in client.paginate(f"/repos/{repo}/issues", params):
        if isinstance(item, dict) and "pull_request" not in item:
            yield item


def find_dashboard(
    client: GitHubClient, repo: str, marker: str, login: str | None
) -> dict[str, Any] | None:
    """Our open dashboard issue: among the labelled ones first, then (when someone removed
    the label) among every open issue."""
    for label in (LABEL, None):
        for issue in _open_issues(client, repo, label):
            if is_ours(issue, marker, login):
                return issue
    return None


def upsert_dashboard(
    client: GitHubClient, repo: str, title: str, body: str, marker: str
) -> tuple[str, int | None]:
    """Create or update the dashboard issue of ``repo``.
    Returns ``("created"|"updated"|"unchanged", issue number)``."""
    login = own_login(client)
    issue = find_dashboard(client, repo, marker, login)
    if issue is None:
        _, created = client.rest(
            "POST", f"/repos/{repo}/issues", body={"title": title, "body": body, "labels": [LABEL]}
        )
        number = created.get("number") if isinstance(created, dict) else None
        return "created", int(number) if number is not None else None
    number = int(issue["number"])
    labels = [
        str(lab.get("name") if isinstance(lab, dict) else lab) for lab in issue.get("labels") or []
    ]
    patch: dict[str, Any] = {}
    if _norm(str(issue.get("body") or "")) != _norm(body):
        patch["body"] = body
    if str(issue.get("title") or "") != title:
        patch["title"] = title
    if LABEL not in labels:
        patch["labels"] = [*labels, LABEL]
    if not patch:
        return "unchanged", number
    client.rest("PATCH", f"/repos/{repo}/issues/{number}", body=patch)
    return "updated", number
