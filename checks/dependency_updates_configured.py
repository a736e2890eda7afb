"""Dependency updates configured

Passes when automated dependency updates are configured, by either tool GitHub users rely on:

- Dependabot: `.github/dependabot.yml` or `.github/dependabot.yaml`;
- Renovate: `renovate.json`, `renovate.json5`, `.github/renovate.json`,
  `.github/renovate.json5`, `.gitlab/renovate.json`, `.gitlab/renovate.json5`, `.renovaterc`,
  `.renovaterc.json`, `.renovaterc.json5`, or a `renovate` key in the root `package.json`.

The result names what it found. File names are matched exactly, as the tools read them. A
`package.json` that does not parse has no `renovate` key.

Fails when there is none of these.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

DEPENDABOT = (".github/dependabot.yml", ".github/dependabot.yaml")
RENOVATE = (
    "renovate.json",
    "renovate.json5",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
    ".gitlab/renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".renovaterc.json5",
)


def _package_json_renovate(snap: RepoSnapshot) -> bool:
    if not snap.has("package.json"):
        return False
    parsed = snap.json("package.json")
    return parsed.ok and isinstance(parsed.data, dict) and "renovate" in parsed.data


@check(
    id="dependency-updates-configured",
    pillar="security",
    title="Dependency updates configured",
    remediation="Add `.github/dependabot.yml` listing your package ecosystems (or a Renovate "
    "config such as `renovate.json`) so that dependency and security updates arrive "
    "as pull requests.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    dependabot = [p for p in DEPENDABOT if snap.has(p)]
    renovate = [p for p in RENOVATE if snap.has(p)]
    if _package_json_renovate(snap):
        renovate.append("package.json")
    if not dependabot and not renovate:
        return failed("no Dependabot (.github/dependabot.yml) or Renovate configuration")
    tools = []
    if dependabot:
        tools.append(f"Dependabot ({', '.join(dependabot)})")
    if renovate:
        what = ["`renovate` key in package.json" if p == "package.json" else p for p in renovate]
        tools.append(f"Renovate ({', '.join(what)})")
    return passed(
        f"dependency updates configured: {'; '.join(tools)}",
        [Location(p) for p in dependabot + renovate],
    )
