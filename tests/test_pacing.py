"""Pacing to GitHub's primary rate limits: no request refused, no idling while budget is left."""

from __future__ import annotations

import concurrent.futures as cf
import time

import pytest
from fakegithub import ADMIN, FakeGitHub
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture

from scorecard.github.client import GitHubClient, RateLimited
from scorecard.github.pacing import Pacer

TOKEN = "ghp_pacing_token_0123456789"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def headers(remaining: int, reset: float, resource: str = "core") -> dict[str, str]:
    return {
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
        "x-ratelimit-resource": resource,
    }


def test_requests_go_while_budget_is_left_and_wait_for_the_reset_when_none_is():
    clock = Clock()
    pacer = Pacer(clock.sleep, max_wait=600, clock=lambda: clock.now)
    pacer.take("core", "GET /a")  # nothing known yet: it goes
    pacer.settle("core", headers(2, 1030))
    pacer.take("core", "GET /b")
    pacer.take("core", "GET /c")  # two left, two in flight: both go, with no wait
    assert clock.slept == []
    pacer.settle("core", headers(1, 1030))
    pacer.settle("core", headers(0, 1030))
    pacer.take("core", "GET /d")  # spent: waits for the reset, then goes
    assert clock.slept == [31.0] and clock.now == 1031.0


def test_requests_in_flight_hold_their_share():
    clock = Clock()
    pacer = Pacer(clock.sleep, max_wait=600, clock=lambda: clock.now)
    pacer.take("core", "x")
    pacer.settle("core", headers(1, 1010))
    pacer.take("core", "y")  # the last one, in flight
    pacer.take("graphql", "z")  # another resource is not held back
    assert clock.slept == []
    pacer.take("core", "w")  # would overspend: waits for the window's end
    assert clock.slept == [11.0]


def test_an_older_answer_does_not_raise_the_budget_and_a_server_without_headers_is_not_paced():
    clock = Clock()
    pacer = Pacer(clock.sleep, max_wait=600, clock=lambda: clock.now)
    for _ in range(3):
        pacer.take("core", "x")
    pacer.settle("core", headers(5, 1010))
    pacer.settle("core", headers(7, 1010))  # answered later, counted earlier
    pacer.settle("core", headers(0, 900))  # a window that has ended
    for _ in range(5):
        pacer.take("core", "x")
    assert clock.slept == []
    other = Pacer(clock.sleep, max_wait=600, clock=lambda: clock.now)
    for _ in range(100):
        other.take("core", "x")
        other.settle("core", {})
    assert clock.slept == []


def test_a_wait_past_max_wait_stops_with_a_message():
    clock = Clock()
    pacer = Pacer(clock.sleep, max_wait=60, clock=lambda: clock.now)
    pacer.take("core", "x")
    pacer.settle("core", headers(0, 4600))
    with pytest.raises(RateLimited, match=r"core rate limit is spent until .* resume later"):
        pacer.take("core", "GET /orgs/acme/repos")


def test_no_request_is_refused_against_a_small_limit(fake_github: FakeGitHub):  # noqa: F811
    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="pacer")
    gh.primary_limit, gh.primary_reset_seconds = 8, 2
    client = GitHubClient(
        TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url, concurrency=6, backoff=0.01
    )
    start = time.monotonic()
    with cf.ThreadPoolExecutor(6) as pool:
        logins = list(pool.map(lambda _: client.get("/user")["login"], range(20)))
    elapsed = time.monotonic() - start
    assert logins == ["pacer"] * 20
    refused = [r for r in gh.requests if r.fault == "primary" or r.status in (403, 429)]
    assert refused == [], [(r.path, r.status) for r in refused]
    assert client.stats.retries == 0
    assert client.pacer.waited > 0 and elapsed >= 2  # three windows of eight


def test_a_run_that_starts_with_a_spent_budget_waits_instead_of_being_refused(
    fake_github: FakeGitHub,  # noqa: F811
    tmp_path,
):
    """Issue 13, point 4: the first request of a new process is paced too (`GET /rate_limit`,
    which GitHub does not count, tells the budget another process spent)."""
    from harness import build_repo

    from scorecard.org import Filters, ResultWriter, scan
    from scorecard.registry import default_registry

    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="pacer")
    gh.add_repo("acme/api", build_repo(tmp_path / "api", {"README.md": "# a\n"}, commit=True))
    gh.primary_limit, gh.primary_reset_seconds = 5, 2
    other = GitHubClient(TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url)
    for _ in range(5):  # another process spends the whole budget
        other.get("/user")
    gh.reset_log()
    client = GitHubClient(TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url, backoff=0.01)
    writer = ResultWriter(tmp_path / "r.jsonl")
    try:
        stats = scan(
            client,
            "acme",
            default_registry(),
            filters=Filters(),
            writer=writer,
            progress_stream=None,
        )
    finally:
        writer.close()
    assert stats.graded == 1 and stats.failed == 0
    refused = [r for r in gh.requests if r.fault == "primary" or r.status in (403, 429)]
    assert refused == [], [(r.path, r.status) for r in refused]
    assert client.pacer.waited > 0 and client.stats.retries == 0
    assert gh.requests[0].path.endswith("/rate_limit")


def test_a_spent_budget_past_max_wait_stops_cleanly(fake_github: FakeGitHub, tmp_path, capsys):  # noqa: F811
    from scorecard.cli import main

    gh = fake_github
    gh.add_org("acme")
    gh.add_token(TOKEN, ADMIN, login="pacer")
    gh.primary_limit, gh.primary_reset_seconds = 3, 3600
    other = GitHubClient(TOKEN, api_url=gh.api_url, graphql_url=gh.graphql_url)
    for _ in range(3):
        other.get("/user")
    gh.reset_log()
    out = tmp_path / "r.jsonl"
    code = main(
        [
            "org",
            "acme",
            "--api-url",
            gh.api_url,
            "--token",
            TOKEN,
            "--output",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code != 0 and "rate limit is spent until" in err and "Traceback" not in err
    refused = [r for r in gh.requests if r.fault == "primary" or r.status in (403, 429)]
    assert refused == []
