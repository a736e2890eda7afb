"""The secrets this process holds, and their removal from every text that leaves it.

Whoever reads a secret (a token from the environment or a flag, a GitHub App's private key, an
installation token it was given) registers it here; every message, log line, results record
and report field passes through :func:`redact` before it is printed or written. A server that
echoes the ``Authorization`` header back in an error body therefore cannot put the token on
stderr, in ``results.jsonl`` or in the HTML report.

What :func:`redact` removes:

- every registered secret, and each line of a multi-line one (a PEM key's lines, not its
  ``-----BEGIN``/``-----END`` armour), also in the forms a server or a log may re-encode it
  in: JSON-escaped (``\\/`` too) and URL-encoded;
- whatever has the shape of a credential even when nobody registered it: GitHub's tokens
  (``ghp_``, ``gho_``, ``ghu_``, ``ghs_``, ``ghr_``, ``github_pat_``), JSON web tokens (a GitHub
  App's signed assertion), the value of an echoed ``Authorization:`` header, and a URL's
  ``token=`` query parameter (the short-lived token of a private repository's archive link,
  which urllib3's debug log prints).

Registration is process-wide and only grows: a secret that was once valid stays redacted.
:class:`RedactFilter` applies :func:`redact` to log records; :func:`protect_logging` installs it,
and :func:`protect_tracebacks` redacts the traceback of an exception that nobody caught.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import traceback
from types import TracebackType
from urllib.parse import quote

#: What a redacted secret is replaced with.
REDACTED = "***"
#: Shorter values are not registered: redacting them would mangle ordinary words.
MIN_LENGTH = 8

#: Credentials recognised by their shape, registered or not.
SHAPES = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})"
    r"|\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"
)
#: An echoed ``Authorization`` header (or ``"authorization": "..."`` in JSON): its value goes.
AUTH_HEADER = re.compile(
    r"""(?i)(\bauthorization["']?\s*[:=]\s*["']?(?:token|bearer|basic)\s+)"""
    r"[A-Za-z0-9._~+/=-]+"
)
#: A token in a URL's query (a private repository's archive link carries one): its value goes.
URL_TOKEN = re.compile(r"(?i)([?&](?:access_)?token=)[^&#\s\"'<>]+")

#: A PEM key's first and last lines: not secret, and a check may quote them.
ARMOUR = re.compile(r"-----(?:BEGIN|END) [A-Z0-9 ]+-----")

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _forms(part: str) -> set[str]:
    """``part`` as written, and as a JSON string or a URL would carry it."""
    escaped = json.dumps(part)[1:-1]
    return {part, escaped, escaped.replace("/", "\\/"), quote(part, safe="")}


def register(secret: str | bytes | None) -> None:
    """Remember ``secret`` (and each line of a multi-line secret, such as a PEM key) so that
    :func:`redact` removes it."""
    global _pattern
    if not secret:
        return
    text = secret.decode("utf-8", "replace") if isinstance(secret, bytes) else str(secret)
    parts = {text.strip(), *(line.strip() for line in text.splitlines())}
    new = {
        form
        for p in parts
        if len(p) >= MIN_LENGTH and not ARMOUR.fullmatch(p)
        for form in _forms(p)
    } - _secrets
    if not new:
        return
    with _lock:
        _secrets.update(new)
        # longest first, so a secret that contains another is removed whole
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def redact(text: str) -> str:
    """``text`` with every registered secret, and whatever looks like a credential, replaced
    by ``***``."""
    if not text:
        return text
    pattern = _pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = SHAPES.sub(REDACTED, text)
    text = URL_TOKEN.sub(lambda m: m.group(1) + REDACTED, text)
    return AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)


class RedactFilter(logging.Filter):
    """Redacts a log record's message (its arguments merged in) and its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def protect_logging() -> None:
    """Put a :class:`RedactFilter` on every handler of the root logger and on logging's
    last-resort handler (what prints warnings when logging is not configured): the filters
    of a logger do not see its children's records, a handler's see them all."""
    handlers = [*logging.getLogger().handlers, logging.lastResort]
    for handler in handlers:
        if handler is not None and not any(isinstance(f, RedactFilter) for f in handler.filters):
            handler.addFilter(RedactFilter())


def protect_tracebacks() -> None:
    """Redact the traceback of an exception nobody caught (a bug) before it is printed."""
    if getattr(sys.excepthook, "redacts", False):
        return

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))

    hook.redacts = True  # type: ignore[attr-defined]
    sys.excepthook = hook


def _forget_all() -> None:
    """For tests only: start again with no secret registered."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None
