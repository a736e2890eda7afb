"""Evaluating a rule's requirement against a :class:`~scorecard.snapshot.RepoSnapshot`.

Each primitive answers pass, fail or unknown with a sentence naming the condition and where
(``file:line``) it failed. Reads go through the snapshot, which caches them: a file read by
many rules (and checks) is read and parsed once per run. Regular expressions run on RE2, in
time linear in the text whatever the pattern; a file larger than the snapshot's read cap is
not searched and makes the answer ``unknown``.

Limits (module constants): :data:`MAX_LOCATIONS` (20) bounds the locations one condition
reports, the message names the first :data:`SHOWN` (5), and a value from a data file is shown
in at most :data:`SHOWN_VALUE` (80) characters. Messages pass through
:func:`scorecard.secrets.redact` (in :func:`scorecard.rules.to_check`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scorecard.model import Location, Status
from scorecard.parsing import line_of
from scorecard.snapshot import LOCAL_ONLY, NotText, ReadError, RepoSnapshot, TooLarge, Unknown

from .base import matching
from .model import DATA_KINDS, Condition

if TYPE_CHECKING:
    from .model import Rule

MAX_LOCATIONS = 20
SHOWN = 5
#: The longest value from a data file a message shows (longer ones are cut).
SHOWN_VALUE = 80


@dataclass(frozen=True)
class Outcome:
    status: Status  # PASS, FAIL or UNKNOWN
    message: str
    locations: tuple[Location, ...] = ()


def _where(locs: tuple[Location, ...]) -> str:
    shown = ", ".join(f"{loc.path}:{loc.line}" if loc.line else loc.path for loc in locs[:SHOWN])
    return shown + (f" and {len(locs) - SHOWN} more" if len(locs) > SHOWN else "")


def describe(cond: Condition) -> str:
    """The condition in one line, as the standard wrote it: ``files **/.env``."""
    if cond.kind in ("all", "any"):
        return f"{cond.kind}({'; '.join(describe(c) for c in cond.children)})"
    if cond.kind == "not":
        return f"not({describe(cond.children[0])})"
    if cond.kind == "rule":
        return f"rule {cond.spec['rule']}"
    return f"{cond.kind} " + " ".join(
        f"{k}={v!r}" if not isinstance(v, str) else f"{k} {v}" for k, v in cond.spec.items()
    )


def evaluate(cond: Condition, snap: RepoSnapshot, rules: Mapping[str, Rule]) -> Outcome:
    if cond.kind == "rule":
        return evaluate(rules[cond.spec["rule"]].require, snap, rules)
    if cond.kind == "not":
        inner = evaluate(cond.children[0], snap, rules)
        if inner.status is Status.UNKNOWN:
            return inner
        if inner.status is Status.PASS:
            return Outcome(
                Status.FAIL, f"`{describe(cond)}` failed: {inner.message}", inner.locations
            )
        return Outcome(Status.PASS, f"`{describe(cond)}` holds: {inner.message}")
    if cond.kind in ("all", "any"):
        outs = [evaluate(c, snap, rules) for c in cond.children]
        want = Status.FAIL if cond.kind == "all" else Status.PASS
        decisive = [o for o in outs if o.status is want]
        if decisive and cond.kind == "any":
            return decisive[0]
        if decisive:  # an `all` with failures
            locs = tuple(loc for o in decisive for loc in o.locations)[:MAX_LOCATIONS]
            return Outcome(Status.FAIL, "; ".join(o.message for o in decisive), locs)
        unknowns = [o for o in outs if o.status is Status.UNKNOWN]
        if unknowns:
            return Outcome(Status.UNKNOWN, "; ".join(o.message for o in unknowns))
        if cond.kind == "all":
            return Outcome(Status.PASS, "; ".join(o.message for o in outs))
        locs = tuple(loc for o in outs for loc in o.locations)[:MAX_LOCATIONS]
        return Outcome(
            Status.FAIL,
            f"none of `{describe(cond)}` holds: " + "; ".join(o.message for o in outs),
            locs,
        )
    primitive = {
        "files": _files,
        "content": _content,
        "data": _data,
        "workflow": _workflow,
        "platform": _platform,
    }[cond.kind]
    return primitive(cond, snap)


def _files(cond: Condition, snap: RepoSnapshot) -> Outcome:
    glob, spec = cond.spec["glob"], cond.spec
    found = matching(snap, cond.compiled)
    lo, hi = int(spec.get("min", 1)), spec.get("max")
    locs = tuple(Location(p) for p in found[:MAX_LOCATIONS])
    n = f"{len(found)} file{'s' if len(found) != 1 else ''} match{'es' if len(found) == 1 else ''}"
    if len(found) < lo:
        what = "no file matches" if not found else f"only {n}"
        return Outcome(Status.FAIL, f"files `{glob}`: {what} (at least {lo} needed)", locs)
    if hi is not None and len(found) > int(hi):
        return Outcome(
            Status.FAIL, f"files `{glob}`: {n} (at most {hi} allowed): {_where(locs)}", locs
        )
    return Outcome(
        Status.PASS, f"files `{glob}`: {n}" + (f": {_where(locs)}" if found else ""), locs
    )


def _content(cond: Condition, snap: RepoSnapshot) -> Outcome:
    spec = cond.spec
    glob, rx = cond.compiled
    target = spec.get("file") or spec["glob"]
    absent = "absent" in spec
    pattern = spec["absent"] if absent else spec["contains"]
    paths = matching(snap, glob) if glob is not None else [spec["file"]]
    if glob is None and not snap.has(spec["file"]):
        if absent:
            return Outcome(Status.PASS, f"content: {spec['file']} does not exist")
        return Outcome(
            Status.FAIL, f"content: {spec['file']} does not exist", (Location(spec["file"]),)
        )
    hits: list[Location] = []
    lacking: list[Location] = []
    too_large: list[str] = []
    for path in paths:
        try:
            text = snap.read_text(path)
        except TooLarge:
            too_large.append(path)
            continue
        except (NotText, ReadError):  # binary or unreadable: no text to search, none found
            if not absent:
                lacking.append(Location(path))
            continue
        if absent:
            for m in rx.finditer(text):
                hits.append(Location(path, text.count("\n", 0, m.start()) + 1))
                if len(hits) >= MAX_LOCATIONS:
                    break
        elif rx.search(text) is None:
            lacking.append(Location(path))
        if len(hits) >= MAX_LOCATIONS or len(lacking) >= MAX_LOCATIONS:
            break
    bad = tuple(hits or lacking)
    if bad:
        what = f"`{pattern}` found at" if absent else f"`{pattern}` missing from"
        return Outcome(Status.FAIL, f"content `{target}`: {what} {_where(bad)}", bad)
    if too_large:
        return Outcome(
            Status.UNKNOWN,
            f"content `{target}`: {', '.join(too_large[:SHOWN])} too large to search",
        )
    if not absent and not paths:
        return Outcome(Status.FAIL, f"content `{target}`: no file matches")
    what = "absent from" if absent else "found in"
    return Outcome(
        Status.PASS,
        f"content `{target}`: `{pattern}` {what} {len(paths)} file{'s' if len(paths) != 1 else ''}",
    )


def _show(value: Any) -> str:
    """A value from a data file, as a message shows it: at most ``SHOWN_VALUE`` characters."""
    text = repr(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 3] + "..."


def _same(a: Any, b: Any) -> bool:
    """Equality as data files mean it: ``true`` is not ``1``."""
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _test(spec: Mapping[str, Any], test: str, matcher: Any, value: Any) -> str | None:
    """Why ``value`` fails the data test, or None."""
    if test == "exists":
        return (
            None
            if (value is not None) == bool(spec["exists"])
            else ("has no value" if spec["exists"] else f"is {_show(value)} (it must not exist)")
        )
    if value is None:
        return "has no value"
    if test == "equals":
        if _same(value, spec["equals"]):
            return None
        return f"is {_show(value)}, not {spec['equals']!r}"
    if test == "matches":
        if isinstance(value, str) and matcher.search(value) is not None:
            return None
        return f"is {_show(value)}, which does not match `{spec['matches']}`"
    if test == "in":
        if any(_same(value, v) for v in spec["in"]):
            return None
        return f"is {_show(value)}, not one of {spec['in']!r}"
    if not _number(value):
        return f"is {_show(value)}, not a number"
    if test == "min" and value < spec["min"]:
        return f"is {value!r}; at least {spec['min']!r} needed"
    if test == "max" and value > spec["max"]:
        return f"is {value!r}; at most {spec['max']!r} allowed"
    return None


def _data(cond: Condition, snap: RepoSnapshot) -> Outcome:
    spec = cond.spec
    file, path = spec["file"], spec["path"]
    query, test, matcher = cond.compiled
    label = f"data {file} `{path}`"
    if not snap.has(file):
        if test == "exists" and not spec["exists"]:
            return Outcome(Status.PASS, f"{label}: {file} does not exist")
        return Outcome(Status.FAIL, f"{label}: {file} does not exist", (Location(file),))
    try:
        snap.read_bytes(file)  # kept by the snapshot for the parser below
    except TooLarge as exc:
        return Outcome(Status.UNKNOWN, f"{label}: {file} is too large to read ({exc.reason})")
    except ReadError:
        pass  # the parser says why
    kind = DATA_KINDS[file[file.rfind(".") :].lower()]
    parsed = {"yaml": snap.yaml_all, "json": snap.json, "toml": snap.toml}[kind](file)
    if not parsed.ok:
        assert parsed.error is not None
        return Outcome(
            Status.FAIL,
            f"{label}: {file} cannot be read: {parsed.error}",
            (Location(file, parsed.error.line),),
        )
    docs = parsed.data if kind == "yaml" else [parsed.data]
    problem = "has no value"
    line: int | None = None
    for doc in docs or [None]:
        value = query.search(doc)
        why = _test(spec, test, matcher, value)
        if why is None:
            return Outcome(
                Status.PASS,
                f"{label} is {_show(value)}" if value is not None else f"{label} has no value",
                (Location(file, line_of(value)),),
            )
        problem, line = why, line_of(value, line_of(doc))
    return Outcome(
        Status.FAIL,
        f"{label} {problem} ({file}{f':{line}' if line else ''})",
        (Location(file, line),),
    )


def _glob_ref(pattern: str, ref: str) -> bool:
    target = ref.strip().lower() if "@" in pattern else ref.strip().split("@", 1)[0].lower()
    return fnmatch.fnmatchcase(target, pattern.lower())


def _workflow(cond: Condition, snap: RepoSnapshot) -> Outcome:
    # ci-runs-tests's analyser (one analysis per snapshot), from checks/ as installed
    # (pyproject's package-dir); mypy reads the same module as the source tree's checks/
    if TYPE_CHECKING:
        from checks.ci import analyse
    else:
        from scorecard.checks.ci import analyse

    ci = analyse(snap)
    if "uses" in cond.spec:
        pattern = str(cond.spec["uses"])
        uses = [u for u in ci.uses if _glob_ref(pattern, u.ref)]
        if uses:
            locs = tuple(dict.fromkeys(u.location for u in uses))[:MAX_LOCATIONS]
            return Outcome(Status.PASS, f"workflow uses `{uses[0].ref}` ({_where(locs)})", locs)
        return Outcome(
            Status.FAIL, f"workflow: no CI step uses `{pattern}` ({len(ci.uses)} `uses:` read)"
        )
    words = str(cond.spec["runs"]).split()
    for cmd in ci.commands:
        argv = cmd.argv[: len(words)]
        if len(argv) == len(words) and all(w in ("*", a) for w, a in zip(words, argv, strict=True)):
            return Outcome(
                Status.PASS,
                f"workflow runs `{' '.join(words)}`: {cmd.describe()} at {cmd.location}",
                (cmd.location,),
            )
    return Outcome(
        Status.FAIL,
        f"workflow: no CI step runs `{' '.join(words)}` ({len(ci.commands)} commands read)",
    )


def _platform(cond: Condition, snap: RepoSnapshot) -> Outcome:
    ((key, want),) = cond.spec.items()
    label = f"platform {key}"
    if key == "property":
        name = next(iter(want))
        where = (
            LOCAL_ONLY
            if not snap.is_remote
            else ("not read: the repository facts the GitHub source reads do not carry them")
        )
        return Outcome(Status.UNKNOWN, f"{label} {name}: custom properties are {where}")
    if key == "default_branch_protected":
        facts = snap.platform.branch_protection(0)
        if isinstance(facts, Unknown):
            return Outcome(Status.UNKNOWN, f"{label}: {facts.reason}")
        protected = bool(facts.get("protected"))
        ok = protected == bool(want)
        return Outcome(
            Status.PASS if ok else Status.FAIL,
            f"{label}: the default branch is {'' if protected else 'not '}protected",
        )
    if not snap.is_remote:
        return Outcome(Status.UNKNOWN, f"{label}: repository {key}s are {LOCAL_ONLY}")
    if key == "topic":
        ok = want in snap.meta.topics
        topics = ", ".join(snap.meta.topics) or "none"
        return Outcome(
            Status.PASS if ok else Status.FAIL,
            f"{label} {want}: {'present' if ok else 'missing'} (topics: {topics})",
        )
    allowed = [want] if isinstance(want, str) else list(want)
    vis = snap.meta.visibility
    if vis is None:
        return Outcome(Status.UNKNOWN, f"{label}: the repository's visibility is not known")
    ok = vis in allowed
    return Outcome(
        Status.PASS if ok else Status.FAIL,
        f"{label}: the repository is {vis}" + ("" if ok else f", not {' or '.join(allowed)}"),
    )
