"""Pacing: spend a token's primary rate limits without a request ever being refused.

GitHub reports the budget of the token on every answer (``X-RateLimit-Remaining``, ``-Reset``,
``-Resource``: ``core`` for REST, ``graphql`` for GraphQL points). The pacer keeps, per
resource, the lowest remaining count seen in the current window and the requests in flight;
a request goes while the budget has room for it, and waits for the window's reset only when it
has none, so no time is spent idle while budget is left. A wait longer than the client's
``max_wait`` is :class:`RateLimited` (an org scan records it and can be resumed). A server that
sends no such headers (an Enterprise Server with rate limiting off) is never paced.

Before its first request, an org scan reads the budgets with ``GET /rate_limit`` (which GitHub
does not count), so that a run that starts with a spent budget waits (or stops) instead of
being refused. A GraphQL query is counted as one point: the product's queries cost one point per 100
repositories' worth of nodes, and GitHub answers a query over the budget with a
``RATE_LIMITED`` error, which the client waits out as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scorecard.github.errors import RateLimited

log = logging.getLogger("scorecard.github")


@dataclass
class _Budget:
    remaining: int | None = None  # None: not known (no answer yet, or a new window)
    reset: float = 0.0  # when the window ends (epoch seconds)
    in_flight: int = 0


class Pacer:
    def __init__(
        self,
        sleep: Callable[[float], None],
        max_wait: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._sleep, self._max_wait, self._clock = sleep, max_wait, clock
        self._lock = threading.Lock()
        self._budgets: dict[str, _Budget] = {}
        self.waited = 0.0

    def take(self, resource: str, what: str) -> None:
        """Wait until ``resource`` has room for one more request, then count it in flight."""
        while True:
            with self._lock:
                budget = self._budgets.setdefault(resource, _Budget())
                now = self._clock()
                if now >= budget.reset:
                    budget.remaining = None  # a new window: its budget is not known yet
                if budget.remaining is None or budget.remaining - budget.in_flight > 0:
                    budget.in_flight += 1
                    return
                wait = budget.reset - now + 1.0
            if wait > self._max_wait:
                raise RateLimited(
                    f"the token's {resource} rate limit is spent until "
                    f"{time.strftime('%H:%M:%S UTC', time.gmtime(now + wait))}, "
                    f"longer than the {self._max_wait:.0f} s this run waits "
                    f"({what}); resume later"
                )
            log.info(
                "pacing: the %s rate limit is spent; waiting %.1f s for its reset", resource, wait
            )
            with self._lock:
                self.waited += wait
            self._sleep(wait)

    def budget(self, resource: str) -> tuple[int, float] | None:
        """``(remaining, reset time)`` of ``resource`` as last reported, None when unknown
        (no answer yet, or its window has ended)."""
        with self._lock:
            budget = self._budgets.get(resource)
            if budget is None or budget.remaining is None or self._clock() >= budget.reset:
                return None
            return budget.remaining, budget.reset

    def settle(self, resource: str, headers: Mapping[str, str]) -> None:
        """The request is answered (or failed): it is no longer in flight, and the budget is
        what the answer's headers say."""
        with self._lock:
            budget = self._budgets.setdefault(resource, _Budget())
            budget.in_flight = max(0, budget.in_flight - 1)
            said = headers.get("x-ratelimit-resource") or resource
            try:
                remaining = int(headers["x-ratelimit-remaining"])
                reset = float(headers["x-ratelimit-reset"])
            except (KeyError, ValueError):
                return
            self._observe(said, remaining, reset)

    def observe(self, resource: str, remaining: int, reset: float) -> None:
        """A budget read otherwise than from an answer's headers (``GET /rate_limit``)."""
        with self._lock:
            self._observe(resource, remaining, reset)

    def _observe(self, resource: str, remaining: int, reset: float) -> None:
        budget = self._budgets.setdefault(resource, _Budget())
        if reset > budget.reset:
            budget.reset, budget.remaining = reset, remaining
        elif reset == budget.reset:
            budget.remaining = (
                remaining if budget.remaining is None else min(budget.remaining, remaining)
            )
