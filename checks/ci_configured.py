"""CI configured

Passes when continuous integration is set up:

- a GitHub Actions workflow in `.github/workflows/` (`*.yml` or `*.yaml`) parses to a mapping
  with an `on:` trigger (YAML 1.1 reads the key `on` as `true`; both are accepted) and `jobs:`;
- or another CI system's configuration exists: `.gitlab-ci.yml`, `.circleci/config.yml`,
  `Jenkinsfile`, `azure-pipelines.yml` (or `.yaml`), `.travis.yml`, any file under
  `.buildkite/`, `bitbucket-pipelines.yml`, `.drone.yml`, `appveyor.yml` (or `.appveyor.yml`).

The result names the configurations found. Fails when there is none; when a workflow exists but
does not parse, or lacks `on:` or `jobs:`, the message says which file and why, with the line of
the parse error.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.parsing import ParseError
from scorecard.snapshot import RepoSnapshot

from .ci import other_ci_configs, workflow_problem

SHOWN = 3


def _describe(path: str, err: ParseError) -> tuple[str, Location]:
    """Why a workflow file does not configure CI, and where."""
    where = f" line {err.line}" if err.line is not None else ""
    return f"{path}{where}: {err.message}", Location(path, err.line)


@check(
    id="ci-configured",
    pillar="tests",
    title="CI configured",
    remediation="Add a GitHub Actions workflow, e.g. `.github/workflows/ci.yml` with "
    "`on: [push, pull_request]` and a `jobs:` section that builds and tests the "
    "project.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    workflows = snap.workflows()
    checked = [(wf.path, workflow_problem(wf)) for wf in workflows]
    good = [path for path, problem in checked if problem is None]
    others = other_ci_configs(snap)
    found = good + others
    if found:
        shown = ", ".join(found[:SHOWN])
        more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        return passed(f"CI configured: {shown}{more}", [Location(p) for p in found])
    if workflows:
        problems = [_describe(path, err) for path, err in checked if err is not None]
        shown = "; ".join(msg for msg, _ in problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        n = len(workflows)
        return failed(
            f"no usable CI configuration: {n} workflow{'s' if n != 1 else ''} in "
            f".github/workflows/, none with `on:` and `jobs:` that parses "
            f"({shown}{more})",
            [loc for _, loc in problems],
        )
    return failed(
        "no CI configuration: no workflow in .github/workflows/ and no "
        ".gitlab-ci.yml, .circleci/config.yml, Jenkinsfile or other CI file"
    )
