"""Makefiles (``scorecard.checks.ci.make``): targets, prerequisites, variables, the default goal."""

from __future__ import annotations

from ci_steps import WF, argvs, commands, workflow


def test_makefile_target_prerequisites_and_variables(make_snapshot):
    files = {
        WF: workflow("run: make ci"),
        "Makefile": (
            "PY ?= python3\nTESTS := tests\n\n.PHONY: ci lint unit\n"
            "ci: lint unit\n\nlint:\n\t@ruff check .\n\n"
            "unit:\n\t$(PY) -m pytest \\\n\t  $(TESTS)\n\t-$(MAKE) -C docs check\n"
        ),
        "docs/Makefile": "check:\n\tsphinx-build -W . _build\n",
    }
    got = commands(make_snapshot, files)
    assert got[1:] == [
        (("ruff", "check", "."), f"{WF}:6", "`make ci` -> Makefile:8 `ruff check .`"),
        (("pytest", "tests"), f"{WF}:6", "`make ci` -> Makefile:11 `python3 -m pytest tests`"),
        (
            ("make", "-C", "docs", "check"),
            f"{WF}:6",
            "`make ci` -> Makefile:13 `make -C docs check`",
        ),
        (
            ("sphinx-build", "-W", ".", "_build"),
            f"{WF}:6",
            "`make ci` -> Makefile:13 `make -C docs check` -> docs/Makefile:2 "
            "`sphinx-build -W . _build`",
        ),
    ]


def test_make_alone_runs_the_first_target_and_cycles_stop(make_snapshot):
    files = {
        WF: workflow("run: make"),
        "Makefile": ".PHONY: all\nall: test\ntest:\n\tpytest\n\t$(MAKE) all\n",
    }
    assert argvs(make_snapshot, files) == [("make",), ("pytest",), ("make", "all")]
