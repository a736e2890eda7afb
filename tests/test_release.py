"""tools/release.py: the tag, scorecard.__version__ and action.yml's image agree."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
from pathlib import Path

import pytest

import scorecard

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("release", ROOT / "tools" / "release.py")
assert _spec and _spec.loader
release = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(release)


def test_the_version_is_stated_once_and_the_action_runs_that_image():
    assert release.versions() == {
        "scorecard/__init__.py": scorecard.__version__,
        "action.yml": scorecard.__version__,
    }
    assert release.check(f"v{scorecard.__version__}") == scorecard.__version__


@pytest.mark.parametrize("tag", ["1.0.0", "v1.0", "v01.0.0", "v1.0.0-rc1", "latest"])
def test_a_tag_that_is_not_a_release_is_refused(tag):
    with pytest.raises(release.ReleaseError, match="not a release tag"):
        release.check(tag)


def _copy(tmp_path: Path) -> Path:
    for name in ("scorecard/__init__.py", "action.yml", "CHANGELOG.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_tag_the_files_do_not_match_is_refused_with_the_fix(tmp_path):
    root = _copy(tmp_path)
    with pytest.raises(release.ReleaseError, match=r"bump 9\.9\.9"):
        release.check("v9.9.9", root)


def test_bump_writes_every_place_then_the_tag_matches(tmp_path):
    root = _copy(tmp_path)
    release.bump("2.3.4", root, today=dt.date(2027, 1, 2))
    assert release.check("v2.3.4", root) == "2.3.4"
    assert (
        "image: docker://ghcr.io/repo-scorecard/repo-scorecard:2.3.4"
        in (root / "action.yml").read_text()
    )
    changelog = (root / "CHANGELOG.md").read_text()
    assert "## 2.3.4 (2027-01-02)" in changelog and "## Unreleased" not in changelog
    with pytest.raises(release.ReleaseError, match=r"MAJOR\.MINOR\.PATCH"):
        release.bump("2.3", root)


def test_the_release_workflow_checks_the_tag_and_builds_with_make_dist():
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert 'python3 tools/release.py check "$TAG"' in text and "run: make dist" in text
    assert "platforms: linux/amd64,linux/arm64" in text
    assert "sbom: true" in text and "provenance: mode=max" in text and "cosign sign" in text
