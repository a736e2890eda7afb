"""Followers: what a command runs that the repository itself defines, read without running
anything: ``package.json`` scripts (with ``pre``/``post``), ``npm-run-all``, Makefile targets
(:mod:`.make`), tox environments (:mod:`.tox`), ``noxfile.py`` sessions, invoke tasks,
pre-commit hooks, ``pdm``/``hatch``/``poe`` scripts from ``pyproject.toml``, and script files
run by their path (shell scripts as commands, Python files by a text search)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence
from typing import Any

from scorecard.model import Location

from .classify import JS_VALUES, js_run
from .commands import Chunk, Command, Follow, option_values, positionals, skip_opts
from .limits import Lexing
from .make import Makefiles
from .pysource import PyFunc, py_functions
from .reading import RepoFiles, join_path, node_line
from .tox import ToxConfigs

_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh"})
_SCRIPT_EXTS = (".sh", ".bash", ".zsh", ".ksh", ".py", ".ps1", ".bat", ".cmd")


class Followers:
    """What a command leads to in the repository (:meth:`follow`)."""

    def __init__(self, files: RepoFiles, lex: Lexing) -> None:
        self.files = files
        self.lex = lex
        self.make = Makefiles(files, lex)
        self.tox = ToxConfigs(files, lex)
        self._functions: dict[str, list[PyFunc]] = {}

    def follow(self, cmd: Command) -> list[Follow]:
        """The scripts, targets, environments, sessions, tasks, hooks or files the command runs
        that the repository defines, each as ``(key, chunks, working directory)``."""
        argv, cwd = cmd.argv, cmd.cwd
        for w in cmd.wrappers:
            if w.startswith("hatch run "):
                found = self._follow_hatch(w[len("hatch run ") :], argv, cwd)
                if found:
                    return found
            if w == "pdm run":
                found = self._follow_pdm(argv, cwd)
                if found:
                    return found
        name = argv[0]
        if name in JS_VALUES:
            return self._follow_js(argv, cwd)
        if name in ("run-s", "run-p", "npm-run-all"):
            return self._follow_run_all(argv, cwd)
        if name in ("make", "gmake"):
            return self.make.follow(argv, cwd)
        if name == "tox":
            return self.tox.follow(argv, cwd)
        if name == "nox":
            return self._follow_nox(argv, cwd)
        if name in ("invoke", "inv"):
            return self._follow_invoke(argv, cwd)
        if name == "pre-commit":
            return self._follow_pre_commit(argv, cwd)
        if name == "poe":
            return self._follow_poe(argv, cwd)
        return self._follow_script(argv, cwd)

    # ---- package.json -------------------------------------------------------------------------

    def _package_scripts(self, pkg: str) -> dict[str, str]:
        data = self.files.json(pkg)
        scripts = data.get("scripts") if isinstance(data, dict) else None
        if not isinstance(scripts, dict):
            return {}
        return {str(k): v for k, v in scripts.items() if isinstance(v, str)}

    def _json_key_line(self, path: str, key: str, after: str) -> int | None:
        text = self.files.text(path)
        if text is None:
            return None
        start = max(text.find(f'"{after}"'), 0)
        m = re.compile(r'"' + re.escape(key) + r'"\s*:').search(text, start)
        return text.count("\n", 0, m.start()) + 1 if m else None

    def _package_follow(self, pkg: str, names: Iterable[str], d: str) -> list[Follow]:
        scripts = self._package_scripts(pkg)
        out: list[Follow] = []
        for n in names:
            if n in scripts:
                where = Location(pkg, self._json_key_line(pkg, n, "scripts"))
                chunks = [(raw.words, raw.text, where) for raw in self.lex.split(scripts[n])]
                out.append((f"npm:{pkg}:{n}", chunks, d))
        return out

    def _follow_js(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        run = js_run(argv)
        if run is None or run.workspaces:
            return []
        d = join_path(cwd, run.directory) if run.directory else cwd
        if d is None:
            return []
        pkg = posixpath.join(d, "package.json") if d else "package.json"
        scripts = self._package_scripts(pkg)
        if run.script not in scripts:
            return []
        names = (f"pre{run.script}", run.script, f"post{run.script}")
        return self._package_follow(pkg, names, d)

    def _follow_run_all(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        pkg = posixpath.join(cwd, "package.json") if cwd else "package.json"
        scripts = self._package_scripts(pkg)
        names: list[str] = []
        for pattern in positionals(argv[1:], {"--npm-path", "--max-parallel"}):
            head = pattern.split()[0] if pattern.split() else ""
            rx = re.compile(re.escape(head).replace(r"\*\*", ".*").replace(r"\*", "[^:]*"))
            names.extend(n for n in scripts if rx.fullmatch(n) and n not in names)
        return self._package_follow(pkg, names, cwd)

    # ---- make ---------------------------------------------------------------------------------

    def _py_funcs(self, path: str) -> list[PyFunc]:
        if path not in self._functions:
            text = self.files.text(path)
            self._functions[path] = py_functions(text) if text is not None else []
        return self._functions[path]

    def _func_chunks(self, path: str, fn: PyFunc) -> list[Chunk]:
        return [
            (words, text, Location(path, line))
            for words, text, line in self.lex.py_commands(fn.body, fn.body_line)
        ]

    def _follow_nox(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        args = list(argv[1:])
        names: list[str] = []
        tags: list[str] = []
        noxfile = "noxfile.py"
        i = 0
        while i < len(args):
            a = args[i]
            i += 1
            target = (
                names
                if a in ("-s", "--session", "--sessions", "-e")
                else tags
                if a in ("-t", "--tags")
                else None
            )
            if target is not None:
                while i < len(args) and not args[i].startswith("-"):
                    target.append(args[i])
                    i += 1
            elif a in ("-f", "--noxfile") and i < len(args):
                noxfile = args[i]
                i += 1
        path = join_path(cwd, noxfile)
        text = self.files.text(path) if path else None
        if path is None or text is None:
            return []
        sessions = [f for f in self._py_funcs(path) if "session" in f.decorators]
        if not names and not tags:
            m = re.search(r"nox\.options\.sessions\s*=\s*[\[(]([^\])]*)", text)
            names = re.findall(r"""["']([^"']+)["']""", m.group(1)) if m else []
        out: list[Follow] = []
        for fn in sessions:
            nm = re.search(r"""name\s*=\s*["']([^"']+)""", fn.decorators)
            sname = nm.group(1) if nm else fn.name
            tm = re.search(r"tags\s*=\s*\[([^\]]*)\]", fn.decorators)
            stags = re.findall(r"""["']([^"']+)["']""", tm.group(1)) if tm else []
            wanted = (
                (not names and not tags)
                or any(n == sname or n.startswith((sname + "-", sname + "(")) for n in names)
                or any(t in stags for t in tags)
            )
            if wanted:
                out.append((f"nox:{path}:{sname}", self._func_chunks(path, fn), cwd))
        return out

    def _follow_invoke(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        args = argv[1:]
        coll = option_values(args, {"-c", "--collection"})
        path = join_path(cwd, (coll[0] if coll else "tasks") + ".py")
        if path is None or self.files.text(path) is None:
            return []
        wanted = set(
            positionals(args, {"-c", "--collection", "-f", "--config", "-r", "--search-root"})
        )
        out: list[Follow] = []
        for fn in self._py_funcs(path):
            if "task" in fn.decorators and (
                fn.name in wanted or fn.name.replace("_", "-") in wanted
            ):
                out.append((f"invoke:{path}:{fn.name}", self._func_chunks(path, fn), cwd))
        return out

    # ---- pre-commit ---------------------------------------------------------------------------

    def _follow_pre_commit(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        args = list(argv[1:])
        if "--files" in args:
            args = args[: args.index("--files")]
        pos = positionals(
            args,
            {
                "-c",
                "--config",
                "--hook-stage",
                "--from-ref",
                "--to-ref",
                "-s",
                "-o",
                "--source",
                "--origin",
                "--color",
            },
        )
        if pos[:1] not in ([], ["run"]):
            return []
        hook = pos[1] if len(pos) > 1 else None
        conf = option_values(args, {"-c", "--config"})
        path = join_path(cwd, conf[0]) if conf else ".pre-commit-config.yaml"
        if path is None or not self.files.has(path):
            return []
        data = self.files.yaml(path)
        repos = data.get("repos") if isinstance(data, dict) else None
        chunks: list[Chunk] = []
        for repo in repos if isinstance(repos, list) else []:
            if not isinstance(repo, dict) or not isinstance(repo.get("hooks"), list):
                continue
            for h in repo["hooks"]:
                if not isinstance(h, dict) or not isinstance(h.get("id"), str):
                    continue
                hid = h["id"]
                stages = h.get("stages")
                if hook is not None and hid != hook:
                    continue
                if hook is None and isinstance(stages, list) and stages == ["manual"]:
                    continue
                extra = (
                    tuple(str(a) for a in h.get("args", []) or [] if isinstance(a, str))
                    if isinstance(h.get("args"), list)
                    else ()
                )
                where = Location(path, node_line(hid))
                if repo.get("repo") == "local" and isinstance(h.get("entry"), str):
                    raws = self.lex.split(h["entry"])
                    if raws:
                        words = (*raws[0].words, *extra)
                        chunks.append((words, " ".join(words), where))
                elif repo.get("repo") != "meta":
                    chunks.append(((hid, *extra), f"pre-commit hook {hid}", where))
        return [(f"pre-commit:{path}:{hook or '*'}", chunks, "")] if chunks else []

    # ---- pyproject task runners (pdm, hatch, poe) ---------------------------------------------

    def _toml_line(self, path: str, key: str) -> int | None:
        text = self.files.text(path)
        if text is None:
            return None
        m = re.search(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=", text, re.M)
        return text.count("\n", 0, m.start()) + 1 if m else None

    def _entry_chunks(
        self, value: Any, where: Location, prefix: str, keys: tuple[str, ...]
    ) -> list[Chunk]:
        """Chunks for a task-runner entry: a command string, a list (a sequence of task
        references, each given ``prefix``), or a table with one of ``keys``."""
        out: list[Chunk] = []
        if isinstance(value, str):
            out.extend((r.words, r.text, where) for r in self.lex.split(value))
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    out.extend((r.words, r.text, where) for r in self.lex.split(prefix + item))
                elif isinstance(item, dict):
                    out.extend(self._entry_chunks(item, where, prefix, keys))
        elif isinstance(value, dict):
            for key in keys:
                v = value.get(key)
                if isinstance(v, str):
                    p = prefix if key in ("composite", "sequence", "ref") else ""
                    out.extend((r.words, r.text, where) for r in self.lex.split(p + v))
                elif isinstance(v, list) and key in ("composite", "sequence"):
                    out.extend(self._entry_chunks(v, where, prefix, keys))
                elif isinstance(v, list) and all(isinstance(x, str) for x in v):
                    words = tuple(str(x) for x in v)
                    out.append((words, " ".join(words), where))
        return out

    def _tool(self, d: str, *keys: str) -> tuple[str, Any]:
        path = posixpath.join(d, "pyproject.toml") if d else "pyproject.toml"
        node: Any = self.files.toml(path)
        for key in ("tool", *keys):
            node = node.get(key) if isinstance(node, dict) else None
        return path, node

    def _follow_pdm(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        path, scripts = self._tool(cwd, "pdm", "scripts")
        if not isinstance(scripts, dict) or argv[0] not in scripts:
            return []
        where = Location(path, self._toml_line(path, argv[0]))
        chunks = self._entry_chunks(
            scripts[argv[0]], where, "pdm run ", ("cmd", "shell", "composite")
        )
        return [(f"pdm:{path}:{argv[0]}", chunks, cwd)]

    def _follow_poe(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        pos = positionals(argv[1:], {"-C", "--directory", "--root", "-e", "--executor"})
        path, tasks = self._tool(cwd, "poe", "tasks")
        if not pos or not isinstance(tasks, dict) or pos[0] not in tasks:
            return []
        where = Location(path, self._toml_line(path, pos[0]))
        chunks = self._entry_chunks(
            tasks[pos[0]], where, "poe ", ("cmd", "shell", "sequence", "ref")
        )
        return [(f"poe:{path}:{pos[0]}", chunks, cwd)]

    def _follow_hatch(self, env: str, argv: Sequence[str], cwd: str) -> list[Follow]:
        path, envs = self._tool(cwd, "hatch", "envs")
        if envs is None:
            path = posixpath.join(cwd, "hatch.toml") if cwd else "hatch.toml"
            data = self.files.toml(path)
            envs = data.get("envs") if data else None
        env_tbl = envs.get(env) if isinstance(envs, dict) else None
        scripts = env_tbl.get("scripts") if isinstance(env_tbl, dict) else None
        if not isinstance(scripts, dict) or argv[0] not in scripts:
            return []
        value = scripts[argv[0]]
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        where = Location(path, self._toml_line(path, argv[0]))
        chunks: list[Chunk] = []
        for item in items:
            if not isinstance(item, str):
                continue
            item = re.sub(r"\{args(?::([^{}]*))?\}", lambda m: m.group(1) or "", item)
            first = item.split()[0] if item.split() else ""
            if first in scripts:
                item = f"hatch run {env}:{item}"
            chunks.extend((r.words, r.text, where) for r in self.lex.split(item))
        return [(f"hatch:{path}:{env}:{argv[0]}", chunks, cwd)]

    # ---- script files -------------------------------------------------------------------------

    def _follow_script(self, argv: Sequence[str], cwd: str) -> list[Follow]:
        name, args = argv[0], list(argv[1:])
        kind: str | None = None
        word: str | None = None
        if name in _SHELLS or name in ("source", "."):
            i = skip_opts(args, 0, {"-o", "-O", "--rcfile", "--init-file"})
            if any(a.startswith("-") and not a.startswith("--") and "c" in a for a in args[:i]):
                return []
            word, kind = (args[i], "sh") if i < len(args) else (None, None)
        elif name == "python":
            i = skip_opts(args, 0, {"-W", "-X"})
            if i < len(args) and not {"-c", "-m"} & set(args[:i]):
                word, kind = args[i], "py"
        elif name in ("pwsh", "powershell"):
            vals = option_values(args, {"-File", "-f", "-file"})
            word, kind = (vals[0], "ps") if vals else (None, None)
        elif "/" in name or name.endswith(_SCRIPT_EXTS):
            word = name
        if word is None:
            return []
        path = join_path(cwd, word)
        if path is None:
            return []
        text = self.files.text(path)
        if text is None:
            return []
        if kind is None:
            kind = _script_kind(path, text)
        if kind in ("sh", "ps"):
            chunks = [
                (r.words, r.text, Location(path, r.line + 1))
                for r in self.lex.split(text, posix=kind == "sh")
            ]
        elif kind == "py":
            chunks = [(w, t, Location(path, line)) for w, t, line in self.lex.py_commands(text)]
        else:
            return []
        return [(f"script:{path}", chunks, cwd)]

    # ---- GitHub Actions -----------------------------------------------------------------------


def _script_kind(path: str, text: str) -> str | None:
    lower = path.lower()
    if lower.endswith(".py"):
        return "py"
    if lower.endswith((".ps1", ".bat", ".cmd")):
        return "ps"
    if lower.endswith(_SCRIPT_EXTS):
        return "sh"
    first = text.split("\n", 1)[0]
    if first.startswith("#!"):
        if "python" in first:
            return "py"
        if re.search(r"\b(?:ba|z|k|da)?sh\b", first):
            return "sh"
    return None


def inline_scripts(argv: Sequence[str]) -> list[str]:
    """Scripts given inline: ``bash -c '...'``, ``concurrently 'cmd' 'npm:test'``."""
    name, args = argv[0], list(argv[1:])
    if name in _SHELLS:
        i = 0
        while i < len(args) and args[i].startswith("-"):
            a = args[i]
            i += 1
            if a in ("-o", "-O"):
                i += 1
            elif not a.startswith("--") and "c" in a[1:]:
                return args[i : i + 1]
        return []
    if name == "concurrently":
        pos = positionals(
            args,
            {
                "-n",
                "--names",
                "-c",
                "--prefix-colors",
                "-p",
                "--prefix",
                "-s",
                "--success",
                "-m",
                "--max-processes",
                "--restart-tries",
                "--restart-after",
                "-t",
                "--timestamp-format",
                "-l",
                "--prefix-length",
                "--names-separator",
                "--default-input-target",
            },
        )
        out = []
        for p in pos:
            tool, sep, script = p.partition(":")
            out.append(
                f"{tool} run {script}" if sep and tool in ("npm", "yarn", "pnpm", "bun") else p
            )
        return out
    return []
