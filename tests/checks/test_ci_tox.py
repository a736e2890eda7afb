"""tox (``scorecard.checks.ci.tox``): environments from tox.ini, tox.toml and pyproject.toml."""

from __future__ import annotations

from ci_steps import WF, argvs, workflow

from scorecard.checks.ci import analyse


def test_tox_environments(make_snapshot):
    tox = (
        "[tox]\nenvlist = py{311,312}, lint\n\n[testenv]\ndeps = pytest\ncommands =\n"
        "    py311: pytest --cov {posargs:tests}\n\n[testenv:lint]\ncommands =\n"
        "    - bandit -r src\n    {[testenv]commands}\n"
    )
    files = {WF: workflow("run: tox -e lint", "run: tox"), "tox.ini": tox}
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    # `tox` runs py311, py312 and lint; the `py311:` factor condition holds for py311 only.
    assert got == [
        (("tox", "-e", "lint"), f"{WF}:6"),
        (("bandit", "-r", "src"), "tox.ini:11"),
        (("tox",), f"{WF}:7"),
        (("pytest", "--cov", "tests"), "tox.ini:7"),
        (("bandit", "-r", "src"), "tox.ini:11"),
    ]


def test_tox_toml_and_pyproject_legacy(make_snapshot):
    files = {
        WF: workflow("run: tox -e py"),
        "pyproject.toml": '[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ncommands = '
        'pytest --cov\n"""\n',
    }
    assert argvs(make_snapshot, files)[1] == ("pytest", "--cov")
    files = {
        WF: workflow("run: tox r -e lint"),
        "tox.toml": 'env_list = ["lint"]\n[env.lint]\ncommands = [["bandit", "-r", '
        '{ replace = "posargs", default = ["src"] }]]\n',
    }
    cmds = analyse(make_snapshot(files)).commands
    assert (cmds[1].argv, str(cmds[1].source)) == (("bandit", "-r", "src"), "tox.toml:3")
