"""``scorecard action``: the environment read, the mode chosen, its errors turned into one
workflow command each (exit 2)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from typing import TextIO

from scorecard.action import plugins
from scorecard.action.env import ActionEnv, ActionError
from scorecard.action.org import run_org
from scorecard.action.pull_request import run_pr
from scorecard.action.repo import run_repo
from scorecard.action.report import run_report_mode
from scorecard.action.saved_comment import run_post_saved
from scorecard.github.auth import register_credentials
from scorecard.github.errors import GitHubError
from scorecard.outfile import OutputError
from scorecard.registry import Registry, default_registry
from scorecard.sources.local import SourceError
from scorecard.standard import StandardError

PR_EVENTS = ("pull_request", "pull_request_target")


def _run_mode(env: ActionEnv, registry: Registry) -> int:
    env.check_gates()  # a gate input that cannot be understood stops the run before any work
    if env.inputs.post_saved_comment:
        return run_post_saved(env, env.inputs.post_saved_comment, registry)
    mode = env.inputs.mode or ("pr" if env.event_name in PR_EVENTS else "repo")
    if mode == "pr":
        return run_pr(env, registry)
    if mode == "repo":
        return run_repo(env, registry)
    if mode == "org":
        return run_org(env, registry)
    if mode == "report":
        return run_report_mode(env)
    raise ActionError(f"mode {mode!r}: use pr, repo, org or report")


def run(environ: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """The Action, from the runner's environment (``os.environ`` by default); the exit
    code: 0, 1 when a gate (:mod:`scorecard.gates`) fails the step, 2 for a problem with the
    inputs, the environment, the standard, GitHub or an output file."""
    env = ActionEnv(environ if environ is not None else os.environ, out or sys.stdout)
    register_credentials(env.environ, env.token)
    env.mask(env.token)
    if env.inputs.plugins:
        try:
            installed = plugins.install(env, env.inputs.plugins, env.event_name)
        except ActionError as exc:
            env.command("error", str(exc), title="scorecard plugins")
            return 2
        env.log(f"scorecard: plugins installed: {', '.join(installed)}")
    registry = default_registry(reload=bool(env.inputs.plugins))
    for err in registry.errors:
        env.command("warning", str(err), title="scorecard plugin")
    try:
        return _run_mode(env, registry)
    except StandardError as exc:
        env.command(
            "error",
            f"invalid standard: {exc}",
            file=exc.file if exc.file and not exc.file.startswith("default") else None,
            line=exc.line,
            title="scorecard",
        )
        return 2
    except (ActionError, GitHubError, SourceError, OutputError) as exc:
        env.command("error", str(exc), title="scorecard")
        return 2
