"""An overall deadline for each request, however slowly the server answers.

A socket's time-out bounds each read, not the request: a server that sends one byte every two
seconds (while its headers, its body, or a TLS handshake are under way) never lets a read time
out. So each request runs under a :class:`Deadline`: a timer that, when it ends, shuts down the
socket of the connection the request is using, which ends at once whatever read or write is
stuck on it. The connections learn which deadline they serve from the request's context
(:func:`running`), through the connection classes that :func:`watch` gives a urllib3 pool
manager (requests' and the download pool's alike).
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from urllib3 import PoolManager, ProxyManager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "scorecard_request_deadline", default=None
)


class Deadline:
    """The end of one request (a monotonic time), which :meth:`extend` may move later."""

    def __init__(self, seconds: float) -> None:
        self.start = time.monotonic()
        self.end = self.start + seconds
        self.expired = False
        self._conn: HTTPConnection | None = None
        self._done = False
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._arm()

    def _arm(self) -> None:
        self._timer = threading.Timer(max(0.0, self.end - time.monotonic()), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            if time.monotonic() < self.end:  # extended meanwhile
                self._arm()
                return
            self.expired = True
            conn = self._conn
        _shut(conn)

    def extend(self, seconds: float) -> None:
        with self._lock:
            self.end += seconds

    def attach(self, conn: HTTPConnection) -> None:
        """``conn`` now carries the request (a new one, or the next hop of a redirect)."""
        with self._lock:
            self._conn = conn
            expired = self.expired
        if expired:
            _shut(conn)

    def close(self) -> None:
        with self._lock:
            self._done = True
            if self._timer is not None:
                self._timer.cancel()


def _shut(conn: HTTPConnection | None) -> None:
    sock = conn.sock if conn is not None else None
    if sock is not None:
        with contextlib.suppress(OSError):
            # the plain socket's shutdown, under TLS too: the TLS layer then reads an end
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


@contextlib.contextmanager
def running(seconds: float) -> Iterator[Deadline]:
    """The requests made in this block, in this thread, end after ``seconds`` at the latest."""
    deadline = Deadline(seconds)
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)
        deadline.close()


class _Watched:
    """Tells the current deadline which connection the request is on, before it connects and
    before it sends."""

    def connect(self) -> None:
        deadline = _current.get()
        if deadline is not None:
            deadline.attach(self)  # type: ignore[arg-type]
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> None:
        deadline = _current.get()
        if deadline is not None:
            deadline.attach(self)  # type: ignore[arg-type]
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def watch(manager: PoolManager) -> PoolManager:
    """``manager``, whose new pools make connections that honour the deadline. A SOCKS proxy's
    manager, which has pool classes of its own, is left as it is (its reads are bounded by the
    time-out alone)."""
    if type(manager) in (PoolManager, ProxyManager):
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    return manager
