"""Input ``post-saved-comment: PATH``: post a comment saved by a pull-request run from a fork
(for a ``workflow_run`` workflow, which has a token that may write).

The saved file is untrusted (a fork wrote it): the comment is rendered anew from its data, with
all escaping, and only onto the pull request whose head commit matches.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

from scorecard.action.env import ActionEnv, ActionError
from scorecard.compare import compare
from scorecard.engine import docs_url
from scorecard.github.comments import own_login, upsert_comment
from scorecard.model import LevelStatus, Location, Scorecard
from scorecard.registry import Registry
from scorecard.render import comment as comment_render
from scorecard.secrets import redact

SAVED_MAX_BYTES = 8 << 20  # a saved comment larger than this is not read
_SAFE_URL = re.compile(r"https://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9._~/#%+=&?:@!$*;-]*\Z")


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _line(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def untrusted_scorecard(data: Any, registry: Registry) -> Scorecard:
    """A scorecard read from a file that a fork's run wrote: every field coerced to its type,
    and what the comment shows as the tool's own words (the docs link and the remediation)
    taken from the installed checks, never from the file. Messages, paths and names stay
    untrusted text, escaped when the comment is rendered. Raises ValueError, KeyError,
    TypeError."""
    if not isinstance(data, dict):
        raise ValueError("not a scorecard")
    card = Scorecard.from_json(data)
    checks = []
    for r in card.checks:
        known = r.id in registry
        url = r.docs_url if _SAFE_URL.match(r.docs_url) else ""
        checks.append(
            dataclasses.replace(
                r,
                docs_url=url or (docs_url(r.id) if known else ""),
                remediation=registry[r.id].remediation if known else "",
                level=_str_or_none(r.level),
                locations=tuple(Location(str(loc.path), _line(loc.line)) for loc in r.locations),
            )
        )
    return dataclasses.replace(
        card,
        checks=tuple(checks),
        commit=_str_or_none(card.commit),
        level=_str_or_none(card.level),
        ref=_str_or_none(card.ref),
        levels=tuple(
            LevelStatus(str(lvl.name), bool(lvl.held), tuple(str(b) for b in lvl.blocking))
            for lvl in card.levels
        ),
        warnings=tuple(str(w) for w in card.warnings),
    )


def _saved_path(env: ActionEnv, path_text: str) -> Path:
    path = env.in_workspace(path_text)
    return path / "comment.json" if path.is_dir() else path


def run_post_saved(env: ActionEnv, path_text: str, registry: Registry) -> int:
    """Post a comment saved by a pull-request run (``workflow_run`` workflow). The file is
    untrusted: only its data is used, the comment is rendered anew, and only onto the pull
    request whose head is the saved commit (and the workflow run's, when the event says)."""
    path = _saved_path(env, path_text)
    try:
        if path.stat().st_size > SAVED_MAX_BYTES:
            raise ValueError(f"larger than {SAVED_MAX_BYTES >> 20} MiB")
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kind") != "repo-scorecard-comment":
            raise ValueError("not a saved scorecard comment")
        head = untrusted_scorecard(data["head"], registry)
        base = untrusted_scorecard(data["base"], registry) if data.get("base") else None
        number = data["pull_request"]
        if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
            raise ValueError(f"pull_request {number!r} is not a number")
        head_sha = data["head_sha"]
        if not isinstance(head_sha, str) or not re.fullmatch(r"[0-9a-f]{40}", head_sha):
            raise ValueError("head_sha is not a commit")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ActionError(f"post-saved-comment: {path_text}: {exc}") from None
    if data.get("repository") != env.repository:
        raise ActionError(
            f"post-saved-comment: the saved comment is for another repository "
            f"({str(data.get('repository'))[:100]!r}), not {env.repository!r}"
        )
    client = env.require_client("post-saved-comment needs a token with pull-requests: write")
    event = env.event()
    run = event.get("workflow_run") or {}
    if run and run.get("head_sha") and run["head_sha"] != head_sha:
        raise ActionError(
            "post-saved-comment: the saved comment is for commit "
            f"{head_sha[:7]}, but the workflow run was for {run['head_sha'][:7]}"
        )
    pull = client.get(f"/repos/{env.repository}/pulls/{number}")
    if not isinstance(pull, dict) or (pull.get("head") or {}).get("sha") != head_sha:
        env.command(
            "notice",
            f"pull request #{number} is not at {head_sha[:7]} (it "
            "has moved on, or the saved comment is not its own): the comment "
            "is not posted",
            title="scorecard",
        )
        env.set_outputs({"comment": "skipped"})
        return 0
    cmp = compare(base, head)
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{head_sha}/",
        run=run.get("html_url") if isinstance(run.get("html_url"), str) else env.run_url,
        base_ref=str((pull.get("base") or {}).get("ref") or "") or None,
    )
    body = comment_render.with_digest(redact(comment_render.render(cmp, links)), links)
    result, _ = upsert_comment(
        client,
        env.repository,
        number,
        body,
        comment_render.COMMENT_MARKER,
        own_login(client),
        same=comment_render.same_comment,
    )
    env.log(f"scorecard: comment {result} on #{number}")
    env.set_outputs({"comment": result, "score": str(head.score), "level": head.level or ""})
    return 0
