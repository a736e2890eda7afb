"""Budgets: a deadline per check and per repository, and a memory ceiling (scorecard.budgets).

Every test that could hang without its fix runs under a 20 s alarm (a hang guard, not a
timing assertion)."""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture
from harness import build_repo, snapshot

from scorecard import budgets
from scorecard.check import Check, check
from scorecard.engine import run_checks, run_one
from scorecard.model import Finding, Status, passed
from scorecard.registry import Registry, default_registry
from scorecard.standard import resolve

TOKEN = "ghp_budgets_token_7"


@pytest.fixture(autouse=True)
def hang_guard() -> Iterator[None]:
    def hung(signum: int, frame: Any) -> None:
        raise AssertionError("hung: no deadline stopped it")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def spin() -> None:
    while True:
        pass


@check(id="spins-forever", pillar="ops", title="Spins", remediation="-")
def spins_forever(snap: Any, opts: Any) -> Finding:
    spin()
    raise AssertionError("unreachable")


@check(id="swallows-everything", pillar="ops", title="Swallows", remediation="-")
def swallows_everything(snap: Any, opts: Any) -> Finding:
    while True:
        with contextlib.suppress(Exception):  # catches every error: the deadline is none
            spin()


@check(id="eats-memory", pillar="ops", title="Eats memory", remediation="-")
def eats_memory(snap: Any, opts: Any) -> Finding:
    raise MemoryError


@check(id="loops-on-bomb", pillar="ops", title="Loops on a bomb", remediation="-")
def loops_on_bomb(snap: Any, opts: Any) -> Finding:
    """A plugin-like check that never ends on one planted file."""
    while snap.has("BOMB"):
        time.sleep(0.001)
    return passed("no bomb")


def registry_with(*extra: Check) -> Registry:
    reg = Registry(checks=dict(default_registry().checks))
    for chk in extra:
        reg.add(chk, package="tests")
    return reg


@pytest.fixture
def short(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    def set_budgets(check: float = 60, repo: float = 300) -> None:
        monkeypatch.setattr(budgets, "_current", budgets.Budgets(check, repo, 0))

    return set_budgets


# ---- deadlines ----------------------------------------------------------------------------------


def test_a_call_past_its_deadline_is_stopped():
    with pytest.raises(budgets.TimedOut, match=r"the check ran past its 0\.2 s deadline"):
        budgets.call_with_deadline(0.2, "the check", spin)
    assert budgets.call_with_deadline(5, "x", lambda: 42) == 42
    assert budgets.call_with_deadline(0, "x", lambda: 43) == 43  # 0: no deadline


TRACED = """
import sys, threading
from scorecard import budgets

def trace(frame, event, arg):
    return trace

sys.settrace(trace)  # as coverage does: a traced thread once spun for ever after a deadline
threading.settrace(trace)
budgets.REPEAT_SECONDS = 0.01

def spin():
    while True:
        pass

def inner():
    for _ in range(20):
        try:
            budgets.call_with_deadline(0.002, "inner", spin)
        except budgets.TimedOut:
            pass
    spin()

for _ in range(5):
    try:
        budgets.call_with_deadline(0.05, "outer", inner)
    except budgets.TimedOut as exc:
        print(exc)
"""


def test_deadlines_end_in_a_traced_thread_too(tmp_path):
    """Nested deadlines firing in a traced thread (coverage, a debugger): each call ends with
    its deadline. A pending exception cancelled with NULL used to leave CPython's eval breaker
    set, and the traced thread spun at its next call for ever."""
    script = tmp_path / "traced.py"
    script.write_text(TRACED)
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=15, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["outer ran past its 0.05 s deadline"] * 5


def test_an_outer_deadline_goes_through_an_inner_one():
    def inner() -> None:
        budgets.call_with_deadline(30, "the check", spin)

    with pytest.raises(budgets.TimedOut, match=r"the repository ran past its 0\.3 s"):
        budgets.call_with_deadline(0.3, "the repository", inner)


def test_a_deadline_that_did_not_pass_leaves_nothing_behind():
    for _ in range(50):  # calls that end well before their deadline: nothing raised later
        budgets.call_with_deadline(0.5, "x", lambda: None)
    time.sleep(1.0)  # past every deadline: the watchdog must have forgotten them all


def test_deadlines_work_in_worker_threads():
    with cf.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(budgets.call_with_deadline, 0.2, f"job {i}", spin) for i in range(4)]
        for i, fut in enumerate(futures):
            with pytest.raises(budgets.TimedOut, match=f"job {i} ran past"):
                fut.result()


def test_a_check_past_its_deadline_is_an_error_and_the_run_goes_on(tmp_path, short):
    short(check=0.3)
    snap = snapshot(tmp_path / "r", {"README.md": "# r\n"})
    reg = registry_with(spins_forever, swallows_everything)
    standard = resolve(reg, [])
    results = {
        r.id: r
        for r in run_checks(
            snap, standard, reg, only=["spins-forever", "swallows-everything", "readme-present"]
        )
    }
    assert results["spins-forever"].status is Status.ERROR
    assert results["spins-forever"].message == "the check ran past its 0.3 s deadline"
    assert results["swallows-everything"].status is Status.ERROR
    assert results["readme-present"].status is Status.PASS


def test_the_action_stops_a_repository_past_its_deadline(tmp_path, short):
    from scorecard.action import ActionEnv, ActionError
    from scorecard.action.grading import grade

    short(check=30, repo=0.3)
    snap = snapshot(tmp_path / "r", {"README.md": "# r\n"})
    reg = registry_with(spins_forever)
    env = ActionEnv(environ={"GITHUB_REPOSITORY": "acme/r"}, out=io.StringIO())
    with pytest.raises(ActionError, match=r"grading .* ran past its 0\.3 s"):
        grade(snap, resolve(reg, []), reg, env)


def test_a_check_out_of_memory_is_an_error(tmp_path):
    snap = snapshot(tmp_path / "r", {})
    finding = run_one(eats_memory, snap, {})
    assert (finding.status, finding.message) == (Status.ERROR, "the check ran out of memory")


def test_budgets_come_from_flags_then_environment_then_defaults():
    env = {"SCORECARD_CHECK_TIMEOUT": "5", "SCORECARD_MEMORY_LIMIT": "0"}
    assert budgets.from_settings(environ={}) == budgets.Budgets(60, 300, 4096 * budgets.MiB)
    assert budgets.from_settings(environ=env) == budgets.Budgets(5, 300, 0)
    assert budgets.from_settings(7, 9, 100, environ=env) == budgets.Budgets(7, 9, 100 * budgets.MiB)
    with pytest.raises(ValueError, match="SCORECARD_REPO_TIMEOUT='soon': not a number"):
        budgets.from_settings(environ={"SCORECARD_REPO_TIMEOUT": "soon"})


def test_the_cli_reports_a_bad_budget_in_one_line(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    run = subprocess.run(
        [sys.executable, "-m", "scorecard", "check", str(root)],
        capture_output=True,
        text=True,
        env={"SCORECARD_CHECK_TIMEOUT": "-1", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "scorecard: SCORECARD_CHECK_TIMEOUT='-1': must be 0 (no limit) or more"
    ]


# ---- the memory ceiling -------------------------------------------------------------------------


def test_the_default_ceiling_keeps_a_normal_run_whole(tmp_path):
    """The whole catalog under the default 4 GiB ceiling (thread stacks and the git children
    count towards it): graded, no check in error."""
    root = build_repo(tmp_path / "r", {"README.md": "# r\n", "src/a.py": "x = 1\n"}, commit=True)
    env = {k: v for k, v in os.environ.items() if k != "SCORECARD_MEMORY_LIMIT"}
    run = subprocess.run(
        [sys.executable, "-m", "scorecard", "check", str(root), "-f", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 0, run.stderr
    assert '"status": "error"' not in run.stdout


def test_a_check_over_the_ceiling_is_an_error_not_a_crash(tmp_path):
    root = build_repo(tmp_path / "r", {"README.md": "# r\n"}, commit=True)
    probe = f"""
from scorecard import budgets
from scorecard.check import check
from scorecard.engine import run_one
from scorecard.model import passed
from scorecard.sources.local import open_local

@check(id="allocates", pillar="ops", title="x", remediation="-")
def allocates(snap, opts):
    data = bytearray(2 * 1024 ** 3)  # 2 GiB, over the ceiling
    return passed(str(len(data)))

budgets.limit_memory(1024 * budgets.MiB)
print(run_one(allocates, open_local({str(root)!r}), {{}}).message)
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "the check ran out of memory", run.stderr


def test_the_watchdog_thread_is_a_daemon():
    budgets.call_with_deadline(1, "x", lambda: None)
    dogs = [t for t in threading.enumerate() if t.name == "scorecard-watchdog"]
    assert dogs and all(t.daemon for t in dogs)
