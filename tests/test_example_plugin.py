"""examples/plugin, the example plugin package: its entry points (read from its own
pyproject.toml) register its checks in the catalog and they grade a repository, as when the
package is installed (a fake distribution on the path stands in for `pip install`, in
milliseconds; the container test installs the real wheel)."""

from __future__ import annotations

import json
from pathlib import Path

from harness import build_repo
from test_docs_paths import tomllib  # tomllib, or tomli before Python 3.11
from test_plugins import install_fake_dist, scorecard

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "plugin"


def test_the_example_plugins_checks_register_and_grade(tmp_path):
    meta = tomllib.loads((EXAMPLE / "pyproject.toml").read_text("utf-8"))
    eps = meta["project"]["entry-points"]["scorecard.checks"]
    assert set(eps) == {"dockerfile-base-pinned", "runbook-documented"}
    site = tmp_path / "site"
    install_fake_dist(
        site, "acme-scorecard-checks", "\n".join(f"{k} = {v}" for k, v in eps.items())
    )
    (site / "acme_checks").symlink_to(EXAMPLE / "acme_checks")
    listed = scorecard(site, "checks")
    assert listed.returncode == 0, listed.stderr
    assert "dockerfile-base-pinned" in listed.stdout and "runbook-documented" in listed.stdout
    root = build_repo(
        tmp_path / "r", {"README.md": "# x\n\n## Runbook\n", "Dockerfile": "FROM x\n"}
    )
    graded = scorecard(site, "check", str(root), "--format", "json")
    doc = json.loads(graded.stdout)
    status = {c["id"]: c["status"] for c in doc["checks"]}
    assert status["runbook-documented"] == "pass" and status["dockerfile-base-pinned"] == "fail"
    source = {c["id"]: c.get("docs_url") for c in doc["checks"]}
    assert source["runbook-documented"]
