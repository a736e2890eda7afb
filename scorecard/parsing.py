"""Parsers that keep line numbers, so every result can point at ``file:line``.

YAML is read with PyYAML's *safe* loader only (the C one when available). Mappings, sequences
and strings come back as subclasses of ``dict``, ``list`` and ``str`` that remember the 1-based
line where they start (``.line``); a mapping also remembers the line of each key
(``.key_lines``) and a sequence the line of each item (``.item_lines``). Everything else
(numbers, booleans, null) is plain; dates stay strings.

PyYAML follows YAML 1.1, where the key ``on`` reads as the boolean ``True``; use
:func:`get_on` for workflow triggers.

Aliases are bounded by the input, not by what they expand to. PyYAML shares an aliased node
instead of copying it, so loading a "billion laughs" document is cheap, but every reader that
walks the result (stringifying a trigger, lexing each step's script) pays for the expansion.
Before a document is built, :func:`check_aliases` weighs it as if every alias were copied (one
per node plus the characters of each scalar) and refuses it as a :class:`ParseError` ("too many
aliases", with the line of the collection where the budget ran out) when that weight passes
``max(MIN_EXPANSION, EXPANSION_FACTOR x the text's length)`` or when it holds more than
``MAX_ALIASES`` alias references; a recursive alias is refused too. Every YAML file read from a
repository or a standard goes through this loader.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import yaml

try:  # the C loader is ~10x faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class YamlStr(str):
    line: int = 0


class YamlMap(dict):  # type: ignore[type-arg]
    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """The line of ``key`` (or of the mapping when the key is absent)."""
        return self.key_lines.get(key, self.line)


class YamlList(list):  # type: ignore[type-arg]
    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        try:
            return self.item_lines[index]
        except IndexError:
            return self.line


#: Expanded weight every document may reach, whatever its size (nodes plus scalar characters).
MIN_EXPANSION = 1_000_000
#: Beyond that, a document may expand to this many times its own length.
EXPANSION_FACTOR = 10
#: Alias references one document may hold.
MAX_ALIASES = 10_000


def expansion_limit(text: str | bytes) -> int:
    """The expanded weight a YAML text of this length may reach."""
    return max(MIN_EXPANSION, EXPANSION_FACTOR * len(text))


def check_aliases(root: yaml.Node, limit: int, max_aliases: int = MAX_ALIASES) -> None:
    """Refuse a composed document whose aliases expand past ``limit`` (see the module's doc),
    that holds more than ``max_aliases`` alias references, or that refers to itself. Raises
    :class:`ParseError`. Linear in the number of distinct nodes."""
    weight: dict[int, int] = {}
    open_nodes: set[int] = set()  # the collections being weighed: a node's ancestors
    aliases = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            total = 1 + sum(weight[id(child)] for child in _children(node))
            weight[key] = total
            if total > limit:
                raise ParseError(
                    f"too many aliases: the document would expand to more than {limit:,} "
                    f"nodes and characters (the bound for a file of its size)",
                    node.start_mark.line + 1,
                )
            continue
        if key in weight:  # met again: an alias
            aliases += 1
            if aliases > max_aliases:
                raise ParseError(
                    f"too many aliases: more than {max_aliases:,} references",
                    node.start_mark.line + 1,
                )
            continue
        if key in open_nodes:
            raise ParseError(
                "a recursive alias (an anchor used inside itself)", node.start_mark.line + 1
            )
        if isinstance(node, yaml.ScalarNode):
            weight[key] = 1 + len(node.value)
            continue
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


class _LineLoader(_BaseLoader):
    """The safe loader with lines, aliases bounded (:func:`check_aliases`)."""

    #: Whether a key written twice in one mapping is an error (standards) or the last wins.
    unique_keys = False

    def __init__(self, stream: str | bytes) -> None:
        super().__init__(stream)
        self.expansion_limit = expansion_limit(stream if isinstance(stream, (str, bytes)) else "")

    def construct_document(self, node: yaml.Node) -> Any:
        check_aliases(node, self.expansion_limit)
        return super().construct_document(node)


class _StrictLoader(_LineLoader):
    """For standards: a key written twice in one mapping is an error naming both lines."""

    unique_keys = True


def _construct_str(loader: _LineLoader, node: yaml.ScalarNode) -> YamlStr:
    s = YamlStr(loader.construct_scalar(node))
    s.line = node.start_mark.line + 1
    return s


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    m = YamlMap()
    m.line = node.start_mark.line + 1
    m.key_lines = {}
    if loader.unique_keys:
        _refuse_duplicate_keys(node)
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            key = str(key)
        m[key] = loader.construct_object(value_node, deep=True)
        m.key_lines[key] = key_node.start_mark.line + 1
    return m


def _refuse_duplicate_keys(node: yaml.MappingNode) -> None:
    """A key written twice in the mapping itself (merged keys may be overridden)."""
    first: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            continue
        line = key_node.start_mark.line + 1
        if key_node.value in first:
            raise ParseError(
                f"duplicate key {key_node.value!r} (first at line {first[key_node.value]})", line
            )
        first[key_node.value] = line


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    seq = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    seq.item_lines = [child.start_mark.line + 1 for child in node.value]
    return seq


_LineLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)
# Dates stay strings: `expires: 2027-02-30` must give a message with its line, not a crash,
# and no file we read wants Python dates.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_str)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _TagsAsNullLoader(_LineLoader):
    """The safe loader with lines, reading custom tags (GitLab's ``!reference``) as null."""


_TagsAsNullLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


class ParseError(Exception):
    """A file that does not parse. ``line`` is 1-based when the parser knows it."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


def _yaml_error(exc: yaml.YAMLError) -> ParseError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else str(problem)
    return ParseError(f"invalid YAML: {message}", mark.line + 1 if mark else None)


def load_yaml_all(
    text: str, *, unique_keys: bool = False, custom_tags_as_null: bool = False
) -> list[Any]:
    """Every document of a YAML stream, with line numbers. Raises :class:`ParseError`, also
    for aliases that expand too far and, with ``unique_keys``, for a key written twice. With
    ``custom_tags_as_null``, a value under a custom tag (GitLab's ``!reference [...]``, CI
    systems' own tags) reads as null instead of failing."""
    loader: type[_LineLoader] = _StrictLoader if unique_keys else _LineLoader
    if custom_tags_as_null:
        loader = _TagsAsNullLoader
    try:
        return list(yaml.load_all(text, Loader=loader))
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. bad timestamps, deep nesting
        raise ParseError(f"invalid YAML: {exc}") from None


def load_yaml(text: str, *, unique_keys: bool = False) -> Any:
    """The single document of a YAML file (None when empty). Raises :class:`ParseError`."""
    docs = load_yaml_all(text, unique_keys=unique_keys)
    if len(docs) > 1:
        raise ParseError("expected one YAML document, found several")
    return docs[0] if docs else None


def load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None


def load_toml(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data: dict[str, Any] = tomllib.loads(text)
        return data
    except RecursionError:
        raise ParseError("invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        # Python < 3.14 keeps the position only in the message: "... (at line 3, column 5)"
        import re

        line = getattr(exc, "lineno", None)
        msg = getattr(exc, "msg", None) or str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)$", msg)
        if m:
            line = line or int(m.group(1))
            msg = msg[: m.start()].rstrip()
        raise ParseError(f"invalid TOML: {msg}", line) from None


def get_on(workflow: Any) -> Any:
    """A workflow's ``on:``, which YAML 1.1 reads as the key ``True``."""
    if not isinstance(workflow, dict):
        return None
    if "on" in workflow:
        return workflow["on"]
    return workflow.get(True)


def line_of(value: Any, default: int | None = None) -> int | None:
    """The line a parsed value starts on, when it carries one."""
    line = getattr(value, "line", None)
    return line if isinstance(line, int) and line > 0 else default


@dataclass(frozen=True)
class Parsed:
    """A parsed file: ``data`` when it parsed, else ``error``."""

    path: str
    data: Any = None
    error: ParseError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
