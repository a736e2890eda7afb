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
from scorecard.parsing import YamlMap
from scorecard.snapshot import RepoSnapshot, Workflow

from ._ci import other_ci_configs

SHOWN = 3


def _problem(wf: Workflow) -> tuple[str, Location]:
    """Why a workflow file does not configure CI, and where."""
    err = wf.error
    if err is not None:
        where = f" line {err.line}" if err.line is not None else ""
        return f"{wf.path}{where}: {err.message}", Location(wf.path, err.line)
    if not isinstance(wf.data, dict):
        return f"{wf.path}: a workflow must be a mapping", Location(wf.path, 1)
    data = wf.data
    missing = []
    if "on" not in data and True not in data:
        missing.append("no `on:` trigger")
    if not isinstance(data.get("jobs"), dict):
        missing.append("no `jobs:` mapping")
    line = 1  # a missing key: the top of the file; a `jobs:` that is no mapping: its line
    if isinstance(data, YamlMap) and "jobs" in data and missing == ["no `jobs:` mapping"]:
        line = data.line_of("jobs")
    return f"{wf.path}: {' and '.join(missing)}", Location(wf.path, line)


def _is_ci(wf: Workflow) -> bool:
    data = wf.data
    return wf.ok and isinstance(data, dict) and ("on" in data or True in data) \
        and isinstance(data.get("jobs"), dict)


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
    good = [wf.path for wf in workflows if _is_ci(wf)]
    others = other_ci_configs(snap)
    found = good + others
    if found:
        shown = ", ".join(found[:SHOWN])
        more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
        return passed(f"CI configured: {shown}{more}", [Location(p) for p in found])
    if workflows:
        problems = [_problem(wf) for wf in workflows]
        shown = "; ".join(msg for msg, _ in problems[:SHOWN])
        more = f"; and {len(problems) - SHOWN} more" if len(problems) > SHOWN else ""
        n = len(workflows)
        return failed(f"no usable CI configuration: {n} workflow{'s' if n != 1 else ''} in "
                      f".github/workflows/, none with `on:` and `jobs:` that parses "
                      f"({shown}{more})", [loc for _, loc in problems])
    return failed("no CI configuration: no workflow in .github/workflows/ and no "
                  ".gitlab-ci.yml, .circleci/config.yml, Jenkinsfile or other CI file")
