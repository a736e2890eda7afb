"""tox configurations read as text and TOML: the environment list, labels, factor
conditions, ``{[section]key}`` references (inlined within :data:`EXPANSION_CAP`) and each
environment's ``commands_pre``/``commands``/``commands_post``."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from scorecard.model import Location

from .commands import Chunk, Follow, option_values
from .limits import EXPANSION_CAP, MAX_COMMANDS, Lexing
from .reading import RepoFiles, join_path

_INI_SECTION = re.compile(r"^\[([^\]]+)\]")
_INI_KEY = re.compile(r"^([^=:\s][^=:]*)[=:](.*)$")
_TOX_FACTOR = re.compile(r"^[!\w.\-{}]+(?:\s*,\s*[!\w.\-{}]+)*:\s")
_TOX_REF = re.compile(r"^\{\[([^\]]+)\]([\w-]+)\}$")
_TOX_REF_ANY = re.compile(r"\{\[([^\]]+)\]([\w-]+)\}")

_IniSections = dict[str, dict[str, list[tuple[int, str]]]]


def _parse_ini(text: str) -> _IniSections:
    sections: _IniSections = {}
    cur: dict[str, list[tuple[int, str]]] | None = None
    key_vals: list[tuple[int, str]] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        s = raw.strip()
        if not s or s.startswith(("#", ";")):
            continue
        if raw[0] in " \t":
            if key_vals is not None:
                key_vals.append((n, s))
            continue
        m = _INI_SECTION.match(s)
        if m:
            cur = sections.setdefault(m.group(1).strip(), {})
            key_vals = None
            continue
        m = _INI_KEY.match(s)
        if m and cur is not None:
            key_vals = cur.setdefault(m.group(1).strip(), [])
            key_vals.clear()
            if m.group(2).strip():
                key_vals.append((n, m.group(2).strip()))
        else:
            key_vals = None
    return sections


def _brace_expand(s: str, limit: int = 100) -> list[str]:
    m = re.search(r"\{([^{}]*)\}", s)
    if not m:
        return [s]
    out: list[str] = []
    for opt in m.group(1).split(","):
        out.extend(_brace_expand(s[: m.start()] + opt.strip() + s[m.end() :], limit))
        if len(out) >= limit:
            break
    return out[:limit]


def _split_envlist(values: Iterable[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        depth = 0
        cur = ""
        for ch in value + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch in ",\n" and depth <= 0:
                if cur.strip():
                    out.extend(_brace_expand(cur.strip()))
                cur = ""
            else:
                cur += ch
    return out


def _tox_subst(text: str) -> str:
    text = re.sub(r"\{posargs:([^{}]*)\}", r"\1", text)
    text = text.replace("{posargs}", "").replace("[]", "")
    text = re.sub(r"\{env:[^:{}]+:([^{}]*)\}", r"\1", text)
    text = re.sub(r"\{(?:envbindir|envdir|env_bin_dir|env_dir)\}[/\\]?", "", text)
    text = re.sub(r"\{(?:envpython|env_python)\}", "python", text)
    text = re.sub(r"\{(?:toxinidir|tox_root)\}[/\\]", "./", text)
    return text


def _tox_ref(sections: _IniSections, section: str, key: str) -> list[tuple[int, str]]:
    """The lines of ``{[section]key}``; an environment section without the key inherits it
    from ``[testenv]``, as tox does."""
    sec = sections.get(section, {})
    if key not in sec and section.startswith("testenv:"):
        sec = sections.get("testenv", {})
    return sec.get(key, [])


def _tox_inline_refs(text: str, sections: _IniSections) -> str:
    """``text`` with the ``{[section]key}`` references inside it replaced by their lines (one
    per line), within :data:`EXPANSION_CAP`; a reference past it is left as written."""
    room = EXPANSION_CAP

    def replace(m: re.Match[str]) -> str:
        nonlocal room
        value = "\n".join(t for _, t in _tox_ref(sections, m.group(1), m.group(2)))
        if len(value) > room:
            return m.group(0)
        room -= len(value)
        return value

    return _TOX_REF_ANY.sub(replace, text)


def _tox_factors_match(condition: str, env: str) -> bool:
    """Whether a tox factor condition (``py311,py312``, ``!lint``, ``py3-django``) holds for the
    environment ``env``."""
    factors = set(env.split("-"))
    for alternative in condition.split(","):
        terms = [t.strip() for t in alternative.strip().split("-") if t.strip()]
        if all((t[1:] not in factors) if t.startswith("!") else (t in factors) for t in terms):
            return True
    return False


@dataclass
class _ToxConfig:
    path: str
    envlist: list[str]
    labels: dict[str, list[str]]
    envs: list[str]  # the environments that have their own section
    resolve: Callable[[str], list[tuple[tuple[str, ...], str, Location]]]

    def commands(self, env: str) -> list[tuple[tuple[str, ...], str, Location]]:
        return self.resolve(env)


class ToxConfigs:
    """``tox [-e ENV] [-m LABEL] [-f FACTOR]`` followed into the environments' commands, from
    ``tox.ini``, ``tox.toml``, ``pyproject.toml`` (native or ``legacy_tox_ini``) or
    ``setup.cfg`` (each directory's configuration read once)."""

    def __init__(self, files: RepoFiles, lex: Lexing) -> None:
        self.files = files
        self.lex = lex
        self._configs: dict[str, _ToxConfig | None] = {}

    def _tox_lines(
        self,
        values: list[tuple[int, str]],
        sections: _IniSections,
        path: str,
        offset: int,
        env: str,
        depth: int = 0,
    ) -> list[Chunk]:
        out: list[Chunk] = []
        joined: list[tuple[int, str]] = []
        for line, text in values:
            if joined and joined[-1][1].endswith("\\"):
                joined[-1] = (joined[-1][0], joined[-1][1][:-1] + " " + text)
            else:
                joined.append((line, text))
        for line, text in joined:
            factor = _TOX_FACTOR.match(text)
            if factor:
                if not _tox_factors_match(factor.group(0).rstrip()[:-1], env):
                    continue
                text = text[factor.end() :]
            if len(out) >= MAX_COMMANDS:
                break
            ref = _TOX_REF.match(text.strip())
            if ref:
                if depth < 3:
                    sub = _tox_ref(sections, ref.group(1), ref.group(2))
                    out.extend(self._tox_lines(sub, sections, path, offset, env, depth + 1))
                continue
            if "{[" in text:
                text = _tox_inline_refs(text, sections)
            text = _tox_subst(text).lstrip("-! ")
            for raw in self.lex.split(text):
                out.append((raw.words, raw.text, Location(path, line + offset)))
        return out

    def _tox_from_ini(self, path: str, text: str, offset: int = 0) -> _ToxConfig:
        sections = _parse_ini(text)
        top = sections.get("tox") or sections.get("tox:tox") or {}
        envlist = _split_envlist(v for _, v in top.get("envlist", top.get("env_list", [])))
        labels: dict[str, list[str]] = {}
        for _, v in top.get("labels", []):
            name, _, envs = v.partition("=")
            labels[name.strip()] = _split_envlist([envs])
        base = sections.get("testenv", {})

        def commands(env: str) -> list[Chunk]:
            sec = sections.get(f"testenv:{env}", base)
            out: list[Chunk] = []
            for key in ("commands_pre", "commands", "commands_post"):
                vals = sec.get(key)
                if vals is None:
                    vals = base.get(key, [])
                out.extend(self._tox_lines(vals, sections, path, offset, env))
            return out

        named = [
            name[len("testenv:") :].strip() for name in sections if name.startswith("testenv:")
        ]
        return _ToxConfig(path, envlist, labels, named, commands)

    def _tox_from_toml(
        self, path: str, table: dict[str, Any], text: str, prefix: str
    ) -> _ToxConfig:
        def strs(value: Any) -> list[str]:
            return [str(x) for x in value] if isinstance(value, list) else []

        base = table.get("env_run_base") if isinstance(table.get("env_run_base"), dict) else {}
        assert isinstance(base, dict)

        def referenced(value: Any, depth: int = 0) -> list[Any]:
            """The command lists of a ``commands`` value, ``{replace = "ref", of = [...]}``
            items replaced by what they refer to (within the same table)."""
            out: list[Any] = []
            for item in value if isinstance(value, list) else []:
                if isinstance(item, dict) and item.get("replace") == "ref" and depth < 3:
                    node: Any = table
                    of = item.get("of")
                    for k in of if isinstance(of, list) else [None]:
                        node = node.get(k) if isinstance(node, dict) else None
                    out.extend(referenced(node, depth + 1))
                else:
                    out.append(item)
            return out

        def commands(tbl: dict[str, Any], header: str) -> list[Chunk]:
            out: list[Chunk] = []
            hm = re.search(r"^\[\s*" + re.escape(prefix + header) + r"\s*\]", text, re.M)
            for key in ("commands_pre", "commands", "commands_post"):
                value = tbl.get(key, base.get(key))
                if not isinstance(value, list):
                    continue
                km = re.compile(r"^\s*" + key + r"\s*=", re.M).search(text, hm.end() if hm else 0)
                line = text.count("\n", 0, km.start()) + 1 if km else None
                for item in referenced(value):
                    if not isinstance(item, list):
                        continue
                    words: list[str] = []
                    for x in item:
                        if isinstance(x, str):
                            words.extend(w for w in [_tox_subst(x)] if w)
                        elif isinstance(x, dict) and x.get("replace") == "posargs":
                            words.extend(strs(x.get("default")))
                    if words:
                        out.append((tuple(words), " ".join(words), Location(path, line)))
            return out

        envs_tbl = table.get("env") if isinstance(table.get("env"), dict) else {}
        assert isinstance(envs_tbl, dict)
        envs = {str(n): commands(t, f"env.{n}") for n, t in envs_tbl.items() if isinstance(t, dict)}
        labels_tbl = table.get("labels") if isinstance(table.get("labels"), dict) else {}
        assert isinstance(labels_tbl, dict)
        labels = {str(k): strs(v) for k, v in labels_tbl.items()}
        default = commands(base, "env_run_base")
        return _ToxConfig(
            path,
            strs(table.get("env_list")),
            labels,
            list(envs),
            lambda env: envs.get(env, default),
        )

    def _tox_config(self, d: str, conf: str | None) -> _ToxConfig | None:
        key = f"{d}|{conf}"
        if key in self._configs:
            return self._configs[key]
        found: _ToxConfig | None = None
        candidates = [conf] if conf else ["tox.ini", "tox.toml", "pyproject.toml", "setup.cfg"]
        for name in candidates:
            path = join_path(d, name)
            text = self.files.text(path) if path else None
            if path is None or text is None:
                continue
            if path.endswith(".ini"):
                found = self._tox_from_ini(path, text)
            elif path.endswith("setup.cfg"):
                if re.search(r"^\[tox:tox\]", text, re.M):
                    found = self._tox_from_ini(path, text)
            elif path.endswith("tox.toml"):
                data = self.files.toml(path)
                if data is not None:
                    found = self._tox_from_toml(path, data, text, "")
            elif path.endswith(".toml"):
                data = self.files.toml(path)
                tool = data.get("tool") if data else None
                tox = tool.get("tox") if isinstance(tool, dict) else None
                if isinstance(tox, dict):
                    legacy = tox.get("legacy_tox_ini")
                    if isinstance(legacy, str):
                        m = re.search(r"^\s*legacy_tox_ini\s*=", text, re.M)
                        offset = text.count("\n", 0, m.start()) + 1 if m else 0
                        found = self._tox_from_ini(path, legacy, offset)
                    else:
                        found = self._tox_from_toml(path, tox, text, "tool.tox.")
            if found is not None:
                break
        self._configs[key] = found
        return found

    def follow(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        args = argv[1:]
        conf = option_values(args, {"-c", "--conf"})
        cfg = self._tox_config(cwd, conf[0] if conf else None)
        if cfg is None:
            return []
        envs = [e.strip() for v in option_values(args, {"-e", "--env"}) for e in v.split(",")]
        labels = option_values(args, {"-m"})
        factors = option_values(args, {"-f"})
        if envs and "ALL" not in envs:
            selected = envs
        elif envs or (not labels and not factors):
            selected = (cfg.envlist or ["py"]) if not envs else (cfg.envlist or cfg.envs or ["py"])
        elif labels:
            selected = [e for lb in labels for e in cfg.labels.get(lb, [])]
        else:
            selected = [e for e in cfg.envlist if any(f in e.split("-") for f in factors)]
        out: list[Follow] = []
        for env in dict.fromkeys(selected):
            chunks = cfg.commands(env)
            if chunks:
                out.append((f"tox:{cfg.path}:{env}", chunks, posixpath.dirname(cfg.path)))
        return out

    # ---- nox, invoke --------------------------------------------------------------------------
