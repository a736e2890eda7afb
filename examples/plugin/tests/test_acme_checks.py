"""The example plugin's checks, each against small repositories built in the test."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from acme_checks import dockerfile, runbook

from scorecard.model import Status
from scorecard.sources.local import open_local


def repo(tmp_path: Path, files: dict[str, str]):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
    return open_local(tmp_path)


OPTS = {"names": ["Dockerfile", "Containerfile"]}
DIGEST = "@sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (f"FROM python:3.12-slim{DIGEST}\n", Status.PASS),
        ("FROM python:3.12-slim\n", Status.FAIL),
        (f"FROM golang:1.23{DIGEST} AS build\nFROM build\nFROM scratch\n", Status.PASS),
        (f"FROM --platform=linux/amd64 node:22{DIGEST}\n", Status.PASS),
        ("from alpine:3.20 as base\n", Status.FAIL),
    ],
)
def test_dockerfile_base_pinned(tmp_path, text, status):
    r = dockerfile.run(repo(tmp_path, {"Dockerfile": text}), OPTS)
    assert r.status is status, r.message


def test_dockerfile_failure_names_the_line(tmp_path):
    snap = repo(tmp_path, {"svc/Dockerfile": f"# base\nFROM a{DIGEST}\nFROM b:1\n"})
    r = dockerfile.run(snap, OPTS)
    assert r.status is Status.FAIL and [(x.path, x.line) for x in r.locations] == [
        ("svc/Dockerfile", 3)
    ]


def test_no_dockerfile_skips(tmp_path):
    assert dockerfile.run(repo(tmp_path, {"README.md": "x"}), OPTS).status is Status.SKIP


@pytest.mark.parametrize(
    ("readme", "status"),
    [
        ("# x\n\n## Runbook\n", Status.PASS),
        ("# x\n### On-call\n", Status.PASS),
        ("# x\n", Status.FAIL),
    ],
)
def test_runbook_documented(tmp_path, readme, status):
    assert runbook.run(repo(tmp_path, {"README.md": readme}), {}).status is status


def test_the_checks_carry_their_metadata():
    chk = dockerfile.run  # @check made the function a Check
    assert chk.id == "dockerfile-base-pinned" and chk.pillar == "security"
    assert "names" in chk.options
