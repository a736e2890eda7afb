"""Bad input gets a result, never a traceback: each case runs the whole catalog through the CLI
and asserts that the run completes and the affected checks say what the spec says."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from harness import Symlink, build_repo, git

from scorecard.cli import main

BASE = {"LICENSE": "MIT License\n", "src/x.py": "x = 1\n"}


def grade(root: Path, fmt: str = "json") -> dict:
    out = io.StringIO()
    code = main(["check", str(root), "--format", fmt], stdout=out)
    assert code == 0, out.getvalue()
    return json.loads(out.getvalue()) if fmt == "json" else {"text": out.getvalue()}


def status(card: dict, check_id: str) -> tuple[str, str]:
    res = next(c for c in card["checks"] if c["id"] == check_id)
    return res["status"], res["message"]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    p = tmp_path / "outside.md"
    p.write_text("# Outside-content-7f3a\n" + "word " * 200)
    return p


def test_symlinked_readme_outside_the_repository(tmp_path, outside):
    root = build_repo(tmp_path / "r", {**BASE, "README.md": Symlink(str(outside))})
    card = grade(root)
    assert status(card, "readme-present")[0] == "fail"
    assert status(card, "readme-substantive")[0] == "skip"
    assert "Outside-content-7f3a" not in json.dumps(card)


def test_binary_and_invalid_utf8_files(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            **BASE,
            "README.md": b"\x00\x01binary\x00",
            ".github/CODEOWNERS": b"* @acme/team \xff\xfe\n",
        },
    )
    card = grade(root)
    assert status(card, "readme-present")[0] == "pass"
    st, msg = status(card, "readme-substantive")
    assert st == "fail" and "binary" in msg
    assert status(card, "codeowners-present")[0] == "pass"
    st, msg = status(card, "codeowners-valid")
    assert st == "fail" and "UTF-8" in msg


def test_huge_codeowners(tmp_path):
    big = "* @acme/team\n" * (5 * 1024 * 1024 // 13 + 1)
    root = build_repo(tmp_path / "r", {**BASE, "CODEOWNERS": big})
    card = grade(root)
    assert status(card, "codeowners-present")[0] == "pass"
    st, msg = status(card, "codeowners-valid")
    assert st == "fail" and "3 MiB" in msg
    assert status(card, "codeowners-coverage")[0] == "fail"


def test_malformed_yaml_in_workflow_and_catalog(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            **BASE,
            ".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    steps: [\n",
            "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
            "metadata:\n  name: x\n   bad: indent\n",
        },
    )
    card = grade(root)
    st, msg = status(card, "ci-configured")
    assert st == "fail" and ".github/workflows/ci.yml" in msg
    assert status(card, "actions-pinned")[0] == "skip"
    res = next(c for c in card["checks"] if c["id"] == "catalog-info-valid")
    assert res["status"] == "fail" and res["locations"][0]["line"]


def test_non_utf8_file_names(tmp_path):
    root = build_repo(tmp_path / "r", BASE)
    (root / os.fsdecode(b"test_caf\xe9.py")).write_text("x")
    (root / os.fsdecode(b"id_rsa_\xff.pem")).write_text("-----BEGIN RSA PRIVATE KEY-----\n")
    git(root, "add", "-A")
    card = grade(root)
    st, _ = status(card, "no-private-keys")
    assert st == "fail"
    res = next(c for c in card["checks"] if c["id"] == "no-private-keys")
    assert res["locations"][0]["path"] == "id_rsa_\\xff.pem"
    assert "\\xff" in grade(root, "text")["text"]
    out = io.StringIO()
    assert main(["check", str(root), "--format", "sarif"], stdout=out) == 0
    assert main(["check", str(root), "--format", "markdown"], stdout=io.StringIO()) == 0


def test_empty_repository(tmp_path):
    root = build_repo(tmp_path / "r", {})
    card = grade(root)
    assert card["level"] is None and card["commit"] is None
    assert all(c["status"] != "error" for c in card["checks"])


def test_plain_folder(tmp_path):
    root = build_repo(tmp_path / "r", {**BASE, "README.md": "# Hi\n"}, git_repo=False)
    card = grade(root)
    assert card["commit"] is None
    assert status(card, "readme-present")[0] == "pass"


def test_unreadable_files(tmp_path):
    root = build_repo(
        tmp_path / "r",
        {
            **BASE,
            "README.md": "# Hi\n",
            "CONTRIBUTING.md": "x",
            ".github/workflows/ci.yml": "on: push\njobs: {}\n",
        },
    )
    (root / "README.md").unlink()
    os.mkfifo(root / "README.md")  # would block a naive reader forever
    (root / ".github/workflows/ci.yml").unlink()
    card = grade(root)
    assert status(card, "readme-present")[0] == "pass"
    st, msg = status(card, "readme-substantive")
    assert st == "fail" and "regular file" in msg
    assert all(c["status"] != "error" for c in card["checks"]), [
        (c["id"], c["message"]) for c in card["checks"] if c["status"] == "error"
    ]
