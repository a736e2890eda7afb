"""What the CI files say, read without running anything: the CI systems a repository
configures, which workflows are CI, the keys that hold scripts in the other systems
(GitLab, CircleCI, Travis, Azure Pipelines, Bitbucket, Drone, AppVeyor, Buildkite; a
``Jenkinsfile``'s ``sh`` steps), a job's matrix, default shell and working directory, and the
actions that run a command given as an input."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from scorecard.parsing import ParseError, YamlMap
from scorecard.snapshot import RepoSnapshot, Workflow

from .limits import MATRIX_VALUES
from .reading import join_path

#: Actions that run a command given as an input: (action, input, prefix).
COMMAND_INPUTS: tuple[tuple[str, str, str], ...] = (
    ("nick-fields/retry", "command", ""),
    ("nick-invision/retry", "command", ""),
    ("wandalen/wretry.action", "command", ""),
    ("gabrielbb/xvfb-action", "run", ""),
    ("coactions/setup-xvfb", "run", ""),
    ("reactivecircus/android-emulator-runner", "script", ""),
    ("addnab/docker-run-action", "run", ""),
    ("paambaati/codeclimate-action", "coverageCommand", ""),
    ("gradle/gradle-build-action", "arguments", "gradle "),
)

_APPVEYOR = frozenset(
    {
        "test_script",
        "build_script",
        "before_test",
        "after_test",
        "on_success",
        "before_build",
        "after_build",
        "cmd",
        "ps",
        "sh",
        "pwsh",
    }
)
#: Other CI systems: the file, and the keys whose values are shell scripts.
OTHER_CI: tuple[tuple[str, frozenset[str]], ...] = (
    (".gitlab-ci.yml", frozenset({"script", "before_script", "after_script"})),
    (".circleci/config.yml", frozenset({"run", "command"})),
    ("Jenkinsfile", frozenset()),
    ("azure-pipelines.yml", frozenset({"script", "bash", "pwsh", "powershell"})),
    ("azure-pipelines.yaml", frozenset({"script", "bash", "pwsh", "powershell"})),
    (".travis.yml", frozenset({"script", "before_script", "after_success", "after_script"})),
    ("bitbucket-pipelines.yml", frozenset({"script", "after-script"})),
    (".drone.yml", frozenset({"commands"})),
    ("appveyor.yml", _APPVEYOR),
    (".appveyor.yml", _APPVEYOR),
)
BUILDKITE_KEYS = frozenset({"command", "commands"})


def other_ci_configs(snap: RepoSnapshot) -> list[str]:
    """The CI configurations of other systems that exist (``.buildkite/`` counts as its first
    file)."""
    found = [path for path, _ in OTHER_CI if snap.has(path)]
    under = snap.files_under(".buildkite")
    if under:
        found.append(under[0])
    return found


MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}")
Matrix = tuple[tuple[str, tuple[str, ...]], ...]


def matrix_of(job: Mapping[str, Any]) -> Matrix:
    """The values of each key of the job's ``strategy.matrix`` (``include`` entries' too), as
    GitHub renders them; an expression (``${{ fromJSON(...) }}``) gives nothing."""
    strategy = job.get("strategy")
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not isinstance(matrix, dict):
        return ()
    values: dict[str, list[str]] = {}

    def add(key: Any, value: Any) -> None:
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, (str, int, float)):
            seen = values.setdefault(str(key), [])
            if str(value) not in seen and len(seen) < MATRIX_VALUES:
                seen.append(str(value))

    for key, value in matrix.items():
        if key not in ("include", "exclude") and isinstance(value, list):
            for v in value:
                add(key, v)
    include = matrix.get("include")
    for entry in include if isinstance(include, list) else []:
        for key, value in entry.items() if isinstance(entry, dict) else ():
            add(key, value)
    return tuple((k, tuple(v)) for k, v in values.items())


def fill_matrix(text: str, chosen: Mapping[str, str]) -> str:
    """``text`` with ``${{ matrix.KEY }}`` replaced by the chosen values."""
    return MATRIX_REF.sub(lambda m: chosen.get(m.group(1), m.group(0)), text)


#: A ``Jenkinsfile`` step that runs a script: ``sh '...'``, ``bat(script: """...""")``.
JENKINS_STEP = re.compile(
    r"""\b(?P<step>sh|bat|pwsh|powershell)\s*\(?\s*(?:script\s*:\s*)?(?P<q>'''|\"\"\"|'|")"""
)


def script_values(node: Any, keys: frozenset[str], depth: int) -> Iterator[tuple[str, str]]:
    """``(key, script)`` for every value under one of ``keys``."""
    if depth > 40:
        return
    if isinstance(node, dict):
        for k, v in node.items():
            if k in keys:
                if isinstance(v, str):
                    yield str(k), v
                elif isinstance(v, list):
                    yield from ((str(k), x) for x in _flatten_strings(v, 0))
                else:
                    yield from script_values(v, keys, depth + 1)
            else:
                yield from script_values(v, keys, depth + 1)
    elif isinstance(node, list):
        for v in node:
            yield from script_values(v, keys, depth + 1)


def _flatten_strings(items: list[Any], depth: int) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, list) and depth < 5:
            yield from _flatten_strings(item, depth + 1)


def defaults_shell(defaults: Any, fallback: str) -> str:
    run = defaults.get("run") if isinstance(defaults, dict) else None
    shell = run.get("shell") if isinstance(run, dict) else None
    return shell if isinstance(shell, str) and "${{" not in shell else fallback


def working_directory(defaults: Any, fallback: str) -> str:
    run = defaults.get("run") if isinstance(defaults, dict) else None
    wd = run.get("working-directory") if isinstance(run, dict) else None
    if isinstance(wd, str) and "${{" not in wd:
        return join_path("", wd.strip()) or fallback
    return fallback


def workflow_problem(wf: Workflow) -> ParseError | None:
    """Why a workflow file is not CI, or None: it does not parse, is not a mapping (a YAML list
    or scalar), or lacks an ``on:`` trigger (YAML 1.1 reads the key ``on`` as ``true``) or a
    ``jobs:`` mapping (the line is that of a ``jobs:`` that is no mapping, else 1)."""
    if wf.error is not None:
        return wf.error
    data = wf.data
    if not isinstance(data, dict):
        return ParseError("a workflow must be a mapping", 1)
    missing = []
    if "on" not in data and True not in data:
        missing.append("no `on:` trigger")
    if not isinstance(data.get("jobs"), dict):
        missing.append("no `jobs:` mapping")
    if not missing:
        return None
    line = 1
    if isinstance(data, YamlMap) and "jobs" in data and missing == ["no `jobs:` mapping"]:
        line = data.line_of("jobs") or 1
    return ParseError(" and ".join(missing), line)
