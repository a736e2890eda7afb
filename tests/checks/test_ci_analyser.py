"""The shared "what does CI run" analyser: scripts split into commands, commands normalised and
classified, the repository's own definitions followed, and every command located."""

from __future__ import annotations

import pytest
from harness import Symlink

from scorecard.checks.ci import (
    analyse,
    ci_uses,
    code_scanner,
    is_test_command,
    normalise,
    python_commands,
    split_commands,
    uses_coverage,
)
from scorecard.model import Location

WF = ".github/workflows/ci.yml"


def workflow(*steps: str) -> str:
    body = "".join(f"      - {s}\n" for s in steps)
    return f"on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n{body}"


def commands(make_snapshot, files):
    """(argv, "path:line", describe) for every command CI runs."""
    return [(c.argv, str(c.location), c.describe()) for c in analyse(make_snapshot(files)).commands]


def argvs(make_snapshot, files):
    return [c.argv for c in analyse(make_snapshot(files)).commands]


# ---- splitting scripts ---------------------------------------------------------------------


def test_split_operators_quotes_and_lines():
    script = ("pip install x && echo 'a && b' || true; make test | tee log &\n"
              "pytest -k \"a or b\" \\\n  tests/  # a comment && pytest\n"
              "echo ${{ matrix.a && 'x' }} $(cd x; pwd) `date;`\n")
    got = [(r.words, r.line) for r in split_commands(script)]
    assert got == [
        (("pip", "install", "x"), 0), (("echo", "a && b"), 0), (("true",), 0),
        (("make", "test"), 0), (("tee", "log"), 0),
        (("pytest", "-k", "a or b", "tests/"), 1),
        (("echo", "${{ matrix.a && 'x' }}", "$(cd x; pwd)", "`date;`"), 3),
    ]
    assert split_commands("pytest -k \"x\" \\\n  tests/")[0].text == 'pytest -k "x" tests/'


def test_here_documents_are_not_commands():
    script = "cat > conf <<'EOF'\npytest\nEOF\ncat <<-END\n\tnpm test\n\tEND\ngo test ./...\n"
    got = [(r.words[0], r.line) for r in split_commands(script)]
    assert got == [("cat", 0), ("cat", 3), ("go", 6)]


def test_windows_shells_keep_backslashes(make_snapshot):
    text = ("on: push\njobs:\n  w:\n    runs-on: windows-latest\n    steps:\n"
            "      - run: |\n          .\\gradlew.bat test `\n            --info\n"
            "      - run: cd web\\app; dir\n        shell: cmd\n"
            "      - run: echo a\\ b\n        shell: bash\n"
            "  u:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo c\\ d\n")
    got = argvs(make_snapshot, {WF: text, "web/app/x": ""})
    assert got == [("gradle", "test", "--info"), ("dir",), ("echo", "a b"), ("echo", "c d")]
    cmds = analyse(make_snapshot({WF: text, "web/app/x": ""})).commands
    assert cmds[1].cwd == "web/app"


def test_powershell_script_file(make_snapshot):
    files = {WF: "on: push\njobs:\n  w:\n    runs-on: [self-hosted, windows]\n    steps:\n"
                 "      - run: .\\ci\\test.ps1\n",
             "ci/test.ps1": "Set-Location src\\App\n"
                            "dotnet test --collect \"XPlat Code Coverage\"\n"}
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    assert got[-1] == (("dotnet", "test", "--collect", "XPlat Code Coverage"), "ci/test.ps1:2")


@pytest.mark.parametrize("script", ["echo 'unterminated", 'echo "x', "echo $(", "a\\", "<<", "`"])
def test_splitting_never_raises(script):
    split_commands(script)


# ---- normalising and classifying -----------------------------------------------------------


@pytest.mark.parametrize(("command", "argv"), [
    ("CI=1 FOO=bar pytest -q", ("pytest", "-q")),
    ("${PREFIX}pytest", ("pytest",)),
    ("$PYTHON -m pytest", ("pytest",)),
    ("sudo -E env A=1 time nice -n 5 pytest", ("pytest",)),
    ("uv run --frozen --with x python -m pytest", ("pytest",)),
    ("uvx --from tox tox -e py", ("tox", "-e", "py")),
    ("poetry run coverage run -m pytest", ("pytest",)),
    ("pipenv run python3.12 -u -m unittest discover", ("unittest", "discover")),
    ("hatch run test:cov", ("cov",)),
    ("hatch -e lint run ruff check", ("ruff", "check")),
    ("pdm run pytest", ("pytest",)),
    ("npx --yes jest --ci", ("jest", "--ci")),
    ("pnpm exec vitest run", ("vitest", "run")),
    ("yarn dlx mocha", ("mocha",)),
    ("bundle exec rspec", ("rspec",)),
    ("xvfb-run -a npm test", ("npm", "test")),
    ("timeout 600 go test ./...", ("go", "test", "./...")),
    ("docker compose run --rm -e X=1 app pytest -x", ("pytest", "-x")),
    ("./gradlew build", ("gradle", "build")),
    ("vendor/bin/phpunit", ("phpunit",)),
    ("node_modules/.bin/jest", ("jest",)),
    ("$GITHUB_WORKSPACE/scripts/test.sh", ("/scripts/test.sh",)),
    ("nyc --reporter=lcov mocha", ("mocha",)),
    ("coverage run manage.py test", ("python", "manage.py", "test")),
    ("pip install pytest", ("pip", "install", "pytest")),
])
def test_normalise(command, argv):
    assert normalise(split_commands(command)[0].words)[0] == argv


TESTS = [
    "pytest", "python -m pytest tests", "py.test", "tox", "nox -s tests",
    "python -m unittest discover", "npm test", "npm t", "npm run test:unit", "npm run-script test",
    "yarn test", "yarn run test-ci", "pnpm test", "pnpm run test", "pnpm -r test", "jest",
    "vitest run", "mocha", "go test ./...", "cargo test", "cargo +nightly test",
    "cargo nextest run",
    "mvn test", "mvn -B verify", "mvn clean install", "./mvnw package", "gradle test",
    "./gradlew check", "gradle build", "./gradlew :app:test", "dotnet test", "rspec",
    "bundle exec rake test", "make test", "make -C sub check", "ctest --output-on-failure",
    "bazel test //...", "phpunit", "mix test", "swift test", "python manage.py test",
    "npx playwright test", "yarn jest", "xvfb-run -a npm test", "turbo run test", "nx test app",
    "deno test", "bun test", "flutter test", "sbt clean test", "cucumber-js",
]
NOT_TESTS = [
    "pip install pytest", "echo pytest", "npm install", "npm ci", "npm run build", "yarn install",
    "yarn", "pytest --version", "tox --help", "go build ./...", "go vet ./...", "cargo build",
    "cargo test --no-run", "mvn compile", "mvn install -DskipTests", "mvn -pl test compile",
    "gradle assemble", "gradle build -x test", "make", "make build", "make test=1 all",
    "dotnet build", "printf 'go test'", "git commit -m 'make test'", "apt-get install tox",
    "pip3 install -r test-requirements.txt", "rake build", "curl -fsSL x | sh",
]


@pytest.mark.parametrize("command", TESTS)
def test_test_commands(command):
    assert is_test_command(split_commands(command)[0].words), command


@pytest.mark.parametrize("command", NOT_TESTS)
def test_not_test_commands(command):
    assert not any(is_test_command(r.words) for r in split_commands(command)), command


@pytest.mark.parametrize(("command", "coverage"), [
    ("pytest --cov=src", True), ("pytest --cov-report=xml", True), ("coverage run -m pytest", True),
    ("coverage xml", True), ("jest --coverage", True), ("npx vitest run --coverage", True),
    ("go test -coverprofile=c.out ./...", True), ("go test -cover ./...", True),
    ("cargo llvm-cov --lcov", True), ("cargo tarpaulin", True), ("nyc mocha", True),
    ("npx c8 node test.js", True), ("mvn verify jacoco:report", True),
    ("./gradlew jacocoTestReport", True), ("codecov -t x", True), ("coveralls", True),
    ("dotnet test --collect 'XPlat Code Coverage'", True),
    ("bash <(curl -s https://codecov.io/bash)", True),
    ("pytest", False), ("pip install coverage codecov", False), ("echo --cov", False),
    ("go test ./...", False), ("coverage --help", False),
])
def test_coverage_commands(command, coverage):
    raw = split_commands(command)[0]
    argv, wrappers = normalise(raw.words)
    from scorecard.checks.ci import Command
    assert uses_coverage(Command(raw.text, argv, "x", 1, wrappers=wrappers)) is coverage


@pytest.mark.parametrize(("command", "tool"), [
    ("semgrep ci", "Semgrep"), ("semgrep scan --config auto", "Semgrep"),
    ("semgrep --config p/python .", "Semgrep"), ("snyk code test", "Snyk Code"),
    ("sonar-scanner -Dsonar.login=x", "SonarQube"), ("mvn verify sonar:sonar", "SonarQube"),
    ("bandit -r src", "Bandit"), ("uvx bandit -r .", "Bandit"), ("gosec ./...", "gosec"),
    ("zizmor .github/workflows", "zizmor"), ("codeql database analyze db q.qls", "CodeQL CLI"),
    ("snyk test", None), ("semgrep login", None), ("pip install bandit semgrep", None),
    ("codeql database create db", None), ("ruff check .", None), ("golangci-lint run", None),
    ("eslint .", None), ("bandit --version", None),
])
def test_code_scanner_commands(command, tool):
    assert code_scanner(split_commands(command)[0].words) == tool


# ---- lines ---------------------------------------------------------------------------------


def test_lines_of_block_folded_and_plain_scalars(make_snapshot):
    text = ("on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n"
            "      - run: pytest -q\n"                  # 6
            "      - run: |\n"                          # 7
            "          echo one\n"                      # 8
            "\n"
            "          # comment\n"
            "          make test\n"                     # 11
            "      - run: >-\n"                         # 12
            "          npm\n"                           # 13
            "          test\n"
            "      - run: \"go test\n"                  # 15
            "          ./...\"\n"
            "      - name: x\n"
            "        run: cargo test\n")                # 18
    got = [(c.argv[0], c.line) for c in analyse(make_snapshot({WF: text})).commands]
    assert got == [("pytest", 6), ("echo", 8), ("make", 11), ("npm", 13), ("go", 15),
                   ("cargo", 18)]


# ---- following what the repository defines -------------------------------------------------


def test_makefile_target_prerequisites_and_variables(make_snapshot):
    files = {
        WF: workflow("run: make ci"),
        "Makefile": ("PY ?= python3\nTESTS := tests\n\n.PHONY: ci lint unit\n"
                     "ci: lint unit\n\nlint:\n\t@ruff check .\n\n"
                     "unit:\n\t$(PY) -m pytest \\\n\t  $(TESTS)\n\t-$(MAKE) -C docs check\n"),
        "docs/Makefile": "check:\n\tsphinx-build -W . _build\n",
    }
    got = commands(make_snapshot, files)
    assert got[1:] == [
        (("ruff", "check", "."), f"{WF}:6", "`make ci` -> Makefile:8 `ruff check .`"),
        (("pytest", "tests"), f"{WF}:6", "`make ci` -> Makefile:11 `python3 -m pytest tests`"),
        (("make", "-C", "docs", "check"), f"{WF}:6",
         "`make ci` -> Makefile:13 `make -C docs check`"),
        (("sphinx-build", "-W", ".", "_build"), f"{WF}:6",
         "`make ci` -> Makefile:13 `make -C docs check` -> docs/Makefile:2 "
         "`sphinx-build -W . _build`"),
    ]


def test_make_alone_runs_the_first_target_and_cycles_stop(make_snapshot):
    files = {WF: workflow("run: make"),
             "Makefile": ".PHONY: all\nall: test\ntest:\n\tpytest\n\t$(MAKE) all\n"}
    assert argvs(make_snapshot, files) == [("make",), ("pytest",), ("make", "all")]


def test_package_json_scripts_with_pre_and_post(make_snapshot):
    files = {
        WF: workflow("run: npm test\n        working-directory: web",
                     "run: yarn --cwd web ci:all"),
        "web/package.json": ('{\n  "scripts": {\n    "pretest": "eslint .",\n'
                             '    "test": "cross-env CI=1 jest --coverage",\n'
                             '    "ci:all": "run-s test"\n  }\n}\n'),
    }
    cmds = analyse(make_snapshot(files)).commands
    assert [(c.argv, str(c.source), c.cwd) for c in cmds[:3]] == [
        (("npm", "test"), f"{WF}:6", "web"),
        (("eslint", "."), "web/package.json:3", "web"),
        (("jest", "--coverage"), "web/package.json:4", "web"),
    ]
    assert cmds[-1].describe() == ("`yarn --cwd web ci:all` -> web/package.json:5 `run-s test` "
                                   "-> web/package.json:4 `cross-env CI=1 jest --coverage`")


def test_tox_environments(make_snapshot):
    tox = ("[tox]\nenvlist = py{311,312}, lint\n\n[testenv]\ndeps = pytest\ncommands =\n"
           "    py311: pytest --cov {posargs:tests}\n\n[testenv:lint]\ncommands =\n"
           "    - bandit -r src\n    {[testenv]commands}\n")
    files = {WF: workflow("run: tox -e lint", "run: tox"), "tox.ini": tox}
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    # `tox` runs py311, py312 and lint; the `py311:` factor condition holds for py311 only.
    assert got == [
        (("tox", "-e", "lint"), f"{WF}:6"), (("bandit", "-r", "src"), "tox.ini:11"),
        (("tox",), f"{WF}:7"), (("pytest", "--cov", "tests"), "tox.ini:7"),
        (("bandit", "-r", "src"), "tox.ini:11"),
    ]


def test_tox_toml_and_pyproject_legacy(make_snapshot):
    files = {WF: workflow("run: tox -e py"),
             "pyproject.toml": '[tool.tox]\nlegacy_tox_ini = """\n[testenv]\ncommands = '
                               'pytest --cov\n"""\n'}
    assert argvs(make_snapshot, files)[1] == ("pytest", "--cov")
    files = {WF: workflow("run: tox r -e lint"),
             "tox.toml": 'env_list = ["lint"]\n[env.lint]\ncommands = [["bandit", "-r", '
                         '{ replace = "posargs", default = ["src"] }]]\n'}
    cmds = analyse(make_snapshot(files)).commands
    assert (cmds[1].argv, str(cmds[1].source)) == (("bandit", "-r", "src"), "tox.toml:3")


def test_noxfile_sessions_are_read_as_text(make_snapshot):
    nox = ("import nox\n\nnox.options.sessions = ['tests']\n\n"
           "@nox.session(python=['3.11', '3.12'])\ndef tests(\n"
           "    session: nox.Session,\n) -> None:\n"
           "    session.install('pytest-cov')\n    session.run(\n        'pytest', '--cov',\n"
           "        *session.posargs, env={'X': '1'})\n\n"
           "@nox.session(name='lint')\ndef lint_it(s):\n    s.run('bandit -r src')\n\n"
           "def helper(session):\n    session.run('zizmor', '.')\n")
    files = {WF: workflow("run: nox", "run: nox -s lint-3.12"), "noxfile.py": nox}
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    assert got == [(("nox",), f"{WF}:6"), (("pytest", "--cov"), "noxfile.py:11"),
                   (("nox", "-s", "lint-3.12"), f"{WF}:7"),
                   (("bandit", "-r", "src"), "noxfile.py:16")]


def test_script_files_shell_and_python(make_snapshot):
    files = {
        WF: workflow("run: ./scripts/ci.sh", "run: bash scripts/other",
                     "run: python tools/run_tests.py"),
        "scripts/ci.sh": "#!/bin/sh\nset -eu\ncd web\nnpm test\n",
        "scripts/other": "#!/usr/bin/env bash\ngo test -cover ./...\n",
        "web/package.json": '{"scripts": {"test": "vitest run"}}',
        "tools/run_tests.py": ("import os, subprocess, sys\n"
                               "subprocess.run([sys.executable, '-m', 'pytest', '-x'], "
                               "check=True)\nos.system(f'gosec {sys.argv[1]}')\n"
                               "# subprocess.run(['rm', '-rf', '/'])\nprint('pytest')\n"),
    }
    got = [(c.argv, str(c.source), c.cwd) for c in analyse(make_snapshot(files)).commands]
    assert got == [
        (("./scripts/ci.sh",), f"{WF}:6", ""), (("set", "-eu"), "scripts/ci.sh:2", ""),
        (("npm", "test"), "scripts/ci.sh:4", "web"),
        (("vitest", "run"), "web/package.json:1", "web"),
        (("bash", "scripts/other"), f"{WF}:7", ""),
        (("go", "test", "-cover", "./..."), "scripts/other:2", ""),
        (("python", "tools/run_tests.py"), f"{WF}:8", ""),
        (("pytest", "-x"), "tools/run_tests.py:2", ""),
        (("gosec", "$V"), "tools/run_tests.py:3", ""),
    ]


def test_python_commands_by_text():
    text = ("import pytest, subprocess as sp, unittest\nsp.check_call('make test && echo ok', "
            "shell=True)\nsys.exit(pytest.main(['--cov', 'src']))\napp.run(debug=True)\n"
            "unittest.main()\n")
    assert [(w, line) for w, _, line in python_commands(text)] == [
        (("make", "test"), 2), (("echo", "ok"), 2), (("pytest", "--cov", "src"), 3),
        (("python", "-m", "unittest"), 5)]


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
            "        language: system\n        stages: [manual]\n"),
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
            "gotest = {cmd = 'go test ./...'}\n"),
    }
    got = argvs(make_snapshot, files)
    assert ("pytest", "--cov") in got and ("coverage", "xml") in got
    assert ("semgrep", "ci") in got and ("ruff", "check") in got
    assert ("go", "test", "./...") in got


def test_composite_actions_and_command_inputs(make_snapshot):
    files = {
        WF: workflow("uses: ./.github/actions/check",
                     "uses: nick-fields/retry@v3\n        with:\n          command: make test"),
        ".github/actions/check/action.yml": (
            "name: check\nruns:\n  using: composite\n  steps:\n"
            "    - run: zizmor .\n      shell: bash\n    - uses: github/codeql-action/init@v3\n"),
    }
    snap = make_snapshot(files)
    cmds = analyse(snap).commands
    assert [(c.argv, str(c.location), str(c.source)) for c in cmds] == [
        (("zizmor", "."), f"{WF}:6", ".github/actions/check/action.yml:5"),
        (("make", "test"), f"{WF}:9", f"{WF}:9"),
    ]
    assert cmds[0].describe() == ("`uses: ./.github/actions/check` -> "
                                  ".github/actions/check/action.yml:5 `zizmor .`")
    uses = [(u.name, str(u.location), str(u.source)) for u in ci_uses(snap)]
    assert uses == [("./.github/actions/check", f"{WF}:6", f"{WF}:6"),
                    ("github/codeql-action/init", f"{WF}:6",
                     ".github/actions/check/action.yml:7"),
                    ("nick-fields/retry", f"{WF}:7", f"{WF}:7")]


def test_other_ci_systems(make_snapshot):
    files = {
        ".gitlab-ci.yml": ("default:\n  before_script: [pip install -e .]\n.setup: &s\n"
                           "  script: [echo setup]\ntest:\n  script:\n"
                           "    - !reference [.setup, script]\n    - pytest --cov\n"),
        ".circleci/config.yml": ("jobs:\n  t:\n    steps:\n      - checkout\n"
                                 "      - run: go test ./...\n      - run:\n"
                                 "          name: x\n          command: |\n"
                                 "            cargo test\n"),
        "Jenkinsfile": "pipeline { stages { stage('t') { steps {\n  sh 'make check'\n"
                       "  sh '''\n    npm ci\n    npm test\n  '''\n} } } }\n",
    }
    ci = analyse(make_snapshot(files))
    got = [(c.argv, str(c.location)) for c in ci.commands]
    assert got == [
        (("pip", "install", "-e", "."), ".gitlab-ci.yml:2"),
        (("echo", "setup"), ".gitlab-ci.yml:4"), (("pytest", "--cov"), ".gitlab-ci.yml:8"),
        (("go", "test", "./..."), ".circleci/config.yml:5"),
        (("cargo", "test"), ".circleci/config.yml:9"), (("make", "check"), "Jenkinsfile:2"),
        (("npm", "ci"), "Jenkinsfile:4"), (("npm", "test"), "Jenkinsfile:5"),
    ]
    assert ci.partial == ("Jenkinsfile",)


# ---- bad input -----------------------------------------------------------------------------


def test_bad_files_are_not_followed(make_snapshot, tmp_path):
    outside = tmp_path / "outside.sh"
    outside.write_text("pytest\n")
    files = {
        WF: workflow("run: make", "run: ./bin.sh", "run: ./out.sh", "run: npm test",
                     "run: tox", "run: ./big.sh", "run: ./latin1.sh"),
        "Makefile": b"\x00\x01all:\n\tpytest\n",
        "bin.sh": b"\x00pytest\n",
        "out.sh": Symlink(str(outside)),
        "package.json": '{"scripts": {"test": "jest"',
        "tox.ini": "[testenv\ncommands = pytest\n",
        "big.sh": "pytest\n" + "#" * (1024 * 1024),
        "latin1.sh": "pytest # caf\xe9\n".encode("latin-1"),
    }
    ci = analyse(make_snapshot(files))
    assert [c.argv for c in ci.commands] == [("make",), ("./bin.sh",), ("./out.sh",),
                                             ("npm", "test"), ("tox",), ("./big.sh",),
                                             ("./latin1.sh",)]


def test_broken_workflows_are_reported(make_snapshot):
    ci = analyse(make_snapshot({WF: "on: push\njobs: [\n", ".github/workflows/b.yml": b"\xff\n",
                                ".gitlab-ci.yml": "test: [\n"}))
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
