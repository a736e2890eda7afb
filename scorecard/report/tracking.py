"""Tracking issues: one issue per repository per campaign that asks for them (``issues:`` in
the campaign, opt-in), written by ``repo-scorecard report --campaign-issues`` from the scan's
results.

For each graded repository and each such campaign:

- it falls short (``not met``): an issue is opened (at most ``max_new`` new ones per campaign
  per scan; the rest wait for the next scan, and the log says how many), or its open issue is
  updated in place when what it says changed, or its closed issue is reopened;
- it meets the campaign: its open issue gets a comment and is closed (completed);
- the campaign no longer applies (none of its checks ran): its open issue gets a comment and is
  closed (not planned);
- ``unknown`` (a check could not be read): nothing is written.

An issue is found again by a hidden marker on its first line (written by this token's user, or
by a bot when the token cannot tell its login: a person's issue that quotes the marker is never
taken over) among the repository's issues labelled ``repo-scorecard``, which every tracking
issue carries besides the campaign's own labels: one request per repository reads them all.
Nothing is written when nothing changed; an issue is written at most once per scan (closing is
its comment and then the close). A repository whose issues cannot be read or written (issues
turned off, no permission) is logged and the others go on. Every text from the results goes
through the Markdown escaping of the pull-request comment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scorecard.campaigns import ISSUE_LABEL, MET, NOT_APPLICABLE, NOT_MET
from scorecard.github.client import GitHubClient
from scorecard.github.comments import is_ours, own_login
from scorecard.github.errors import GitHubError
from scorecard.render.markdown import MARKER, code, escape, inline
from scorecard.report.dashboard import safe_url
from scorecard.report.records import CampaignInfo, CheckInfo, OrgResults, RepoEntry

MAX_TITLE = 256  # GitHub's limit for an issue title


@dataclass
class TrackingStats:
    created: int = 0
    updated: int = 0
    reopened: int = 0
    closed: int = 0
    unchanged: int = 0
    held_back: dict[str, int] = field(default_factory=dict)  # campaign -> not opened (max_new)
    failed: list[str] = field(default_factory=list)  # "OWNER/REPO: why"

    @property
    def writes(self) -> int:
        return self.created + self.updated + self.reopened + self.closed


def marker(campaign: str) -> str:
    digest = hashlib.sha256(campaign.encode("utf-8")).hexdigest()[:16]
    return MARKER.format(kind=f"campaign-issue {digest}")


def title(info: CampaignInfo) -> str:
    text = f"Scorecard campaign: {' '.join(info.name.split())}"
    return text if len(text) <= MAX_TITLE else text[: MAX_TITLE - 1] + "…"


def body(info: CampaignInfo, failing: tuple[str, ...], checks: dict[str, CheckInfo]) -> str:
    """What the issue says: the campaign, its deadline and owner, and each failing check with
    how to fix it. It depends on nothing else (not the scan's time): an unchanged repository
    leaves its issue alone."""
    due = f"Due **{escape(info.deadline)}**" + (" (overdue)" if info.overdue else "")
    owner = f" · run by {code(info.owner)}" if info.owner else ""
    lines = [marker(info.name), f"### Scorecard campaign: {code(info.name)}", ""]
    if info.description:
        lines += [inline(info.description, trusted=True), ""]
    lines += [f"{due}{owner} · this repository does not meet it yet.", ""]
    lines += ["| check | how to fix |", "|---|---|"]
    for cid in failing:
        chk = checks.get(cid)
        url = safe_url(chk.docs_url) if chk else None
        name = f"[{code(cid, table=True)}]({url})" if url else code(cid, table=True)
        fix = inline(chk.remediation, table=True, trusted=True) if chk else ""
        lines.append(f"| {name} | {fix or '—'} |")
    lines += [
        "",
        "_repo-scorecard updates this issue after each scan and closes it once the campaign is "
        "met._",
        "",
    ]
    return "\n".join(lines)


def _norm(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def track(
    client: GitHubClient,
    results: OrgResults,
    log: Callable[[str], None],
    scanned_at: str,
) -> TrackingStats:
    """Open, update and close the tracking issues the results call for."""
    stats = TrackingStats()
    tracked: dict[str, CampaignInfo] = {}
    limits: dict[str, int] = {}  # max_new of each
    for name, info in results.campaigns.items():
        if info.issues is not None:
            tracked[name], limits[name] = info, info.issues.max_new
    if not tracked:
        log("campaign issues: no campaign asks for tracking issues (`issues:` in a campaign)")
        return stats
    login = own_login(client)
    opened = dict.fromkeys(tracked, 0)
    for entry in results.graded:
        wanted = {
            n: entry.campaigns[n]
            for n in tracked
            if n in entry.campaigns and entry.campaigns[n][0] in (MET, NOT_MET, NOT_APPLICABLE)
        }
        if not wanted:
            continue
        try:
            issues = _issues(client, entry.name)
            for name, (state, failing) in wanted.items():
                info = tracked[name]
                mine = [i for i in issues if is_ours(i, marker(name), login)]
                issue = max(mine, key=lambda i: int(i["number"])) if mine else None
                if state == NOT_MET and issue is None:
                    if opened[name] >= limits[name]:
                        stats.held_back[name] = stats.held_back.get(name, 0) + 1
                        continue
                    opened[name] += 1  # an attempt counts: a failing token stays quiet
                    _create(client, entry, info, failing, results.checks)
                    stats.created += 1
                elif state == NOT_MET and issue is not None:
                    outcome = _refresh(client, entry, issue, info, failing, results.checks)
                    setattr(stats, outcome, getattr(stats, outcome) + 1)
                elif issue is not None and issue.get("state") == "open":
                    _close(client, entry, issue, state, scanned_at)
                    stats.closed += 1
        except GitHubError as exc:
            stats.failed.append(f"{entry.name}: {exc}")
            log(f"campaign issues: {entry.name}: {exc}")
    for name, n in stats.held_back.items():
        log(
            f"campaign issues: {name}: {n:,} more repositories fall short; not opened this scan "
            f"(max_new {limits[name]})"
        )
    return stats


def _issues(client: GitHubClient, repo: str) -> list[dict[str, Any]]:
    params = {"state": "all", "labels": ISSUE_LABEL, "sort": "created", "direction": "asc"}
    return [
        item
        for item in client.paginate(f"/repos/{repo}/issues", params)
        if isinstance(item, dict) and "pull_request" not in item
    ]


def _labels(info: CampaignInfo) -> list[str]:
    extra = list(info.issues.labels) if info.issues else []
    return [ISSUE_LABEL, *(lab for lab in extra if lab != ISSUE_LABEL)]


def _create(
    client: GitHubClient,
    entry: RepoEntry,
    info: CampaignInfo,
    failing: tuple[str, ...],
    checks: dict[str, CheckInfo],
) -> None:
    client.rest(
        "POST",
        f"/repos/{entry.name}/issues",
        body={"title": title(info), "body": body(info, failing, checks), "labels": _labels(info)},
    )


def _refresh(
    client: GitHubClient,
    entry: RepoEntry,
    issue: dict[str, Any],
    info: CampaignInfo,
    failing: tuple[str, ...],
    checks: dict[str, CheckInfo],
) -> str:
    """Bring an existing issue of a repository that falls short up to date: ``updated``,
    ``reopened`` or ``unchanged``."""
    text = body(info, failing, checks)
    patch: dict[str, Any] = {}
    if _norm(str(issue.get("body") or "")) != _norm(text):
        patch["body"] = text
    if str(issue.get("title") or "") != title(info):
        patch["title"] = title(info)
    reopen = issue.get("state") != "open"
    if reopen:
        patch["state"] = "open"
    if not patch:
        return "unchanged"
    client.rest("PATCH", f"/repos/{entry.name}/issues/{int(issue['number'])}", body=patch)
    return "reopened" if reopen else "updated"


def _close(
    client: GitHubClient, entry: RepoEntry, issue: dict[str, Any], state: str, scanned_at: str
) -> None:
    number = int(issue["number"])
    if state == MET:
        note, reason = f"Met as of the scan of {escape(scanned_at)}: closing.", "completed"
    else:
        note = (
            f"The campaign no longer applies here (none of its checks ran in the scan of "
            f"{escape(scanned_at)}): closing."
        )
        reason = "not_planned"
    client.rest("POST", f"/repos/{entry.name}/issues/{number}/comments", body={"body": note})
    client.rest(
        "PATCH",
        f"/repos/{entry.name}/issues/{number}",
        body={"state": "closed", "state_reason": reason},
    )
