"""pytest fixtures: ``from fakegithub.fixtures import fake_github`` in a test module, or
``pytest_plugins = ["fakegithub.fixtures"]`` in a conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import FakeGitHub


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A started FakeGitHub with answer validation on; at teardown it fails the test if the
    fake drifted from GitHub's OpenAPI description, was asked for a GraphQL field it does not
    implement, or broke (``FakeGitHub.assert_clean``)."""
    with FakeGitHub(validate=True, strict=True) as gh:
        yield gh
