from __future__ import annotations

import pytest

from scorecard.model import Location, Status

WF = ".github/workflows/ci.yml"


def workflow(*steps: str) -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{body}"


@pytest.mark.parametrize(
    "step",
    [
        "run: pytest --cov=src",
        "run: uv run coverage run -m pytest",
        "run: npx jest --coverage",
        "run: npm test -- --coverage",
        "run: vitest run --coverage.enabled",
        "run: go test -race -coverprofile=cover.out ./...",
        "run: cargo llvm-cov --lcov",
        "run: cargo tarpaulin",
        "run: npx nyc mocha",
        "run: c8 node --test",
        "run: mvn -B verify jacoco:report",
        "run: ./gradlew test jacocoTestReport",
        "uses: codecov/codecov-action@v4",
        "uses: coverallsapp/github-action@v2",
        "run: curl -Os https://uploader.codecov.io/latest/linux/codecov",
    ],
)
def test_ci_measures_coverage(run_check, step):
    r = run_check("coverage-configured", {WF: workflow("run: echo start", step)})
    assert r.status is Status.PASS, r.message
    assert r.message.startswith("coverage measured in CI: ")
    assert r.locations == (Location(WF, 7),)


def test_followed_into_the_repository(run_check):
    files = {WF: workflow("run: make test"), "Makefile": "test:\n\tpytest --cov\n"}
    r = run_check("coverage-configured", files)
    assert r.message == (
        f"coverage measured in CI: `make test` -> Makefile:2 `pytest --cov` at {WF}:6"
    )


@pytest.mark.parametrize(
    ("files", "where"),
    [
        ({"codecov.yml": "x"}, Location("codecov.yml")),
        ({".github/.codecov.yml": "x"}, Location(".github/.codecov.yml")),
        ({"dev/codecov.yml": "x"}, Location("dev/codecov.yml")),
        ({".coveragerc": "[run]\n"}, Location(".coveragerc")),
        ({".nycrc": "{}"}, Location(".nycrc")),
        ({".nycrc.json": "{}"}, Location(".nycrc.json")),
        ({".c8rc.json": "{}"}, Location(".c8rc.json")),
        (
            {"pyproject.toml": "[project]\nname = 'x'\n\n[tool.coverage.run]\nbranch = true\n"},
            Location("pyproject.toml", 4),
        ),
        ({"pyproject.toml": "[tool.coverage]\nrun.branch = true\n"}, Location("pyproject.toml", 1)),
        (
            {"setup.cfg": "[metadata]\nname = x\n[coverage:report]\nfail_under = 90\n"},
            Location("setup.cfg", 3),
        ),
        ({"tox.ini": "[tox]\n[coverage:run]\n"}, Location("tox.ini", 2)),
        ({"package.json": '{"nyc": {"all": true}}'}, Location("package.json")),
        (
            {
                "pom.xml": "<project>\n  <build><plugins><plugin>\n"
                "    <artifactId>jacoco-maven-plugin</artifactId>\n"
            },
            Location("pom.xml", 3),
        ),
        (
            {
                "pom.xml": "<project><modules><module>core</module></modules></project>",
                "core/pom.xml": "<plugin>\n<groupId>org.jacoco</groupId>\n",
            },
            Location("core/pom.xml", 2),
        ),
        (
            {
                "settings.gradle.kts": 'include(":app", ":lib:core")\n',
                "lib/core/build.gradle.kts": "plugins {\n    jacoco\n}\n",
            },
            Location("lib/core/build.gradle.kts", 2),
        ),
        (
            {"buildSrc/src/main/kotlin/conventions.gradle.kts": 'plugins { id("jacoco") }\n'},
            Location("buildSrc/src/main/kotlin/conventions.gradle.kts", 1),
        ),
    ],
)
def test_coverage_configuration(run_check, files, where):
    r = run_check("coverage-configured", files)
    assert r.status is Status.PASS, r.message
    assert r.message.startswith("coverage configured: ")
    assert r.locations == (where,)


@pytest.mark.parametrize(
    "files",
    [
        {WF: workflow("run: pytest", "run: pip install coverage codecov")},
        # A coverage tool only in a target that CI never runs does not count.
        {WF: workflow("run: make test"), "Makefile": "test:\n\tpytest\ncov:\n\tpytest --cov\n"},
        {"package.json": '{"scripts": {"coverage": "jest --coverage"}}'},
        {"pyproject.toml": "[tool.coverage.run\nbranch = true\n"},
        {"pyproject.toml": b"[tool.coverage.run]\nx = '\xff'\n"},
        {"setup.cfg": "[coverage]\n", "tox.ini": b"\x00[coverage:run]\n"},
        {"codecov.yml.bak": "x", "docs/.coveragerc": "x", "src/pom.xml": "jacoco"},
        {WF: "on: push\njobs: [\n  pytest --cov\n"},
    ],
)
def test_no_coverage_fails(run_check, files):
    r = run_check("coverage-configured", {"README.md": "x", **files})
    assert r.status is Status.FAIL
    assert r.message.startswith("coverage is not measured")


def test_reusable_workflow_of_another_repository_is_unknown(run_check):
    text = "on: push\njobs:\n  ci:\n    uses: acme/ci/.github/workflows/go.yml@main\n"
    r = run_check("coverage-configured", {WF: text})
    assert r.status is Status.UNKNOWN
    assert "acme/ci/.github/workflows/go.yml@main" in r.message
    assert run_check("coverage-configured", {WF: text, ".coveragerc": ""}).status is Status.PASS
