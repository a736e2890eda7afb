from __future__ import annotations

import pytest

from scorecard.model import Location, Status
from scorecard.snapshot import NotAvailable, Platform, Unknown

WF = ".github/workflows/scan.yml"
REASON = "default setup can only be seen through the API with administration: read"


def workflow(*steps: str) -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{body}"


@pytest.mark.parametrize(
    ("step", "tool"),
    [
        ("uses: github/codeql-action/init@v3", "CodeQL"),
        ("uses: GitHub/CodeQL-Action/analyze@4f3212b61783c3c68e8309a0f18a699764811cda", "CodeQL"),
        ("uses: semgrep/semgrep-action@v1", "Semgrep"),
        ("uses: returntocorp/semgrep-action@v1", "Semgrep"),
        ("run: semgrep ci", "Semgrep"),
        ("run: semgrep scan --config auto --sarif", "Semgrep"),
        (
            "uses: snyk/actions/node@master\n        with:\n          command: code test",
            "Snyk Code",
        ),
        ("run: snyk code test --sarif", "Snyk Code"),
        ("uses: SonarSource/sonarcloud-github-action@v2", "SonarQube"),
        ("uses: sonarsource/sonarqube-scan-action@v4", "SonarQube"),
        ("run: sonar-scanner", "SonarQube"),
        ("run: bandit -r src -f sarif", "Bandit"),
        ("uses: PyCQA/bandit-action@v1", "Bandit"),
        ("uses: securego/gosec@master", "gosec"),
        ("run: gosec ./...", "gosec"),
        ("uses: zizmorcore/zizmor-action@v0.1", "zizmor"),
        ("run: uvx zizmor --format sarif .", "zizmor"),
        ("run: codeql database analyze db --format=sarif-latest", "CodeQL CLI"),
    ],
)
def test_scanner_in_a_workflow_passes(run_check, step, tool):
    r = run_check("code-scanning-configured", {WF: workflow("uses: actions/checkout@v4", step)})
    assert r.status is Status.PASS, r.message
    assert r.message.startswith(f"code scanning in CI: {tool}, ")
    assert r.locations == (Location(WF, 7),)


def test_scanner_run_through_the_repository(run_check):
    files = {
        WF: workflow("run: tox -e security"),
        "tox.ini": "[testenv:security]\ncommands =\n    bandit -r src\n",
    }
    r = run_check("code-scanning-configured", files)
    assert r.status is Status.PASS
    assert r.message == (
        f"code scanning in CI: Bandit, `tox -e security` -> tox.ini:3 `bandit -r src` at {WF}:6"
    )


def test_scanner_in_a_local_composite_action(run_check):
    files = {
        WF: workflow("uses: ./.github/actions/scan"),
        ".github/actions/scan/action.yaml": "runs:\n  using: composite\n  steps:\n"
        "    - uses: github/codeql-action/init@v3\n",
    }
    r = run_check("code-scanning-configured", files)
    assert r.status is Status.PASS
    assert r.locations == (Location(WF, 6),)
    assert "`uses: ./.github/actions/scan` -> .github/actions/scan/action.yaml:4" in r.message


@pytest.mark.parametrize(
    "files",
    [
        {"README.md": "x"},
        {
            WF: workflow(
                "uses: github/codeql-action/upload-sarif@v3\n        with:\n"
                "          sarif_file: results.sarif"
            )
        },
        {WF: workflow("uses: ossf/scorecard-action@v2")},
        {WF: workflow("uses: snyk/actions/node@master", "run: snyk test")},
        {WF: workflow("run: golangci-lint run", "run: ruff check .", "run: npx eslint .")},
        {WF: workflow("run: pip install bandit semgrep", "run: echo semgrep ci")},
        {"Makefile": "scan:\n\tsemgrep ci\n", WF: workflow("run: make lint")},
        {WF: "on: push\njobs: [\n  github/codeql-action/init\n"},
        {WF: b"\x00uses: github/codeql-action/init@v3"},
    ],
)
def test_nothing_in_ci_is_unknown_locally(run_check, files):
    r = run_check("code-scanning-configured", files)
    assert r.status is Status.UNKNOWN
    assert REASON in r.message


class DefaultSetup(Platform):
    def __init__(self, answer: bool | Unknown | NotAvailable) -> None:
        self.answer = answer

    def code_scanning_default_setup(self) -> bool | Unknown | NotAvailable:
        return self.answer


GHAS = NotAvailable(
    "code scanning is not available on this repository (Advanced Security must "
    "be enabled for this repository to use code scanning.)"
)


@pytest.mark.parametrize(
    ("options", "status"),
    [
        (None, Status.FAIL),
        ({"skip_when_unavailable": True}, Status.SKIP),
    ],
)
def test_code_scanning_not_available_is_not_unknown(run_check, make_snapshot, options, status):
    """Issue 13, fault 2: GitHub's 403 for a repository without Advanced Security is a fact
    about the repository, not a permission the token lacks."""
    snap = make_snapshot({WF: workflow("run: make")})
    snap.platform = DefaultSetup(GHAS)
    r = run_check("code-scanning-configured", {}, snap=snap, options=options)
    assert r.status is status
    assert "not available on this repository (Advanced Security must be enabled" in r.message


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (True, Status.PASS),
        (False, Status.FAIL),
        (Unknown("needs administration: read"), Status.UNKNOWN),
    ],
)
def test_default_setup_decides(run_check, make_snapshot, answer, status):
    snap = make_snapshot({WF: workflow("run: make")})
    snap.platform = DefaultSetup(answer)
    r = run_check("code-scanning-configured", {}, snap=snap)
    assert r.status is status
    if status is Status.PASS:
        assert "default setup" in r.message
    if status is Status.UNKNOWN:
        assert "needs administration: read" in r.message


def test_workflow_wins_over_default_setup(run_check, make_snapshot):
    snap = make_snapshot({WF: workflow("run: semgrep ci")})
    snap.platform = DefaultSetup(False)
    assert run_check("code-scanning-configured", {}, snap=snap).status is Status.PASS


def test_reusable_workflow_of_another_repository(run_check, make_snapshot):
    text = "on: push\njobs:\n  scan:\n    uses: acme/.github/.github/workflows/codeql.yml@v2\n"
    snap = make_snapshot({WF: text})
    snap.platform = DefaultSetup(False)
    r = run_check("code-scanning-configured", {}, snap=snap)
    assert r.status is Status.UNKNOWN
    assert "acme/.github/.github/workflows/codeql.yml@v2" in r.message


@pytest.mark.parametrize(
    ("run", "tool"),
    [
        ("bandit-baseline -r src -ii", "Bandit"),
        ("uvx --from bandit bandit-baseline -r .", "Bandit"),
        ("codeql database analyze db codeql/python-queries --format=sarif-latest", "CodeQL CLI"),
        ("gh codeql database analyze db --format=sarif-latest --output=r.sarif", "CodeQL CLI"),
        ("$CODEQL database analyze db --format=sarif-latest", "CodeQL CLI"),
        ('|\n          "${CODEQL_BIN}" database analyze db --format=sarif-latest', "CodeQL CLI"),
        ("${{ steps.init.outputs.codeql-path }} database analyze db --format=csv", "CodeQL CLI"),
        ("/opt/codeql/codeql database analyze --threads 0 db", "CodeQL CLI"),
    ],
)
def test_scanner_commands_issue_9(run_check, run, tool):
    r = run_check("code-scanning-configured", {WF: workflow(f"run: {run}")})
    assert r.status is Status.PASS, r.message
    assert r.message.startswith(f"code scanning in CI: {tool}, ")


@pytest.mark.parametrize(
    "run",
    [
        "gh codeql database create db",
        "$CODEQL resolve qlpacks",
        "bandit-config-generator -o bandit.yml",
    ],
)
def test_not_scanning_commands_issue_9(run_check, run):
    r = run_check("code-scanning-configured", {WF: workflow(f"run: {run}")})
    assert r.status is Status.UNKNOWN, r.message
