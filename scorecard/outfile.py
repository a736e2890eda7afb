"""Writing a user's output file: whole or not at all, with every secret redacted.

:func:`write_file` writes to a temporary file in the target's folder, syncs it to disk, then
renames it over the target (``os.replace``): a full disk, a read-only folder or a crash leaves
the previous report as it was, never a truncated one. A target that is not a regular file
(``/dev/stdout``, a pipe) is written in place, as there is nothing to replace. Every failure
is an :class:`OutputError` with one line naming the file: ``cannot write report.html: No
space left on device``.

What is written passes through :func:`scorecard.secrets.redact`, piece by piece as the writer
hands it over (each piece a whole document, record or row), so that no token reaches a file
even if one reached the data. :func:`redact_data` does the same for JSON-like data before it
is serialised.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from scorecard.secrets import redact


class OutputError(Exception):
    """An output file could not be written; the message is one line naming it."""


class TextSink(Protocol):
    """Where a writer puts its text: a file, or anything with ``write``."""

    def write(self, text: str, /) -> object: ...


class _Redacting:
    def __init__(self, sink: TextSink) -> None:
        self._sink = sink

    def write(self, text: str, /) -> int:
        self._sink.write(redact(text))
        return len(text)


def describe(path: str | os.PathLike[str], exc: OSError) -> str:
    """``cannot write PATH: REASON``, one line."""
    return f"cannot write {os.fspath(path)}: {exc.strerror or exc}".replace("\n", " ")


def write_file(path: str | os.PathLike[str], content: str | Callable[[TextSink], object]) -> None:
    """Write ``content`` (text, or a function that writes to the file it is given) to
    ``path`` atomically, redacted, creating its folder. Raises :class:`OutputError`."""
    target = Path(os.path.realpath(path))  # through a symlink, the file it names is replaced
    try:
        if target.exists() and not stat.S_ISREG(target.stat().st_mode):
            with open(target, "w", encoding="utf-8", newline="") as fh:
                _fill(fh, content)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe(path, exc)) from None
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            _fill(fh, content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(describe(path, exc)) from None
        raise


def _fill(fh: TextSink, content: str | Callable[[TextSink], object]) -> None:
    sink = _Redacting(fh)
    if isinstance(content, str):
        sink.write(content)
    else:
        content(sink)


def redact_data(value: Any) -> Any:
    """JSON-like ``value`` with every string in it redacted (keys included)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_data(k): redact_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_data(v) for v in value]
    return value
