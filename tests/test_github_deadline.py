"""Fault 7: a server that trickles (headers, then one byte every half second; or its headers
one byte at a time) is given up on at the request's overall deadline, not never."""

from __future__ import annotations

import io
import signal
import socket
import socketserver
import threading
import time
from collections.abc import Iterator

import pytest

from scorecard.github.client import GitHubClient, GitHubError
from scorecard.github.errors import DeadlineExceeded

TOKEN = "ghp_secretsecretsecret"
GUARD = 20  # seconds: the hang guard, far above what the 2 s deadline needs


class _Trickle(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        conn: socket.socket = self.request
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        self.server.requests += 1
        if self.server.mode == "body":
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n["
            )
            drip = b" "
        else:  # the headers themselves never end
            conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            drip = b"a"
        for _ in range(120):  # bounded: a minute at most, then the server gives up
            if self.server.stopping.wait(0.5):
                return
            try:
                conn.sendall(drip)
            except OSError:  # the client hung up: what the test wants
                return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Trickle)
        self.mode, self.requests, self.stopping = mode, 0, threading.Event()


@pytest.fixture
def trickle(request: pytest.FixtureRequest) -> Iterator[_Server]:
    server = _Server(request.param)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.stopping.set()
    server.shutdown()
    server.server_close()


class Hung(BaseException):
    """Raised by the hang guard: a BaseException, so that no retry loop swallows it."""


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    def hung(signum: int, frame: object) -> None:
        raise Hung(f"still waiting after {GUARD} s: no deadline")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(GUARD)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def client_for(server: _Server) -> GitHubClient:
    host, port = server.server_address[:2]
    assert isinstance(host, str)
    return GitHubClient(
        TOKEN,
        api_url=f"http://{host}:{port}/api/v3",
        deadline=2.0,
        backoff=0.01,
        sleep=lambda s: None,
    )


@pytest.mark.parametrize("trickle", ["body", "headers"], indirect=True)
def test_a_trickling_api_answer_is_given_up_at_the_deadline(trickle):
    client = client_for(trickle)
    start = time.monotonic()
    with pytest.raises(DeadlineExceeded) as err:
        client.get("/repos/acme/widgets")
    took = time.monotonic() - start
    text = str(err.value)
    assert "GET /api/v3/repos/acme/widgets" in text and "2 s" in text and "\n" not in text
    assert TOKEN not in text
    assert trickle.requests == 2  # a deadline missed is tried once more, not again and again
    assert took < GUARD


@pytest.mark.parametrize("trickle", ["body", "headers"], indirect=True)
def test_a_trickling_graphql_answer_is_given_up_at_the_deadline(trickle):
    with pytest.raises(DeadlineExceeded) as err:
        client_for(trickle).graphql("query { viewer { login } }")
    assert "POST /api/graphql" in str(err.value)


@pytest.mark.parametrize("trickle", ["body"], indirect=True)
def test_a_trickling_download_is_given_up_at_its_deadline(trickle):
    client = client_for(trickle)
    with pytest.raises(GitHubError) as err:
        client.download("/repos/acme/widgets/tarball/abc", io.BytesIO(), 1 << 20)
    assert "within" in str(err.value) and TOKEN not in str(err.value)


def test_the_deadline_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SCORECARD_REQUEST_DEADLINE", "7.5")
    assert GitHubClient(TOKEN).deadline == 7.5
    monkeypatch.setenv("SCORECARD_REQUEST_DEADLINE", "soon")
    with pytest.raises(GitHubError, match="SCORECARD_REQUEST_DEADLINE"):
        GitHubClient(TOKEN)
