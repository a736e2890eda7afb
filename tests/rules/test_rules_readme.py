"""The README's "Writing standards: declarative rules" section: every YAML example loads and
grades, and the error it shows is the error the tool prints."""

from __future__ import annotations

import io
import re
from pathlib import Path

from harness import build_repo

from scorecard.cli import main
from scorecard.registry import default_registry
from scorecard.standard import resolve

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Writing standards: declarative rules")
    return text[start : text.index("\n## ", start + 1)]


def test_every_yaml_example_loads_and_grades(tmp_path: Path):
    blocks = re.findall(r"```yaml\n(.*?)```", _section(), re.S)
    assert len(blocks) >= 2
    root = build_repo(tmp_path / "r", {"README.md": "## On-call\n", "uv.lock": ""})
    for i, block in enumerate(blocks):
        std = resolve(default_registry(), [(f"block{i}.yml", block)])
        assert std.rules
        cfg = tmp_path / f"block{i}.yml"
        cfg.write_text(block)
        assert main(
            ["check", str(root), "--config", str(cfg), "--format", "json"], stdout=io.StringIO()
        ) in (0, 1)


def test_the_error_shown_is_the_error_printed(tmp_path: Path, capsys):
    shown = re.search(r"```\n(scorecard: invalid standard: .*)\n```", _section())
    assert shown
    cfg = tmp_path / ".github" / "standards.yml"
    build_repo(
        tmp_path,
        {
            ".github/standards.yml": "rules:\n  - id: r\n    require:\n"
            "      content:\n        glob: '*'\n        absent: '(a)\\1'\n"
        },
    )
    assert main(["check", str(tmp_path)], stdout=io.StringIO()) == 2
    assert capsys.readouterr().err.strip() == shown.group(1)
    assert cfg.exists()
