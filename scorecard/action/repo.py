"""Mode ``repo`` (push, schedule, workflow_dispatch): grade the workspace by its own standard
and publish (:mod:`.publish`): summary, annotations, outputs, no comment; and, on the default
branch, the repository's badge (:mod:`scorecard.badges`) in ``output-dir``."""

from __future__ import annotations

from scorecard.action.env import ActionEnv
from scorecard.action.grading import grade, standard_from
from scorecard.action.publish import finish
from scorecard.badges import badge_for, write_badge
from scorecard.compare import compare
from scorecard.github.errors import GitHubError
from scorecard.model import Scorecard
from scorecard.outfile import OutputError
from scorecard.registry import Registry
from scorecard.render import comment as comment_render
from scorecard.sources.local import open_local


def run_repo(env: ActionEnv, registry: Registry) -> int:
    with open_local(env.workspace, label=env.repository or str(env.workspace)) as snap:
        standard = standard_from(snap, registry, env.inputs.config)
        card = grade(snap, standard, registry, env)
    cmp = compare(None, card)
    sha = card.commit or env.sha
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{sha}/" if sha and env.repository else None,
        run=env.run_url,
    )
    if env.inputs.badges:
        write_repo_badge(env, card, sha)
    return finish(env, cmp, links, comment_path=None, comment_status="off")


def write_repo_badge(env: ActionEnv, card: Scorecard, sha: str) -> None:
    """``badge.json`` and ``badge.svg`` in ``output-dir`` when this run grades the default
    branch; stale when GitHub says the branch has moved past ``sha``. A badge that cannot be
    written is a warning, never a failed step."""
    branch = str((env.event().get("repository") or {}).get("default_branch") or "")
    if branch and env.ref and env.ref != f"refs/heads/{branch}":
        env.log(f"badge: not written: this run grades {env.ref}, not the default branch {branch}")
        return
    stale = None
    head = _branch_head(env, branch) if branch else None
    if head and sha and head != sha:
        stale = f"the default branch {branch} has moved past {sha[:7]} (now {head[:7]})"
    levels = [lvl.name for lvl in card.levels]
    badge = badge_for(card.level, card.score, levels, stale_reason=stale)
    try:
        json_path, svg_path = write_badge(env.output_dir() / "badge", badge)
    except OutputError as exc:
        env.command("warning", f"the badge could not be written: {exc}", title="scorecard")
        return
    env.log(f"badge: {badge.message} ({env.rel(json_path)}, {env.rel(svg_path)})")
    if stale:
        env.log(f"badge: stale: {stale}")
    env.set_outputs({"badge-json": env.rel(json_path), "badge-svg": env.rel(svg_path)})


_HEAD_QUERY = """
query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { defaultBranchRef { name target { oid } } }
}
"""


def _branch_head(env: ActionEnv, branch: str) -> str | None:
    """The commit at the head of the default branch ``branch``, from the API (one GraphQL
    point); None without a token or an answer (the badge is then not checked for
    staleness)."""
    client = env.client()
    owner, _, name = env.repository.partition("/")
    if client is None or not name:
        return None
    try:
        result = client.graphql(_HEAD_QUERY, {"owner": owner, "name": name}, "the default branch")
    except GitHubError as exc:
        env.log(f"badge: the head of {branch} could not be read ({exc}): not checked for staleness")
        return None
    ref = (result.data.get("repository") or {}).get("defaultBranchRef") or {}
    oid = (ref.get("target") or {}).get("oid") if ref.get("name") == branch else None
    return str(oid) if oid else None
