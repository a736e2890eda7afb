"""``scorecard action``: the GitHub Action. Environment in, mode chosen, pipeline run,
results published.

Modes (input ``mode``; by default ``pr`` on pull-request events, else ``repo``):

- ``pr`` (:mod:`.pull_request`): grade the head (the workspace) and the base commit, both by
  the standard of the **base**; post or update one sticky comment showing what the pull
  request changes; write the job summary, annotations and outputs; exit per the gates
  (:mod:`scorecard.gates`). From a fork, or with a read-only token, the comment's data is
  saved to ``comment-path`` for a ``workflow_run`` workflow to post with
  ``post-saved-comment`` (:mod:`.saved_comment`).
- ``repo`` (:mod:`.repo`; push, schedule, workflow_dispatch): grade the workspace; summary and
  outputs.
- ``org`` (:mod:`.org`): scan an organisation, or one shard of it; unsharded, publish the org
  report.
- ``report`` (:mod:`.report`): merge the shards' results and publish the org report.

Modules: :mod:`.env` (the runner's environment, typed: inputs, ``GITHUB_*`` variables,
outputs), :mod:`.grading` and :mod:`.publish` (shared by ``pr`` and ``repo``), one module per
mode, and :mod:`.dispatch` (the entry point, :func:`run`). Modules import their siblings,
never this package, so the package has no import cycle.
"""

from scorecard.action.dispatch import run
from scorecard.action.env import ActionEnv, ActionError

__all__ = ["ActionEnv", "ActionError", "run"]
