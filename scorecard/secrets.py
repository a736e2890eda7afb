"""The secrets this process holds, and their removal from every text that leaves it.

Whoever reads a secret (a token from the environment or a flag, a GitHub App's private key, an
installation token it was given) registers it here; every message, log line, results record
and report field passes through :func:`redact` before it is printed or written. A server that
echoes the ``Authorization`` header back in an error body therefore cannot put the token on
stderr, in ``results.jsonl`` or in the HTML report.

Registration is process-wide and only grows: a secret that was once valid stays redacted.
"""

from __future__ import annotations

import re
import threading

#: What a redacted secret is replaced with.
REDACTED = "***"
#: Shorter values are not registered: redacting them would mangle ordinary words.
MIN_LENGTH = 8

_lock = threading.Lock()
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def register(secret: str | bytes | None) -> None:
    """Remember ``secret`` (and each line of a multi-line secret, such as a PEM key) so that
    :func:`redact` removes it."""
    global _pattern
    if not secret:
        return
    text = secret.decode("utf-8", "replace") if isinstance(secret, bytes) else str(secret)
    parts = {text.strip(), *(line.strip() for line in text.splitlines())}
    new = {p for p in parts if len(p) >= MIN_LENGTH} - _secrets
    if not new:
        return
    with _lock:
        _secrets.update(new)
        # longest first, so a secret that contains another is removed whole
        ordered = sorted(_secrets, key=len, reverse=True)
        _pattern = re.compile("|".join(re.escape(s) for s in ordered))


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


def registered() -> bool:
    """Whether any secret is registered."""
    return _pattern is not None


def _forget_all() -> None:
    """For tests only: start again with no secret registered."""
    global _pattern
    with _lock:
        _secrets.clear()
        _pattern = None
