"""The bounds of one CI analysis, and the memoised, budgeted lexing every reader goes through.

Every bound keeps the work proportional to the input: past one, the analysis stops reading
and says so (:attr:`~scorecard.checks.ci.analyser.CiAnalysis.truncated`), or leaves a Makefile
reference as written; it never fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from scorecard.snapshot import MiB

from .pysource import PyCommand, python_commands
from .shell import RawCommand, split_commands

#: How many times a chain may step into something the repository defines.
MAX_DEPTH = 3
#: A safety net against pathological repositories: the commands one analysis records.
MAX_COMMANDS = 20_000
#: The characters of script text one analysis lexes (each distinct text once, however many
#: steps, aliases or commands lead to it) and writes in Makefile variable expansions.
LEX_BUDGET = 8 * MiB
#: The largest file the analyser reads.
READ_CAP = MiB

#: Bounds on Makefile variable expansion: how deeply references nest, the size of one
#: expansion (of a tox ``{[section]key}`` reference too), and the characters read and written
#: in all expansions of one Makefile. Past them a reference is left as written (unknown text),
#: never an error.
MAKE_EXPANSION_DEPTH = 20
EXPANSION_CAP = 64 * 1024
MAKE_EXPANSION_BUDGET = MiB

#: A job's ``strategy.matrix``: the values read per key, and the variants of one command.
MATRIX_VALUES = 32
MATRIX_VARIANTS = 64


@dataclass
class Budget:
    """Characters of work left to an analysis; once spent, ``exhausted`` stays set."""

    left: int
    exhausted: bool = False

    def spend(self, n: int) -> bool:
        """Take ``n`` characters; False (and exhausted) when there were not that many left."""
        self.left -= n
        if self.left < 0:
            self.exhausted = True
        return not self.exhausted


class Lexing:
    """Lexing for one analysis: each distinct text lexed once, within :data:`LEX_BUDGET`
    (``work``, which Makefile expansions and matrix variants also spend)."""

    def __init__(self) -> None:
        self.work = Budget(LEX_BUDGET)
        self._lexed: dict[tuple[str, str, object], list[Any]] = {}

    def _lex_once(self, key: tuple[str, str, object], lex: Callable[[], list[Any]]) -> list[Any]:
        """``lex()`` for the text ``key[1]``, once per key; ``[]`` once :data:`LEX_BUDGET` is
        spent."""
        found = self._lexed.get(key)
        if found is None:
            found = lex() if self.work.spend(len(key[1])) else []
            self._lexed[key] = found
        return found

    def split(self, text: str, posix: bool = True) -> list[RawCommand]:
        """:func:`~scorecard.checks.ci.shell.split_commands`, memoised by text and budgeted."""
        return self._lex_once(("shell", text, posix), lambda: split_commands(text, posix))

    def py_commands(self, text: str, first_line: int = 1) -> list[PyCommand]:
        """:func:`~scorecard.checks.ci.pysource.python_commands`, memoised by text and
        budgeted."""
        return self._lex_once(
            ("python", text, first_line), lambda: python_commands(text, first_line)
        )
