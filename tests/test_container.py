"""The Action as GitHub runs it: the image built from the Dockerfile, then ``docker run`` the way
the Actions runner starts a container action (workspace and file-command folder mounted, the
event file, ``INPUT_*`` with dashes kept, the ``GITHUB_*`` variables), against the fake GitHub
on the host's loopback (``--network host``).

Without a usable Docker engine these tests skip, except in CI (``CI=true``), where they fail:
``.ci/run`` starts an engine (``../shared/tools/standin-base-image python:3.12-slim``, which
also tags a local stand-in for the base image on a machine that cannot pull it).

The image is built with the engine's default network; when that cannot reach PyPI, the build is
retried with ``--network host`` (the build then uses the host's network, as a developer's
``docker build --network host .`` would).

The image has no git, as ``python:3.12-slim`` has none: the checkout's files come from git's index
read in Python, the base commit through the API. The local stand-in base image does have git, so
the tests run a copy of the image with git removed, and check that it is gone.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from actionenv import MATURE, REPO, Project, action_inputs, parse_outputs
from events import Events
from fakegithub import ADMIN, FORK, WORKFLOW
from fakegithub.fixtures import fake_github  # noqa: F401 - a pytest fixture

ROOT = Path(__file__).resolve().parents[1]
IMAGE = "repo-scorecard-action:test"
NO_GIT_IMAGE = "repo-scorecard-action:test-no-git"
IN_CI = os.environ.get("CI", "").lower() == "true"
ADMIN_TOKEN = "ghp_admin_0123456789abcdefABCDEF"
WRITE = "ghs_containerWRITE0123456789abcdef"
FORK_TOKEN = "ghs_containerFORK0123456789abcdef0"
OTHER_UID = 1001  # the runner's user: the workspace is not root's, as in a container action


def unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(
            f"{reason} (CI=true: the container tests must run; .ci/run starts the "
            "engine with ../shared/tools/standin-base-image)"
        )
    pytest.skip(reason)


def docker_problem() -> str | None:
    docker = shutil.which("docker")
    if docker is None:
        return "no docker command"
    proc = subprocess.run(
        [docker, "info", "--format", "{{.ServerVersion}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return f"no usable Docker engine: {(proc.stderr or proc.stdout).strip()[:200]}"
    return None


def say(request: pytest.FixtureRequest, line: str) -> None:
    """A line in pytest's output, even with output captured."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capman is not None:
        with capman.global_and_fixture_disabled():
            reporter.write_line(line)


def image_size(ref: str) -> int:
    return int(
        subprocess.run(
            ["docker", "image", "inspect", "--format", "{{.Size}}", ref],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )


def base_image() -> str:
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("ARG PYTHON_IMAGE="):
            return line.split("=", 1)[1].strip()
    raise AssertionError("the Dockerfile names no PYTHON_IMAGE")


@pytest.fixture(scope="module")
def image(request: pytest.FixtureRequest) -> str:
    problem = docker_problem()
    if problem:
        unavailable(problem)
    base = base_image()
    if (
        subprocess.run(
            ["docker", "image", "inspect", base], capture_output=True, check=False
        ).returncode
        != 0
    ):
        unavailable(
            f"the base image {base} is not present and cannot be pulled here: run "
            f"../shared/tools/standin-base-image {base}"
        )
    started = time.monotonic()
    build = ["docker", "build", "--quiet", "--tag", IMAGE, str(ROOT)]
    proc = subprocess.run(build, capture_output=True, text=True, check=False)
    if proc.returncode != 0:  # the engine's network may not reach PyPI: the host's does
        proc = subprocess.run(
            [*build[:2], "--network", "host", *build[2:]],
            capture_output=True,
            text=True,
            check=False,
        )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    size, base_size = image_size(IMAGE), image_size(base)
    say(
        request,
        f"\nimage {IMAGE}: {size / 1e6:.1f} MB ({(size - base_size) / 1e6:.1f} MB "
        f"ours on {base} {base_size / 1e6:.1f} MB), built in "
        f"{time.monotonic() - started:.1f} s",
    )
    return without_git(IMAGE)


def which_git(image: str) -> str:
    return subprocess.run(
        [
            "docker",
            "run",
            "--rm",
            "--entrypoint",
            "python",
            image,
            "-c",
            "import shutil; print(shutil.which('git'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def without_git(image: str) -> str:
    """``image`` as on the real base image, which has no git: where the base has git (the
    local stand-in does), a copy with git removed."""
    if which_git(image) == "None":
        return image
    strip = (
        f"FROM {image}\n"
        "RUN rm -rf /usr/bin/git /usr/bin/git-* /usr/lib/git-core /usr/share/git-core\n"
    )
    proc = subprocess.run(
        ["docker", "build", "--quiet", "--tag", NO_GIT_IMAGE, "-"],
        input=strip,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert which_git(NO_GIT_IMAGE) == "None"
    return NO_GIT_IMAGE


@pytest.fixture
def gh(fake_github):  # noqa: F811
    fake_github.add_org("acme")
    fake_github.add_team("acme", "platform", members=["alice"])
    fake_github.add_team("acme", "docs")
    fake_github.add_token(ADMIN_TOKEN, ADMIN, login="octocat")
    fake_github.add_token(WRITE, WORKFLOW, repo=REPO)
    fake_github.add_token(FORK_TOKEN, FORK, repo=REPO)
    return fake_github


def docker_run(
    image: str,
    gh,
    tmp: Path,
    workspace: Path,
    event_name: str,
    payload: dict,
    token: str,
    sha: str,
    **inputs: str,
) -> tuple[subprocess.CompletedProcess[str], dict[str, str], str]:
    """``docker run`` as the runner does it for a ``docker`` action."""
    n = len(list(tmp.glob("job*"))) + 1
    job = tmp / f"job{n}"
    workflow, files, home = job / "workflow", job / "file_commands", job / "home"
    workflow.mkdir(parents=True)
    files.mkdir()
    home.mkdir()
    (workflow / "event.json").write_text(json.dumps(payload), encoding="utf-8")
    (files / "set_output").touch()
    (files / "step_summary").touch()
    values = {
        **action_inputs(),
        "token": token,
        **{k.replace("_", "-"): v for k, v in inputs.items()},
    }
    env = {f"INPUT_{k.upper()}": v for k, v in values.items()}
    env.update(
        {
            "HOME": "/github/home",
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": "/github/workflow/event.json",
            "GITHUB_WORKSPACE": "/github/workspace",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_OUTPUT": "/github/file_commands/set_output",
            "GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary",
            "GITHUB_API_URL": gh.api_url,
            "GITHUB_GRAPHQL_URL": gh.graphql_url,
            "GITHUB_SERVER_URL": gh.web_url,
            "GITHUB_RUN_ID": str(7000 + n),
            "GITHUB_SHA": sha,
            "RUNNER_OS": "Linux",
        }
    )
    cmd = [
        "docker",
        "run",
        "--rm",
        "--network",
        "host",
        "--workdir",
        "/github/workspace",
        "-v",
        f"{workspace}:/github/workspace",
        "-v",
        f"{workflow}:/github/workflow",
        "-v",
        f"{files}:/github/file_commands",
        "-v",
        f"{home}:/github/home",
    ]
    for k, v in env.items():
        cmd += ["-e", f"{k}={v}"]
    proc = subprocess.run([*cmd, image], capture_output=True, text=True, timeout=300, check=False)
    return (
        proc,
        parse_outputs((files / "set_output").read_text("utf-8")),
        (files / "step_summary").read_text("utf-8"),
    )


def owned_by_another_user(path: Path) -> None:
    for root, dirs, names in os.walk(path):
        for name in [*dirs, *names]:
            os.lchown(os.path.join(root, name), OTHER_UID, OTHER_UID)
    os.chown(path, OTHER_UID, OTHER_UID)


def test_container_comments_on_a_pull_request(image, gh, tmp_path, request):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "LICENSE"})
    sha = project.commit("feature", {"LICENSE": MATURE["LICENSE"]})
    gh.add_pull(REPO, 7, sha, project.base)
    payload = Events(gh, ADMIN_TOKEN).pull_request(REPO, 7)
    ws = project.checkout(sha, merge_into="main")
    (ws / "leftover.pem").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")  # untracked
    owned_by_another_user(ws)
    gh.reset_log()
    started = time.monotonic()
    proc, outputs, summary = docker_run(
        image, gh, tmp_path, ws, "pull_request", payload, WRITE, sha, fail_on="regression"
    )
    took = time.monotonic() - started
    assert proc.returncode == 0, proc.stdout + proc.stderr
    say(request, f"\ncontainer PR run: {took:.2f} s from docker run to exit (comment posted)")
    comments = gh.comments_of(REPO, 7)
    assert len(comments) == 1 and comments[0].user == "github-actions[bot]"
    assert "fixed `license-present`" in comments[0].body
    assert outputs["comment"] == "created" and outputs["passed"] == "true"
    assert int(outputs["score"]) > int(outputs["base-score"])
    assert "fixed `license-present`" in summary
    assert proc.stdout.splitlines()[0] == f"::add-mask::{WRITE}"
    assert (proc.stdout + proc.stderr).count(WRITE) == 1
    # no git, a workspace owned by another user: the files were listed from git's index (the
    # untracked key is not graded, nothing warns), and the base commit was read from git's
    # object store, in Python, without a request
    report = json.loads((ws / outputs["report-path"]).read_text())
    assert not any("git" in w for w in report["scorecard"]["warnings"]), report["scorecard"]
    keys = next(c for c in report["scorecard"]["checks"] if c["id"] == "no-private-keys")
    assert keys["status"] == "pass", keys
    assert gh.count(kind="graphql") == 0 and gh.count(kind="codeload") == 0
    assert report["scorecard"]["commit"] == sha
    # the runner's home is as it was: no cache (a runner is fresh at every job)
    assert not list(tmp_path.glob("job*/home/*")) and not list(tmp_path.glob("job*/home/.*"))


def test_container_fork_run_then_workflow_run_posts(image, gh, tmp_path):
    project = Project(gh, tmp_path, {k: v for k, v in MATURE.items() if k != "SECURITY.md"})
    sha = project.commit("patch-1", {"SECURITY.md": "# Security\n\nMail sec@acme.test\n"})
    gh.add_pull(REPO, 8, sha, project.base, head_ref="patch-1", from_fork=True)
    events = Events(gh, ADMIN_TOKEN)
    ws = project.checkout("patch-1", shallow=True)  # no base in the checkout: the API
    owned_by_another_user(ws)
    gh.reset_log()
    proc, outputs, summary = docker_run(
        image, gh, tmp_path, ws, "pull_request", events.pull_request(REPO, 8), FORK_TOKEN, sha
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs["comment"] == "saved" and summary.strip()
    assert gh.comments_of(REPO, 8) == []
    assert [r for r in gh.requests if r.kind == "rest" and r.method != "GET"] == []
    assert gh.count(kind="graphql") >= 1  # the base through the API

    post_ws = tmp_path / "post"
    (post_ws / "scorecard-comment").mkdir(parents=True)
    shutil.copy(ws / outputs["comment-path"], post_ws / "scorecard-comment")
    owned_by_another_user(post_ws)
    proc, outputs, _ = docker_run(
        image,
        gh,
        tmp_path,
        post_ws,
        "workflow_run",
        events.workflow_run(REPO, head_sha=sha),
        WRITE,
        project.base,
        post_saved_comment="scorecard-comment/comment.json",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert outputs["comment"] == "created"
    assert len(gh.comments_of(REPO, 8)) == 1
    assert "fixed `security-policy-present`" in gh.comments_of(REPO, 8)[0].body


# ---- the metadata and the Dockerfile, linted (no engine needed) ------------------------------


def tool(name: str) -> str:
    import sys

    found = shutil.which(
        name, path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    if found is None:
        unavailable(f"{name} is not installed (pip install -e '.[test]')")
    assert found is not None
    return found


def test_action_yml_is_valid_action_metadata():
    proc = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-actions",
            str(ROOT / "action.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_image_stays_under_150_mb(image):
    """The budget: under 150 MB with the official python:3.12-slim, which cannot be pulled
    here; our layers are measured on the local stand-in and added to the official image's
    size (benchmarks/bench_action.py prints the same figure)."""
    spec = importlib.util.spec_from_file_location(
        "bench_action", ROOT / "benchmarks" / "bench_action.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ours = image_size(IMAGE) - image_size(base_image())
    assert bench.OFFICIAL_SLIM_BYTES + ours < 150e6, f"our layers: {ours / 1e6:.1f} MB"


def test_dockerfile_is_hadolint_clean():
    proc = subprocess.run(
        [tool("hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- check plugins: the `plugins` input, and a derived image ------------------------------


def example_wheel(dest: Path) -> Path:
    """The wheel of examples/plugin, made here (a wheel is a zip: the package, its
    dist-info and a RECORD), so that no build backend is needed offline."""
    import base64
    import hashlib
    import zipfile

    from test_docs_paths import tomllib  # tomllib, or tomli before Python 3.11

    src = ROOT / "examples" / "plugin"
    meta = tomllib.loads((src / "pyproject.toml").read_text("utf-8"))["project"]
    dist = meta["name"].replace("-", "_")
    info = f"{dist}-{meta['version']}.dist-info"
    eps = meta["entry-points"]["scorecard.checks"]
    files = {
        f"acme_checks/{p.name}": p.read_bytes() for p in sorted((src / "acme_checks").glob("*.py"))
    }
    files[f"{info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n"
        + "".join(f"Requires-Dist: {d}\n" for d in meta["dependencies"])
    ).encode()
    files[f"{info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: repo-scorecard-tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n"
    )
    files[f"{info}/entry_points.txt"] = (
        "[scorecard.checks]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items())
    ).encode()
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    dest.mkdir(parents=True, exist_ok=True)
    wheel = dest / f"{dist}-{meta['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return wheel


def plugin_project(gh, tmp_path: Path) -> tuple[Path, str, dict]:
    files = {**MATURE, "README.md": MATURE["README.md"] + "\n## Runbook\n\nPage the team.\n"}
    project = Project(gh, tmp_path, files)
    sha = project.commit("main", {"Dockerfile": "FROM python:3.12-slim\n"})
    payload = Events(gh, ADMIN_TOKEN).push(REPO, sha, project.base)
    return project.checkout(sha), sha, payload


def statuses(ws: Path, outputs: dict[str, str]) -> dict[str, str]:
    report = json.loads((ws / outputs["report-path"]).read_text())
    return {c["id"]: c["status"] for c in report["scorecard"]["checks"]}


def test_container_plugins_input_installs_a_check(image, gh, tmp_path):
    ws, sha, payload = plugin_project(gh, tmp_path)
    wheel = example_wheel(ws / "dist")
    proc, outputs, _ = docker_run(
        image,
        gh,
        tmp_path,
        ws,
        "push",
        payload,
        ADMIN_TOKEN,
        sha,
        plugins=f"./dist/{wheel.name}",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "plugins installed" in proc.stdout
    got = statuses(ws, outputs)
    assert got["runbook-documented"] == "pass" and got["dockerfile-base-pinned"] == "fail"


def test_container_plugin_that_cannot_be_installed_fails_clearly(image, gh, tmp_path):
    ws, sha, payload = plugin_project(gh, tmp_path)
    proc, outputs, _ = docker_run(
        image,
        gh,
        tmp_path,
        ws,
        "push",
        payload,
        ADMIN_TOKEN,
        sha,
        plugins="./dist/missing-1.0-py3-none-any.whl",
    )
    assert proc.returncode == 2
    errors = [x for x in proc.stdout.splitlines() if x.startswith("::error")]
    assert len(errors) == 1 and "cannot install ./dist/missing-1.0-py3-none-any.whl" in errors[0]
    assert "Traceback" not in proc.stdout + proc.stderr and "report-path" not in outputs


def test_container_derived_image_with_a_plugin(image, gh, tmp_path):
    """The README's recipe: FROM the Action's image, pip install the plugin."""
    context = tmp_path / "derived"
    wheel = example_wheel(context)
    dockerfile = (
        f"FROM {image}\n"
        f"COPY {wheel.name} /tmp/\n"
        f"RUN pip install --no-cache-dir /tmp/{wheel.name} && rm /tmp/{wheel.name}\n"
    )
    (context / "Dockerfile").write_text(dockerfile)
    tag = "repo-scorecard-action:test-derived"
    built = subprocess.run(
        ["docker", "build", "--quiet", "--network", "host", "--tag", tag, str(context)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    ws, sha, payload = plugin_project(gh, tmp_path)
    proc, outputs, _ = docker_run(tag, gh, tmp_path, ws, "push", payload, ADMIN_TOKEN, sha)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert statuses(ws, outputs)["runbook-documented"] == "pass"
