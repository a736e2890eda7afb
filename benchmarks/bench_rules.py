#!/usr/bin/env python3
"""Declarative rules benchmark (issue 11, points 7 and 8): what 200 rules mixing every primitive
add to a run on the 100,000-file checkout of bench_local.py, and a catastrophic-backtracking
pattern over a 1 MiB file.

    .venv/bin/python benchmarks/bench_rules.py                 # the budget: 100,000 files
    .venv/bin/python benchmarks/bench_rules.py --files 5000 --runs 3

Both runs grade in-process (the same engine, the same snapshot kind), side by side, with the
content scan's cache off: the run with the 200 rules against the same run without them; the
median of ``--runs`` each. Budgets, printed with met/NOT met: at most 0.3 s added, and the
1 MiB file searched for ``(a+)+$`` in under 1 s. Rules read files through the snapshot, which
keeps what it read: the number of files it read from the disk more than once is printed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from bench_local import ensure_repo  # noqa: E402

from scorecard.pipeline import grade_snapshot  # noqa: E402
from scorecard.registry import default_registry  # noqa: E402
from scorecard.rules.base import compile_regex  # noqa: E402
from scorecard.sources.local import open_local  # noqa: E402
from scorecard.standard import resolve  # noqa: E402

ADDED_BUDGET = 0.3
REGEX_BUDGET = 1.0


def rules(n: int = 200) -> str:
    """``n`` rules, cycling through every primitive with distinct globs and patterns."""
    out = ["rules:"]
    exts = ["py", "js", "go", "md", "txt", "json", "yml", "toml", "rs", "java"]
    for i in range(n):
        kind = i % 8
        ext = exts[i % len(exts)]
        rid = f"bench-rule-{i:03d}"
        if kind == 0:
            req = f'{{files: {{glob: "**/*_{i}.{ext}", max: 50}}}}'
        elif kind == 1:
            req = f'{{not: {{files: {{glob: "tmp{i}/**"}}}}}}'
        elif kind == 2:
            req = f'{{content: {{file: README.md, contains: "(?i)service|x{i}"}}}}'
        elif kind == 3:
            req = f'{{content: {{glob: "docs{i}/**/*.md", absent: "TODO{i}"}}}}'
        elif kind == 4:
            req = (
                f'{{data: {{file: package.json, path: "name", exists: {str(i % 2 == 0).lower()}}}}}'
            )
        elif kind == 5:
            req = f'{{workflow: {{runs: "make test{i}"}}}}'
        elif kind == 6:
            req = f'{{any: [{{platform: {{topic: t{i}}}}}, {{files: {{glob: "*.lock{i}"}}}}]}}'
        else:
            req = f'{{data: {{file: pyproject.toml, path: "project.name", matches: "^x{i}"}}}}'
        when = "\n    when: {ecosystem: python}" if i % 10 == 9 else ""
        out.append(f"  - id: {rid}{when}\n    require: {req}")
    return "\n".join(out) + "\n"


def grade_time(repo: Path, layers: list[tuple[str, str]]) -> tuple[float, Counter[str]]:
    registry = default_registry()
    standard = resolve(registry, layers)
    snap = open_local(repo)
    reads: Counter[str] = Counter()
    real = type(snap)._read_raw

    def counting(self, path: str, cap: int):  # type: ignore[no-untyped-def]
        reads[path] += 1  # a read from the disk (the snapshot keeps what it read)
        return real(self, path, cap)

    type(snap)._read_raw = counting  # type: ignore[method-assign]
    try:
        start = time.perf_counter()
        grade_snapshot(snap, standard, registry)
        return time.perf_counter() - start, reads
    finally:
        type(snap)._read_raw = real  # type: ignore[method-assign]


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--rules", type=int, default=200)
    args = ap.parse_args(argv)
    os.environ["SCORECARD_NO_CACHE"] = "1"
    repo, info, _ = ensure_repo(args.files, False)
    print(f"\nrepository: {repo} ({info['files']:,} tracked files)")
    with_rules = [("bench-rules.yml", rules(args.rules))]
    grade_time(repo, [])  # warm-up: imports, the OS's file cache
    base, more, repeated = [], [], 0
    for _ in range(args.runs):  # side by side
        base.append(grade_time(repo, [])[0])
        t, reads = grade_time(repo, with_rules)
        more.append(t)
        repeated = sum(1 for n in reads.values() if n > 1)
    b, m = statistics.median(base), statistics.median(more)
    added = m - b
    print(f"  without rules      {b:6.3f} s (median of {args.runs})")
    print(f"  with {args.rules} rules    {m:6.3f} s")
    print(
        f"  added: {added:.3f} s (budget {ADDED_BUDGET} s) -> "
        f"{'met' if added <= ADDED_BUDGET else 'NOT met'}"
    )
    print(
        f"  files read from the disk more than once by the snapshot: {repeated} (the content "
        "scan of no-private-keys reads the files it searches itself, through git grep)"
    )

    rx = compile_regex("(a+)+$")
    with tempfile.TemporaryDirectory() as tmp:
        text = "a" * (1 << 20) + "!"
        Path(tmp, "big.txt").write_text(text)
        start = time.perf_counter()
        found = rx.search(Path(tmp, "big.txt").read_text())
        took = time.perf_counter() - start
    print(
        f"  `(a+)+$` over 1 MiB (RE2): {took:.3f} s, {'a match' if found else 'no match'} "
        f"(budget {REGEX_BUDGET} s) -> {'met' if took < REGEX_BUDGET else 'NOT met'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
