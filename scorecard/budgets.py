"""Budgets: how long a check and a repository may take, and how much memory the tool may use.

We grade untrusted repositories: whatever a check or a parser does with hostile content, one
repository must not hold a run (or an org scan) forever. Three limits, each configurable:

- ``check_seconds`` (default 60; ``--check-timeout`` on ``check`` and ``org``, else the
  environment variable ``SCORECARD_CHECK_TIMEOUT``): a check that runs longer is stopped and
  reported as ``error`` ("the check ran past its 60 s deadline"); the run goes on.
- ``repo_seconds`` (default 300; ``--repo-timeout``, else ``SCORECARD_REPO_TIMEOUT``): the
  grading of one repository as a whole (reading it, its standard, every check). An org scan
  records a repository that runs longer as an error and goes on; ``scorecard check`` stops
  with a one-line error.
- ``memory_bytes`` (default 4 GiB; ``--memory-limit`` in MiB, else ``SCORECARD_MEMORY_LIMIT``
  in MiB): the address-space ceiling of the process (``RLIMIT_AS``, inherited by the git
  processes it starts), so that a bomb ends in a ``MemoryError`` (an ``error`` result, or an
  error record in an org scan) instead of the machine swapping. ``0`` means no limit, for each
  of the three.

A deadline needs no cooperation from the code it limits: a watchdog thread raises an exception
in the overdue thread (``PyThreadState_SetAsyncExc``), which Python delivers at the thread's
next bytecode boundary; if the code swallows it, it is raised again every second. Code blocked
in C (a read from a pipe, a lock) is not interrupted: the sources bound those at their root
(sizes checked before a read, timeouts on processes and sockets).
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MiB = 1024 * 1024
DEFAULT_CHECK_SECONDS = 60.0
DEFAULT_REPO_SECONDS = 300.0
DEFAULT_MEMORY_BYTES = 4096 * MiB
#: How often an overdue thread that swallowed the exception gets it again.
REPEAT_SECONDS = 1.0

ENV_CHECK = "SCORECARD_CHECK_TIMEOUT"
ENV_REPO = "SCORECARD_REPO_TIMEOUT"
ENV_MEMORY = "SCORECARD_MEMORY_LIMIT"


class Overdue(BaseException):
    """Raised inside an overdue thread by the watchdog. A ``BaseException``, so that a
    check's ``except Exception`` does not swallow it; :func:`call_with_deadline` turns it into
    :class:`TimedOut` for the deadline that passed."""


class TimedOut(Exception):
    """The call ran past its deadline."""

    def __init__(self, seconds: float, what: str) -> None:
        super().__init__(f"{what} ran past its {seconds:g} s deadline")
        self.seconds = seconds


@dataclass(frozen=True)
class Budgets:
    """The limits of a run; 0 (or None) means none."""

    check_seconds: float = DEFAULT_CHECK_SECONDS
    repo_seconds: float = DEFAULT_REPO_SECONDS
    memory_bytes: int = DEFAULT_MEMORY_BYTES


def _number(text: str | None, name: str) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name}={text!r}: not a number") from None
    if value < 0 or value != value:
        raise ValueError(f"{name}={text!r}: must be 0 (no limit) or more")
    return value


def from_settings(check_seconds: float | None = None, repo_seconds: float | None = None,
                  memory_mib: float | None = None,
                  environ: dict[str, str] | None = None) -> Budgets:
    """Budgets from explicit values (command-line flags), else the environment, else the
    defaults. Raises ValueError naming the variable for a bad value."""
    env = os.environ if environ is None else environ

    def pick(value: float | None, var: str, default: float) -> float:
        if value is not None:
            if value < 0:
                raise ValueError(f"{var}: must be 0 (no limit) or more")
            return value
        found = _number(env.get(var), var)
        return default if found is None else found

    memory = pick(memory_mib, ENV_MEMORY, DEFAULT_MEMORY_BYTES / MiB)
    return Budgets(check_seconds=pick(check_seconds, ENV_CHECK, DEFAULT_CHECK_SECONDS),
                   repo_seconds=pick(repo_seconds, ENV_REPO, DEFAULT_REPO_SECONDS),
                   memory_bytes=int(memory * MiB))


_current = Budgets()


def current() -> Budgets:
    """The budgets of this run (:func:`configure` sets them; the defaults otherwise)."""
    return _current


def configure(budgets: Budgets) -> None:
    global _current
    _current = budgets


def limit_memory(limit: int) -> None:
    """Set the process's address-space ceiling (soft limit) to ``limit`` bytes (0: leave it).
    Never raises it above the hard limit; a platform without ``RLIMIT_AS`` is left alone."""
    if limit <= 0:
        return
    try:
        import resource
    except ImportError:  # not POSIX
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or limit < soft:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


# ---- deadlines --------------------------------------------------------------------------------


class _Entry:
    __slots__ = ("due", "fired", "thread")

    def __init__(self, thread: int, due: float) -> None:
        self.thread, self.due, self.fired = thread, due, False


def _raise_in(thread: int, exc: type[BaseException] | None) -> None:
    """Make ``thread`` raise ``exc`` at its next bytecode boundary (None: cancel a pending
    one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread),
                                               ctypes.py_object(exc) if exc else None)


class _Watchdog:
    """One daemon thread that raises :class:`Overdue` in threads past their deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._entries: set[_Entry] = set()
        self._thread: threading.Thread | None = None

    def add(self, seconds: float) -> _Entry:
        entry = _Entry(threading.get_ident(), time.monotonic() + seconds)
        with self._cond:
            self._entries.add(entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="scorecard-watchdog")
                self._thread.start()
            self._cond.notify()
        return entry

    def remove(self, entry: _Entry) -> None:
        with self._cond:
            self._entries.discard(entry)
            if entry.fired:  # one may be pending still: cancel it (an outer deadline repeats)
                _raise_in(entry.thread, None)

    def _run(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                for entry in self._entries:
                    if entry.due <= now:
                        entry.fired = True
                        entry.due = now + REPEAT_SECONDS
                        _raise_in(entry.thread, Overdue)
                wait = min((e.due for e in self._entries), default=now + 3600) - now
                self._cond.wait(max(wait, 0.001))


_watchdog = _Watchdog()


def call_with_deadline(seconds: float | None, what: str, fn: Callable[[], T]) -> T:
    """``fn()``, stopped with :class:`TimedOut` (``"<what> ran past its N s deadline"``) when
    it runs longer than ``seconds`` (None or 0: no deadline). Deadlines nest: an outer one
    that passes first goes through an inner one."""
    if not seconds:
        return fn()
    entry = _watchdog.add(seconds)
    try:
        return fn()
    except Overdue:
        if entry.fired:
            raise TimedOut(seconds, what) from None
        raise  # an outer deadline's
    finally:
        while True:
            try:
                _watchdog.remove(entry)
                break
            except Overdue:  # late, from this deadline or an outer one (which repeats)
                continue
