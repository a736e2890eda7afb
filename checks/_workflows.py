"""Helpers that the workflow checks share: which workflows parse, every ``uses:`` and every
``run:`` script of a workflow, and the file line of a place inside a YAML value.

GitHub runs ``.github/workflows/*.yml`` and ``*.yaml`` (:meth:`RepoSnapshot.workflows`). A
workflow that does not parse is left out of the workflow checks, and their messages say so with
:meth:`WorkflowSet.note`; when none parses, the checks answer ``skip`` with
:meth:`WorkflowSet.skip_reason`.

Lines: a parsed string carries the line where its YAML node starts (``YamlStr.line``). For a
plain or quoted scalar on one line that is the answer. For a block scalar (``run: |`` or
``>``) it is the line of the indicator, and the content starts on the next line. For a
multi-line scalar of any style, :func:`value_line` maps an offset inside the parsed string to
the line of the file that holds it, reading the workflow's raw text (composed once more with
PyYAML, lazily and only for values that need it, to learn the node's style and extent);
:func:`value_lines` does the same for any YAML file, and the CI analyser
(:mod:`scorecard.checks.ci`) cites each command of a script with it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from scorecard.parsing import ParseError, YamlMap, line_of
from scorecard.snapshot import RepoSnapshot, Workflow

try:  # the C loader is much faster; fall back where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


# ---- which workflows parse ------------------------------------------------------------------


@dataclass(frozen=True)
class WorkflowSet:
    """The repository's workflows, split into those that parse and those that do not."""

    parsed: tuple[Workflow, ...]
    broken: tuple[Workflow, ...]

    def note(self) -> str:
        """`` (1 workflow did not parse: .github/workflows/x.yml line 4)``, or ``""``."""
        if not self.broken:
            return ""
        n = len(self.broken)
        where = ", ".join(describe_error(wf) for wf in self.broken[:3])
        if n > 3:
            where += f" and {n - 3} more"
        return f" ({n} workflow{'s' if n != 1 else ''} did not parse: {where})"

    def skip_reason(self) -> str | None:
        """Why a workflow check does not apply (no workflow parses), or None."""
        if self.parsed:
            return None
        if not self.broken:
            return "no workflows in .github/workflows/"
        return "no workflow parses" + self.note()


def describe_error(wf: Workflow) -> str:
    """``path line N`` for a workflow that did not parse (``path (reason)`` without a line);
    see :func:`describe_parse_error`."""
    return describe_parse_error(wf.path, wf.error or ParseError("not a mapping"))


def describe_parse_error(path: str, err: ParseError) -> str:
    """``path line N`` for a YAML syntax error; ``path line N: reason`` for a file that parses
    but cannot be used (``a workflow must be a mapping``); ``path (reason)`` without a line."""
    if err.line is None:
        return f"{path} ({err.message})"
    if err.message.startswith("invalid YAML"):
        return f"{path} line {err.line}"
    return f"{path} line {err.line}: {err.message}"


def workflow_set(snap: RepoSnapshot) -> WorkflowSet:
    """The snapshot's workflows, split once and shared between checks."""

    def compute() -> WorkflowSet:
        wfs = snap.workflows()
        return WorkflowSet(tuple(w for w in wfs if w.ok), tuple(w for w in wfs if not w.ok))

    result: WorkflowSet = snap.cached("workflows:parsed-and-broken", compute)
    return result


# ---- uses: and run: -------------------------------------------------------------------------


@dataclass(frozen=True)
class UsesRef:
    """One ``uses:`` of a step, or of a job that calls a reusable workflow (``step`` is None)."""

    workflow: Workflow
    job: str
    step: int | None
    value: str
    line: int

    @property
    def is_local(self) -> bool:
        return self.value.strip().startswith("./")

    @property
    def is_docker(self) -> bool:
        return self.value.strip().startswith("docker://")


def _key_line(container: Any, key: str, default: int = 1) -> int:
    if isinstance(container, YamlMap):
        return container.line_of(key) or default
    return line_of(container, default) or default


def iter_uses(wf: Workflow) -> Iterator[UsesRef]:
    """Every string ``uses:`` of the workflow: jobs' (reusable workflows) and steps', in file
    order, each with the file line of its value."""
    for job_id, job in wf.jobs.items():
        if not isinstance(job, dict):
            continue
        value = job.get("uses")
        if isinstance(value, str) and value.strip():
            yield UsesRef(
                wf,
                str(job_id),
                None,
                value.strip(),
                value_line(wf, value, _first_char(value), _key_line(job, "uses")),
            )
        steps = job.get("steps")
        if not isinstance(steps, list):
            continue
        for index, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            value = step.get("uses")
            if isinstance(value, str) and value.strip():
                yield UsesRef(
                    wf,
                    str(job_id),
                    index,
                    value.strip(),
                    value_line(wf, value, _first_char(value), _key_line(step, "uses")),
                )


def _first_char(value: str) -> int:
    """The offset of the first non-blank character (0 for a blank string)."""
    stripped = value.lstrip()
    return len(value) - len(stripped) if stripped else 0


@dataclass(frozen=True)
class Script:
    """A script a step runs: a ``run:`` value, or ``with.script`` of ``actions/github-script``
    (``key`` says which)."""

    workflow: Workflow
    job: str
    step: int
    key: str
    text: str

    def line_at(self, offset: int) -> int:
        """The file line holding the character at ``offset`` of the script."""
        return value_line(self.workflow, self.text, offset)


def iter_scripts(wf: Workflow, *, github_script: bool = False) -> Iterator[Script]:
    """Every ``run:`` script of every step; with ``github_script``, also the ``script`` input
    of ``actions/github-script`` steps."""
    for job_id, job in wf.jobs.items():
        if not isinstance(job, dict):
            continue
        steps = job.get("steps")
        if not isinstance(steps, list):
            continue
        for index, step in enumerate(steps):
            if not isinstance(step, dict):
                continue
            run = step.get("run")
            if isinstance(run, str):
                yield Script(wf, str(job_id), index, "run", run)
            if not github_script:
                continue
            uses = step.get("uses")
            with_ = step.get("with")
            if (
                isinstance(uses, str)
                and uses.strip().lower().startswith("actions/github-script@")
                and isinstance(with_, dict)
                and isinstance(with_.get("script"), str)
            ):
                yield Script(wf, str(job_id), index, "script", with_["script"])


# ---- lines inside values --------------------------------------------------------------------

# The line breaks YAML counts (PyYAML and libyaml alike); CRLF is one.
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
# A line that ends with a block scalar header (`|`, `>-`, `|2+` ...) and maybe a comment.
_BLOCK_HEADER = re.compile(r"(?:^|[\s:\-?])[|>][-+0-9]*[ \t]*(?:#.*)?$")


class _Layout:
    """Where each line of a workflow's text starts, and (lazily) its scalar nodes by line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        self._nodes: dict[int, list[yaml.ScalarNode]] | None = None

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        if not 1 <= line <= len(self.starts):
            return ""
        start = self.starts[line - 1]
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return _BREAK.sub("", self.text[start:end])

    def line_of_index(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index)

    def scalars_at(self, line: int) -> list[yaml.ScalarNode]:
        """The scalar nodes that start on 1-based ``line``."""
        if self._nodes is None:
            nodes: dict[int, list[yaml.ScalarNode]] = {}
            try:  # every document: other CI systems' files may hold several
                stack: list[yaml.Node] = list(yaml.compose_all(self.text, Loader=_Loader))
            except (yaml.YAMLError, ValueError, RecursionError):
                stack = []
            seen: set[int] = set()
            while stack:
                node = stack.pop()
                if id(node) in seen:  # aliases share nodes
                    continue
                seen.add(id(node))
                if isinstance(node, yaml.ScalarNode):
                    nodes.setdefault(node.start_mark.line + 1, []).append(node)
                elif isinstance(node, yaml.SequenceNode):
                    stack.extend(node.value)
                elif isinstance(node, yaml.MappingNode):
                    for k, v in node.value:
                        stack.extend((k, v))
            self._nodes = nodes
        return self._nodes.get(line, [])


@functools.lru_cache(maxsize=32)
def _layout(text: str) -> _Layout:
    return _Layout(text)


def value_line(wf: Workflow, value: Any, offset: int = 0, default: int = 1) -> int:
    """The file line holding the character at ``offset`` of a parsed string ``value`` of the
    workflow ``wf`` (``default`` when the value carries no line)."""
    return value_lines(wf.text, value, default)(offset)


def value_lines(text: str, value: Any, default: int = 1) -> Callable[[int], int]:
    """For a parsed string ``value`` of the YAML file ``text`` (a workflow, an action, another
    CI system's file): a function from an offset inside the string to the file line holding
    that character, for any scalar style (the one helper every check uses to cite a place in a
    ``run:`` script). The layout of ``value`` is read once; ``default`` when the value carries
    no line."""
    start = line_of(value)
    if start is None:
        return lambda offset: default
    string = str(value)
    if not text:
        return lambda offset: start
    layout = _layout(text)
    # Fast path: a one-line value written out on its own line, not as a block scalar.
    body = string.strip()
    if "\n" not in body and "\r" not in body:
        raw = layout.line_text(start)
        if body and body in raw and not _BLOCK_HEADER.search(raw):
            return lambda offset: start
    node = next((n for n in layout.scalars_at(start) if n.value == string), None)
    if node is None:
        return lambda offset: start
    if node.style == "|":
        # Literal block: content line k is the k-th line after the indicator.
        first = node.start_mark.line + 2
        breaks = [m.start() for m in _BREAK.finditer(string)]
        return lambda offset: first + bisect.bisect_left(breaks, offset)
    return _aligned_lines(layout, node, string)


def _aligned_lines(layout: _Layout, node: yaml.ScalarNode, string: str) -> Callable[[int], int]:
    """For a folded, plain or quoted scalar, whose line breaks YAML folded: walk the parsed
    string and the raw text side by side once, matching non-blank characters in order; an
    offset maps to the line of the first matched character at or after it (else the last)."""
    base = node.start_mark.index
    raw = layout.text[base : node.end_mark.index]
    j = 0
    if node.style == ">":  # the content starts after the header line
        m = _BREAK.search(raw)
        j = m.end() if m else len(raw)
    elif node.style in ("'", '"'):
        j = 1
    offsets: list[int] = []
    lines: list[int] = []
    for i, ch in enumerate(string):
        if ch.isspace():
            continue
        k = raw.find(ch, j)
        if k < 0:
            break
        offsets.append(i)
        lines.append(layout.line_of_index(base + k))
        j = k + 1
    last = lines[-1] if lines else node.start_mark.line + 1

    def line(offset: int) -> int:
        n = bisect.bisect_left(offsets, max(0, min(offset, len(string))))
        return lines[n] if n < len(lines) else last

    return line
