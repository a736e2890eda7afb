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
import queue
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


def from_settings(
    check_seconds: float | None = None,
    repo_seconds: float | None = None,
    memory_mib: float | None = None,
    environ: dict[str, str] | None = None,
) -> Budgets:
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
    return Budgets(
        check_seconds=pick(check_seconds, ENV_CHECK, DEFAULT_CHECK_SECONDS),
        repo_seconds=pick(repo_seconds, ENV_REPO, DEFAULT_REPO_SECONDS),
        memory_bytes=int(memory * MiB),
    )


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
    """One deadline of one thread. The target thread writes ``done``; the watchdog writes
    ``due``, ``fired`` and ``acked``: no lock is shared between them (see :class:`_Watchdog`)."""

    __slots__ = ("acked", "done", "due", "fired", "sent", "thread")

    def __init__(self, thread: int, due: float) -> None:
        self.thread, self.due = thread, due
        self.fired = self.done = self.sent = self.acked = False


def _raise_in(thread: int, exc: type[BaseException]) -> None:
    """Make ``thread`` raise ``exc`` at its next bytecode boundary. (A pending one is never
    cancelled, with NULL: CPython 3.11 then leaves its eval breaker set, and a traced thread,
    as under coverage, spins for ever at its next function call. It is delivered and
    swallowed instead.)"""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), ctypes.py_object(exc))


def _deliver() -> None:
    """Nothing: calling it delivers an exception pending for this thread, as every Python
    call does."""


class _Watchdog:
    """One daemon thread that raises :class:`Overdue` in threads past their deadline.

    The threads it interrupts never take a lock of its: an exception that lands between a
    lock's acquire and the ``with`` block that would release it (as a raised-in exception can,
    at any bytecode boundary) would leave the lock held for ever. They hand entries over
    through a ``SimpleQueue`` (whose ``put`` is one C call), mark one finished by setting its
    ``done``, and wait, swallowing late exceptions, until the watchdog acknowledges it; past
    that it never raises for the entry again, and the thread takes what is still pending (an
    outer deadline's exception, swallowed so, is raised again :data:`REPEAT_SECONDS` later)."""

    def __init__(self) -> None:
        self._inbox: queue.SimpleQueue[_Entry] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def add(self, entry: _Entry) -> None:
        if self._thread is None:
            # no watchdog yet, so nothing can be raised in this thread while it holds the lock
            with self._start_lock:
                if self._thread is None:
                    thread = threading.Thread(
                        target=self._run, daemon=True, name="scorecard-watchdog"
                    )
                    thread.start()
                    self._thread = thread
        self._inbox.put(entry)

    def finish(self, entry: _Entry) -> None:
        """Called by the entry's own thread when its call is over: returns once the watchdog
        will raise nothing more for it, with nothing pending. An exception raised in at any
        point leaves the entry so that calling this again completes it (the caller loops)."""
        entry.done = True
        if not entry.sent:
            self._inbox.put(entry)  # twice is harmless: the watchdog acknowledges both
            entry.sent = True
        while not entry.acked:
            time.sleep(0.0002)
        _deliver()  # one raised before the acknowledgement, if any, is raised here

    def _run(self) -> None:
        entries: set[_Entry] = set()
        while True:
            now = time.monotonic()
            wait = min((e.due for e in entries), default=now + 3600) - now
            try:
                entry = self._inbox.get(timeout=max(wait, 0.0005))
            except queue.Empty:
                pass
            else:
                if entry.done:
                    entries.discard(entry)
                    entry.acked = True
                else:
                    entries.add(entry)
                continue  # take every message before raising anything
            now = time.monotonic()
            for entry in entries:
                if not entry.done and entry.due <= now:
                    entry.fired = True
                    entry.due = now + REPEAT_SECONDS
                    _raise_in(entry.thread, Overdue)


_watchdog = _Watchdog()


def call_with_deadline(seconds: float | None, what: str, fn: Callable[[], T]) -> T:
    """``fn()``, stopped with :class:`TimedOut` (``"<what> ran past its N s deadline"``) when
    it runs longer than ``seconds`` (None or 0: no deadline). Deadlines nest: an outer one
    that passes first goes through an inner one."""
    if not seconds:
        return fn()
    entry = _Entry(threading.get_ident(), time.monotonic() + seconds)
    try:
        _watchdog.add(entry)
        return fn()
    except Overdue:
        if entry.fired:
            raise TimedOut(seconds, what) from None
        raise  # an outer deadline's
    finally:
        while True:
            try:
                _watchdog.finish(entry)
                break
            except Overdue:  # late, from this deadline or an outer one (which repeats)
                continue
