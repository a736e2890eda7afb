from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.checks.ci import analyse
from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return (
        "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n" + steps
    )


@pytest.mark.parametrize(
    "command",
    [
        "pytest -q",
        "python -m pytest",
        "uv run pytest",
        "poetry run python -m pytest",
        "tox -e py",
        "nox",
        "npm test",
        "yarn run test:ci",
        "pnpm test",
        "npx jest --ci",
        "go test ./...",
        "cargo nextest run",
        "mvn -B verify",
        "./gradlew check",
        "dotnet test",
        "bundle exec rspec",
        "make test",
        "ctest",
        "bazel test //...",
        "vendor/bin/phpunit",
        "mix test",
        "swift test",
        "CI=true ${RUNNER}vitest run",
        "xvfb-run -a npm run test:e2e",
    ],
)
def test_direct_test_command_passes(run_check, command):
    r = run_check("ci-runs-tests", {WF: workflow("pip install -e .", command)})
    assert r.status is Status.PASS, r.message
    assert r.locations == (Location(WF, 8),)
    assert r.message.startswith("CI runs tests: `")


@pytest.mark.parametrize(
    "command",
    [
        "pip install pytest",
        "echo pytest",
        "npm install",
        "npm ci && npm run build",
        "pytest --version",
        "mvn install -DskipTests",
        "./gradlew build -x test",
        "go build ./...",
    ],
)
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
    assert r.message == (
        "CI runs tests: `make ci` -> Makefile:5 `./scripts/test.sh` -> "
        f"scripts/test.sh:2 `exec python -m pytest -q` at {WF}:9"
    )
    assert r.locations == (Location(WF, 9),)


def test_lists_every_step_that_runs_tests(run_check):
    r = run_check("ci-runs-tests", {WF: workflow("pytest", "echo", "npm test")})
    assert r.locations == (Location(WF, 7), Location(WF, 9))
    assert r.message.endswith("; and 1 more step")


def test_package_script_named_otherwise(run_check):
    files = {
        WF: workflow("npm run ci"),
        "package.json": '{"scripts": {"ci": "eslint . && vitest run"}}',
    }
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.PASS
    assert "`npm run ci` -> package.json:1 `vitest run`" in r.message


def test_more_than_three_levels_is_not_followed(run_check):
    files = {
        WF: workflow("make a"),
        "Makefile": "a:\n\t./s1.sh\n",
        "s1.sh": "./s2.sh\n",
        "s2.sh": "./s3.sh\n",
        "s3.sh": "pytest\n",
    }
    assert run_check("ci-runs-tests", files).status is Status.FAIL
    files["s2.sh"] = "pytest\n"
    assert run_check("ci-runs-tests", files).status is Status.PASS


def test_scripts_that_cannot_be_read_are_not_followed(run_check, tmp_path):
    outside = tmp_path / "t.sh"
    outside.write_text("pytest\n")
    files = {
        WF: workflow("./t.sh", "make ci", "./u.sh"),
        "t.sh": Symlink(str(outside)),
        "Makefile": b"ci:\n\tpytest \xff\n",
        "u.sh": b"\x00pytest\n",
    }
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


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "x"},
        {".github/workflows/sub/ci.yml": workflow("pytest")},
    ],
)
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
    text = (
        "on: push\njobs:\n  ci:\n    uses: acme/.github/.github/workflows/python.yml@v1\n"
        "  local:\n    uses: ./.github/workflows/lint.yml\n"
    )
    r = run_check(
        "ci-runs-tests",
        {
            WF: text,
            ".github/workflows/lint.yml": (
                "on: workflow_call\njobs:\n  l:\n    steps: [{run: ruff .}]\n"
            ),
        },
    )
    assert r.status is Status.UNKNOWN
    assert f"acme/.github/.github/workflows/python.yml@v1 ({WF}:4)" in r.message
    r = run_check("ci-runs-tests", {WF: text + "  t:\n    steps: [{run: pytest}]\n"})
    assert r.status is Status.PASS


# ---- a workflow that is not a workflow (issue 9, fault 14) ----------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "- on: push\n  jobs:\n    t:\n      steps:\n        - run: pytest\n",
            "line 1: a workflow must be a mapping",
        ),
        ("just a string\n", "line 1: a workflow must be a mapping"),
        ("on: push\njobs: 3\n", "line 2: no `jobs:` mapping"),
        ("name: not a workflow\n", "line 1: no `on:` trigger and no `jobs:` mapping"),
    ],
)
def test_a_workflow_that_is_not_a_mapping_is_not_ci(run_check, text, why):
    r = run_check("ci-runs-tests", {WF: text})
    assert r.status is Status.SKIP, r.message
    assert f"could not be read: {WF} {why}" in r.message
    # beside real CI it is ignored, and named
    r = run_check("ci-runs-tests", {WF: text, ".gitlab-ci.yml": "t:\n  script: [make lint]\n"})
    assert r.status is Status.FAIL
    assert "read in .gitlab-ci.yml, none" in r.message and WF in r.message
    r = run_check("ci-runs-tests", {WF: text, ".gitlab-ci.yml": "t:\n  script: [pytest]\n"})
    assert r.status is Status.PASS


# ---- tox references and matrices (issue 9, fault 13) ---------------------------------------
# ``tox`` itself counts as running tests: these follow what it runs, as coverage-configured and
# code-scanning-configured need.


@pytest.mark.parametrize(
    ("tox", "line"),
    [
        (
            "[testenv:unit]\ncommands = pytest {posargs}\n[testenv:ci]\ncommands =\n"
            "    {[testenv:unit]commands} --cov\n",
            5,
        ),
        (
            "[testenv:unit]\ncommands =\n    ruff check .\n    pytest --cov\n"
            "[testenv:ci]\ncommands =\n    python -m {[testenv:unit]commands}\n",
            7,
        ),
        (
            "[testenv]\ncommands = pytest --cov\n[testenv:unit]\ndeps = x\n"
            "[testenv:ci]\ncommands =\n    {[testenv:unit]commands}\n",
            2,
        ),
    ],
)
def test_tox_section_references(run_check, make_snapshot, tox, line):
    files = {WF: workflow("tox -e ci"), "tox.ini": tox}
    ci = analyse(make_snapshot(files))
    assert [c.argv[:2] for c in ci.commands][-1] == ("pytest", "--cov")
    r = run_check("coverage-configured", files)
    assert r.status is Status.PASS, r.message
    assert f"`tox -e ci` -> tox.ini:{line} `" in r.message


def test_tox_toml_references(make_snapshot):
    toml = (
        '[env.unit]\ncommands = [["pytest", "--cov"]]\n[env.ci]\ncommands = [{ replace = '
        '"ref", of = ["env", "unit", "commands"], extend = true }, ["ruff", "check"]]\n'
    )
    ci = analyse(make_snapshot({WF: workflow("tox -e ci"), "tox.toml": toml}))
    assert [c.argv for c in ci.commands] == [
        ("tox", "-e", "ci"),
        ("pytest", "--cov"),
        ("ruff", "check"),
    ]


MATRIX = (
    "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n"
    "        toxenv: [lint, docs, unit]\n        include:\n          - toxenv: scan\n"
    "    steps:\n      - run: tox -e ${{ matrix.toxenv }}\n"
)
MATRIX_TOX = (
    "[testenv:lint]\ncommands = ruff check .\n[testenv:docs]\ncommands = sphinx-build\n"
    "[testenv:unit]\ncommands = pytest\n[testenv:scan]\ncommands = bandit -r src\n"
)


def test_tox_env_from_the_job_matrix(run_check, make_snapshot):
    files = {WF: MATRIX, "tox.ini": MATRIX_TOX}
    ci = analyse(make_snapshot(files))
    chains = [c.describe() for c in ci.commands if c.depth]
    assert "`tox -e unit` -> tox.ini:6 `pytest`" in chains
    assert all(c.location == Location(WF, 11) for c in ci.commands)
    r = run_check("ci-runs-tests", files)
    assert r.status is Status.PASS, r.message
    assert r.message.startswith("CI runs tests: `tox -e lint` at ")
    r = run_check("code-scanning-configured", files)
    assert r.status is Status.PASS, r.message
    assert "`tox -e scan` -> tox.ini:8 `bandit -r src`" in r.message


@pytest.mark.parametrize(
    "matrix",
    ["${{ fromJSON(needs.setup.outputs.envs) }}", "{include: [{python: '3.12'}]}", "[a, b]"],
)
def test_a_matrix_that_cannot_be_read_is_left_as_written(make_snapshot, matrix):
    text = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    strategy:\n"
        f"      matrix: {matrix}\n    steps:\n      - run: tox -e ${{{{ matrix.toxenv }}}}\n"
    )
    ci = analyse(make_snapshot({WF: text, "tox.ini": MATRIX_TOX}))
    assert ci.commands[0].argv == ("tox", "-e", "${{ matrix.toxenv }}")
