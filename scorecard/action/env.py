"""What the Actions runner gives the container, typed: the inputs (:class:`Inputs`, one field
per input of ``action.yml``), the ``GITHUB_*`` variables, and the ways out (the log, workflow
commands, outputs, the job summary).

Container actions get inputs as ``INPUT_<NAME>`` with the name upper-cased and its dashes kept
(``INPUT_FAIL-ON``); the underscore spelling is accepted too, for running the Action by hand. A
blank input is an input not given.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from scorecard.badges import DEFAULT_MAX_AGE_DAYS
from scorecard.gates import GateError, Gates, threshold
from scorecard.github import workflow as wf
from scorecard.github.client import GitHubClient
from scorecard.outfile import describe
from scorecard.render.text import one_line
from scorecard.secrets import redact

DEFAULT_OUTPUT_DIR = "scorecard-output"
#: The deprecated ``fail-on`` input's values (see :mod:`scorecard.gates`).
FAIL_ON = ("none", "regression", "below-level")


class ActionError(Exception):
    """A problem with the Action's inputs or environment: one clear message, exit 2."""


def _raw_input(environ: Mapping[str, str], name: str) -> str:
    for key in (f"INPUT_{name.upper()}", f"INPUT_{name.upper().replace('-', '_')}"):
        value = environ.get(key)
        if value is not None and value.strip() != "":
            return value.strip()
    return ""


def truthy(value: str) -> bool:
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Inputs:
    """The inputs of ``action.yml``, with the defaults the Action applies when one is blank.
    A default that depends on another value (``org``: the repository's owner; ``results``:
    ``output-dir/**/*.jsonl``; ``dashboard-repo``: this repository) stays blank here and is
    applied by the mode that reads it."""

    token: str = ""
    config: str = ""
    fail_under: str = ""
    fail_on_regression: bool = False
    fail_on_error: bool = False
    fail_on: str = ""  # deprecated, lower-cased; :meth:`ActionEnv.gates` reads it
    min_level: str = ""  # deprecated, with fail-on: below-level
    comment: bool = True
    mode: str = ""
    post_saved_comment: str = ""
    output_dir: str = DEFAULT_OUTPUT_DIR
    org: str = ""
    shard: str = ""
    results: str = ""
    history: str = ""
    dashboard_repo: str = ""
    dashboard_title: str = ""
    report_url: str = ""
    badges: bool = True
    badge_max_age: str = ""  # days; blank: scorecard.badges.DEFAULT_MAX_AGE_DAYS
    campaign_issues: bool = False
    incremental: bool = False
    incremental_max_age: str = ""  # days; blank: scorecard.incremental.DEFAULT_MAX_AGE_DAYS
    max_requests: str = ""  # blank: no limit
    plugins: str = ""  # requirement lines (scorecard.action.plugins)
    fix_prs: bool = False

    @classmethod
    def read(cls, environ: Mapping[str, str]) -> Inputs:
        def get(name: str, default: str = "") -> str:
            return _raw_input(environ, name) or default

        return cls(
            token=get("token"),
            config=get("config"),
            fail_under=get("fail-under"),
            fail_on_regression=truthy(get("fail-on-regression", "false")),
            fail_on_error=truthy(get("fail-on-error", "false")),
            fail_on=get("fail-on").lower(),
            min_level=get("min-level"),
            comment=truthy(get("comment", "on")),
            mode=get("mode"),
            post_saved_comment=get("post-saved-comment"),
            output_dir=get("output-dir", DEFAULT_OUTPUT_DIR),
            org=get("org"),
            shard=get("shard"),
            results=get("results"),
            history=get("history"),
            dashboard_repo=get("dashboard-repo"),
            dashboard_title=get("dashboard-title"),
            report_url=get("report-url"),
            badges=truthy(get("badges", "true")),
            badge_max_age=get("badge-max-age"),
            campaign_issues=truthy(get("campaign-issues", "false")),
            incremental=truthy(get("incremental", "false")),
            incremental_max_age=get("incremental-max-age"),
            max_requests=get("max-requests"),
            plugins=get("plugins"),
            fix_prs=truthy(get("fix-prs", "false")),
        )


@dataclass
class ActionEnv:
    """One run's environment (``os.environ`` in the container) and its log stream."""

    environ: Mapping[str, str]
    out: TextIO = field(default=sys.stdout)
    inputs: Inputs = field(init=False)

    def __post_init__(self) -> None:
        self.inputs = Inputs.read(self.environ)

    def _var(self, name: str, default: str = "") -> str:
        return self.environ.get(name) or default

    # ---- GITHUB_* variables -------------------------------------------------------------

    @property
    def workspace(self) -> Path:
        return Path(self._var("GITHUB_WORKSPACE") or os.getcwd())

    @property
    def repository(self) -> str:
        return self._var("GITHUB_REPOSITORY")

    @property
    def event_name(self) -> str:
        return self._var("GITHUB_EVENT_NAME")

    @property
    def ref(self) -> str:
        return self._var("GITHUB_REF")

    @property
    def sha(self) -> str:
        return self._var("GITHUB_SHA")

    @property
    def server(self) -> str:
        return self._var("GITHUB_SERVER_URL", "https://github.com").rstrip("/")

    @property
    def run_url(self) -> str | None:
        run_id = self._var("GITHUB_RUN_ID")
        if not (run_id and self.repository):
            return None
        return f"{self.server}/{self.repository}/actions/runs/{run_id}"

    @property
    def token(self) -> str:
        """The ``token`` input, else ``GITHUB_TOKEN``; empty for none."""
        return self.inputs.token or self._var("GITHUB_TOKEN")

    def event(self) -> dict[str, Any]:
        """The event payload (``GITHUB_EVENT_PATH``); empty without one."""
        path = self._var("GITHUB_EVENT_PATH")
        if not path:
            return {}
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ActionError(f"cannot read the event payload {path}: {exc}") from None
        return data if isinstance(data, dict) else {}

    def client(self) -> GitHubClient | None:
        """A client for :attr:`token` and the runner's API URLs; None without a token."""
        if not self.token:
            return None
        return GitHubClient(
            self.token,
            api_url=self._var("GITHUB_API_URL") or None,
            graphql_url=self._var("GITHUB_GRAPHQL_URL") or None,
        )

    def require_client(self, why: str) -> GitHubClient:
        """:meth:`client`, or ActionError(``why``) without a token."""
        client = self.client()
        if client is None:
            raise ActionError(why)
        return client

    # ---- checked inputs -----------------------------------------------------------------

    def check_gates(self) -> None:
        """Refuse a gate input that cannot be understood, before any work (a level is checked
        against the standard by :meth:`gates`); warn once about the deprecated ``fail-on``."""
        given = self.inputs
        if given.fail_on and given.fail_on not in FAIL_ON:
            raise ActionError(
                f"fail-on {given.fail_on!r}: use one of {', '.join(FAIL_ON)} "
                "(or, better, fail-under and fail-on-regression)"
            )
        if given.fail_on and given.fail_on != "none":
            self.command(
                "warning",
                "the fail-on input is deprecated: use fail-under: LEVEL "
                "(or a score) and fail-on-regression: true",
                title="scorecard",
            )
        if given.min_level and given.fail_on != "below-level":
            raise ActionError(
                "min-level only means something with fail-on: below-level; use fail-under: LEVEL"
            )
        if given.fail_under and given.fail_on == "below-level":
            raise ActionError("give fail-under or fail-on: below-level with min-level, not both")

    def gates(
        self, levels: Sequence[str], tracks: Mapping[str, Sequence[str]] | None = None
    ) -> Gates:
        """The gates of this run, in the vocabulary of :mod:`scorecard.gates`; the deprecated
        ``fail-on`` mapped onto it. Raises ActionError."""
        self.check_gates()
        given = self.inputs
        under = given.fail_under or (
            (given.min_level or "Bronze") if given.fail_on == "below-level" else ""
        )
        setting = "fail-under" if given.fail_under else "min-level"
        try:
            found = threshold(under, levels, setting, tracks) if under else None
        except GateError as exc:
            raise ActionError(str(exc)) from None
        return Gates(
            under=(found,) if found else (),
            regression=given.fail_on_regression or given.fail_on == "regression",
            error=given.fail_on_error,
        )

    def number(self, name: str, text: str, default: float, minimum: float) -> float:
        """A numeric input (``default`` when blank). Raises ActionError."""
        if not text:
            return default
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if not minimum <= value < float("inf"):
            raise ActionError(f"{name} {text!r}: give a number, {minimum:g} or more")
        return value

    def badge_max_age(self) -> float:
        """``badge-max-age`` in days (the default when blank). Raises ActionError."""
        text = self.inputs.badge_max_age
        if not text:
            return DEFAULT_MAX_AGE_DAYS
        try:
            days = float(text)
        except ValueError:
            days = -1.0
        if not 0 <= days < float("inf"):
            raise ActionError(f"badge-max-age {text!r}: give a number of days, 0 or more")
        return days

    def output_dir(self) -> Path:
        """``output-dir`` (relative to the workspace), created when missing."""
        path = self.in_workspace(self.inputs.output_dir)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ActionError(f"output-dir: {describe(path, exc)}") from None
        return path

    def in_workspace(self, path_text: str) -> Path:
        """A path from an input: relative ones are in the workspace."""
        path = Path(path_text)
        return path if path.is_absolute() else self.workspace / path

    def rel(self, path: Path) -> str:
        """``path`` as an output shows it: relative to the workspace when it is inside."""
        try:
            return str(path.relative_to(self.workspace))
        except ValueError:
            return str(path)

    # ---- the ways out -------------------------------------------------------------------

    def log(self, text: str) -> None:
        """One plain line in the job's log: secrets redacted, control characters shown
        escaped, and never taken for a workflow command by the runner (see
        :func:`scorecard.render.text.one_line`), whatever repository or standard text it
        holds."""
        self.out.write(one_line(redact(text.rstrip("\n"))) + "\n")
        self.out.flush()

    def command(self, name: str, message: str = "", **props: str | int | None) -> None:
        """A workflow command we mean (an annotation), its message and properties redacted,
        then escaped as the runner expects."""
        safe = {k: redact(str(v)) if v is not None else None for k, v in props.items()}
        self.out.write(wf.command(name, redact(message), **safe) + "\n")
        self.out.flush()

    def mask(self, value: str) -> None:
        """Ask the runner to mask ``value`` in the log (nothing for an empty one)."""
        wf.add_mask(value, self.out)

    def set_outputs(self, values: Mapping[str, str]) -> None:
        """The step's outputs (``GITHUB_OUTPUT``; printed without it)."""
        wf.set_outputs(values, self._var("GITHUB_OUTPUT") or None, self.out)

    def append_summary(self, markdown: str) -> None:
        """Markdown appended to the job summary (``GITHUB_STEP_SUMMARY``), when there is
        one."""
        wf.append_summary(markdown, self._var("GITHUB_STEP_SUMMARY") or None)
