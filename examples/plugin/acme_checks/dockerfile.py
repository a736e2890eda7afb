"""Dockerfile base image pinned

Passes when every `FROM` of every Dockerfile names its base image by digest
(`python:3.12-slim@sha256:...`), so that a rebuild gets the same bytes; skips when the
repository has no Dockerfile. `FROM scratch` and a stage built earlier in the same file
(`FROM build`) need no digest.
"""

from __future__ import annotations

import re

from scorecard.check import Option, Options, check
from scorecard.model import Finding, Location, failed, passed, skipped
from scorecard.snapshot import ReadError, RepoSnapshot

_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.IGNORECASE | re.MULTILINE)


def dockerfiles(snap: RepoSnapshot, names: list[str]) -> list[str]:
    wanted = {n.lower() for n in names}
    return [p for p in snap.files if p.rsplit("/", 1)[-1].lower() in wanted]


@check(
    id="dockerfile-base-pinned",
    pillar="security",
    title="Dockerfile base image pinned",
    remediation="Pin each `FROM` to a digest: `FROM python:3.12-slim@sha256:<digest>`.",
    options={"names": Option("list[str]", ["Dockerfile", "Containerfile"], "file names to read")},
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    files = dockerfiles(snap, list(opts["names"]))
    if not files:
        return skipped("no Dockerfile")
    loose: list[Location] = []
    for path in files:
        try:
            text = snap.read_text(path)
        except ReadError as exc:
            return failed(f"{path} cannot be read: {exc}", [Location(path)])
        stages: set[str] = set()
        for m in _FROM.finditer(text):
            image, alias = m.group(1), m.group(2)
            if (
                image.lower() != "scratch"
                and image.lower() not in stages
                and "@sha256:" not in image
            ):
                loose.append(Location(path, text.count("\n", 0, m.start()) + 1))
            if alias:
                stages.add(alias.lower())
    if loose:
        where = ", ".join(f"{loc.path}:{loc.line}" for loc in loose[:5])
        return failed(f"{len(loose)} base image(s) not pinned to a digest: {where}", loose)
    return passed(f"every base image is pinned ({len(files)} Dockerfile(s))")
