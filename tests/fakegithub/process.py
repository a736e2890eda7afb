"""The fake in a child process, for benchmarks: its request handling then runs on its own
interpreter (and core) instead of competing for the GIL with the tool being measured.

    def setup(gh):  # a module-level function: it is pickled to the child
        gh.add_org("acme")
        ...

    with FakeGitHubProcess(setup, latency=0.1) as gh:
        run_the_tool(gh.api_url, gh.graphql_url)
        print(gh.count(), gh.max_in_flight)   # proxied to the child
        gh.add_repo("acme/late", path)        # so are methods that change the state

Attribute reads, writes (the switches) and method calls are forwarded to the child's
:class:`FakeGitHub`; results come back pickled (copies: change the state through methods).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
from collections.abc import Callable
from typing import Any

from .server import FakeGitHub

Setup = Callable[[FakeGitHub], Any]


def _serve(
    conn: Any, setup: Setup | None, kwargs: dict[str, Any], switches: dict[str, Any]
) -> None:
    gh = FakeGitHub(**kwargs)
    try:
        if setup is not None:
            setup(gh)
        for name, value in switches.items():
            setattr(gh, name, value)
        gh.start()
        conn.send(("ready", gh.web_url))
        while True:
            try:
                op, name, args, kw = conn.recv()
            except EOFError:
                break
            try:
                if op == "stop":
                    gh.stop()
                    conn.send(("ok", None))
                    break
                if op == "get":
                    result = getattr(gh, name)
                elif op == "set":
                    setattr(gh, name, args[0])
                    result = None
                else:
                    result = getattr(gh, name)(*args, **kw)
                conn.send(("ok", result))
            except Exception as err:
                conn.send(("error", err))
    except Exception as err:
        conn.send(("error", err))
    finally:
        gh.stop()


class FakeGitHubProcess:
    """A :class:`FakeGitHub` running in a child process (``spawn`` by default)."""

    def __init__(
        self,
        setup: Setup | None = None,
        *,
        start_method: str = "spawn",
        validate: bool = True,
        strict: bool = True,
        seed: int = 0,
        timeout: float = 120.0,
        **switches: Any,
    ) -> None:
        self._setup = setup
        self._context: Any = multiprocessing.get_context(start_method)
        self._kwargs = {"validate": validate, "strict": False, "seed": seed}
        self._strict = strict
        self._switches = switches
        self._timeout = timeout
        self._lock = threading.Lock()
        self._conn: Any = None
        self._proc: Any = None
        self._web_url = ""

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeGitHubProcess:
        parent, child = self._context.Pipe()
        self._proc = self._context.Process(
            target=_serve,
            args=(child, self._setup, self._kwargs, self._switches),
            daemon=True,
            name="fakegithub",
        )
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(self._timeout):
            self._proc.kill()
            raise RuntimeError("the fake GitHub process did not start")
        status, value = parent.recv()
        if status != "ready":
            self._proc.join(5)
            raise RuntimeError(f"the fake GitHub process failed to start: {value!r}")
        self._web_url = value
        return self

    def stop(self) -> None:
        if self._conn is None:
            return
        with contextlib.suppress(EOFError, OSError, RuntimeError):
            self._request("stop", "")
        self._conn.close()
        self._conn = None
        self._proc.join(10)
        if self._proc.is_alive():
            self._proc.kill()

    def __enter__(self) -> FakeGitHubProcess:
        return self.start()

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        try:
            if exc_type is None and self._strict and self._conn is not None:
                self._request("call", "assert_clean")
        finally:
            self.stop()

    # -- proxying --------------------------------------------------------------------------
    def _request(self, op: str, name: str, *args: Any, **kw: Any) -> Any:
        with self._lock:
            if self._conn is None:
                raise RuntimeError("the fake GitHub process is not running")
            self._conn.send((op, name, args, kw))
            status, value = self._conn.recv()
        if status == "error":
            raise value if isinstance(value, BaseException) else RuntimeError(value)
        return value

    @property
    def web_url(self) -> str:
        return self._web_url

    @property
    def api_url(self) -> str:
        return f"{self._web_url}/api/v3"

    @property
    def graphql_url(self) -> str:
        return f"{self._web_url}/api/graphql"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if callable(getattr(FakeGitHub, name, None)):
            return lambda *args, **kw: self._request("call", name, *args, **kw)
        return self._request("get", name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self._request("set", name, value)
