"""Code scanning configured

Passes when a static analyser scans the code:

- a workflow uses `github/codeql-action/init` or `github/codeql-action/analyze` (CodeQL);
- or a CI step runs one of these, as an action or as a command (followed into Makefile
  targets, `package.json` scripts, tox and nox environments, pre-commit hooks and script files,
  as in `ci-runs-tests`): Semgrep (`semgrep/semgrep-action`, `returntocorp/semgrep-action`,
  `semgrep scan`/`semgrep ci`), Snyk Code (`snyk code test`, or a `snyk/actions/*` action with
  `command: code test`), SonarCloud/SonarQube (`SonarSource/sonarcloud-github-action`,
  `SonarSource/sonarqube-scan-action`, `sonar-scanner`, `mvn sonar:sonar`, `gradle sonar`),
  Bandit (`bandit`, `bandit-baseline` or a Bandit action), gosec (`securego/gosec` or
  `gosec`), zizmor (`zizmorcore/zizmor-action` or `zizmor`), the CodeQL CLI (`codeql database
  analyze`, also as `gh codeql ...` or through a variable naming it: `$CODEQL`,
  `${{ steps.init.outputs.codeql-path }}`).

Uploading someone else's SARIF (`github/codeql-action/upload-sarif` alone), linters (ruff,
ESLint, golangci-lint...), `snyk test` (dependencies, not code) and OpenSSF Scorecard do not
count.

When no workflow qualifies, GitHub's code-scanning default setup decides: `pass` when it is
configured, `fail` when it is not (`unknown` when a job calls a reusable workflow of another
repository, whose steps cannot be read here, or when the CI is too large to read entirely).
Reading the default setup needs the API with `administration: read`; without it, and in local
mode, the result is `unknown`. Where GitHub does not offer code scanning at all (a private
repository without GitHub Advanced Security, which GitHub answers with its documented 403 even
to an admin), the result is `fail` saying so, or `skip` with the option
`skip_when_unavailable: true`.
"""

from __future__ import annotations

from scorecard.check import Option, Options, check
from scorecard.model import Finding, Location, failed, passed, skipped, unknown
from scorecard.snapshot import NotAvailable, RepoSnapshot, Unknown

from .ci import (
    analyse,
    code_scanner,
    describe_remote,
    describe_truncated,
    remote_workflows,
    scanning_action,
)

SHOWN = 10


@check(
    id="code-scanning-configured",
    pillar="security",
    title="Code scanning configured",
    remediation="Enable CodeQL: in the repository's Settings > Code security, set up code "
    "scanning with the default setup, or add a workflow using "
    "`github/codeql-action/init` and `github/codeql-action/analyze`.",
    options={
        "skip_when_unavailable": Option(
            "bool",
            False,
            "skip (instead of fail) a repository on which GitHub does not offer "
            "code scanning, such as a private repository without GitHub Advanced Security",
        )
    },
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    ci = analyse(snap)
    hits: list[tuple[str, str, Location]] = []
    for use in ci.uses:
        tool = scanning_action(use)
        if tool is not None:
            own = f"`{use.ref}`"
            chain = " -> ".join([*use.via, f"{use.source} {own}"]) if use.via else own
            hits.append((tool, chain, use.location))
    for cmd in ci.commands:
        tool = code_scanner(cmd)
        if tool is not None:
            hits.append((tool, cmd.describe(), cmd.location))
    if hits:
        tool, chain, where = hits[0]
        locations = list(dict.fromkeys(loc for _, _, loc in hits))
        tools = list(dict.fromkeys(t for t, _, _ in hits))
        also = f" (also {', '.join(tools[1:])})" if len(tools) > 1 else ""
        return passed(
            f"code scanning in CI: {tool}, {chain} at {where}{also}", locations[:SHOWN], tools=tools
        )
    setup = snap.platform.code_scanning_default_setup()
    if isinstance(setup, Unknown):
        return unknown(f"no workflow runs a code scanner, and {setup.reason}")
    if isinstance(setup, NotAvailable):
        message = f"no workflow runs a code scanner, and {setup.reason}"
        return skipped(message) if opts["skip_when_unavailable"] else failed(message)
    if setup:
        return passed("code scanning uses GitHub's default setup (CodeQL)", tools=["CodeQL"])
    truncated = describe_truncated(ci)
    if truncated:
        return unknown(
            "no workflow step read here runs a code scanner and GitHub's default "
            f"setup is not enabled, but {truncated}"
        )
    remote = remote_workflows(ci)
    if remote:
        return unknown(
            "no workflow step read here runs a code scanner and GitHub's default "
            "setup is not enabled, but jobs call reusable workflows of other "
            f"repositories, which cannot be read: {describe_remote(remote)}"
        )
    return failed(
        "no code scanning: no workflow runs CodeQL or another code scanner (Semgrep, "
        "Snyk Code, SonarQube, Bandit, gosec, zizmor), and GitHub's default setup is "
        "not enabled"
    )
