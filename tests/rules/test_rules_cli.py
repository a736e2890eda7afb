"""The issue's example standard (verbatim, minus `when:`) applied end to end through the CLI:
the rules appear in `scorecard check` JSON and text, in `scorecard checks` and in `scorecard
docs --config`, exactly like built-in checks."""

from __future__ import annotations

import io
import json
from pathlib import Path

from harness import build_repo

from scorecard.cli import main

ISSUE_EXAMPLE = r"""
rules:
  - id: runbook-linked                 # kebab-case; must not clash with a built-in or plugin id
    title: Runbook linked from the catalog entry
    pillar: ops                        # a built-in pillar or a new one
    level: Silver                      # optional: otherwise the levels' rules place it
    weight: 2                          # optional, default 1
    remediation: Add a `Runbook` link to metadata.links in catalog-info.yaml.
    docs: https://wiki.example.com/runbooks   # optional
    require:
      data: { file: catalog-info.yaml, path: "metadata.links[?title=='Runbook'].url | [0]", matches: "^https://" }
  - id: no-dotenv
    require: { not: { files: { glob: "**/.env" } } }
  - id: python-lockfile
    require: { any: [ { files: { glob: uv.lock } }, { files: { glob: poetry.lock } } ] }
  - id: org-ci-template
    require: { workflow: { uses: "acme/ci-templates/.github/workflows/*" } }
  - id: no-print-debugging
    require: { content: { glob: "src/**/*.py", absent: "^\\s*print\\(" } }
"""  # noqa: E501 (the issue's example, verbatim)

RULE_IDS = [
    "runbook-linked",
    "no-dotenv",
    "python-lockfile",
    "org-ci-template",
    "no-print-debugging",
]

FILES = {
    "catalog-info.yaml": "metadata:\n  links:\n    - title: Runbook\n      url: http://x\n",
    "uv.lock": "",
    "config/.env": "TOKEN=1\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  ci:\n    uses: acme/ci-templates/"
    ".github/workflows/py.yml@v1\n",
    "src/app/main.py": "def f():\n    print('x')\n",
}


def _run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), stdout=out)
    return code, out.getvalue()


def test_issue_example_through_check(tmp_path: Path):
    cfg = tmp_path / "standards.yml"
    cfg.write_text(ISSUE_EXAMPLE)
    root = build_repo(tmp_path / "r", FILES)
    code, out = _run("check", str(root), "--config", str(cfg), "--format", "json")
    assert code in (0, 1), out
    by_id = {c["id"]: c for c in json.loads(out)["checks"]}
    assert {rid: by_id[rid]["status"] for rid in RULE_IDS} == {
        "runbook-linked": "fail",
        "no-dotenv": "fail",
        "python-lockfile": "pass",
        "org-ci-template": "pass",
        "no-print-debugging": "fail",
    }
    runbook = by_id["runbook-linked"]
    assert runbook["pillar"] == "ops" and runbook["level"] == "Silver"
    assert runbook["weight"] == 2
    assert by_id["no-print-debugging"]["locations"] == [{"path": "src/app/main.py", "line": 2}]
    for fmt in ("text", "markdown", "sarif"):
        code, text = _run("check", str(root), "--config", str(cfg), "--format", fmt)
        assert code in (0, 1) and "no-print-debugging" in text, fmt
    code, text = _run("check", str(root), "--config", str(cfg), "--format", "sarif")
    assert "src/app/main.py" in text and "https://wiki.example.com/runbooks" in text


def test_rules_in_checks_and_docs(tmp_path: Path):
    cfg = tmp_path / "standards.yml"
    cfg.write_text(ISSUE_EXAMPLE)
    code, out = _run("checks", "--config", str(cfg), "--format", "json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)["checks"]}
    assert rows["runbook-linked"]["level"] == "Silver"
    assert rows["no-dotenv"]["package"] == str(cfg)
    code, doc = _run("docs", "--config", str(cfg))
    assert code == 0
    assert "### runbook-linked" in doc and "metadata.links" in doc
    assert "https://wiki.example.com/runbooks" in doc
