"""The ``plugins`` input: check plugins pip installs into the Action's container before grading.

One requirement per line, as in a requirements file: a name with a version (``acme-checks==1.2``),
a URL or a path in the workspace (``./tools/checks``, a wheel); ``--hash=sha256:...`` options may
follow, and when every line has one, pip runs with ``--require-hashes``. Any other option is
refused before pip runs (``--index-url``, ``--extra-index-url``, ``--trusted-host``,
``--find-links``, ``-e``, ``-r``, ``-c``...): an input must not be able to point pip at another
index or at more files. ``${`` is refused too (pip expands ``${VAR}`` in a requirements file:
a URL could carry the job's token away), and so is a line continuation (a ``\\`` at the end would
join lines checked one by one). Comments (``#``) and blank lines are ignored.

A plugin is code that runs in the job, with the job's token in its environment: the same trust
as any step of the workflow. Install only what you would run as a step. On a pull request a path
is refused (the workspace is the pull request's code: a fork could change the plugin).

Installed with ``python -m pip install`` into the interpreter that runs the Action, then the
entry points are read again. A requirement that cannot be installed fails the step (exit 2)
with one error naming the input and pip's last lines (redacted), and nothing is graded.
"""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence

from scorecard.action.env import ActionEnv, ActionError
from scorecard.secrets import redact

#: pip's output lines quoted in the error when an install fails.
PIP_LINES = 8
#: The longest an install may take (seconds).
INSTALL_TIMEOUT = 600
_HASH = re.compile(r"^--hash[=\s]+\w+:[0-9a-fA-F]+$")


def parse(text: str) -> list[str]:
    """The requirement lines of the input; raises ActionError for an option other than
    ``--hash``, a ``${`` (pip's variable expansion) or a line continuation."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if "${" in line:
            raise ActionError(
                f"plugins, line {number}: '${{' is not allowed (pip would expand an environment "
                "variable, such as the job's token, into the requirement)"
            )
        if line.endswith("\\"):
            raise ActionError(
                f"plugins, line {number}: a line continuation ('\\' at the end) is not allowed "
                "(one requirement per line)"
            )
        tokens = line.split()
        if tokens[0].startswith("-"):
            raise ActionError(
                f"plugins, line {number}: {tokens[0].split('=')[0]!r} is not allowed (one "
                "requirement per line, with --hash options only)"
            )
        options = [t for t in _hash_options(tokens[1:]) if t.startswith("-")]
        for opt in options:
            if not _HASH.match(opt):
                raise ActionError(
                    f"plugins, line {number}: {opt.split('=')[0]!r} is not allowed after a "
                    "requirement (only --hash=ALGORITHM:DIGEST)"
                )
        lines.append(line)
    return lines


def _hash_options(options: Sequence[str]) -> list[str]:
    """``--hash=x`` and ``--hash x`` both become one item."""
    out: list[str] = []
    i = 0
    while i < len(options):
        if options[i] == "--hash" and i + 1 < len(options):
            out.append(f"--hash={options[i + 1]}")
            i += 2
        else:
            out.append(options[i])
            i += 1
    return out


def _local(requirement: str) -> bool:
    """Whether a requirement names a path (a folder or an archive in the workspace)."""
    first = requirement.split()[0]
    return "://" not in first and (
        first.startswith((".", "/", "~")) or first.endswith((".whl", ".tar.gz", ".zip"))
    )


def install(env: ActionEnv, text: str, event_name: str = "") -> list[str]:
    """Install the input's requirements; the lines installed. Raises ActionError. On a pull
    request, a path is refused: the workspace is the pull request's own code."""
    lines = parse(text)
    if not lines:
        return []
    if event_name in ("pull_request", "pull_request_target"):
        local = [line for line in lines if _local(line)]
        if local:
            raise ActionError(
                f"plugins: {local[0].split()[0]!r} is a path in the workspace, which on a pull "
                "request is the pull request's own code: install plugins from an index or a URL"
            )
    hashed = all("--hash" in line for line in lines)
    with tempfile.TemporaryDirectory() as tmp:
        reqs = os.path.join(tmp, "plugins.txt")
        with open(reqs, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines) + "\n")
        cmd = [sys.executable, "-m", "pip", "install", "--no-input", "--disable-pip-version-check"]
        if hashed:
            cmd.append("--require-hashes")
        env.log(f"scorecard: installing {len(lines)} plugin requirement(s)")
        try:
            done = subprocess.run(
                [*cmd, "-r", reqs],
                cwd=env.workspace,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ActionError(
                f"plugins: pip did not finish within {INSTALL_TIMEOUT} s ({', '.join(lines)})"
            ) from None
    if done.returncode != 0:
        tail = [x for x in (done.stderr or done.stdout).splitlines() if x.strip()][-PIP_LINES:]
        raise ActionError(
            f"plugins: cannot install {', '.join(lines)}: " + redact(" | ".join(tail))
        )
    importlib.invalidate_caches()  # the new distributions' entry points are read next
    return lines
