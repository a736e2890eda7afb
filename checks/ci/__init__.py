"""What CI runs: every command and action of every CI step, followed into the repository.

Shared by ``ci-runs-tests``, ``coverage-configured`` and ``code-scanning-configured`` and
computed once per snapshot (``snap.cached("ci", ...)``):

- every GitHub Actions workflow that parses: each step's ``uses:`` (:class:`Use`) and each
  ``run:`` script split into commands (:class:`Command`) with the file line of each command;
  local composite actions (``uses: ./path``) are followed into their steps, and a few actions
  that run a command given as an input (``nick-fields/retry``, ``pre-commit/action``...) are
  read as that command; a script using ``${{ matrix.KEY }}`` is read once per value of the
  job's ``strategy.matrix`` (:data:`MATRIX_VALUES`, :data:`MATRIX_VARIANTS`);
- the script lines of the other CI systems (``.gitlab-ci.yml``, CircleCI, Travis, Azure
  Pipelines, Bitbucket, Drone, AppVeyor, Buildkite, the ``sh`` steps of a ``Jenkinsfile``);
- what the repository itself defines, followed up to three levels deep: ``package.json``
  scripts, ``Makefile`` targets, ``tox`` environments, ``noxfile.py`` sessions, invoke tasks,
  pre-commit hooks, ``pdm``/``hatch``/``poe`` scripts from ``pyproject.toml``, and script files
  run by their path (shell scripts as commands, Python files by a text search for the command
  strings they run). Nothing from the repository is imported or executed.

The work is bounded by the input: each distinct script text is lexed once and each command
followed once, Makefile variables expand within :data:`MAKE_EXPANSION_DEPTH`,
:data:`EXPANSION_CAP` and :data:`MAKE_EXPANSION_BUDGET`, and one analysis records at most
:data:`MAX_COMMANDS` commands and lexes at most :data:`LEX_BUDGET` characters; an analysis cut
short says so (:attr:`CiAnalysis.truncated`), and the checks then answer ``unknown``.

A command is normalised before it is classified: leading ``VAR=value`` assignments,
``${PREFIX}`` expansions, ``sudo``, ``env``, ``time`` and wrappers (``uv run``, ``uvx``,
``poetry run``, ``pipenv run``, ``hatch run``, ``pdm run``, ``python -m``, ``coverage run -m``,
``npx``, ``pnpm exec``, ``bundle exec``, ``xvfb-run``, ``docker compose run``...) are dropped,
so that ``uv run python -m pytest`` is ``pytest``. Only what runs counts: ``pip install
pytest`` and ``echo pytest`` are ``pip`` and ``echo``.

The package, one module per concern: :mod:`.shell` (the lexer), :mod:`.commands`
(normalisation, :class:`Command`), :mod:`.classify` (test, coverage and scanner commands),
:mod:`.actions` (``uses:`` and the actions that count), :mod:`.pysource` (Python read as text),
:mod:`.readers` (what the CI files of each system say), :mod:`.follow`, :mod:`.make` and
:mod:`.tox` (the repository's own definitions), :mod:`.reading` (the files, each read once),
:mod:`.limits` (the bounds and the budgeted lexing) and :mod:`.analyser` (the walk).
Checks import from the package.
"""

from __future__ import annotations

from .actions import (
    COVERAGE_ACTIONS,
    Use,
    action_matches,
    action_name,
    coverage_action,
    scanning_action,
)
from .analyser import (
    CiAnalysis,
    analyse,
    ci_commands,
    ci_uses,
    describe_problems,
    describe_remote,
    describe_truncated,
    remote_workflows,
)
from .classify import JsRun, code_scanner, is_test_command, js_run, uses_coverage
from .commands import Command, normalise
from .limits import (
    EXPANSION_CAP,
    LEX_BUDGET,
    MAKE_EXPANSION_BUDGET,
    MAKE_EXPANSION_DEPTH,
    MATRIX_VALUES,
    MATRIX_VARIANTS,
    MAX_COMMANDS,
    MAX_DEPTH,
    READ_CAP,
)
from .pysource import python_commands
from .readers import OTHER_CI, other_ci_configs, workflow_problem
from .shell import RawCommand, split_commands

__all__ = [
    "COVERAGE_ACTIONS",
    "EXPANSION_CAP",
    "LEX_BUDGET",
    "MAKE_EXPANSION_BUDGET",
    "MAKE_EXPANSION_DEPTH",
    "MATRIX_VALUES",
    "MATRIX_VARIANTS",
    "MAX_COMMANDS",
    "MAX_DEPTH",
    "OTHER_CI",
    "READ_CAP",
    "CiAnalysis",
    "Command",
    "JsRun",
    "RawCommand",
    "Use",
    "action_matches",
    "action_name",
    "analyse",
    "ci_commands",
    "ci_uses",
    "code_scanner",
    "coverage_action",
    "describe_problems",
    "describe_remote",
    "describe_truncated",
    "is_test_command",
    "js_run",
    "normalise",
    "other_ci_configs",
    "python_commands",
    "remote_workflows",
    "scanning_action",
    "split_commands",
    "uses_coverage",
    "workflow_problem",
]
