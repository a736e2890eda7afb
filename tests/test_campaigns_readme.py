"""The README's "Campaigns" section: its standard loads and grades, and its workflow uses only
inputs the Action has."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import yaml
from harness import build_repo

from scorecard.cli import main
from scorecard.registry import default_registry
from scorecard.standard import resolve

ROOT = Path(__file__).resolve().parents[1]


def blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Campaigns")
    return re.findall(r"```yaml\n(.*?)```", text[start : text.index("\n## ", start + 1)], re.S)


def test_the_standard_loads_and_grades(tmp_path):
    standard, _workflow = blocks()
    std = resolve(default_registry(), [("org-standards.yml", standard)], today=dt.date(2027, 7, 1))
    assert list(std.campaigns) == ["changelog", "security-policy"]
    assert std.level_of("security-policy-present") == "Bronze"  # blocks, after the deadline
    root = build_repo(tmp_path / "r", {"README.md": "# x\n", "CHANGELOG.md": "# 1\n"})
    cfg = tmp_path / "org-standards.yml"
    cfg.write_text(standard, encoding="utf-8")
    out = io.StringIO()
    assert main(["check", str(root), "--config", str(cfg), "--format", "json"], stdout=out) == 0
    states = {c["name"]: c["state"] for c in json.loads(out.getvalue())["campaigns"]}
    assert states["changelog"] == "met"


def test_the_workflow_uses_real_inputs():
    _standard, workflow = blocks()
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    (step,) = yaml.safe_load(workflow)["jobs"]["scan"]["steps"]
    assert set(step["with"]) <= set(meta["inputs"])
    assert step["with"]["campaign-issues"] is True and step["with"]["mode"] == "org"
