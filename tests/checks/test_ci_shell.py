"""The shell lexer (``scorecard.checks.ci.shell``): scripts split into commands, with lines."""

from __future__ import annotations

import pytest
from ci_steps import WF, argvs

from scorecard.checks.ci import (
    analyse,
    split_commands,
)


def test_split_operators_quotes_and_lines():
    script = (
        "pip install x && echo 'a && b' || true; make test | tee log &\n"
        'pytest -k "a or b" \\\n  tests/  # a comment && pytest\n'
        "echo ${{ matrix.a && 'x' }} $(cd x; pwd) `date;`\n"
    )
    got = [(r.words, r.line) for r in split_commands(script)]
    assert got == [
        (("pip", "install", "x"), 0),
        (("echo", "a && b"), 0),
        (("true",), 0),
        (("make", "test"), 0),
        (("tee", "log"), 0),
        (("pytest", "-k", "a or b", "tests/"), 1),
        (("echo", "${{ matrix.a && 'x' }}", "$(cd x; pwd)", "`date;`"), 3),
    ]
    assert split_commands('pytest -k "x" \\\n  tests/')[0].text == 'pytest -k "x" tests/'


def test_here_documents_are_not_commands():
    script = "cat > conf <<'EOF'\npytest\nEOF\ncat <<-END\n\tnpm test\n\tEND\ngo test ./...\n"
    got = [(r.words[0], r.line) for r in split_commands(script)]
    assert got == [("cat", 0), ("cat", 3), ("go", 6)]


def test_windows_shells_keep_backslashes(make_snapshot):
    text = (
        "on: push\njobs:\n  w:\n    runs-on: windows-latest\n    steps:\n"
        "      - run: |\n          .\\gradlew.bat test `\n            --info\n"
        "      - run: cd web\\app; dir\n        shell: cmd\n"
        "      - run: echo a\\ b\n        shell: bash\n"
        "  u:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo c\\ d\n"
    )
    got = argvs(make_snapshot, {WF: text, "web/app/x": ""})
    assert got == [("gradle", "test", "--info"), ("dir",), ("echo", "a b"), ("echo", "c d")]
    cmds = analyse(make_snapshot({WF: text, "web/app/x": ""})).commands
    assert cmds[1].cwd == "web/app"


def test_powershell_script_file(make_snapshot):
    files = {
        WF: "on: push\njobs:\n  w:\n    runs-on: [self-hosted, windows]\n    steps:\n"
        "      - run: .\\ci\\test.ps1\n",
        "ci/test.ps1": 'Set-Location src\\App\ndotnet test --collect "XPlat Code Coverage"\n',
    }
    got = [(c.argv, str(c.source)) for c in analyse(make_snapshot(files)).commands]
    assert got[-1] == (("dotnet", "test", "--collect", "XPlat Code Coverage"), "ci/test.ps1:2")


@pytest.mark.parametrize("script", ["echo 'unterminated", 'echo "x', "echo $(", "a\\", "<<", "`"])
def test_splitting_never_raises(script):
    split_commands(script)
