"""CI runs tests

Passes when a CI step runs (not installs, not echoes) a recognised test command:

- `pytest` (`python -m pytest`), `tox`, `nox`, `python -m unittest`, `npm`/`yarn`/`pnpm`
  `test` or `run test…`, `jest`, `vitest`, `mocha`, `go test`, `cargo test`, `cargo nextest`,
  `mvn test`/`verify`/`install` (also `package`, `deploy`; not with `-DskipTests`),
  `gradle`/`./gradlew` `test`/`check`/`build` (not `build -x test`), `dotnet test`, `rspec`,
  `rake test`, `make test`/`check`, `ctest`, `bazel test`, `phpunit`, `mix test`, `swift test`;
- also `python manage.py test`, `bun test`, `deno test`, `flutter test`, `sbt test`,
  `playwright test`, `cypress run`, `gotestsum`, `turbo`/`lerna`/`nx` running a `test…` task
  and a few other test runners;
- behind a wrapper: `uv run`, `uvx`, `poetry run`, `pipenv run`, `hatch run`, `pdm run`,
  `python -m`, `coverage run -m`, `npx`, `bundle exec`, `xvfb-run`, `docker compose run`,
  `VAR=value cmd`, `${PREFIX}cmd`, `sudo`, `env`, `time`;
- or through what the repository itself defines, followed up to three levels deep: a
  `package.json` script, a `Makefile` target (variables expanded), a `tox.ini` (or
  `tox.toml`, `pyproject.toml`) environment (`{[testenv:NAME]commands}` references
  followed), a `noxfile.py` session, invoke tasks, pre-commit hooks, `pdm`/`hatch`/`poe`
  scripts, a local composite action, or a script file run by its path (a shell script's
  commands; a Python script's `subprocess`/`os.system` command strings, found by text search:
  repository code is never imported or run). The result shows the chain, e.g.
  "`make test` -> Makefile:3 `pytest`", and points at the workflow line where it starts;
- a step using `${{ matrix.KEY }}` is read once per value of the job's `strategy.matrix`
  (`tox -e ${{ matrix.toxenv }}` runs each environment listed).

CI means GitHub Actions workflows that parse to a mapping with `on:` and `jobs:` (the others
are named in the result and ignored) and the script lines of `.gitlab-ci.yml`,
CircleCI, Travis, Azure Pipelines, Bitbucket Pipelines, Drone, AppVeyor and Buildkite
configurations. Fails when none of their steps runs tests.

`skip` when there is no CI configuration, or none that can be read (the workflows that do not
parse are named). `unknown`, when no step read runs tests, if a job calls a reusable workflow of
another repository (`uses: org/repo/.github/workflows/ci.yml@v1`: its steps cannot be read
here), or if the only CI is a `Jenkinsfile` (pipelines often call shared libraries this check
cannot see), or if the CI is too large to read entirely (more than 20,000 commands, or more
than 8 MiB of scripts and Makefile expansions).
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed, skipped, unknown
from scorecard.snapshot import RepoSnapshot

from .ci import (
    analyse,
    describe_problems,
    describe_remote,
    describe_truncated,
    is_test_command,
    other_ci_configs,
    remote_workflows,
)

SHOWN = 10


@check(
    id="ci-runs-tests",
    pillar="tests",
    title="CI runs tests",
    remediation="Add a step to your CI workflow that runs the test suite, e.g. `run: pytest`, "
    "`run: npm test` or `run: go test ./...`, on every push and pull request.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    if not snap.workflows() and not other_ci_configs(snap):
        return skipped(
            "no CI configuration (no workflow in .github/workflows/ and no other CI file)"
        )
    ci = analyse(snap)
    hits = [c for c in ci.commands if is_test_command(c)]
    if hits:
        locations = list(dict.fromkeys(c.location for c in hits))
        first = hits[0]
        more = len(locations) - 1
        extra = f"; and {more} more step{'s' if more != 1 else ''}" if more else ""
        return passed(
            f"CI runs tests: {first.describe()} at {first.location}{extra}",
            locations[:SHOWN],
            command=first.text,
        )
    note = describe_problems(ci.problems)
    if not ci.sources:
        return skipped(f"no CI configuration can be read{note}")
    remote = remote_workflows(ci)
    if remote:
        return unknown(
            f"no CI step read here runs tests, and jobs call reusable workflows of "
            f"other repositories, which cannot be read: {describe_remote(remote)}"
            f"{note}"
        )
    truncated = describe_truncated(ci)
    if truncated:
        return unknown(f"no CI step read here runs tests, but {truncated}{note}")
    if set(ci.sources) <= set(ci.partial):
        return unknown(
            f"no `sh`/`bat` step of {', '.join(ci.sources)} runs a recognised test "
            f"command, and its other steps (shared libraries, plugins) cannot be "
            f"read{note}"
        )
    n = len(ci.commands)
    return failed(
        f"no CI step runs tests: {n} command{'s' if n != 1 else ''} read in "
        f"{', '.join(ci.sources[:SHOWN])}, none of them a test runner (pytest, "
        f"npm test, go test, mvn verify, make test...); add a step that runs the "
        f"tests{note}",
        [Location(p) for p in ci.sources[:SHOWN]],
    )
