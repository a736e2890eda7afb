"""Fix pull requests: a set of file changes proposed as one pull request on a fixed branch.

:func:`propose` brings a repository's fix pull request in line with the changes it is given:

- no open or earlier pull request: the branch ``scorecard/fixes`` is created from the default
  branch's head, the changes are committed on it through GraphQL ``createCommitOnBranch``
  (GitHub makes and, for an App's token, signs the commit), and the pull request is opened;
- our pull request is open: unchanged when it proposes the same changes (their digest is in a
  hidden marker of its body), else the branch is reset to the default branch's head, the new
  changes committed, and the title and body updated; never a second pull request;
- our last pull request was closed without merging: left alone while the changes are the same
  (someone said no); reopened with the new changes when they differ;
- nothing to change: nothing is written.

The default branch is never written: the branch must differ from it. Writes happen in the order
branch, commit, pull request; when one fails the branch is put back as it was (deleted if this
run created it), so a token that may not write leaves nothing half-done, and the error says
which write was refused. ``dry_run`` reads only and says what would happen.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from scorecard.github.client import GitHubClient
from scorecard.github.errors import GitHubError, NotFound
from scorecard.render.markdown import MARKER

BRANCH = "scorecard/fixes"
_COMMIT = """
mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}
"""


class FixPRError(GitHubError):
    """A fix pull request that cannot be written; the message says which write failed."""


@dataclass(frozen=True)
class FileChange:
    path: str
    content: bytes | None  # None: delete the file


@dataclass(frozen=True)
class Proposal:
    title: str
    body: str  # Markdown: what each change does and why (the marker is added)
    message: str  # the commit's headline
    changes: tuple[FileChange, ...]

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for c in sorted(self.changes, key=lambda c: c.path):
            h.update(c.path.encode("utf-8") + b"\0")
            h.update(b"-" if c.content is None else b"+" + hashlib.sha256(c.content).digest())
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class Outcome:
    action: str  # opened, updated, reopened, unchanged, declined, held back, nothing; "would ..."
    number: int | None = None
    url: str | None = None


def marker(digest: str) -> str:
    return MARKER.format(kind=f"fix-pr {digest}")


def _ours(pull: dict[str, Any], branch: str) -> bool:
    return str((pull.get("head") or {}).get("ref")) == branch and MARKER.format(
        kind="fix-pr"
    ).removesuffix(" -->") in str(pull.get("body") or "")


def _digest_of(pull: dict[str, Any]) -> str | None:
    body = str(pull.get("body") or "")
    start = MARKER.format(kind="fix-pr ").removesuffix(" -->")
    at = body.find(start)
    return body[at + len(start) :].split(" ", 1)[0] if at >= 0 else None


def propose(
    client: GitHubClient,
    repo: str,
    proposal: Proposal,
    *,
    branch: str = BRANCH,
    dry_run: bool = False,
    may_open: Callable[[], bool] | None = None,
) -> Outcome:
    """Open, update, reopen or leave the fix pull request of ``repo`` (``OWNER/NAME``).
    ``may_open()`` is asked before a new pull request is opened (a cap per scan): False gives
    ``held back``. Raises :class:`FixPRError` (or another GitHubError for a read that
    fails)."""
    owner = repo.split("/", 1)[0]
    info = client.get(f"/repos/{repo}")
    default = str(info.get("default_branch") or "")
    if not default or branch == default:
        raise FixPRError(f"{repo}: refusing to write the default branch {default!r}")
    pulls = [
        p
        for p in client.paginate(
            f"/repos/{repo}/pulls", {"head": f"{owner}:{branch}", "state": "all"}
        )
        if isinstance(p, dict) and _ours(p, branch)
    ]
    pulls.sort(key=lambda p: int(p["number"]), reverse=True)
    open_pr = next((p for p in pulls if p.get("state") == "open"), None)
    latest = pulls[0] if pulls else None
    if not proposal.changes:
        return Outcome("nothing", *(_id(open_pr) if open_pr else (None, None)))
    digest = proposal.digest
    if open_pr is not None and _digest_of(open_pr) == digest:
        return Outcome("unchanged", *_id(open_pr))
    closed = (
        latest if open_pr is None and latest is not None and not latest.get("merged_at") else None
    )
    if closed is not None and _digest_of(closed) == digest:
        return Outcome("declined", *_id(closed))  # closed unmerged, and the fixes are the same
    target = open_pr or closed
    verb = "updated" if open_pr else "reopened" if target else "opened"
    if dry_run:
        return Outcome(f"would be {verb}", *(_id(target) if target else (None, None)))
    if target is None and may_open is not None and not may_open():
        return Outcome("held back")
    body = f"{marker(digest)}\n{proposal.body}"
    base = _branch_head(client, repo, default)
    if base is None:
        raise FixPRError(f"{repo}: the default branch {default} has no commit")
    before = _branch_head(client, repo, branch)
    _write_branch(client, repo, branch, base, before, proposal)
    try:
        if target is None:
            return Outcome("opened", *_id(_open(client, repo, branch, default, proposal, body)))
        patch: dict[str, Any] = {"title": proposal.title, "body": body}
        if open_pr is None:
            patch["state"] = "open"
        try:
            done = client.rest("PATCH", f"/repos/{repo}/pulls/{int(target['number'])}", body=patch)[
                1
            ]
        except GitHubError:
            if open_pr is not None:
                raise
            # a closed pull request whose branch was recreated cannot always be reopened
            return Outcome("opened", *_id(_open(client, repo, branch, default, proposal, body)))
        return Outcome(verb, *_id(done))
    except GitHubError as exc:
        _restore(client, repo, branch, before)
        raise FixPRError(f"{repo}: the pull request could not be written: {exc}") from None


def _id(pull: dict[str, Any]) -> tuple[int, str | None]:
    return int(pull["number"]), str(pull.get("html_url") or "") or None


def _branch_head(client: GitHubClient, repo: str, branch: str) -> str | None:
    try:
        data = client.get(f"/repos/{repo}/git/ref/heads/{quote(branch, safe='/')}")
    except NotFound:
        return None
    sha = ((data or {}).get("object") or {}).get("sha") if isinstance(data, dict) else None
    return str(sha) if sha else None


def _set_branch(client: GitHubClient, repo: str, branch: str, sha: str, exists: bool) -> None:
    if exists:
        client.rest(
            "PATCH",
            f"/repos/{repo}/git/refs/heads/{quote(branch, safe='/')}",
            body={"sha": sha, "force": True},
        )
    else:
        client.rest(
            "POST", f"/repos/{repo}/git/refs", body={"ref": f"refs/heads/{branch}", "sha": sha}
        )


def _restore(client: GitHubClient, repo: str, branch: str, before: str | None) -> None:
    """Put the branch back as it was before this run (best effort: the error that led here is
    the one reported)."""
    try:
        if before is None:
            client.rest("DELETE", f"/repos/{repo}/git/refs/heads/{quote(branch, safe='/')}")
        else:
            _set_branch(client, repo, branch, before, exists=True)
    except GitHubError:
        pass


def _write_branch(
    client: GitHubClient,
    repo: str,
    branch: str,
    base: str,
    before: str | None,
    proposal: Proposal,
) -> None:
    """The branch at ``base`` plus one commit of the proposal's changes."""
    try:
        _set_branch(client, repo, branch, base, exists=before is not None)
    except GitHubError as exc:
        raise FixPRError(f"{repo}: the branch {branch} could not be written: {exc}") from None
    additions = [
        {"path": c.path, "contents": base64.b64encode(c.content).decode("ascii")}
        for c in proposal.changes
        if c.content is not None
    ]
    deletions = [{"path": c.path} for c in proposal.changes if c.content is None]
    variables = {
        "input": {
            "branch": {"repositoryNameWithOwner": repo, "branchName": branch},
            "expectedHeadOid": base,
            "message": {"headline": proposal.message},
            "fileChanges": {"additions": additions, "deletions": deletions},
        }
    }
    try:
        result = client.graphql(_COMMIT, variables, "the fix commit")
        if result.errors or not (result.data.get("createCommitOnBranch") or {}).get("commit"):
            message = "; ".join(str(e.get("message")) for e in result.errors) or "no commit"
            raise GitHubError(message)
    except GitHubError as exc:
        _restore(client, repo, branch, before)
        raise FixPRError(f"{repo}: the fix commit could not be written: {exc}") from None


def _open(
    client: GitHubClient,
    repo: str,
    branch: str,
    default: str,
    proposal: Proposal,
    body: str,
) -> dict[str, Any]:
    _, data = client.rest(
        "POST",
        f"/repos/{repo}/pulls",
        body={"title": proposal.title, "head": branch, "base": default, "body": body},
    )
    if not isinstance(data, dict):
        raise GitHubError("GitHub answered the new pull request with no pull request")
    return data


def describe(changes: Sequence[FileChange]) -> str:
    """``3 files: SECURITY.md, .github/dependabot.yml, ...`` for logs."""
    names = ", ".join(c.path for c in changes[:5]) + (", ..." if len(changes) > 5 else "")
    return f"{len(changes)} file{'s' if len(changes) != 1 else ''}: {names}"
