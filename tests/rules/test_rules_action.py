"""A rule in the base branch's standard grades a pull request and shows in its comment like a
built-in check."""

from __future__ import annotations

from actionenv import MATURE, REPO, Project
from events import Events
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from test_action import ADMIN_TOKEN, WRITE, gh, ours, runner, tokens  # noqa: F401 - fixtures

STANDARD = """\
rules:
  - id: no-print-debugging
    title: No print debugging
    remediation: Use logging instead of print().
    require: { content: { glob: "src/**/*.py", absent: "^\\\\s*print\\\\(" } }
"""


def test_a_rule_fails_a_pull_request_in_its_comment(gh, tmp_path, runner):  # noqa: F811
    project = Project(gh, tmp_path, {**MATURE, ".github/standards.yml": STANDARD})
    tokens(gh)
    sha = project.commit("feature", {"src/app/debug.py": "def f():\n    print('here')\n"})
    gh.add_pull(REPO, 7, sha, project.base)
    res = runner.run(
        "pull_request", Events(gh, ADMIN_TOKEN).pull_request(REPO, 7), WRITE, project.checkout(sha)
    )
    checks = {c["id"]: c for c in res.report["scorecard"]["checks"]}
    assert checks["no-print-debugging"]["status"] == "fail"
    assert checks["no-print-debugging"]["locations"] == [{"path": "src/app/debug.py", "line": 2}]
    body = ours(gh, 7)[0].body
    assert "no-print-debugging" in body and "Use logging instead of print()." in body
