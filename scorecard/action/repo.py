"""Mode ``repo`` (push, schedule, workflow_dispatch): grade the workspace by its own standard
and publish (:mod:`.publish`): summary, annotations, outputs, no comment."""

from __future__ import annotations

from scorecard.action.env import ActionEnv
from scorecard.action.grading import grade, standard_from
from scorecard.action.publish import finish
from scorecard.compare import compare
from scorecard.registry import Registry
from scorecard.render import comment as comment_render
from scorecard.sources.local import open_local


def run_repo(env: ActionEnv, registry: Registry) -> int:
    snap = open_local(env.workspace, label=env.repository or str(env.workspace))
    standard = standard_from(snap, registry, env.inputs.config)
    card = grade(snap, standard, registry, env)
    cmp = compare(None, card)
    sha = card.commit or env.sha
    links = comment_render.Links(
        blob=f"{env.server}/{env.repository}/blob/{sha}/" if sha and env.repository else None,
        run=env.run_url,
    )
    return finish(env, cmp, links, comment_path=None, comment_status="off")
