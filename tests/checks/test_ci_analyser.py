"""The analysis (``scorecard.checks.ci.analyser``, ``readers``): workflows, composite actions
and other CI systems walked, every command located, the work memoised and bounded."""

from __future__ import annotations

from ci_steps import WF, argvs, workflow

from scorecard.checks.ci import (
    analyse,
    ci_uses,
)
from scorecard.model import Location


def test_lines_of_block_folded_and_plain_scalars(make_snapshot):
    text = (
        "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: pytest -q\n"  # 6
        "      - run: |\n"  # 7
        "          echo one\n"  # 8
        "\n"
        "          # comment\n"
        "          make test\n"  # 11
        "      - run: >-\n"  # 12
        "          npm\n"  # 13
        "          test\n"
        '      - run: "go test\n'  # 15
        '          ./..."\n'
        "      - name: x\n"
        "        run: cargo test\n"
    )  # 18
    got = [(c.argv[0], c.line) for c in analyse(make_snapshot({WF: text})).commands]
    assert got == [("pytest", 6), ("echo", 8), ("make", 11), ("npm", 13), ("go", 15), ("cargo", 18)]


def test_composite_actions_and_command_inputs(make_snapshot):
    files = {
        WF: workflow(
            "uses: ./.github/actions/check",
            "uses: nick-fields/retry@v3\n        with:\n          command: make test",
        ),
        ".github/actions/check/action.yml": (
            "name: check\nruns:\n  using: composite\n  steps:\n"
            "    - run: zizmor .\n      shell: bash\n    - uses: github/codeql-action/init@v3\n"
        ),
    }
    snap = make_snapshot(files)
    cmds = analyse(snap).commands
    assert [(c.argv, str(c.location), str(c.source)) for c in cmds] == [
        (("zizmor", "."), f"{WF}:6", ".github/actions/check/action.yml:5"),
        (("make", "test"), f"{WF}:9", f"{WF}:9"),
    ]
    assert cmds[0].describe() == (
        "`uses: ./.github/actions/check` -> .github/actions/check/action.yml:5 `zizmor .`"
    )
    uses = [(u.name, str(u.location), str(u.source)) for u in ci_uses(snap)]
    assert uses == [
        ("./.github/actions/check", f"{WF}:6", f"{WF}:6"),
        ("github/codeql-action/init", f"{WF}:6", ".github/actions/check/action.yml:7"),
        ("nick-fields/retry", f"{WF}:7", f"{WF}:7"),
    ]


def test_other_ci_systems(make_snapshot):
    files = {
        ".gitlab-ci.yml": (
            "default:\n  before_script: [pip install -e .]\n.setup: &s\n"
            "  script: [echo setup]\ntest:\n  script:\n"
            "    - !reference [.setup, script]\n    - pytest --cov\n"
        ),
        ".circleci/config.yml": (
            "jobs:\n  t:\n    steps:\n      - checkout\n"
            "      - run: go test ./...\n      - run:\n"
            "          name: x\n          command: |\n"
            "            cargo test\n"
        ),
        "Jenkinsfile": "pipeline { stages { stage('t') { steps {\n  sh 'make check'\n"
        "  sh '''\n    npm ci\n    npm test\n  '''\n} } } }\n",
    }
    ci = analyse(make_snapshot(files))
    got = [(c.argv, str(c.location)) for c in ci.commands]
    assert got == [
        (("pip", "install", "-e", "."), ".gitlab-ci.yml:2"),
        (("echo", "setup"), ".gitlab-ci.yml:4"),
        (("pytest", "--cov"), ".gitlab-ci.yml:8"),
        (("go", "test", "./..."), ".circleci/config.yml:5"),
        (("cargo", "test"), ".circleci/config.yml:9"),
        (("make", "check"), "Jenkinsfile:2"),
        (("npm", "ci"), "Jenkinsfile:4"),
        (("npm", "test"), "Jenkinsfile:5"),
    ]
    assert ci.partial == ("Jenkinsfile",)


def test_broken_workflows_are_reported(make_snapshot):
    ci = analyse(
        make_snapshot(
            {
                WF: "on: push\njobs: [\n",
                ".github/workflows/b.yml": b"\xff\n",
                ".gitlab-ci.yml": "test: [\n",
            }
        )
    )
    assert ci.sources == ()
    problems = {p: e.line for p, e in ci.problems}
    assert problems == {WF: 3, ".github/workflows/b.yml": None, ".gitlab-ci.yml": 2}


def test_memoised_per_snapshot(make_snapshot):
    snap = make_snapshot({WF: workflow("run: pytest")})
    assert analyse(snap) is analyse(snap)
    assert analyse(snap).commands[0].location == Location(WF, 6)


def test_pathological_files_stay_linear(make_snapshot):
    # Quadratic parsing would take minutes on these; linear takes milliseconds.
    files = {
        WF: workflow("run: make ci", "run: tox", "run: python t.py", "run: nox"),
        "Makefile": "a" + " " * 200_000 + "b\nci:\n\tpytest\n",
        "tox.ini": "[testenv]\n" + "x" + " " * 200_000 + "y\ncommands = pytest --cov\n",
        "t.py": "x.run(" * 50_000 + "\n",
        "noxfile.py": "@nox.session\ndef s(session):\n" + "    session.run('x',\n" * 20_000,
    }
    got = argvs(make_snapshot, files)
    assert ("pytest",) in got and ("pytest", "--cov") in got
