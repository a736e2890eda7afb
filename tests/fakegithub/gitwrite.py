"""Writing the fake's git repositories, as GitHub's write APIs do: refs (create, move, delete)
and a commit of file changes on a branch (GraphQL ``createCommitOnBranch``). The repositories
are the tests' own git folders; objects are written with git's plumbing, through a temporary
index, so the work tree is never touched."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from .gitstore import GIT, GIT_ENV


def git(
    root: Path, *args: str, data: bytes | None = None, env: dict[str, str] | None = None
) -> str:
    done = subprocess.run(
        [*GIT, "-C", str(root), *args],
        input=data,
        capture_output=True,
        env={**GIT_ENV, **(env or {})},
        check=True,
    )
    return done.stdout.decode().strip()


def set_ref(root: Path, ref: str, sha: str | None) -> None:
    """Point ``ref`` at ``sha``; delete it when ``sha`` is None."""
    if sha is None:
        git(root, "update-ref", "-d", ref)
    else:
        git(root, "update-ref", ref, sha)


def commit_changes(
    root: Path,
    parent: str,
    additions: list[tuple[str, bytes]],
    deletions: list[str],
    message: str,
    author: tuple[str, str],
) -> str:
    """A new commit on top of ``parent`` with these files added (or replaced) and deleted; its
    id. The commit is not on any ref yet."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "GIT_INDEX_FILE": os.path.join(tmp, "index"),
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_COMMITTER_NAME": "GitHub",
            "GIT_COMMITTER_EMAIL": "noreply@github.com",
        }
        git(root, "read-tree", parent, env=env)
        for path in deletions:
            git(root, "rm", "--cached", "-q", "--ignore-unmatch", "--", path, env=env)
        for path, content in additions:
            blob = git(root, "hash-object", "-w", "--stdin", data=content, env=env)
            git(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env)
        tree = git(root, "write-tree", env=env)
        return git(root, "commit-tree", tree, "-p", parent, "-m", message, env=env)


def is_ancestor(root: Path, old: str, new: str) -> bool:
    """Whether moving a ref from ``old`` to ``new`` is a fast forward."""
    done = subprocess.run(
        [*GIT, "-C", str(root), "merge-base", "--is-ancestor", old, new],
        capture_output=True,
        env=GIT_ENV,
        check=False,
    )
    return done.returncode == 0
