"""Python read as text (``scorecard.checks.ci.pysource``): the commands a file runs."""

from __future__ import annotations

from scorecard.checks.ci import (
    python_commands,
)


def test_python_commands_by_text():
    text = (
        "import pytest, subprocess as sp, unittest\nsp.check_call('make test && echo ok', "
        "shell=True)\nsys.exit(pytest.main(['--cov', 'src']))\napp.run(debug=True)\n"
        "unittest.main()\n"
    )
    assert [(w, line) for w, _, line in python_commands(text)] == [
        (("make", "test"), 2),
        (("echo", "ok"), 2),
        (("pytest", "--cov", "src"), 3),
        (("python", "-m", "unittest"), 5),
    ]
