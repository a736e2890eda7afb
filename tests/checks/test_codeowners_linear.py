"""CODEOWNERS matching takes time linear in the path, and coverage near-linear in rules x
files (issue 9, fault 2): patterns that made a backtracking engine run for minutes finish at
once. Each case runs in a subprocess with a generous timeout, a hang guard, not a benchmark."""

import subprocess
import sys
import textwrap
import time

import pytest


def run_within(seconds: float, code: str) -> str:
    """Run ``code`` in a fresh interpreter; fail when it takes more than ``seconds``."""
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=seconds,
            env={"SCORECARD_NO_CACHE": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {seconds} s")
    assert done.returncode == 0, done.stderr
    print(f"took {time.monotonic() - start:.1f} s")
    return done.stdout


@pytest.mark.parametrize(
    "pattern, path",
    [
        ("*a" * 20 + "*b", "a" * 32 + "c"),
        ("/**/a" + "**a" * 20 + "b", "a" * 32 + "c"),
        ("**/" * 10 + "*a" * 20 + "*b", "x/" + "a" * 32 + "c"),
        ("d/" + "*a" * 20 + "*b/", "d/" + "a" * 32 + "c/f"),
    ],
)
def test_backtracking_patterns_match_at_once(pattern, path):
    out = run_within(
        10,
        f"""
        from scorecard.checks._codeowners import Matcher, parse
        rules, problems = parse({pattern + " @o"!r})
        assert not problems and len(rules) == 1, problems
        print(Matcher(rules).rule_for({path!r}), rules[0].matches({path!r}))
    """,
    )
    assert out.split() == ["None", "False"]


def test_backtracking_pattern_in_a_repository():
    """What hung the Action on a fork's pull request: the check itself."""
    out = run_within(
        20,
        f"""
        from pathlib import Path
        import tempfile
        from scorecard.sources.local import open_local
        from scorecard.checks import codeowners_coverage
        root = Path(tempfile.mkdtemp())
        (root / "CODEOWNERS").write_text({"*a" * 20 + "*b @o" + chr(10)!r})
        (root / {"a" * 32 + "c"!r}).write_text("x")
        result = codeowners_coverage.run(open_local(str(root)), {{}})
        print(result.data["owned"], result.data["total"])
    """,
    )
    assert out.split() == ["0", "2"]


def test_fifty_thousand_rules_over_ten_thousand_files():
    """A 50,000-line CODEOWNERS of mixed rules over 10,000 files: took over 300 s."""
    out = run_within(
        20,
        """
        import random, time
        from scorecard.checks._codeowners import Codeowners, parse
        rng = random.Random(1)
        words = [f"w{i}" for i in range(400)]
        exts = ["py", "js", "md", "go", "rb", "txt", "json", "yml"]
        files = set()
        while len(files) < 10_000:
            parts = [rng.choice(words) for _ in range(rng.randint(0, 4))]
            parts.append(f"{rng.choice(words)}_{rng.randint(0, 50)}.{rng.choice(exts)}")
            files.add("/".join(parts))
        shapes = [
            lambda a, b, c, n, e, i: f"/{a}/{b}/",
            lambda a, b, c, n, e, i: f"{a}/{b}/*.{e}",
            lambda a, b, c, n, e, i: f"*.{e}{i}",
            lambda a, b, c, n, e, i: f"**/{a}/**/{b}*",
            lambda a, b, c, n, e, i: f"/{a}/*/{b}/",
            lambda a, b, c, n, e, i: f"{a}_{n}.*",
            lambda a, b, c, n, e, i: f"{a}*/{b}",
            lambda a, b, c, n, e, i: f"/{a}/{b}/{c}_{n}.py",
            lambda a, b, c, n, e, i: f"**/{a}?{b}/",
            lambda a, b, c, n, e, i: f"{a}/**",
        ]
        lines = ["* @org/all"]
        for i in range(49_999):
            a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
            shape = shapes[i % len(shapes)]
            lines.append(shape(a, b, c, rng.randint(0, 50), rng.choice(exts), i) + f" @t{i % 97}")
        lines += ["*w1*2* @x", "**/*_4?.md @y", "*/*/ @z"]  # rules with no literal to index
        start = time.monotonic()
        rules, problems = parse("\\n".join(lines))
        assert not problems and len(rules) == 50_003
        owned, unowned = Codeowners("CODEOWNERS", None, rules).coverage(sorted(files))
        print(owned, len(unowned), f"{time.monotonic() - start:.1f}")
    """,
    )
    owned, unowned, seconds = out.split()
    print(f"50,003 rules x 10,000 files: {seconds} s")
    assert (owned, unowned) == ("10000", "0")
