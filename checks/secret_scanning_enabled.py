"""Secret scanning enabled

Passes when GitHub secret scanning is on for the repository: its
`security_and_analysis.secret_scanning.status` is `enabled`. Fails when it is `disabled`.

`unknown` in local mode, and where GitHub leaves the field out of the repository's answer
(the token has no admin rights on the repository): the message says what is needed.
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, failed, passed, unknown
from scorecard.snapshot import RepoSnapshot, Unknown


@check(
    id="secret-scanning-enabled",
    pillar="security",
    title="Secret scanning enabled",
    remediation="Turn on secret scanning (and push protection) in the repository's Settings > "
    "Code security, or for every repository in the organisation's settings.",
    needs_api=True,
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    status = snap.platform.secret_scanning()
    if isinstance(status, Unknown):
        return unknown(status.reason)
    if status == "enabled":
        return passed("secret scanning is enabled", status=status)
    return failed(f"secret scanning is {status or 'not enabled'}", status=status)
