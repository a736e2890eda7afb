"""The `content` primitive: file or glob, contains or absent an RE2 expression, file:line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from scorecard.model import Location, Status

STD = r"""
rules:
  - id: no-print-debugging
    require: { content: { glob: "src/**/*.py", absent: "^\\s*print\\(" } }
  - id: license-header
    require: { content: { glob: "src/**/*.py", contains: "SPDX-License-Identifier" } }
  - id: readme-mentions-oncall
    require: { content: { file: README.md, contains: "(?i)on-?call" } }
"""


def test_content_pass(apply_rules):
    files = {"src/a.py": "# SPDX-License-Identifier: MIT\nx = 1\n", "README.md": "On-call: x"}
    res = apply_rules(STD, files)
    assert {
        k: res[k].status for k in ("no-print-debugging", "license-header", "readme-mentions-oncall")
    } == dict.fromkeys(
        ("no-print-debugging", "license-header", "readme-mentions-oncall"), Status.PASS
    )


def test_content_absent_fails_with_file_and_line(apply_rules):
    files = {"src/pkg/a.py": "x = 1\n  print('debug')\n", "src/b.py": "print(2)\n"}
    res = apply_rules(STD, files)["no-print-debugging"]
    assert res.status is Status.FAIL
    assert set(res.locations) == {Location("src/pkg/a.py", 2), Location("src/b.py", 1)}
    assert "src/pkg/a.py:2" in res.message


def test_content_contains_fails_naming_the_files_without_it(apply_rules):
    files = {"src/a.py": "# SPDX-License-Identifier: MIT\n", "src/b.py": "x = 1\n"}
    res = apply_rules(STD, files)
    hdr = res["license-header"]
    assert hdr.status is Status.FAIL and [loc.path for loc in hdr.locations] == ["src/b.py"]
    miss = res["readme-mentions-oncall"]
    assert miss.status is Status.FAIL and "README.md" in miss.message


def test_binary_files_are_not_searched(apply_rules):
    std = 'rules: [{id: r, require: {content: {glob: "*.bin", absent: "secret"}}}]'
    assert apply_rules(std, {"a.bin": b"\x00secret"})["r"].status is Status.PASS


def test_catastrophic_pattern_over_one_mib_finishes(tmp_path: Path):
    """(a+)+$ backtracks exponentially on a backtracking engine; RE2 reads the file once."""
    root = tmp_path / "r"
    (root / "src").mkdir(parents=True)
    (root / "src" / "big.txt").write_text("a" * (1024 * 1024) + "!")
    cfg = tmp_path / "std.yml"
    cfg.write_text('rules: [{id: slow, require: {content: {glob: "src/*", absent: "(a+)+$"}}}]\n')
    code = textwrap.dedent(f"""
        import io, json, sys
        from scorecard.cli import main
        out = io.StringIO()
        main(["check", {str(root)!r}, "--config", {str(cfg)!r}, "--only", "slow",
              "--format", "json"], stdout=out)
        print(json.loads(out.getvalue())["checks"][0]["status"])
    """)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=10, cwd=tmp_path
    )
    assert proc.stdout.strip() == "pass", proc.stderr


def test_a_binary_file_does_not_contain_text(apply_rules):
    std = 'rules: [{id: r, require: {content: {file: a.bin, contains: "secret"}}}]'
    res = apply_rules(std, {"a.bin": b"\x00secret"})["r"]
    assert res.status is Status.FAIL and "a.bin" in res.message
