"""A package that adds a check is picked up once installed; a broken one is named, not fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from harness import build_repo

PLUGIN = '''"""Has a Dockerfile

Passes when a Dockerfile exists at the root.
"""
from scorecard.check import check
from scorecard.model import failed, passed


@check(id="dockerfile-present", pillar="ops", title="Has a Dockerfile",
       remediation="Add a Dockerfile.")
def run(snap, opts):
    return passed("found") if snap.has("Dockerfile") else failed("no Dockerfile")
'''


def install_fake_dist(site: Path, name: str, entry_points: str) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[scorecard.checks]\n{entry_points}\n")


def scorecard(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}
    return subprocess.run(
        [sys.executable, "-m", "scorecard.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_installed_plugin_runs_and_broken_plugin_is_reported(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "acme_checks.py").write_text(PLUGIN)
    install_fake_dist(site, "acme-checks", "dockerfile-present = acme_checks:run")
    install_fake_dist(site, "broken-checks", "exploding = broken_checks_missing:run")

    listing = scorecard(site, "checks")
    assert listing.returncode == 0
    assert "dockerfile-present" in listing.stdout and "acme-checks" in listing.stdout
    assert "check plugin 'exploding' from package 'broken-checks'" in listing.stdout

    repo = build_repo(tmp_path / "repo", {"Dockerfile": "FROM scratch\n"})
    proc = scorecard(site, "check", str(repo), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    res = {c["id"]: c for c in data["checks"]}
    assert res["dockerfile-present"]["status"] == "pass"
    assert res["dockerfile-present"]["level"] == "Gold"  # `*` in the default Gold level
    assert any("broken-checks" in w for w in data["warnings"])


def test_a_plugin_installed_between_two_runs_is_seen_by_the_next(tmp_path):
    """Discovery reads the installed metadata at each start: nothing stale is kept."""
    site = tmp_path / "site"
    site.mkdir()
    probe = (
        "import sys; from scorecard.registry import default_registry; "
        "reg = default_registry(); print(len(list(reg)))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), *sys.path])}

    def run() -> list[str]:
        return subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
        ).stdout.split()

    first = run()
    assert run() == first
    (site / "acme_checks.py").write_text(PLUGIN)
    install_fake_dist(site, "acme-checks", "dockerfile-present = acme_checks:run")
    assert run()[0] == str(int(first[0]) + 1)
    assert "dockerfile-present" in scorecard(site, "checks").stdout
