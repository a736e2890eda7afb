"""The ``scorecard`` command's entry point: before the CLI and the checks are imported (a tenth
of a second), ``scorecard check`` starts the git processes that list the checkout, so that
git and the interpreter work at the same time (:mod:`scorecard.sources.gitprocs`)."""

from __future__ import annotations

import sys


def main() -> int:
    from scorecard.sources import gitprocs

    target = gitprocs.guess_target(sys.argv[1:])
    if target is not None:
        gitprocs.start(target)
    from scorecard.cli import main as cli_main

    return cli_main()
