"""The GraphQL the tool sends, in one place, so that tests validate it against GitHub's schema.

One query answers for many repositories at once: each repository is an alias (``r0``,
``r1``...) over the same fragment; the organisation's ``.github`` repository, whose community
files (``SECURITY``, ``CONTRIBUTING``) repositories inherit, is one more alias.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

REPO_FRAGMENT = """
fragment RepoFacts on Repository {
  name
  nameWithOwner
  owner { login }
  isArchived
  isFork
  isPrivate
  visibility
  repositoryTopics(first: 20) { nodes { topic { name } } }
  releases { totalCount }
  defaultBranchRef {
    name
    target { oid ... on Commit { tarballUrl } }
    refUpdateRule { requiredApprovingReviewCount }
    rules(first: 100) {
      nodes {
        type
        parameters {
          __typename
          ... on PullRequestParameters { requiredApprovingReviewCount }
        }
      }
    }
  }
}
"""

COMMUNITY_FRAGMENT = """
fragment CommunityFiles on Repository {
  root: object(expression: "HEAD:") { ... on Tree { entries { name type } } }
  dotgithub: object(expression: "HEAD:.github") { ... on Tree { entries { name type } } }
  docs: object(expression: "HEAD:docs") { ... on Tree { entries { name type } } }
}
"""


def gql_string(value: str) -> str:
    """A GraphQL string literal (JSON's escaping is valid GraphQL)."""
    return json.dumps(value)


def repos_query(
    repos: Sequence[tuple[str, str]], *, org_community: str | None = None, ref: str | None = None
) -> str:
    """A query for ``repos`` (``(owner, name)``), aliased ``r0``, ``r1``...; with
    ``org_community``, also the community files of that organisation's ``.github``
    repository (alias ``community``); with ``ref``, each repository's ``object(expression:
    ref)`` commit id (alias ``at``). Commits come with their ``tarballUrl``: the archive's
    download link, which spares the REST call that would redirect to it."""
    parts = []
    for i, (owner, name) in enumerate(repos):
        extra = (
            f" at: object(expression: {gql_string(ref)}) {{ oid ... on Commit {{ tarballUrl }} }}"
            if ref
            else ""
        )
        parts.append(
            f"  r{i}: repository(owner: {gql_string(owner)}, name: {gql_string(name)})"
            f" {{ ...RepoFacts{extra} }}"
        )
    # GitHub refuses a fragment that is defined but not used: only the shapes that use one
    # carry it (an org scan asks for the community files alone first).
    fragments = REPO_FRAGMENT if repos else ""
    if org_community is not None:
        parts.append(
            f"  community: repository(owner: {gql_string(org_community)}, "
            f'name: ".github") {{ ...CommunityFiles }}'
        )
        fragments += COMMUNITY_FRAGMENT
    parts.append("  rateLimit { cost remaining resetAt }")
    return "query Repositories {\n" + "\n".join(parts) + "\n}\n" + fragments


def org_standard_query(org: str, path: str) -> str:
    """The text of ``path`` in the organisation's ``.github`` repository."""
    return (
        f'query OrgStandard {{ repository(owner: {gql_string(org)}, name: ".github") {{ '
        f"object(expression: {gql_string('HEAD:' + path)}) {{ ... on Blob {{ text }} }} }} }}"
    )
