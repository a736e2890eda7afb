"""The git processes a local run needs, started as early as possible.

A local check of a big checkout waits on three git processes: ``ls-files`` (the tracked
files), ``rev-parse`` (the commit) and ``diff-files`` (which files the work tree changed, for
the content scan: it examines every file, the slowest of the three). None of them depends on
the checks, so the ``scorecard`` command (:mod:`scorecard.launch`) starts them before it
imports the CLI and the checks, and :func:`take` hands each to the code that reads it. This
module imports nothing heavy, so that starting them costs a few milliseconds.

``diff-files`` runs with ``core.preloadIndex`` off: git would otherwise examine the files on
every core, and on a 2-core machine take the interpreter's core while it has work to do.
"""

from __future__ import annotations

import os
import subprocess
from typing import Any

COMMANDS = {
    "ls-files": ("ls-files", "-s", "-z"),
    "rev-parse": ("rev-parse", "--verify", "-q", "HEAD"),
    "diff-files": ("-c", "core.preloadIndex=false", "diff-files", "--name-only", "-z"),
}

_started: dict[tuple[str, str], subprocess.Popen[bytes]] = {}
_outputs: dict[int, Any] = {}  # process id() -> the scratch file holding its output


def command(root: str, *args: str) -> list[str]:
    """git, with the repository's own config made harmless, for ``root``."""
    return ["git", "-c", f"safe.directory={root}", "-c", "core.fsmonitor=false",
            "-c", "core.quotepath=off", *args]


def environment() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


def popen(root: str, *args: str, stderr: int = subprocess.DEVNULL,
          stdout: Any = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command(root, *args), cwd=root, stdout=stdout, stderr=stderr,
                            env=environment())


def _scratch() -> Any:
    """An unnamed temporary file (Linux's O_TMPFILE) for a large output, so that git writes
    it all at once instead of waiting for a 64 KiB pipe to be read; None elsewhere."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        fd = os.open(os.environ.get("TMPDIR") or "/tmp", flag | os.O_RDWR, 0o600)
    except OSError:
        return None
    return os.fdopen(fd, "w+b")


def read_all(proc: subprocess.Popen[bytes]) -> tuple[int, bytes, bytes]:
    """``(exit status, stdout, stderr)`` of a process from :func:`start`."""
    scratch = _outputs.pop(id(proc), None)
    if scratch is None:
        assert proc.stdout is not None
        out = proc.stdout.read()  # one read, far faster than communicate()'s 32 KiB polls
    err = proc.stderr.read() if proc.stderr is not None else b""  # small: read after stdout
    status = proc.wait()
    if scratch is not None:
        scratch.seek(0)
        out = scratch.read()
        scratch.close()
    return status, out, err


def start(path: str) -> None:
    """Start the processes for the checkout at ``path`` (a folder; nothing when git is not
    installed or ``path`` is no folder: the run then finds out the usual way)."""
    root = os.path.abspath(path)
    if not os.path.isdir(root):
        return
    for name, args in COMMANDS.items():
        if (root, name) in _started:
            continue  # already started
        scratch = _scratch() if name == "ls-files" else None
        try:
            proc = popen(root, *args, stdout=scratch or subprocess.PIPE,
                         stderr=subprocess.PIPE if name == "ls-files" else subprocess.DEVNULL)
        except OSError:  # no git: open_local reads git's files itself
            if scratch is not None:
                scratch.close()
            stop()
            return
        _started[(root, name)] = proc
        if scratch is not None:
            _outputs[id(proc)] = scratch


def guess_target(argv: list[str]) -> str | None:
    """The folder ``scorecard check ...`` will grade, guessed from the arguments before they
    are parsed (the first one that is not an option nor follows one; "." without any): a
    wrong guess only starts processes that are stopped unused."""
    if argv[:1] != ["check"]:
        return None
    previous = ""
    for arg in argv[1:]:
        if arg == "--":
            break
        if not arg.startswith("-") and not (previous.startswith("-") and "=" not in previous):
            return arg
        previous = arg
    return "." if all(a.startswith("-") for a in argv[1:]) else None


def take(root: str, name: str) -> subprocess.Popen[bytes] | None:
    """The process started for ``root`` (absolute), if any; it is handed over once."""
    return _started.pop((root, name), None)


def stop() -> None:
    """End what was started and not taken (a run that stopped early)."""
    while _started:
        _, proc = _started.popitem()
        try:
            proc.kill()
            proc.communicate()
        except OSError:
            pass
        scratch = _outputs.pop(id(proc), None)
        if scratch is not None:
            scratch.close()
