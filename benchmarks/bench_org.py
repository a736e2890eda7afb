"""Org scan benchmark: `scorecard org` against the fake GitHub with latency on every request.

    .venv/bin/python benchmarks/bench_org.py                 # 1,000 repositories, 100 ms
    .venv/bin/python benchmarks/bench_org.py --memory 10000  # and peak memory for 10,000

Then the incremental figures (``--incremental``, issue 13): a second scan of the unchanged
organisation (budget: at most 5% of the first scan's archive downloads, identical results),
one with one repository's head changed (exactly that one re-graded) and one with a changed
standard (all re-graded), printed side by side.

Budgets (DESIGN.md): 1,000 repositories with 100 ms latency per request under 15 s wall with at
most 20 requests in flight, at most 2 API requests per repository on average; 10,000
repositories under 300 MB peak memory. The fake runs in its own process (it does not compete
with the scan for the interpreter lock); the scan runs as the command users run. The script
prints the figures and exits 0: it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakegithub.process import FakeGitHubProcess  # noqa: E402
from harness import build_repo  # noqa: E402

TOKEN = "ghp_benchmark_admin_token"
CODEQL = (
    "on: push\npermissions: {}\njobs:\n  analyze:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: github/codeql-action/init@"
    "0000000000000000000000000000000000000000\n      - run: pytest --cov\n"
)
PLAIN_CI = "on: push\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make test\n"
BASE = {
    "README.md": "# Service\n\n" + "Words about the service. " * 30,
    "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, to any person\n",
    "src/app.py": "def main():\n    return 1\n",
    "src/util.py": "X = 1\n",
    "tests/test_app.py": "def test_main():\n    assert True\n",
    "docs/index.md": "# Docs\n",
}
VARIANTS = {
    "gold": {
        **BASE,
        ".github/CODEOWNERS": "* @acme/platform\n",
        ".github/workflows/ci.yml": CODEQL,
        "SECURITY.md": "x\n",
        "CONTRIBUTING.md": "x\n",
        "CHANGELOG.md": "x\n",
        ".github/dependabot.yml": "version: 2\n",
        "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
        "metadata:\n  name: svc\nspec:\n  type: service\n"
        "  lifecycle: production\n  owner: group:acme/platform\n",
    },
    "silver": {
        **BASE,
        "CODEOWNERS": "* @acme/payments\n",
        ".github/workflows/ci.yml": CODEQL,
        "SECURITY.md": "x\n",
    },
    "bronze": {
        **BASE,
        ".github/CODEOWNERS": "* @acme/search @alice\n",
        ".github/workflows/ci.yml": PLAIN_CI,
    },
    "bare": {"main.go": "package main\n", "README": "x\n"},
}


def setup(workdir: str, count: int, gh: object) -> None:
    """Runs in the fake's process: builds the template repositories and the organisation."""
    roots = {
        name: build_repo(Path(workdir) / name, files, commit=True)
        for name, files in VARIANTS.items()
    }
    roots["solo"] = build_repo(Path(workdir) / "solo", VARIANTS["gold"], commit=True)
    gh.add_org("acme")  # type: ignore[attr-defined]
    for team in ("platform", "payments", "search"):
        gh.add_team("acme", team)  # type: ignore[attr-defined]
    gh.add_user("alice")  # type: ignore[attr-defined]
    gh.add_token(TOKEN, "admin", login="owner")  # type: ignore[attr-defined]
    names = list(VARIANTS)
    for i in range(count):
        variant = names[i % len(names)]
        root = roots["solo" if i == 0 else variant]  # the one whose head the benchmark moves
        gh.add_repo(  # type: ignore[attr-defined]
            f"acme/{variant}-{i:05d}",
            root,
            secret_scanning="enabled" if i % 3 else "disabled",
        )


def run_scan(
    gh: FakeGitHubProcess, out: Path, concurrency: int, *extra: str
) -> tuple[float, dict, int]:
    """The scan as users run it, in its own process: its wall time, records and peak memory
    (the maximum resident set of that process, from wait4)."""
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "SCORECARD_NO_CACHE": "1"}
    start = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scorecard.cli",
            "org",
            "acme",
            "--api-url",
            gh.api_url,
            "--output",
            str(out),
            "--concurrency",
            str(concurrency),
            "--quiet",
            *extra,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"the scan failed ({proc.returncode}):\n{err}")
    kinds: dict[str, int] = {}
    for line in out.read_text().splitlines():
        rec = json.loads(line)
        kind = rec.get("kind", "?") + (" (reused)" if rec.get("reused") else "")
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"  (the scan's own CPU time: {usage.ru_utime + usage.ru_stime:.1f} s)")
    return wall, kinds, usage.ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=0.1, help="seconds added per request")
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument(
        "--memory",
        type=int,
        default=0,
        metavar="N",
        help="also scan N repositories (no latency) and report peak memory",
    )
    ap.add_argument(
        "--paced",
        type=int,
        default=0,
        metavar="N",
        help="only: scan N repositories (no latency) against a REST limit of half what the "
        "scan needs: a --max-requests scan and its resume, and a paced scan that waits for "
        "the reset; requests refused counted",
    )
    args = ap.parse_args()
    if args.paced:
        with tempfile.TemporaryDirectory(prefix="bench-org-") as tmp:
            print(paced_figures(tmp, args.paced, args.concurrency))
        return
    with tempfile.TemporaryDirectory(prefix="bench-org-") as tmp:
        print(f"building an organisation of {args.repos} repositories in the fake GitHub ...")
        with FakeGitHubProcess(
            functools.partial(setup, tmp, args.repos), validate=False, strict=False
        ) as gh:
            gh.latency = args.latency
            out = Path(tmp) / "results.jsonl"
            wall, kinds, _ = run_scan(gh, out, args.concurrency)
            api = gh.count(include_codeload=False)
            codeload = gh.count(include_codeload=True) - api
            in_flight = gh.max_in_flight
            incremental = incremental_figures(gh, tmp, out, args.concurrency, wall, codeload)
        per_repo = api / args.repos
        print()
        print(f"  repositories                     {args.repos}")
        print(f"  latency per request              {args.latency * 1000:.0f} ms")
        print(
            f"  wall clock                       {wall:.1f} s   (budget: under 15 s) -> "
            f"{'met' if wall < 15 else 'NOT MET'}"
        )
        print(
            f"  API requests                     {api}  ({per_repo:.2f} per repository; "
            f"budget: at most 2 -> {'met' if per_repo <= 2 else 'NOT MET'})"
        )
        print(
            f"  archive downloads (codeload)     {codeload}  (the download host; not API requests)"
        )
        print(f"  most requests in flight          {in_flight}  (limit {args.concurrency})")
        print(f"  records written                  {kinds}")
        print(
            "  for scale: OpenSSF Scorecard is quoted at about 70 API requests per "
            "repository (DESIGN.md; not measured here)"
        )
        print()
        print(incremental)
        if args.memory:
            print(f"\nbuilding an organisation of {args.memory} repositories (no latency) ...")
            with FakeGitHubProcess(
                functools.partial(setup, tmp + "/m", args.memory), validate=False, strict=False
            ) as gh:
                out = Path(tmp) / "memory.jsonl"
                wall, kinds, peak_kb = run_scan(gh, out, args.concurrency)
            print(f"  repositories                     {args.memory}")
            print(f"  wall clock                       {wall:.1f} s")
            print(
                f"  peak memory of the scan          {peak_kb / 1024:.0f} MB   (budget: under "
                f"300 MB -> {'met' if peak_kb / 1024 < 300 else 'NOT MET'})"
            )
            print(f"  records written                  {kinds}")


def paced_figures(tmp: str, count: int, concurrency: int) -> str:
    """Issue 13, point 4: against a REST budget of half what a scan needs, no request is
    refused, `--max-requests` stops within its budget and `--resume` finishes the rest. Each
    scan starts in a fresh window (as a scheduled scan does), so that what one spent does not
    fall on the next one's first request, which no client can know before it is answered."""
    window = 8
    print(f"building an organisation of {count} repositories in the fake GitHub ...")
    with FakeGitHubProcess(
        functools.partial(setup, tmp, count), validate=False, strict=False
    ) as gh:
        gh.latency = 0

        def refused() -> int:
            return int(gh.count(status=403) + gh.count(status=429))

        def repositories(path: Path) -> int:
            return sum(
                1
                for rec in map(json.loads, path.read_text().splitlines())
                if rec.get("kind") in ("repository", "error")
            )

        rows = []

        def scan(label: str, out: Path, *extra: str) -> None:
            time.sleep(window + 1)  # a fresh window
            before, no = gh.count(), refused()
            wall, _, _ = run_scan(gh, out, concurrency, "--batch-size", "5", *extra)
            rows.append((label, wall, gh.count() - before, refused() - no, repositories(out)))

        wall, _, _ = run_scan(gh, Path(tmp) / "free.jsonl", concurrency, "--batch-size", "5")
        need = gh.count(kind="rest")
        rows.append(("no limit", wall, gh.count(), refused(), count))
        budget = max(need // 2, 1)
        gh.primary_limit, gh.primary_reset_seconds = budget, window
        out = Path(tmp) / "budget.jsonl"
        scan("--max-requests", out, "--max-requests", str(budget))
        scan("then --resume", out, "--resume")
        scan("paced, no budget", Path(tmp) / "paced.jsonl")
    lines = [
        f"  REST requests a scan of {count} needs: {need}; the fake's REST limit: {budget} per "
        f"{window} s window (half of that); GraphQL batches of 5",
        "  scan                 wall (s)   API requests   refused   repositories done",
    ]
    for label, wall, requests, no, done in rows:
        lines.append(f"  {label:<20} {wall:8.1f}   {requests:12d}   {no:7d}   {done:17d}")
    total = sum(row[3] for row in rows)
    lines.append(
        f"  refused requests: {total} (budget: 0 -> {'met' if total == 0 else 'NOT MET'}); "
        f"--max-requests kept to its budget: {rows[1][2]} <= {budget} -> "
        f"{'met' if rows[1][2] <= budget else 'NOT MET'}; the resume finishes: {rows[2][4]} of "
        f"{count} -> {'met' if rows[2][4] == count else 'NOT MET'}"
    )
    return "\n".join(lines)


def cards(path: Path) -> dict[str, str]:
    return {
        rec["repository"]: json.dumps(rec["scorecard"], sort_keys=True)
        for rec in map(json.loads, path.read_text().splitlines())
        if rec.get("kind") == "repository"
    }


def incremental_figures(
    gh: FakeGitHubProcess,
    tmp: str,
    first: Path,
    concurrency: int,
    first_wall: float,
    first_downloads: int,
) -> str:
    """Three ``--incremental`` scans after the first: unchanged, one head moved, a changed
    standard; their downloads, times and re-graded counts, side by side."""
    baseline = cards(first)
    rows = [("first scan", first_wall, first_downloads, len(baseline), "-")]

    def again(label: str, *extra: str) -> dict[str, str]:
        before = gh.count(include_codeload=True) - gh.count(include_codeload=False)
        wall, kinds, _ = run_scan(gh, first, concurrency, "--incremental", *extra)
        downloads = gh.count(include_codeload=True) - gh.count(include_codeload=False) - before
        now = cards(first)
        same = (
            "identical"
            if now == baseline
            else f"{sum(now.get(k) != v for k, v in baseline.items())} differ"
        )
        rows.append((label, wall, downloads, kinds.get("repository", 0), same))
        return now

    again("unchanged org")
    solo = Path(tmp) / "solo"
    (solo / "NOTES.md").write_text("moved\n")
    subprocess.run(["git", "-C", str(solo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(solo), "commit", "-q", "-m", "move"], check=True)
    baseline = cards(first)  # what the previous scan gave: only the moved one may differ
    again("one head changed")
    standard = Path(tmp) / "standard.yml"
    standard.write_text("checks:\n  changelog-present:\n    enabled: false\n")
    again("standard changed", "--config", str(standard))
    out = ["  scan                 wall (s)   archive downloads   re-graded   results vs before"]
    for label, wall, downloads, regraded, same in rows:
        out.append(f"  {label:<20} {wall:8.1f}   {downloads:17d}   {regraded:9d}   {same}")
    unchanged = rows[1][2] / max(first_downloads, 1)
    out.append(
        f"  unchanged scan downloads {unchanged:.1%} of the first's (budget: at most 5% "
        f"-> {'met' if unchanged <= 0.05 else 'NOT MET'}); one head changed re-grades "
        f"{rows[2][3]} (budget: exactly 1 -> {'met' if rows[2][3] == 1 else 'NOT MET'})"
    )
    return "\n".join(out)


if __name__ == "__main__":
    main()
