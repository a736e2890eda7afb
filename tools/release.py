"""Release helper: one version, in three places that must agree.

    python tools/release.py bump 1.2.0     # scorecard/__init__.py, action.yml's image, CHANGELOG
    python tools/release.py check v1.2.0   # in the release workflow: the tag matches them all

The version lives in ``scorecard/__version__`` (pyproject.toml reads it from there). The
Action's ``action.yml`` runs the released image, ``docker://ghcr.io/OWNER/repo-scorecard:X.Y.Z``,
so a pull-request run pulls a small image instead of building one; ``bump`` updates that
reference with the version, and the release workflow (``.github/workflows/release.yml``)
refuses a tag that does not match both.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INIT = ROOT / "scorecard" / "__init__.py"
ACTION = ROOT / "action.yml"
CHANGELOG = ROOT / "CHANGELOG.md"
IMAGE = "ghcr.io/repo-scorecard/repo-scorecard"
_SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")
_INIT_LINE = re.compile(r'^__version__ = "([^"]*)"$', re.M)
_IMAGE_LINE = re.compile(r"^  image: docker://" + re.escape(IMAGE) + r":(\S+)$", re.M)


class ReleaseError(Exception):
    pass


def versions(root: Path = ROOT) -> dict[str, str | None]:
    """The version each file states (None where it states none)."""
    init = _INIT_LINE.search((root / INIT.relative_to(ROOT)).read_text(encoding="utf-8"))
    image = _IMAGE_LINE.search((root / ACTION.relative_to(ROOT)).read_text(encoding="utf-8"))
    return {
        "scorecard/__init__.py": init.group(1) if init else None,
        "action.yml": image.group(1) if image else None,
    }


def check(tag: str, root: Path = ROOT) -> str:
    """The version of the tag ``vX.Y.Z``, once every file agrees with it."""
    if not tag.startswith("v") or not _SEMVER.fullmatch(tag[1:]):
        raise ReleaseError(f"{tag!r} is not a release tag (vMAJOR.MINOR.PATCH)")
    version = tag[1:]
    wrong = {f: v for f, v in versions(root).items() if v != version}
    if wrong:
        said = ", ".join(f"{f} says {v or 'nothing'}" for f, v in wrong.items())
        raise ReleaseError(
            f"tag {tag} does not match: {said} "
            f"(run `python tools/release.py bump {version}` and commit first)"
        )
    return version


def bump(version: str, root: Path = ROOT, today: dt.date | None = None) -> None:
    """Write ``version`` into every file that states it, and head the changelog's unreleased
    section with it."""
    if not _SEMVER.fullmatch(version):
        raise ReleaseError(f"{version!r} is not MAJOR.MINOR.PATCH")
    init, action, changelog = (root / p.relative_to(ROOT) for p in (INIT, ACTION, CHANGELOG))
    text = init.read_text(encoding="utf-8")
    if not _INIT_LINE.search(text):
        raise ReleaseError(f"{init}: no __version__ line")
    init.write_text(_INIT_LINE.sub(f'__version__ = "{version}"', text), encoding="utf-8")
    text = action.read_text(encoding="utf-8")
    if not _IMAGE_LINE.search(text):
        raise ReleaseError(f"{action}: no `image: docker://{IMAGE}:...` line")
    action.write_text(
        _IMAGE_LINE.sub(f"  image: docker://{IMAGE}:{version}", text), encoding="utf-8"
    )
    text = changelog.read_text(encoding="utf-8")
    day = (today or dt.date.today()).isoformat()
    if "## Unreleased" in text:
        changelog.write_text(
            text.replace("## Unreleased", f"## {version} ({day})", 1), encoding="utf-8"
        )


def main(argv: list[str]) -> int:
    try:
        if len(argv) == 2 and argv[0] == "check":
            print(f"version={check(argv[1])}")
        elif len(argv) == 2 and argv[0] == "bump":
            bump(argv[1])
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    except ReleaseError as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
