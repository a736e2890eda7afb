"""CODEOWNERS coverage

Passes when at least `min_ratio` of the tracked files have an owner under GitHub's rules, read
from the CODEOWNERS file GitHub uses (see `codeowners-present`):

- patterns are gitignore-style: a pattern without a slash matches at any depth (`*.js`,
  `logs`); a leading or inner slash anchors it to the root (`/build/`, `docs/api`); a trailing
  slash matches everything below (`apps/`); `docs/*` matches the direct children of `docs/`
  only; `**` matches any number of directories; `/` alone matches nothing; paths are
  case-sensitive;
- the last matching pattern wins, and a pattern with no owners leaves its files unowned;
- invalid lines are skipped, as GitHub skips them (`codeowners-valid` lists them);
- a CODEOWNERS file of 3 MiB or more, or one that is not text, owns nothing.

The result gives the ratio, the counts and up to five unowned paths; its data carries `ratio`,
`owned` and `total` for reports.

Options: `min_ratio` (0 to 1, default 1.0: every file has an owner).

`skip` when there is no CODEOWNERS file.
"""

from __future__ import annotations

import math

from scorecard.check import Option, Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import RepoSnapshot

from ._codeowners import coverage, load

#: How many unowned paths the result names.
SHOWN = 5


def percent(ratio: float) -> str:
    """``ratio`` as a percentage rounded down, so that 99.96% never reads as 100%."""
    tenths = math.floor(ratio * 1000 + 1e-9)
    return f"{tenths // 10}%" if tenths % 10 == 0 else f"{tenths / 10:.1f}%"


@check(
    id="codeowners-coverage",
    pillar="ownership",
    title="CODEOWNERS coverage",
    remediation="Add CODEOWNERS rules with owners for the unowned paths, or a `*` rule with "
    "the default owning team as the first rule (later rules override it).",
    options={
        "min_ratio": Option(
            "float",
            1.0,
            "the share of tracked files (0 to 1) that must have an owner",
            minimum=0.0,
            maximum=1.0,
        )
    },
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    min_ratio = float(opts["min_ratio"])
    co = load(snap)
    if co is None:
        return skipped("no CODEOWNERS file")
    files = snap.files
    total = len(files)
    if co.not_loaded is not None:
        ok = min_ratio <= 0
        result = passed if ok else failed
        return result(
            f"no file has an owner: {co.not_loaded}",
            [Location(co.path)],
            ratio=0.0,
            owned=0,
            total=total,
        )
    owned, unowned = coverage(snap, co, SHOWN)
    count = total - owned
    ratio = owned / total if total else 1.0
    message = (
        f"{percent(ratio)} of tracked files have an owner in {co.path} ({owned:,} of {total:,}"
    )
    message += f", minimum {percent(min_ratio)})" if min_ratio < 1 else ")"
    if unowned:
        message += "; unowned: " + ", ".join(unowned)
        if count > len(unowned):
            message += f" and {count - len(unowned):,} more"
    result = passed if ratio >= min_ratio else failed
    return result(message, [Location(p) for p in unowned], ratio=ratio, owned=owned, total=total)
