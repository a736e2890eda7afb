"""Actions a step uses: the record of a ``uses:``, and which actions measure coverage or scan
code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scorecard.model import Location


@dataclass(frozen=True)
class Use:
    """A step's (or a reusable-workflow job's) ``uses:``. ``path``/``line`` is where the chain
    started (the workflow step); ``source`` is where it is written (a composite action)."""

    ref: str
    path: str
    line: int | None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    via: tuple[str, ...] = ()
    source: Location | None = None
    job: bool = False

    @property
    def name(self) -> str:
        return action_name(self.ref)

    @property
    def location(self) -> Location:
        return Location(self.path, self.line)


def action_name(ref: str) -> str:
    """``Owner/Repo/path@v1`` -> ``owner/repo/path`` (GitHub names are case-insensitive)."""
    return ref.strip().split("@", 1)[0].rstrip("/").lower()


def action_matches(ref: str, *names: str) -> bool:
    """Whether ``ref`` is one of ``names`` (``owner/repo`` or ``owner/repo/path``; a name ending
    in ``/*`` matches every action below it)."""
    n = action_name(ref)
    for want in names:
        w = want.lower()
        if w.endswith("/*"):
            if n.startswith(w[:-1]):
                return True
        elif n == w:
            return True
    return False


COVERAGE_ACTIONS = (
    "codecov/codecov-action",
    "coverallsapp/github-action",
    "codacy/codacy-coverage-reporter-action",
    "paambaati/codeclimate-action",
    "qltysh/qlty-action/coverage",
    "py-cov-action/python-coverage-comment-action",
    "mishakav/pytest-coverage-comment",
    "artiomtr/jest-coverage-report-action",
    "5monkeys/cobertura-action",
    "irongut/codecoveragesummary",
    "madrapps/jacoco-report",
    "cicirello/jacoco-badge-generator",
)


def coverage_action(use: Use) -> bool:
    """Whether the action uploads or reports coverage (Codecov, Coveralls and the like)."""
    return action_matches(use.ref, *COVERAGE_ACTIONS)


_SCANNING_ACTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("CodeQL", ("github/codeql-action/init", "github/codeql-action/analyze")),
    ("Semgrep", ("semgrep/semgrep-action", "returntocorp/semgrep-action")),
    (
        "SonarQube",
        (
            "sonarsource/sonarcloud-github-action",
            "sonarsource/sonarqube-scan-action",
            "sonarsource/sonarqube-scan-action/*",
            "sonarsource/sonarcloud-github-c-cpp",
            "sonarsource/sonarqube-github-c-cpp",
        ),
    ),
    (
        "Bandit",
        (
            "pycqa/bandit-action",
            "tj-actions/bandit",
            "shundor/python-bandit-scan",
            "mdegis/bandit-action",
            "jpetrucciani/bandit-check",
        ),
    ),
    ("gosec", ("securego/gosec",)),
    ("zizmor", ("zizmorcore/zizmor-action",)),
)


def scanning_action(use: Use) -> str | None:
    """The code scanner an action runs, or None (``upload-sarif`` alone, linters and OpenSSF
    Scorecard are not code scanning). Snyk's actions count only for Snyk Code
    (``command: code test``)."""
    for tool, names in _SCANNING_ACTIONS:
        if action_matches(use.ref, *names):
            return tool
    if action_matches(use.ref, "snyk/actions/*", "snyk/actions"):
        command = use.inputs.get("command")
        if isinstance(command, str) and command.split()[:2] == ["code", "test"]:
            return "Snyk Code"
    return None
