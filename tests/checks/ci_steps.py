"""Shared by the CI analyser's tests (``tests/checks/test_ci_*.py``): a workflow built from
steps, and what the analysis finds in a repository."""

from __future__ import annotations

from scorecard.checks.ci import analyse

WF = ".github/workflows/ci.yml"


def workflow(*steps: str) -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n{body}"


def commands(make_snapshot, files):
    """(argv, "path:line", describe) for every command CI runs."""
    return [(c.argv, str(c.location), c.describe()) for c in analyse(make_snapshot(files)).commands]


def argvs(make_snapshot, files):
    return [c.argv for c in analyse(make_snapshot(files)).commands]
