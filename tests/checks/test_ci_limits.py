"""The CI analyser's work is bounded by its input: Makefile variable expansion (issue 9, fault 4)
and the lexing of scripts reused many times (fault 3), whatever the YAML loader lets through."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scorecard.checks.ci import analyse, limits
from scorecard.model import Status
from scorecard.registry import default_registry
from scorecard.snapshot import RepoSnapshot, Workflow

WF = ".github/workflows/ci.yml"
CHECKS = ("ci-runs-tests", "coverage-configured", "code-scanning-configured")


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """A hang guard: fail the test instead of waiting (generous: the cases used to take 20 s
    or more, or to run out of memory)."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def workflow(*runs: str) -> str:
    steps = "".join(f"      - run: {r}\n" for r in runs)
    return f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n{steps}"


def nested_makefile(fan: int, levels: int) -> str:
    """``A0 = x``, ``A1 = $(A0) $(A0)...`` (``fan`` references per line), up to ``A<levels>``,
    used by the ``test`` target, which also runs pytest."""
    lines = ["A0 = x"]
    lines += [f"A{i} = " + " ".join([f"$(A{i - 1})"] * fan) for i in range(1, levels + 1)]
    return (
        "\n".join(lines) + f"\nFLAGS = $(A{levels})\n\ntest:\n\tpytest --cov $(FLAGS)\n"
        f"\techo $(A{levels})\n\nlint: $(A{levels})\n\truff check $(A{levels})\n"
    )


# ---- Makefile variable expansion (fault 4) -------------------------------------------------


@pytest.mark.parametrize(
    ("fan", "levels", "size"),
    [
        (2, 40, 800),  # doubling, 40 levels deep: 2**40 copies if expanded
        (20, 32, 4_500),  # the 4.5 KB Makefile that took 22 s and 618 MB
        (64, 32, 15_000),  # the 15 KB one that ended in MemoryError
    ],
)
def test_nested_makefile_variables_are_bounded(make_snapshot, fan, levels, size):
    makefile = nested_makefile(fan, levels)
    assert len(makefile) >= size * 0.9
    snap = make_snapshot({WF: workflow("make test", "make lint", "make"), "Makefile": makefile})
    registry = default_registry()
    with deadline(10):
        results = {cid: registry[cid](snap, {}) for cid in CHECKS}
    assert results["ci-runs-tests"].status is Status.PASS, results["ci-runs-tests"].message
    assert results["coverage-configured"].status is Status.PASS
    assert "`make test` -> Makefile:" in results["coverage-configured"].message
    assert results["code-scanning-configured"].status is Status.UNKNOWN
    for cmd in analyse(snap).commands:
        assert len(cmd.text) <= limits.EXPANSION_CAP + 100


def test_makefile_expansion_keeps_ordinary_variables(make_snapshot):
    makefile = (
        "PY ?= python3\nRUN := $(PY) -m\nTESTS = tests/\nOPTS = -q \\\n  --cov=pkg\n"
        "SELF = $(SELF) x\n\ncheck:\n\t$(RUN) pytest $(OPTS) $(TESTS) $(SELF) $$HOME\n"
    )
    snap = make_snapshot({WF: workflow("make check"), "Makefile": makefile})
    argv = [c.argv for c in analyse(snap).commands]
    assert argv[1][:6] == ("pytest", "-q", "--cov=pkg", "tests/", "$(SELF)", "x")
    assert argv[1][-1] == "$HOME"


def test_makefile_expansion_stops_at_the_depth_limit(make_snapshot):
    depth = limits.MAKE_EXPANSION_DEPTH
    makefile = "V0 = pytest\n" + "".join(f"V{i} = $(V{i - 1})\n" for i in range(1, depth + 5))
    makefile += f"shallow:\n\t$(V{depth - 2})\ndeep:\n\t$(V{depth + 4}) -x\n"
    snap = make_snapshot({WF: workflow("make shallow", "make deep"), "Makefile": makefile})
    argv = [c.argv for c in analyse(snap).commands]
    assert ("pytest",) in argv
    assert ("pytest", "-x") not in argv  # left as unknown text, not an error


# ---- lexing scripts reused many times (fault 3) ----------------------------------------------


def _steps_workflow(make_snapshot, monkeypatch, scripts: list[str]) -> RepoSnapshot:
    """A snapshot whose one workflow has a step per script (as YAML aliases would make it:
    the same string object many times, or distinct copies)."""
    snap = make_snapshot({WF: "on: push\njobs: {}\n"})
    data = {
        "on": "push",
        "jobs": {"t": {"runs-on": "ubuntu-latest", "steps": [{"run": s} for s in scripts]}},
    }
    wf = Workflow(WF, data=data, text="on: push\n")
    monkeypatch.setattr(snap, "workflows", lambda: [wf])
    return snap


@pytest.mark.parametrize("distinct", [False, True])
def test_a_big_script_reused_by_3000_steps_is_lexed_once(make_snapshot, monkeypatch, distinct):
    big = "echo building step\n" * 42_000 + "pytest -q\n"  # 800 KB
    scripts = ["".join([big[:10], big[10:]]) if distinct else big for _ in range(3_000)]
    snap = _steps_workflow(make_snapshot, monkeypatch, scripts)
    with deadline(20):
        r = default_registry()["ci-runs-tests"](snap, {})
    assert r.status in (Status.PASS, Status.UNKNOWN), r.message


def test_5000_references_to_a_20000_command_step(make_snapshot, monkeypatch):
    step = "".join(f"echo {i}\n" for i in range(20_000))  # about 230 KB
    snap = _steps_workflow(make_snapshot, monkeypatch, [step] * 5_000 + ["pytest"])
    with deadline(20):
        results = {cid: default_registry()[cid](snap, {}) for cid in CHECKS}
    ci = analyse(snap)
    assert len(ci.commands) <= limits.MAX_COMMANDS
    assert ci.truncated
    assert results["ci-runs-tests"].status is Status.UNKNOWN
    assert "too much to read" in results["ci-runs-tests"].message


def test_total_lexing_is_capped_by_a_byte_budget(make_snapshot, monkeypatch):
    monkeypatch.setattr(limits, "LEX_BUDGET", 50_000)
    scripts = [f"echo {i}\n" * 3_000 for i in range(10)] + ["pytest"]  # 10 distinct 20 KB
    snap = _steps_workflow(make_snapshot, monkeypatch, scripts)
    ci = analyse(snap)
    assert ci.truncated
    assert not any(c.argv == ("pytest",) for c in ci.commands)
    r = default_registry()["ci-runs-tests"](snap, {})
    assert r.status is Status.UNKNOWN
    assert "too much to read" in r.message


def test_the_same_command_is_followed_once(make_snapshot):
    script = "\n".join(f"echo {i} && ./check.sh" for i in range(2_000))
    files = {
        WF: workflow("|\n" + "".join(f"          {line}\n" for line in script.split("\n"))),
        "check.sh": "# a long comment, not a command\n" * 25_000 + "pytest\n",
    }  # 825 KB
    snap = make_snapshot(files)
    with deadline(20):
        r = default_registry()["ci-runs-tests"](snap, {})
    assert r.status is Status.PASS
