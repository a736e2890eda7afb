from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return ("on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n" + steps)


@pytest.mark.parametrize("command", [
    "pytest -q", "python -m pytest", "uv run pytest", "poetry run python -m pytest", "tox -e py",
    "nox", "npm test", "yarn run test:ci", "pnpm test", "npx jest --ci", "go test ./...",
    "cargo nextest run", "mvn -B verify", "./gradlew check", "dotnet test", "bundle exec rspec",
    "make test", "ctest", "bazel test //...", "vendor/bin/phpunit", "mix test", "swift test",
    "CI=true ${RUNNER}vitest run", "xvfb-run -a npm run test:e2e",
])
def test_direct_test_command_passes(run_check, command):
    r = run_check("ci-runs-tests", {WF: workflow("pip install -e .", command)})
    assert r.status is Status.PASS, r.message
    assert r.locations == (Location(WF, 8),)
    assert r.message.startswith("CI runs tests: `")


@pytest.mark.parametrize("command", [
    "pip install pytest", "echo pytest", "npm install", "npm ci && npm run build",
    "pytest --version", "mvn install -DskipTests", "./gradlew build -x test", "go build ./...",
])
def test_no_test_command_fails(run_check, command):
    r = run_check("ci-runs-tests", {WF: workflow(command)})
    assert r.status is Status.FAIL
    assert r.message.startswith("no CI step runs tests")
    assert "add a step that runs the tests" in r.message
    assert r.locations == (Location(WF),)


def test_chain_through_the_repository(run_check):
    files = {
        WF: workflow("|\n          set -e\n          make ci"),
        "Makefile": "ci: lint unit\nlint:\n\truff check .\nunit:\n\t./scripts/test.sh\n",
        "scripts/test.sh": "#!/bin/sh\nexec python -m pytest -q\n",
    }
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.PASS
    assert r.message == ("CI runs tests: `make ci` -> Makefile:5 `./scripts/test.sh` -> "
                         f"scripts/test.sh:2 `exec python -m pytest -q` at {WF}:9")
    assert r.locations == (Location(WF, 9),)


def test_lists_every_step_that_runs_tests(run_check):
    r = run_check("ci-runs-tests", {WF: workflow("pytest", "echo", "npm test")})
    assert r.locations == (Location(WF, 7), Location(WF, 9))
    assert r.message.endswith("; and 1 more step")


def test_package_script_named_otherwise(run_check):
    files = {WF: workflow("npm run ci"),
             "package.json": '{"scripts": {"ci": "eslint . && vitest run"}}'}
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.PASS
    assert "`npm run ci` -> package.json:1 `vitest run`" in r.message


def test_more_than_three_levels_is_not_followed(run_check):
    files = {WF: workflow("make a"), "Makefile": "a:\n\t./s1.sh\n", "s1.sh": "./s2.sh\n",
             "s2.sh": "./s3.sh\n", "s3.sh": "pytest\n"}
    assert run_check("ci-runs-tests", files).status is Status.FAIL
    files["s2.sh"] = "pytest\n"
    assert run_check("ci-runs-tests", files).status is Status.PASS


def test_scripts_that_cannot_be_read_are_not_followed(run_check, tmp_path):
    outside = tmp_path / "t.sh"
    outside.write_text("pytest\n")
    files = {WF: workflow("./t.sh", "make ci", "./u.sh"), "t.sh": Symlink(str(outside)),
             "Makefile": b"ci:\n\tpytest \xff\n", "u.sh": b"\x00pytest\n"}
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.FAIL
    assert "Secret" not in r.message


def test_other_ci_systems_are_read(run_check):
    r = run_check("ci-runs-tests", {".gitlab-ci.yml": "test:\n  script:\n    - pytest\n"})
    assert r.status is Status.PASS
    assert r.locations == (Location(".gitlab-ci.yml", 3),)
    r = run_check("ci-runs-tests", {".travis.yml": "script: make lint\n"})
    assert r.status is Status.FAIL
    assert ".travis.yml" in r.message


def test_jenkinsfile_without_test_step_is_unknown(run_check):
    r = run_check("ci-runs-tests", {"Jenkinsfile": "pipeline { steps { buildPlugin() } }\n"})
    assert r.status is Status.UNKNOWN
    r = run_check("ci-runs-tests", {"Jenkinsfile": "node { sh 'mvn -B verify' }\n"})
    assert r.status is Status.PASS


@pytest.mark.parametrize("files", [
    {"README.md": "x"},
    {".github/workflows/sub/ci.yml": workflow("pytest")},
])
def test_no_ci_skips(run_check, files):
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.SKIP
    assert "no CI configuration" in r.message


def test_unreadable_ci_skips_and_says_why(run_check):
    r = run_check("ci-runs-tests", {WF: "on: push\njobs: [\n", ".gitlab-ci.yml": b"\x00\x01"})
    assert r.status is Status.SKIP
    assert f"{WF} line 3" in r.message and ".gitlab-ci.yml (cannot be read" in r.message


def test_broken_workflow_is_named_in_a_failure(run_check):
    r = run_check("ci-runs-tests", {WF: workflow("make lint"), ".github/workflows/b.yml": "a: [\n"})
    assert r.status is Status.FAIL
    assert "could not be read: .github/workflows/b.yml line 2" in r.message


def test_reusable_workflow_of_another_repository_is_unknown(run_check):
    text = ("on: push\njobs:\n  ci:\n    uses: acme/.github/.github/workflows/python.yml@v1\n"
            "  local:\n    uses: ./.github/workflows/lint.yml\n")
    r = run_check("ci-runs-tests", {WF: text, ".github/workflows/lint.yml":
                                    "on: workflow_call\njobs:\n  l:\n    steps: [{run: ruff .}]\n"})
    assert r.status is Status.UNKNOWN
    assert f"acme/.github/.github/workflows/python.yml@v1 ({WF}:4)" in r.message
    r = run_check("ci-runs-tests", {WF: text + "  t:\n    steps: [{run: pytest}]\n"})
    assert r.status is Status.PASS
