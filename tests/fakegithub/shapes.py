"""REST answer bodies, shaped as GitHub's OpenAPI description says (every required field,
URLs in the GitHub Enterprise Server layout of this server)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .state import (
    Comment,
    Issue,
    Label,
    Org,
    Repo,
    Team,
    Token,
    User,
    iso,
    node_id,
)

if TYPE_CHECKING:
    from .state import State

DOCS = "https://docs.github.com/rest"
REACTIONS = ("+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket")


class Shapes:
    def __init__(self, state: State) -> None:
        self.s = state

    @property
    def api(self) -> str:
        return self.s.api_url

    @property
    def web(self) -> str:
        return self.s.web_url

    # -- users -----------------------------------------------------------------------------
    def simple_user(self, user: User | str | None) -> dict[str, Any] | None:
        if user is None:
            return None
        if isinstance(user, str):
            found = self.s.user(user)
            user = found if found is not None else User(user, 0)
        api, login = self.api, user.login
        html = (
            f"{self.web}/apps/{login[:-5]}"
            if user.type == "Bot" and login.endswith("[bot]")
            else f"{self.web}/{login}"
        )
        return {
            "login": login,
            "id": user.id,
            "node_id": node_id(user.node_type, user.id),
            "avatar_url": f"{self.web}/avatars/u/{user.id}?v=4",
            "gravatar_id": "",
            "url": f"{api}/users/{login}",
            "html_url": html,
            "followers_url": f"{api}/users/{login}/followers",
            "following_url": f"{api}/users/{login}/following{{/other_user}}",
            "gists_url": f"{api}/users/{login}/gists{{/gist_id}}",
            "starred_url": f"{api}/users/{login}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/users/{login}/subscriptions",
            "organizations_url": f"{api}/users/{login}/orgs",
            "repos_url": f"{api}/users/{login}/repos",
            "events_url": f"{api}/users/{login}/events{{/privacy}}",
            "received_events_url": f"{api}/users/{login}/received_events",
            "type": user.type,
            "user_view_type": "public",
            "site_admin": user.site_admin,
        }

    def full_user(self, user: User, private: bool) -> dict[str, Any]:
        body = self.simple_user(user)
        assert body is not None
        public_repos = sum(
            1
            for r in list(self.s.repos.values())
            if r.owner.lower() == user.login.lower() and not r.private
        )
        body.update(
            {
                "user_view_type": "private" if private else "public",
                "name": user.name,
                "company": None,
                "blog": "",
                "location": None,
                "email": user.email,
                "hireable": None,
                "bio": None,
                "twitter_username": None,
                "notification_email": user.email,
                "public_repos": public_repos,
                "public_gists": 0,
                "followers": 0,
                "following": 0,
                "created_at": iso(user.created_at),
                "updated_at": iso(user.created_at),
            }
        )
        if private:
            body.update(
                {
                    "private_gists": 0,
                    "total_private_repos": 0,
                    "owned_private_repos": 0,
                    "disk_usage": 0,
                    "collaborators": 0,
                    "two_factor_authentication": True,
                    "plan": {
                        "name": "pro",
                        "space": 976562499,
                        "collaborators": 0,
                        "private_repos": 9999,
                    },
                }
            )
        return body

    def org(self, org: Org, token: Token) -> dict[str, Any]:
        api, login = self.api, org.login
        repos = [r for r in list(self.s.repos.values()) if r.owner.lower() == login.lower()]
        return {
            "login": login,
            "id": org.id,
            "node_id": node_id("Organization", org.id),
            "url": f"{api}/orgs/{login}",
            "repos_url": f"{api}/orgs/{login}/repos",
            "events_url": f"{api}/orgs/{login}/events",
            "hooks_url": f"{api}/orgs/{login}/hooks",
            "issues_url": f"{api}/orgs/{login}/issues",
            "members_url": f"{api}/orgs/{login}/members{{/member}}",
            "public_members_url": f"{api}/orgs/{login}/public_members{{/member}}",
            "avatar_url": f"{self.web}/avatars/u/{org.id}?v=4",
            "description": org.description,
            "name": org.name or login,
            "is_verified": False,
            "has_organization_projects": True,
            "has_repository_projects": True,
            "public_repos": sum(1 for r in repos if not r.private),
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "html_url": f"{self.web}/{login}",
            "type": "Organization",
            "created_at": iso(org.created_at),
            "updated_at": iso(org.created_at),
            "archived_at": None,
            **(
                {
                    "total_private_repos": sum(1 for r in repos if r.private),
                    "owned_private_repos": sum(1 for r in repos if r.private),
                    "two_factor_requirement_enabled": True,
                    "members_can_create_repositories": True,
                    "default_repository_permission": "read",
                }
                if token.kind == "admin"
                else {}
            ),
        }

    # -- repositories ----------------------------------------------------------------------
    def _repo_urls(self, repo: Repo) -> dict[str, Any]:
        base = f"{self.api}/repos/{repo.full_name}"
        return {
            "forks_url": f"{base}/forks",
            "keys_url": f"{base}/keys{{/key_id}}",
            "collaborators_url": f"{base}/collaborators{{/collaborator}}",
            "teams_url": f"{base}/teams",
            "hooks_url": f"{base}/hooks",
            "issue_events_url": f"{base}/issues/events{{/number}}",
            "events_url": f"{base}/events",
            "assignees_url": f"{base}/assignees{{/user}}",
            "branches_url": f"{base}/branches{{/branch}}",
            "tags_url": f"{base}/tags",
            "blobs_url": f"{base}/git/blobs{{/sha}}",
            "git_tags_url": f"{base}/git/tags{{/sha}}",
            "git_refs_url": f"{base}/git/refs{{/sha}}",
            "trees_url": f"{base}/git/trees{{/sha}}",
            "statuses_url": f"{base}/statuses/{{sha}}",
            "languages_url": f"{base}/languages",
            "stargazers_url": f"{base}/stargazers",
            "contributors_url": f"{base}/contributors",
            "subscribers_url": f"{base}/subscribers",
            "subscription_url": f"{base}/subscription",
            "commits_url": f"{base}/commits{{/sha}}",
            "git_commits_url": f"{base}/git/commits{{/sha}}",
            "comments_url": f"{base}/comments{{/number}}",
            "issue_comment_url": f"{base}/issues/comments{{/number}}",
            "contents_url": f"{base}/contents/{{+path}}",
            "compare_url": f"{base}/compare/{{base}}...{{head}}",
            "merges_url": f"{base}/merges",
            "archive_url": f"{base}/{{archive_format}}{{/ref}}",
            "downloads_url": f"{base}/downloads",
            "issues_url": f"{base}/issues{{/number}}",
            "pulls_url": f"{base}/pulls{{/number}}",
            "milestones_url": f"{base}/milestones{{/number}}",
            "notifications_url": f"{base}/notifications{{?since,all,participating}}",
            "labels_url": f"{base}/labels{{/name}}",
            "releases_url": f"{base}/releases{{/id}}",
            "deployments_url": f"{base}/deployments",
        }

    def pushed_at(self, repo: Repo) -> datetime | None:
        sha = self.s.head_sha(repo)
        info = self.s.git.commit(repo.path, sha) if sha else None
        return datetime.fromtimestamp(info.committer.timestamp, timezone.utc) if info else None

    def security_and_analysis(self, repo: Repo) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if repo.private:
            out["advanced_security"] = {
                "status": "enabled" if repo.secret_scanning == "enabled" else "disabled"
            }
        out["dependabot_security_updates"] = {
            "status": repo.dependabot_security_updates or "disabled"
        }
        if repo.secret_scanning is not None:
            out["secret_scanning"] = {"status": repo.secret_scanning}
            out["secret_scanning_push_protection"] = {
                "status": repo.secret_scanning_push_protection or repo.secret_scanning
            }
            out["secret_scanning_non_provider_patterns"] = {"status": "disabled"}
            out["secret_scanning_validity_checks"] = {"status": "disabled"}
        return out

    def license(self, repo: Repo) -> dict[str, Any] | None:
        if not repo.license:
            return None
        key = repo.license.get("key", "other")
        return {
            "key": key,
            "name": repo.license.get("name", key.upper()),
            "spdx_id": repo.license.get("spdx_id", key.upper()),
            "url": f"{self.api}/licenses/{key}",
            "node_id": node_id("License", 1),
        }

    def repository(self, repo: Repo, token: Token, *, full: bool = True) -> dict[str, Any]:
        """``full-repository`` (GET /repos/{o}/{r}) or ``minimal-repository`` (lists)."""
        owner = self.s.user(repo.owner)
        pushed = self.pushed_at(repo)
        base: dict[str, Any] = {
            "id": repo.id,
            "node_id": node_id("Repository", repo.id),
            "name": repo.name,
            "full_name": repo.full_name,
            "private": repo.private,
            "owner": self.simple_user(owner or repo.owner),
            "html_url": f"{self.web}/{repo.full_name}",
            "description": repo.description,
            "fork": repo.fork,
            "url": f"{self.api}/repos/{repo.full_name}",
            **self._repo_urls(repo),
            "created_at": iso(repo.created_at),
            "updated_at": iso(max(repo.updated_at, pushed) if pushed else repo.updated_at),
            "pushed_at": iso(pushed or repo.created_at),
            "git_url": f"git://{self.web.split('://', 1)[1]}/{repo.full_name}.git",
            "ssh_url": f"git@{self.web.split('://', 1)[1].split(':')[0]}:{repo.full_name}.git",
            "clone_url": f"{self.web}/{repo.full_name}.git",
            "svn_url": f"{self.web}/{repo.full_name}",
            "homepage": repo.homepage,
            "size": 0,
            "stargazers_count": repo.stargazers,
            "watchers_count": repo.stargazers,
            "language": repo.language,
            "has_issues": repo.has_issues,
            "has_projects": repo.has_projects,
            "has_downloads": True,
            "has_wiki": repo.has_wiki,
            "has_pages": False,
            "has_discussions": repo.has_discussions,
            "forks_count": repo.forks_count,
            "mirror_url": None,
            "archived": repo.archived,
            "disabled": False,
            "open_issues_count": sum(1 for i in list(repo.issues.values()) if i.state == "open"),
            "license": self.license(repo),
            "allow_forking": True,
            "is_template": repo.is_template,
            "web_commit_signoff_required": False,
            "topics": list(repo.topics),
            "visibility": repo.visibility,
            "forks": repo.forks_count,
            "open_issues": sum(1 for i in list(repo.issues.values()) if i.state == "open"),
            "watchers": repo.stargazers,
            "default_branch": repo.default_branch,
            "permissions": self.s.permissions(token, repo),
        }
        if repo.custom_properties:
            base["custom_properties"] = dict(repo.custom_properties)
        if full:
            org = self.s.org(repo.owner)
            base.update(
                {
                    "temp_clone_token": "" if not repo.private else None,
                    "allow_squash_merge": True,
                    "allow_merge_commit": True,
                    "allow_rebase_merge": True,
                    "allow_auto_merge": False,
                    "delete_branch_on_merge": False,
                    "allow_update_branch": False,
                    "use_squash_pr_title_as_default": False,
                    "squash_merge_commit_message": "COMMIT_MESSAGES",
                    "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
                    "merge_commit_message": "PR_TITLE",
                    "merge_commit_title": "MERGE_MESSAGE",
                    "network_count": repo.forks_count,
                    "subscribers_count": 0,
                }
            )
            if org is not None:
                base["organization"] = self.simple_user(org)
            if not repo.private:
                base.pop("temp_clone_token")
        if self.s.can_read_admin(token):
            base["security_and_analysis"] = self.security_and_analysis(repo)
        return base

    def repository_simple(self, repo_json: dict[str, Any]) -> dict[str, Any]:
        """The ``repository`` schema (pull request head/base) from a full body."""
        out = dict(repo_json)
        out.pop("security_and_analysis", None)
        out.pop("organization", None)
        return out

    # -- issues and comments ---------------------------------------------------------------
    def reactions(self, url: str) -> dict[str, Any]:
        return {"url": f"{url}/reactions", "total_count": 0, **dict.fromkeys(REACTIONS, 0)}

    def label(self, repo: Repo, label: Label) -> dict[str, Any]:
        return {
            "id": label.id,
            "node_id": node_id("Label", label.id),
            "url": f"{self.api}/repos/{repo.full_name}/labels/{label.name}",
            "name": label.name,
            "color": label.color,
            "default": label.default,
            "description": label.description,
        }

    def issue(self, repo: Repo, issue: Issue) -> dict[str, Any]:
        base = f"{self.api}/repos/{repo.full_name}"
        url = f"{base}/issues/{issue.number}"
        kind = "pull" if issue.pull else "issues"
        comments = sum(1 for c in list(repo.comments.values()) if c.issue_number == issue.number)
        body: dict[str, Any] = {
            "url": url,
            "repository_url": base,
            "labels_url": f"{url}/labels{{/name}}",
            "comments_url": f"{url}/comments",
            "events_url": f"{url}/events",
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{issue.number}",
            "id": issue.id,
            "node_id": node_id("PullRequest" if issue.pull else "Issue", issue.id),
            "number": issue.number,
            "title": issue.title,
            "user": self.simple_user(issue.user),
            "labels": [self.label(repo, self.s.ensure_label(repo, name)) for name in issue.labels],
            "state": issue.state,
            "locked": False,
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "comments": comments,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "author_association": self.s.author_association(issue.user, repo),
            "type": None,
            "active_lock_reason": None,
            "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
            "body": issue.body,
            "closed_by": None,
            "reactions": self.reactions(url),
            "timeline_url": f"{url}/timeline",
            "performed_via_github_app": None,
            "state_reason": issue.state_reason,
        }
        body.pop("type")
        if issue.pull:
            body["draft"] = issue.pull.draft
            pull_url = f"{base}/pulls/{issue.number}"
            html = f"{self.web}/{repo.full_name}/pull/{issue.number}"
            body["pull_request"] = {
                "url": pull_url,
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
                "merged_at": None,
            }
        return body

    def comment(self, repo: Repo, comment: Comment) -> dict[str, Any]:
        base = f"{self.api}/repos/{repo.full_name}"
        url = f"{base}/issues/comments/{comment.id}"
        issue = repo.issues.get(comment.issue_number)
        kind = "pull" if issue is not None and issue.pull else "issues"
        return {
            "url": url,
            "html_url": f"{self.web}/{repo.full_name}/{kind}/{comment.issue_number}"
            f"#issuecomment-{comment.id}",
            "issue_url": f"{base}/issues/{comment.issue_number}",
            "id": comment.id,
            "node_id": node_id("IssueComment", comment.id),
            "user": self.simple_user(comment.user),
            "created_at": iso(comment.created_at),
            "updated_at": iso(comment.updated_at),
            "author_association": self.s.author_association(comment.user, repo),
            "body": comment.body,
            "reactions": self.reactions(url),
            "performed_via_github_app": None,
        }

    def pull(self, repo: Repo, issue: Issue, token: Token) -> dict[str, Any]:
        pull = issue.pull
        assert pull is not None
        base_url = f"{self.api}/repos/{repo.full_name}"
        url = f"{base_url}/pulls/{issue.number}"
        html = f"{self.web}/{repo.full_name}/pull/{issue.number}"
        repo_json = self.repository_simple(self.repository(repo, token, full=False))
        if pull.from_fork:
            fork = Repo(
                pull.fork_owner,
                repo.name,
                repo.path,
                repo.id + 1_000_000,
                fork=True,
                default_branch=repo.default_branch,
                visibility=repo.visibility,
            )
            head_repo = self.repository_simple(self.repository(fork, token, full=False))
            head_repo["permissions"] = dict.fromkeys(
                ("admin", "maintain", "push", "triage", "pull"), False
            )
            head_repo["permissions"]["pull"] = True
            head_user = pull.fork_owner
        else:
            head_repo, head_user = repo_json, repo.owner
        commits, files, additions, deletions = self.s.git.diff_stats(
            repo.path, pull.base_sha, pull.head_sha
        )
        comments = sum(1 for c in list(repo.comments.values()) if c.issue_number == issue.number)
        issue_json = self.issue(repo, issue)
        return {
            "url": url,
            "id": pull.id,
            "node_id": node_id("PullRequest", pull.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": f"{base_url}/issues/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "locked": False,
            "title": issue.title,
            "user": self.simple_user(issue.user),
            "body": issue.body,
            "created_at": iso(issue.created_at),
            "updated_at": iso(issue.updated_at),
            "closed_at": iso(issue.closed_at),
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": issue_json["assignee"],
            "assignees": issue_json["assignees"],
            "requested_reviewers": [],
            "requested_teams": [],
            "labels": issue_json["labels"],
            "milestone": None,
            "draft": pull.draft,
            "commits_url": f"{url}/commits",
            "review_comments_url": f"{url}/comments",
            "review_comment_url": f"{base_url}/pulls/comments{{/number}}",
            "comments_url": f"{base_url}/issues/{issue.number}/comments",
            "statuses_url": f"{base_url}/statuses/{pull.head_sha}",
            "head": {
                "label": f"{head_user}:{pull.head_ref}",
                "ref": pull.head_ref,
                "sha": pull.head_sha,
                "user": self.simple_user(head_user),
                "repo": head_repo,
            },
            "base": {
                "label": f"{repo.owner}:{pull.base_ref}",
                "ref": pull.base_ref,
                "sha": pull.base_sha,
                "user": self.simple_user(repo.owner),
                "repo": repo_json,
            },
            "_links": {
                "self": {"href": url},
                "html": {"href": html},
                "issue": {"href": f"{base_url}/issues/{issue.number}"},
                "comments": {"href": f"{base_url}/issues/{issue.number}/comments"},
                "review_comments": {"href": f"{url}/comments"},
                "review_comment": {"href": f"{base_url}/pulls/comments{{/number}}"},
                "commits": {"href": f"{url}/commits"},
                "statuses": {"href": f"{base_url}/statuses/{pull.head_sha}"},
            },
            "author_association": self.s.author_association(issue.user, repo),
            "auto_merge": None,
            "active_lock_reason": None,
            "merged": pull.merged,
            "mergeable": None,
            "rebaseable": None,
            "mergeable_state": "unknown",
            "merged_by": None,
            "comments": comments,
            "review_comments": 0,
            "maintainer_can_modify": False,
            "commits": commits,
            "additions": additions,
            "deletions": deletions,
            "changed_files": files,
        }

    def commit(self, repo: Repo, sha: str) -> dict[str, Any]:
        info = self.s.git.commit(repo.path, sha)
        assert info is not None
        base = f"{self.api}/repos/{repo.full_name}"

        def person(sig: Any) -> dict[str, Any]:
            return {
                "name": sig.name,
                "email": sig.email,
                "date": iso(datetime.fromtimestamp(sig.timestamp, timezone.utc)),
            }

        return {
            "sha": sha,
            "node_id": node_id("Commit", int(sha[:8], 16)),
            "commit": {
                "author": person(info.author),
                "committer": person(info.committer),
                "message": info.message.rstrip("\n"),
                "tree": {"sha": info.tree, "url": f"{base}/git/trees/{info.tree}"},
                "url": f"{base}/git/commits/{sha}",
                "comment_count": 0,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
            "url": f"{base}/commits/{sha}",
            "html_url": f"{self.web}/{repo.full_name}/commit/{sha}",
            "comments_url": f"{base}/commits/{sha}/comments",
            "author": None,
            "committer": None,
            "parents": [
                {
                    "sha": p,
                    "url": f"{base}/commits/{p}",
                    "html_url": f"{self.web}/{repo.full_name}/commit/{p}",
                }
                for p in info.parents
            ],
        }

    def diff_entry(self, repo: Repo, entry: dict[str, Any], head_sha: str) -> dict[str, Any]:
        path = entry["filename"]
        out = {
            "sha": entry["sha"],
            "filename": path,
            "status": entry["status"],
            "additions": entry["additions"],
            "deletions": entry["deletions"],
            "changes": entry["changes"],
            "blob_url": f"{self.web}/{repo.full_name}/blob/{head_sha}/{path}",
            "raw_url": f"{self.web}/{repo.full_name}/raw/{head_sha}/{path}",
            "contents_url": f"{self.api}/repos/{repo.full_name}/contents/{path}?ref={head_sha}",
        }
        if "previous_filename" in entry:
            out["previous_filename"] = entry["previous_filename"]
        return out

    # -- teams and security settings ------------------------------------------------------
    def team(self, team: Team) -> dict[str, Any]:
        url = f"{self.api}/organizations/{self.s.users[team.org.lower()].id}/team/{team.id}"
        return {
            "id": team.id,
            "node_id": node_id("Team", team.id),
            "url": url,
            "html_url": f"{self.web}/orgs/{team.org}/teams/{team.slug}",
            "name": team.name,
            "slug": team.slug,
            "description": team.description,
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "members_url": f"{url}/members{{/member}}",
            "repositories_url": f"{url}/repos",
            "parent": None,
            "type": "organization",
        }

    def code_scanning_default_setup(self, repo: Repo) -> dict[str, Any]:
        if repo.code_scanning_default_setup == "configured":
            return {
                "state": "configured",
                "languages": list(repo.code_scanning_languages),
                "runner_type": "standard",
                "runner_label": None,
                "query_suite": "default",
                "threat_model": "remote",
                "updated_at": iso(repo.updated_at),
                "schedule": "weekly",
            }
        return {
            "state": "not-configured",
            "languages": [],
            "runner_type": None,
            "runner_label": None,
            "query_suite": "default",
            "threat_model": "remote",
            "updated_at": None,
            "schedule": None,
        }


def error_body(message: str, status: int, doc: str = DOCS) -> dict[str, Any]:
    """GitHub's error body: ``{"message", "documentation_url", "status"}``."""
    return {"message": message, "documentation_url": doc, "status": str(status)}
