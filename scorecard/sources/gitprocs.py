"""The git processes the tool starts, and the rule that none outlives it.

Every git command line is built by :func:`command` (the repository's own config made harmless,
``safe.directory`` set for the root) and run in :func:`environment`. A local check reads three
git commands (:data:`COMMANDS`): ``ls-files`` (the tracked files), ``rev-parse`` (the commit)
and ``diff-files`` (which files the work tree changed, for the content scan). ``diff-files``
runs with ``core.preloadIndex`` off: git would otherwise examine the files on every core, and
on a 2-core machine take the interpreter's core while it has work to do.

Every git process the tool starts goes through :func:`spawn`, and none outlives the tool: each
is registered and, when the tool ends (``atexit``, and SIGTERM, SIGINT or SIGHUP once
:func:`install_reaper` ran), terminated, then killed. On Linux each is also started with
``PR_SET_PDEATHSIG``, so it is killed even when the tool is (SIGKILL). That signal follows
the *thread* that started the process: a process is started by a thread that lives until the
process is waited for (most by the thread that waits; ``diff-files`` by the thread that opens
the checkout, which outlives the content scan's thread that reads it)."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

#: Seconds a git process has to end after SIGTERM before it is killed, when the tool ends.
REAP_GRACE = 1.0

COMMANDS = {
    "ls-files": ("ls-files", "-s", "-z"),
    "rev-parse": ("rev-parse", "--verify", "-q", "HEAD"),
    "diff-files": ("-c", "core.preloadIndex=false", "diff-files", "--name-only", "-z"),
}


def command(root: str, *args: str) -> list[str]:
    """git, with the repository's own config made harmless, for ``root``."""
    return [
        "git",
        "-c",
        f"safe.directory={root}",
        "-c",
        "core.fsmonitor=false",
        "-c",
        "core.quotepath=off",
        *args,
    ]


def environment() -> dict[str, str]:
    return {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}


_children: set[subprocess.Popen[bytes]] = set()
# Reentrant: the signal handler reaps in the main thread, which may hold it (in spawn) when the
# signal arrives; a plain lock would wait for itself forever.
_children_lock = threading.RLock()


_prctl: list[Any] = []  # libc's prctl, looked up once (empty: not yet; [None]: none here)
_PR_SET_PDEATHSIG = 1


def _death_signal() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child die with its parent (Linux), or None."""
    if not _prctl:
        prctl = None
        if sys.platform.startswith("linux"):
            import ctypes

            try:
                prctl = ctypes.CDLL(None, use_errno=True).prctl
            except (OSError, AttributeError):
                prctl = None
        _prctl.append(prctl)
    prctl = _prctl[0]
    if prctl is None:
        return None
    parent = os.getpid()

    def die_with_parent() -> None:  # runs in the child, between fork and exec
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the call: die now
            os._exit(1)

    return die_with_parent


def spawn(
    argv: list[str], *, die_with_thread: bool = True, **kwargs: Any
) -> subprocess.Popen[bytes]:
    """``subprocess.Popen(argv, **kwargs)``, registered to end with the tool (and, on Linux,
    killed by the kernel if the tool dies first). Every process the tool starts comes here.
    ``die_with_thread=False`` is for a long-lived process that outlives the thread starting
    it (the kernel's signal follows that thread); it must end by itself when the tool does,
    as ``git cat-file --batch`` does at the end of its input."""
    proc: subprocess.Popen[bytes] = subprocess.Popen(
        argv, preexec_fn=_death_signal() if die_with_thread else None, **kwargs
    )
    with _children_lock:
        for done in [p for p in _children if p.returncode is not None]:
            _children.discard(done)
        _children.add(proc)
    return proc


def reap() -> None:
    """Terminate every registered process still running, wait :data:`REAP_GRACE` seconds,
    then kill what is left."""
    with _children_lock:
        alive = [p for p in _children if p.poll() is None]
        _children.clear()
    for proc in alive:
        with contextlib.suppress(OSError):
            proc.terminate()
    end = time.monotonic() + REAP_GRACE
    for proc in alive:
        try:
            proc.wait(max(end - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


_installed = False


def install_reaper() -> None:
    """End the registered processes when the tool exits: normally (``atexit``) and on SIGTERM,
    SIGINT and SIGHUP, after which the signal does what it did before (SIGINT raises
    KeyboardInterrupt; SIGTERM and SIGHUP end the process). Call from the main thread."""
    global _installed
    if _installed or threading.current_thread() is not threading.main_thread():
        return
    _installed = True
    atexit.register(reap)
    for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGHUP", None)):
        if sig is None:
            continue
        previous = signal.getsignal(sig)
        if previous is signal.SIG_IGN:
            continue
        signal.signal(sig, _reaping_handler(previous))


def _reaping_handler(previous: Any) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        reap()
        if callable(previous):
            previous(signum, frame)
            return
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    return handler


def popen(
    root: str,
    *args: str,
    stderr: int = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    stdin: Any = None,
) -> subprocess.Popen[bytes]:
    return spawn(
        command(root, *args), cwd=root, stdout=stdout, stderr=stderr, stdin=stdin, env=environment()
    )


def end(proc: subprocess.Popen[bytes]) -> None:
    """Stop a git process whose output nobody will read, and wait for it."""
    with contextlib.suppress(OSError):
        proc.kill()
    proc.communicate()


def run(
    root: str, *args: str, timeout: float, stdin: bytes | None = None
) -> tuple[int, bytes, bytes]:
    """Run git for ``root`` to the end: ``(exit status, stdout, stderr)``. Past ``timeout``
    seconds it is killed and ``subprocess.TimeoutExpired`` raised."""
    proc = spawn(
        command(root, *args),
        cwd=root,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.PIPE if stdin is not None else None,
    )
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except BaseException:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, out, err
