"""GitHub Actions' file and workflow commands: outputs, the job summary, annotations, masks.

Workflow commands are escaped as the runner expects (``%``, ``\\r``, ``\\n`` in messages, and
``:`` and ``,`` too in properties), so a file name can never end a command early or start a
new one. Outputs and the job summary are redacted (:func:`scorecard.secrets.redact`); a
file command that cannot be written (a full disk) raises
:class:`~scorecard.outfile.OutputError`, one line naming the file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import TextIO

from scorecard.outfile import OutputError, describe
from scorecard.render.text import one_line
from scorecard.secrets import redact

SUMMARY_LIMIT = 1024 * 1024  # GitHub rejects a step summary over 1 MiB
ANNOTATIONS_PER_TYPE = 10  # GitHub shows at most 10 of each type per step


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str = "", **props: str | int | None) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{name}{' ' + parts if parts else ''}::{escape_data(message)}"


def add_mask(value: str, out: TextIO) -> None:
    if value:
        out.write(f"::add-mask::{escape_data(value)}\n")


def set_outputs(values: Mapping[str, str], path: str | None, out: TextIO) -> None:
    """Write outputs to the ``GITHUB_OUTPUT`` file, multiline-safe (heredoc with a random
    delimiter); without the file, print them for a person."""
    values = {k: redact(v) for k, v in values.items()}
    if not path:
        for k, v in values.items():
            out.write(f"output {k}={one_line(v)}\n")
        return
    text = ""
    for k, v in values.items():
        delim = f"ghadelimiter_{uuid.uuid4()}"
        text += f"{k}<<{delim}\n{v}\n{delim}\n"
    _append(path, text.encode("utf-8"))


def append_summary(markdown: str, path: str | None) -> bool:
    """Append to the job summary (``GITHUB_STEP_SUMMARY``), cut to fit 1 MiB."""
    if not path:
        return False
    data = redact(markdown).encode("utf-8")
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    room = SUMMARY_LIMIT - used - 200
    if len(data) > room:
        data = data[: max(room, 0)].decode("utf-8", "ignore").rsplit("\n", 1)[0].encode()
        data += b"\n\n*(cut to fit the 1 MiB job summary limit)*\n"
    _append(path, data)
    return True


def _append(path: str, data: bytes) -> None:
    try:
        with open(path, "ab") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(describe(path, exc)) from None
