"""The followers (``scorecard.checks.ci.follow``, ``make``, ``tox``): what a command runs that
the repository defines, followed and located."""

from __future__ import annotations

from ci_steps import WF, argvs, workflow
from harness import Symlink

from scorecard.checks.ci import (
    analyse,
    is_test_command,
)


def test_package_json_scripts_with_pre_and_post(make_snapshot):
    files = {
        WF: workflow("run: npm test\n        working-directory: web", "run: yarn --cwd web ci:all"),
        "web/package.json": (
            '{\n  "scripts": {\n    "pretest": "eslint .",\n'
            '    "test": "cross-env CI=1 jest --coverage",\n'
            '    "ci:all": "run-s test"\n  }\n}\n'
        ),
    }
    cmds = analyse(make_snapshot(files)).commands
    assert [(c.argv, str(c.source), c.cwd) for c in cmds[:3]] == [
        (("npm", "test"), f"{WF}:6", "web"),
        (("eslint", "."), "web/package.json:3", "web"),
        (("jest", "--coverage"), "web/package.json:4", "web"),
    ]
    assert cmds[-1].describe() == (
        "`yarn --cwd web ci:all` -> web/package.json:5 `run-s test` "
        "-> web/package.json:4 `cross-env CI=1 jest --coverage`"
    )


def test_noxfile_sessions_are_read_as_text(make_snapshot):
    nox = (
        "import nox\n\nnox.options.sessions = ['tests']\n\n"
        "@nox.session(python=['3.11', '3.12'])\ndef tests(\n"
        "    session: nox.Session,\n) -> None:\n"
        "    session.install('pytest-cov')\n    session.run(\n        'pytest', '--cov',\n"
        "        *session.posargs, env={'X': '1'})\n\n"
        "@nox.session(name='lint')\ndef lint_it(s):\n    s.run('bandit -r src')\n\n"
        "def helper(session):\n    session.run('zizmor', '.')\n"
    )
    files = {WF: workflow("run: nox", "run: nox -s lint-3.12"), "noxfile.py": nox}
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    assert got == [
        (("nox",), f"{WF}:6"),
        (("pytest", "--cov"), "noxfile.py:11"),
        (("nox", "-s", "lint-3.12"), f"{WF}:7"),
        (("bandit", "-r", "src"), "noxfile.py:16"),
    ]


def test_script_files_shell_and_python(make_snapshot):
    files = {
        WF: workflow(
            "run: ./scripts/ci.sh", "run: bash scripts/other", "run: python tools/run_tests.py"
        ),
        "scripts/ci.sh": "#!/bin/sh\nset -eu\ncd web\nnpm test\n",
        "scripts/other": "#!/usr/bin/env bash\ngo test -cover ./...\n",
        "web/package.json": '{"scripts": {"test": "vitest run"}}',
        "tools/run_tests.py": (
            "import os, subprocess, sys\n"
            "subprocess.run([sys.executable, '-m', 'pytest', '-x'], "
            "check=True)\nos.system(f'gosec {sys.argv[1]}')\n"
            "# subprocess.run(['rm', '-rf', '/'])\nprint('pytest')\n"
        ),
    }
    got = [(c.argv, str(c.source), c.cwd) for c in analyse(make_snapshot(files)).commands]
    assert got == [
        (("./scripts/ci.sh",), f"{WF}:6", ""),
        (("set", "-eu"), "scripts/ci.sh:2", ""),
        (("npm", "test"), "scripts/ci.sh:4", "web"),
        (("vitest", "run"), "web/package.json:1", "web"),
        (("bash", "scripts/other"), f"{WF}:7", ""),
        (("go", "test", "-cover", "./..."), "scripts/other:2", ""),
        (("python", "tools/run_tests.py"), f"{WF}:8", ""),
        (("pytest", "-x"), "tools/run_tests.py:2", ""),
        (("gosec", "$V"), "tools/run_tests.py:3", ""),
    ]


def test_depth_is_limited_to_three_levels(make_snapshot):
    files = {
        WF: workflow("run: make a"),
        "Makefile": "a:\n\tnpm run b\n",
        "package.json": '{"scripts": {"b": "./s1.sh"}}',
        "s1.sh": "./s2.sh\n",
        "s2.sh": "pytest\n",
    }
    got = argvs(make_snapshot, files)
    assert got == [("make", "a"), ("npm", "run", "b"), ("./s1.sh",), ("./s2.sh",)]
    assert not any(is_test_command(a) for a in got)


def test_pre_commit_hooks_and_action(make_snapshot):
    files = {
        WF: workflow("uses: pre-commit/action@v3.0.1", "run: pre-commit run tests --all-files"),
        ".pre-commit-config.yaml": (
            "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.7.9\n    hooks:\n"
            "      - id: bandit\n        args: [-c, pyproject.toml]\n  - repo: local\n"
            "    hooks:\n      - id: tests\n        name: tests\n        entry: pytest -q\n"
            "        language: system\n        stages: [manual]\n"
        ),
    }
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    assert got == [
        (("pre-commit", "run", "--all-files"), f"{WF}:6"),
        (("bandit", "-c", "pyproject.toml"), ".pre-commit-config.yaml:5"),
        (("pre-commit", "run", "tests", "--all-files"), f"{WF}:7"),
        (("pytest", "-q"), ".pre-commit-config.yaml:9"),
    ]


def test_pyproject_task_runners(make_snapshot):
    files = {
        WF: workflow("run: hatch run cov", "run: pdm run check", "run: poetry run poe ci"),
        "pyproject.toml": (
            "[tool.hatch.envs.default.scripts]\ncov = ['pytest --cov {args}', 'cov-xml']\n"
            "cov-xml = 'coverage xml'\n[tool.pdm.scripts]\ncheck = {composite = ['lint', "
            "'semgrep ci']}\nlint = 'ruff check'\n[tool.poe.tasks]\nci = ['gotest']\n"
            "gotest = {cmd = 'go test ./...'}\n"
        ),
    }
    got = argvs(make_snapshot, files)
    assert ("pytest", "--cov") in got and ("coverage", "xml") in got
    assert ("semgrep", "ci") in got and ("ruff", "check") in got
    assert ("go", "test", "./...") in got


def test_bad_files_are_not_followed(make_snapshot, tmp_path):
    outside = tmp_path / "outside.sh"
    outside.write_text("pytest\n")
    files = {
        WF: workflow(
            "run: make",
            "run: ./bin.sh",
            "run: ./out.sh",
            "run: npm test",
            "run: tox",
            "run: ./big.sh",
            "run: ./latin1.sh",
        ),
        "Makefile": b"\x00\x01all:\n\tpytest\n",
        "bin.sh": b"\x00pytest\n",
        "out.sh": Symlink(str(outside)),
        "package.json": '{"scripts": {"test": "jest"',
        "tox.ini": "[testenv\ncommands = pytest\n",
        "big.sh": "pytest\n" + "#" * (1024 * 1024),
        "latin1.sh": "pytest # caf\xe9\n".encode("latin-1"),
    }
    ci = analyse(make_snapshot(files))
    assert [c.argv for c in ci.commands] == [
        ("make",),
        ("./bin.sh",),
        ("./out.sh",),
        ("npm", "test"),
        ("tox",),
        ("./big.sh",),
        ("./latin1.sh",),
    ]
