"""Fix pull requests for a whole organisation (``repo-scorecard org ORG --fix-prs``, the
Action's ``fix-prs`` input in ``mode: org``): opt-in in the organisation's standard
(``fix: {pull_requests: true}``), one pull request per repository with fixable failures, made
from the archive the scan graded (no second download), at most ``fix.max_new`` new ones per
scan (default :data:`DEFAULT_MAX_NEW`; updates of open ones do not count). Each repository's
record says what happened (``fix_pr``); a repository whose pull request cannot be written is
recorded with the reason and the scan goes on.
"""

from __future__ import annotations

import threading
from typing import Any

from scorecard.fix.apply import WOULD_FIX, plan
from scorecard.fix.command import pr_body
from scorecard.fix.model import FixContext
from scorecard.github.client import GitHubClient
from scorecard.github.errors import GitHubError
from scorecard.github.fixpr import FileChange, Proposal, propose
from scorecard.model import Scorecard
from scorecard.registry import Registry
from scorecard.snapshot import RepoSnapshot
from scorecard.standard import Standard

#: New fix pull requests per scan, unless the standard's ``fix.max_new`` says.
DEFAULT_MAX_NEW = 10


class OrgFixer:
    def __init__(self, client: GitHubClient, org: str, max_new: int):
        self.client, self.org, self.max_new = client, org, max_new
        self._lock = threading.Lock()
        self.opened = 0
        self.held_back = 0

    def _may_open(self) -> bool:
        with self._lock:
            if self.opened >= self.max_new:
                self.held_back += 1
                return False
            self.opened += 1
            return True

    def __call__(
        self,
        snap: RepoSnapshot,
        standard: Standard,
        registry: Registry,
        card: Scorecard,
        full_name: str,
    ) -> dict[str, Any]:
        """The repository's fix pull request brought in line; what happened, for its record."""
        ctx = FixContext(templates=standard.fix_templates, client=self.client, org=self.org)
        fixes, _ = plan(snap, standard, standard.catalog(registry), ctx, card=card)
        changes = tuple(
            FileChange(e.path, e.new.encode("utf-8"))
            for f in fixes
            if f.action == WOULD_FIX
            for e in f.edits
        )
        if not changes:
            return {"action": "nothing"}
        from scorecard.engine import docs_url

        proposal = Proposal(
            "Scorecard fixes", pr_body(fixes, docs_url), "Fix failing scorecard checks", changes
        )
        try:
            outcome = propose(self.client, full_name, proposal, may_open=self._may_open)
        except GitHubError as exc:
            return {"action": "failed", "reason": str(exc)}
        if outcome.action == "held back":
            return {"action": "held back", "reason": f"max_new {self.max_new} reached"}
        return {"action": outcome.action, "number": outcome.number, "url": outcome.url}
