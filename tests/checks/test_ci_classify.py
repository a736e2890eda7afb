"""The classifiers (``scorecard.checks.ci.classify``): test, coverage and code-scanner commands."""

from __future__ import annotations

import pytest

from scorecard.checks.ci import (
    Command,
    code_scanner,
    is_test_command,
    normalise,
    split_commands,
    uses_coverage,
)

TESTS = [
    "pytest",
    "python -m pytest tests",
    "py.test",
    "tox",
    "nox -s tests",
    "python -m unittest discover",
    "npm test",
    "npm t",
    "npm run test:unit",
    "npm run-script test",
    "yarn test",
    "yarn run test-ci",
    "pnpm test",
    "pnpm run test",
    "pnpm -r test",
    "jest",
    "vitest run",
    "mocha",
    "go test ./...",
    "cargo test",
    "cargo +nightly test",
    "cargo nextest run",
    "mvn test",
    "mvn -B verify",
    "mvn clean install",
    "./mvnw package",
    "gradle test",
    "./gradlew check",
    "gradle build",
    "./gradlew :app:test",
    "dotnet test",
    "rspec",
    "bundle exec rake test",
    "make test",
    "make -C sub check",
    "ctest --output-on-failure",
    "bazel test //...",
    "phpunit",
    "mix test",
    "swift test",
    "python manage.py test",
    "npx playwright test",
    "yarn jest",
    "xvfb-run -a npm test",
    "turbo run test",
    "nx test app",
    "deno test",
    "bun test",
    "flutter test",
    "sbt clean test",
    "cucumber-js",
]


NOT_TESTS = [
    "pip install pytest",
    "echo pytest",
    "npm install",
    "npm ci",
    "npm run build",
    "yarn install",
    "yarn",
    "pytest --version",
    "tox --help",
    "go build ./...",
    "go vet ./...",
    "cargo build",
    "cargo test --no-run",
    "mvn compile",
    "mvn install -DskipTests",
    "mvn -pl test compile",
    "gradle assemble",
    "gradle build -x test",
    "make",
    "make build",
    "make test=1 all",
    "dotnet build",
    "printf 'go test'",
    "git commit -m 'make test'",
    "apt-get install tox",
    "pip3 install -r test-requirements.txt",
    "rake build",
    "curl -fsSL x | sh",
]


@pytest.mark.parametrize("command", TESTS)
def test_test_commands(command):
    assert is_test_command(split_commands(command)[0].words), command


@pytest.mark.parametrize("command", NOT_TESTS)
def test_not_test_commands(command):
    assert not any(is_test_command(r.words) for r in split_commands(command)), command


@pytest.mark.parametrize(
    ("command", "coverage"),
    [
        ("pytest --cov=src", True),
        ("pytest --cov-report=xml", True),
        ("coverage run -m pytest", True),
        ("coverage xml", True),
        ("jest --coverage", True),
        ("npx vitest run --coverage", True),
        ("go test -coverprofile=c.out ./...", True),
        ("go test -cover ./...", True),
        ("cargo llvm-cov --lcov", True),
        ("cargo tarpaulin", True),
        ("nyc mocha", True),
        ("npx c8 node test.js", True),
        ("mvn verify jacoco:report", True),
        ("./gradlew jacocoTestReport", True),
        ("codecov -t x", True),
        ("coveralls", True),
        ("dotnet test --collect 'XPlat Code Coverage'", True),
        ("bash <(curl -s https://codecov.io/bash)", True),
        ("pytest", False),
        ("pip install coverage codecov", False),
        ("echo --cov", False),
        ("go test ./...", False),
        ("coverage --help", False),
    ],
)
def test_coverage_commands(command, coverage):
    raw = split_commands(command)[0]
    argv, wrappers = normalise(raw.words)
    assert uses_coverage(Command(raw.text, argv, "x", 1, wrappers=wrappers)) is coverage


@pytest.mark.parametrize(
    ("command", "tool"),
    [
        ("semgrep ci", "Semgrep"),
        ("semgrep scan --config auto", "Semgrep"),
        ("semgrep --config p/python .", "Semgrep"),
        ("snyk code test", "Snyk Code"),
        ("sonar-scanner -Dsonar.login=x", "SonarQube"),
        ("mvn verify sonar:sonar", "SonarQube"),
        ("bandit -r src", "Bandit"),
        ("uvx bandit -r .", "Bandit"),
        ("gosec ./...", "gosec"),
        ("zizmor .github/workflows", "zizmor"),
        ("codeql database analyze db q.qls", "CodeQL CLI"),
        ("snyk test", None),
        ("semgrep login", None),
        ("pip install bandit semgrep", None),
        ("codeql database create db", None),
        ("ruff check .", None),
        ("golangci-lint run", None),
        ("eslint .", None),
        ("bandit --version", None),
    ],
)
def test_code_scanner_commands(command, tool):
    assert code_scanner(split_commands(command)[0].words) == tool
