"""Mode ``pr``: grade the head (the workspace) and the base commit, both by the standard of
the **base** (a pull request cannot loosen the rules it is judged by), then post or update one
sticky comment showing what the pull request changes, and publish (:mod:`.publish`).

The base is read from git's object store in the checkout when it has the commit, else through
the API. From a fork, or with a read-only token, nothing is written to GitHub: the comment's
data is saved to ``comment-path`` for a ``workflow_run`` workflow to post
(:mod:`.saved_comment`).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from scorecard.action.env import ActionEnv
from scorecard.action.grading import grade, standard_from
from scorecard.action.publish import finish
from scorecard.compare import Comparison, compare
from scorecard.github.client import Forbidden, GitHubClient, GitHubError
from scorecard.github.comments import own_login, upsert_comment
from scorecard.outfile import redact_data, write_file
from scorecard.registry import Registry
from scorecard.render import comment as comment_render
from scorecard.secrets import redact
from scorecard.snapshot import RepoSnapshot
from scorecard.sources.gitcommit import open_commit
from scorecard.sources.github import open_github
from scorecard.sources.local import open_local


def save_comment(
    env: ActionEnv,
    cmp: Comparison,
    links: comment_render.Links,
    *,
    number: int | None,
    head_sha: str | None,
    body: str,
) -> Path:
    """The comment's data for ``post-saved-comment``. ``head_sha`` is the pull request's head
    commit (the workspace of a ``pull_request`` run holds the merge commit instead; the
    ``workflow_run`` event and the pull request name the head)."""
    out = env.output_dir()
    data = {
        "kind": "repo-scorecard-comment",
        "version": 1,
        "repository": env.repository,
        "pull_request": number,
        "head_sha": head_sha or cmp.head.commit or "",
        "base_ref": links.base_ref,
        "run_url": links.run,
        "head": cmp.head.to_json(),
        "base": cmp.base.to_json() if cmp.base else None,
    }
    write_file(out / "comment.md", body)
    path = out / "comment.json"
    write_file(path, json.dumps(redact_data(data), indent=1))
    return path


def run_pr(env: ActionEnv, registry: Registry) -> int:
    event = env.event()
    pr = event.get("pull_request") or {}
    number = pr.get("number") or event.get("number")
    head_sha = ((pr.get("head") or {}).get("sha")) or env.sha
    base = pr.get("base") or {}
    base_sha, base_ref = base.get("sha"), base.get("ref")
    head_repo = ((pr.get("head") or {}).get("repo") or {}).get("full_name")
    base_repo = (base.get("repo") or {}).get("full_name") or env.repository
    from_fork = head_repo != base_repo
    client = env.client()

    with tempfile.TemporaryDirectory(prefix="scorecard-base-") as tmp:
        base_snap: RepoSnapshot | None = None
        if base_sha:
            # nothing written; None when the checkout lacks the commit (a shallow clone)
            base_snap = open_commit(env.workspace, base_sha, label=f"base {base_sha[:7]}")
            if base_snap is None and client is not None and env.repository:
                try:
                    base_snap = open_github(client, env.repository, ref=base_sha, workdir=tmp)
                except GitHubError as exc:
                    env.command(
                        "warning",
                        f"cannot read the base commit {base_sha[:7]}: "
                        f"{exc}; comparing against nothing",
                        title="scorecard",
                    )
        standard = standard_from(base_snap, registry, env.inputs.config)
        head_snap = open_local(env.workspace, label=env.repository or str(env.workspace))
        if head_sha:  # the pull request's head (the workspace may hold the merge commit)
            head_snap.commit = head_sha
        if base_snap is not None:
            # Repository settings (branch rules, security settings, inherited files) and
            # metadata are not the pull request's doing: the base sees what the head sees, so
            # the comparison shows what the pull request changed, not what the API (or the
            # folder's name) tells one side more.
            base_snap.platform, base_snap.meta = head_snap.platform, head_snap.meta
        try:
            head = grade(head_snap, standard, registry, env)
            base_card = grade(base_snap, standard, registry, env) if base_snap else None
        finally:
            head_snap.close()
            close = getattr(base_snap, "close", None)
            if close is not None:
                close()
    cmp = compare(base_card, head)
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{head_sha}/"
        if head_sha and env.repository
        else None,
        run=env.run_url,
        base_ref=base_ref,
    )
    body = comment_render.with_digest(redact(comment_render.render(cmp, links)), links)
    comment_path = save_comment(env, cmp, links, number=number, head_sha=head_sha, body=body)
    status = publish_comment(env, client, number, body, from_fork=from_fork)
    return finish(env, cmp, links, comment_path=comment_path, comment_status=status)


def publish_comment(
    env: ActionEnv, client: GitHubClient | None, number: int | None, body: str, *, from_fork: bool
) -> str:
    """Post or update the sticky comment; what happened to it (the ``comment`` output)."""
    if not env.inputs.comment:
        return "off"
    if number is None or not env.repository:
        env.command("warning", "no pull request in the event: no comment", title="scorecard")
        return "skipped"
    if from_fork:
        env.command(
            "notice",
            "a pull request from a fork has a read-only token: the "
            "comment is saved to comment-path for a workflow_run workflow to "
            "post (see the README)",
            title="scorecard",
        )
        return "saved"
    if client is None:
        env.command("warning", "no token: the comment is saved, not posted", title="scorecard")
        return "saved"
    try:
        result, _ = upsert_comment(
            client,
            env.repository,
            int(number),
            body,
            comment_render.COMMENT_MARKER,
            own_login(client),
            same=comment_render.same_comment,
        )
    except Forbidden:
        env.command(
            "notice",
            "the token may not comment (read-only): the comment is saved to comment-path",
            title="scorecard",
        )
        return "saved"
    except GitHubError as exc:
        env.command("warning", f"could not post the comment: {exc}", title="scorecard")
        return "failed"
    env.log(f"scorecard: comment {result}")
    return result
