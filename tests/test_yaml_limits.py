"""Issue 9, fault 3 and the standard's part of fault 12: YAML aliases are bounded by the input,
not by what they expand to, and a standard cannot hold NaN, duplicate keys, or a file that is
not a small regular file.

Each hostile case runs the real command in a child process with a time-out (the hang guard):
before the alias budget these took 19 s to over 60 s and up to 1.5 GB, or ended in MemoryError.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import build_repo

from scorecard.parsing import (
    MAX_ALIASES,
    ParseError,
    expansion_limit,
    load_json,
    load_toml,
    load_yaml,
    load_yaml_all,
)

GUARD = 60  # seconds; every case here finishes in well under one


def laughs(key: str, depth: int = 9, width: int = 9, indent: str = "") -> str:
    """A billion-laughs tree of ``width ** depth`` leaves under ``key``, anchors above it."""
    lines = [f"{indent}x0: &x0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, depth):
        lines.append(f"{indent}x{i}: &x{i} [" + ", ".join([f"*x{i - 1}"] * width) + "]")
    lines.append(f"{indent}{key}: [" + ", ".join([f"*x{depth - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def scorecard(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scorecard", *args],
        capture_output=True,
        text=True,
        timeout=GUARD,
        cwd=cwd,
        env={**os.environ, "SCORECARD_NO_CACHE": "1"},
    )


def card_of(root: Path, *extra: str) -> dict:
    proc = scorecard("check", str(root), "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def result(card: dict, check_id: str) -> dict:
    return next(c for c in card["checks"] if c["id"] == check_id)


BASE = {"README.md": "# Widgets\n", "tests/test_x.py": "def test_x():\n    pass\n"}


def test_a_small_workflow_whose_triggers_are_a_billion_laughs(tmp_path: Path) -> None:
    text = laughs("on")
    text += "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n"
    assert len(text.encode()) < 1000  # the was 592 bytes
    root = build_repo(tmp_path / "r", {**BASE, ".github/workflows/ci.yml": text})
    card = card_of(root)
    dangerous = result(card, "no-dangerous-triggers")
    assert "too many aliases" in dangerous["message"] or dangerous["status"] != "error"
    for check_id in ("no-dangerous-triggers", "ci-runs-tests", "workflow-permissions-restricted"):
        assert result(card, check_id)["status"] != "error", result(card, check_id)


def test_a_gitlab_ci_file_that_is_a_billion_laughs(tmp_path: Path) -> None:
    text = laughs("script", indent="  ").replace("  x0:", "test:\n  x0:", 1)
    root = build_repo(tmp_path / "r", {**BASE, ".gitlab-ci.yml": text})
    card = card_of(root)
    assert result(card, "ci-runs-tests")["status"] != "error"


def test_a_big_run_script_reused_by_3000_steps(tmp_path: Path) -> None:
    script = "".join(f"echo line {i}\n" for i in range(60_000))  # about 800 KB
    steps = "\n".join("      - run: *big" for _ in range(3000))
    text = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: &big |\n"
        + "".join(f"          {line}\n" for line in script.splitlines())
        + steps
        + "\n"
    )
    root = build_repo(tmp_path / "r", {**BASE, ".github/workflows/ci.yml": text})
    card = card_of(root)
    assert "too many aliases" in json.dumps(card)


def test_5000_aliases_to_a_20000_command_step(tmp_path: Path) -> None:
    step = "; ".join(f"c{i}" for i in range(20_000))
    text = (
        f"on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        f'      - &step {{run: "{step}"}}\n' + "\n".join(["      - *step"] * 5000) + "\n"
    )
    root = build_repo(tmp_path / "r", {**BASE, ".github/workflows/ci.yml": text})
    card = card_of(root)
    assert "too many aliases" in json.dumps(card)


def test_a_billion_laughs_in_catalog_info(tmp_path: Path) -> None:
    text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: w\n" + laughs(
        "tags", indent="  "
    )
    root = build_repo(tmp_path / "r", {**BASE, "catalog-info.yaml": text})
    card = card_of(root)
    catalog = result(card, "catalog-info-valid")
    assert catalog["status"] == "fail"
    assert "too many aliases" in catalog["message"]


def test_a_billion_laughs_in_the_repositorys_standard(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "r", {**BASE, ".github/standards.yml": laughs("levels")})
    proc = scorecard("check", str(root))
    assert proc.returncode == 2
    assert proc.stderr.startswith("scorecard: invalid standard: .github/standards.yml:")
    assert "too many aliases" in proc.stderr
    assert "Traceback" not in proc.stderr and "MemoryError" not in proc.stderr


def test_a_billion_laughs_in_config(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "r", BASE)
    config = tmp_path / "standard.yml"
    config.write_text(laughs("levels"))
    proc = scorecard("check", str(root), "--config", str(config))
    assert proc.returncode == 2
    # line 6: the first collection whose expansion passes the budget (x5, 9**6 leaves)
    assert f"{config}:6: too many aliases" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_ordinary_anchors_still_load() -> None:
    jobs = "\n".join(f"job{i}:\n  <<: *defaults\n  script: [pytest -k t{i}]" for i in range(200))
    text = (
        "defaults: &defaults\n  image: python:3.12\n  before_script: [pip install .]\n"
        "  tags: [docker, linux]\n" + jobs + "\n"
    )
    data = load_yaml(text)
    assert data["job199"]["image"] == "python:3.12"
    assert data["job0"]["script"] == ["pytest -k t0"]


def test_the_budget_grows_with_the_file() -> None:
    # a large file may expand to ten times its own length, whatever its aliases
    assert expansion_limit("x" * 10_000_000) == 100_000_000


def test_too_many_alias_references() -> None:
    text = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(ParseError, match="more than 10,000 references") as info:
        load_yaml(text)
    assert info.value.line is not None


def test_a_recursive_alias_is_refused() -> None:
    with pytest.raises(ParseError, match="recursive alias"):
        load_yaml_all("a: &a [x, *a]\n")


def test_custom_tags_read_as_null_within_the_same_alias_budget() -> None:
    text = "job:\n  script:\n    - !reference [.setup, script]\n    - pytest\n"
    with pytest.raises(ParseError):
        load_yaml_all(text)
    (doc,) = load_yaml_all(text, custom_tags_as_null=True)
    assert doc["job"]["script"] == [None, "pytest"]
    assert doc["job"]["script"][1].line == 4
    bomb = "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(ParseError, match="more than 10,000 references"):
        load_yaml_all(bomb, custom_tags_as_null=True)


def test_a_standard_with_a_key_twice_names_both_lines(tmp_path: Path) -> None:
    root = build_repo(tmp_path / "r", BASE)
    config = tmp_path / "s.yml"
    config.write_text("checks:\n  readme-present:\n    weight: 2\n    weight: 3\n")
    proc = scorecard("check", str(root), "--config", str(config))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"scorecard: invalid standard: {config}:4: duplicate key 'weight' (first at line 3)"
    )


def test_merge_keys_may_override_in_a_standard() -> None:
    data = load_yaml("d: &d {x: 1}\nj: {<<: *d, x: 3}\n", unique_keys=True)
    assert data["j"] == {"x": 3}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("checks:\n  readme-present:\n    weight: .nan\n", 3),
        ("checks:\n  readme-present:\n    weight: .inf\n", 3),
        ("checks:\n  codeowners-coverage:\n    options:\n      min_ratio: .nan\n", 4),
    ],
)
def test_nan_and_infinity_are_refused_in_a_standard(tmp_path: Path, text: str, line: int) -> None:
    root = build_repo(tmp_path / "r", BASE)
    config = tmp_path / "s.yml"
    config.write_text(text)
    proc = scorecard("check", str(root), "--config", str(config))
    assert proc.returncode == 2, proc.stdout
    assert f"{config}:{line}: " in proc.stderr
    assert "is not a number a standard can use" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["device", "fifo", "large"])
def test_config_must_be_a_small_regular_file(tmp_path: Path, kind: str) -> None:
    root = build_repo(tmp_path / "r", BASE)
    if kind == "device":
        config = Path("/dev/zero")
    elif kind == "fifo":
        config = tmp_path / "fifo"
        os.mkfifo(config)
    else:
        config = tmp_path / "big.yml"
        config.write_text("# " + "x" * (1024 * 1024) + "\n")
    proc = scorecard("check", str(root), "--config", str(config))
    assert proc.returncode == 2
    expected = "is larger than 1,048,576 bytes" if kind == "large" else "is not a regular file"
    assert proc.stderr.strip() == f"scorecard: invalid standard: {config}: {expected}"


def test_a_deeply_nested_package_json_does_not_parse(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="nested too deeply"):
        load_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ParseError, match="nested too deeply"):
        load_toml("a = " + "[" * 100_000 + "]" * 100_000)
    root = build_repo(tmp_path / "r", {**BASE, "package.json": "[" * 100_000 + "]" * 100_000})
    card = card_of(root)
    assert all(c["status"] != "error" for c in card["checks"]), [
        c for c in card["checks"] if c["status"] == "error"
    ]
