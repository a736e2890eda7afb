"""The repository files a CI analysis reads: text within :data:`READ_CAP`, each file once, and
parsed JSON and TOML through the snapshot; repository paths from what a command names."""

from __future__ import annotations

import posixpath
from typing import Any

from scorecard.snapshot import ReadError, RepoSnapshot

from .limits import READ_CAP


class RepoFiles:
    """The snapshot's files as the analyser reads them (a file that cannot be read is None)."""

    def __init__(self, snap: RepoSnapshot) -> None:
        self.snap = snap
        self._texts: dict[str, str | None] = {}

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            text: str | None = None
            if path and self.snap.has(path):
                try:
                    text = self.snap.read_text(path, READ_CAP)
                except ReadError:
                    text = None
            self._texts[path] = text
        return self._texts[path]

    def has(self, path: str) -> bool:
        return self.snap.has(path)

    def exists_dir(self, d: str) -> bool:
        return d == "" or self.snap.has_dir(d)

    def json(self, path: str) -> Any:
        if not self.snap.has(path):
            return None
        parsed = self.snap.json(path)
        return parsed.data if parsed.ok else None

    def toml(self, path: str) -> dict[str, Any] | None:
        if not self.snap.has(path):
            return None
        parsed = self.snap.toml(path)
        return parsed.data if parsed.ok and isinstance(parsed.data, dict) else None

    def yaml(self, path: str) -> Any:
        parsed = self.snap.yaml(path)
        return parsed.data if parsed.ok else None


def node_line(value: Any) -> int | None:
    """The file line a parsed YAML value carries, or None."""
    line = getattr(value, "line", None)
    return line if isinstance(line, int) and line > 0 else None


def join_path(cwd: str, word: str) -> str | None:
    """A repository path for ``word`` run in ``cwd``; a leading ``/`` is the root. None when it
    leaves the repository or holds an unresolved variable."""
    w = word.replace("\\", "/")
    if not w or "$" in w or "~" in w or "{" in w:
        return None
    p = w.lstrip("/") if w.startswith("/") else posixpath.join(cwd, w) if cwd else w
    p = posixpath.normpath(p) if p else "."
    if p == ".." or p.startswith("../"):
        return None
    return "" if p == "." else p
