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

    try:
        code = cli_main()
    finally:
        gitprocs.stop()  # a run that ended early (a usage error) takes none of them
    if target is not None:
        hard_exit(code)
    return code


def hard_exit(code: int) -> None:
    """End a check without the interpreter's teardown, which frees every object one by one
    (a 100,000-file snapshot: tens of milliseconds), as mypy ends its runs. Everything is
    written by then: the output is flushed here, the caches were replaced atomically, the git
    processes were waited for or stopped."""
    import contextlib
    import os

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`check | head`)
            stream.flush()
    os._exit(code)
