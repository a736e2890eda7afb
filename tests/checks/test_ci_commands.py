"""Command normalisation (``scorecard.checks.ci.commands``): wrappers, assignments and
prefixes dropped."""

from __future__ import annotations

import pytest

from scorecard.checks.ci import (
    normalise,
    split_commands,
)


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ("CI=1 FOO=bar pytest -q", ("pytest", "-q")),
        ("${PREFIX}pytest", ("pytest",)),
        ("$PYTHON -m pytest", ("pytest",)),
        ("sudo -E env A=1 time nice -n 5 pytest", ("pytest",)),
        ("uv run --frozen --with x python -m pytest", ("pytest",)),
        ("uvx --from tox tox -e py", ("tox", "-e", "py")),
        ("poetry run coverage run -m pytest", ("pytest",)),
        ("pipenv run python3.12 -u -m unittest discover", ("unittest", "discover")),
        ("hatch run test:cov", ("cov",)),
        ("hatch -e lint run ruff check", ("ruff", "check")),
        ("pdm run pytest", ("pytest",)),
        ("npx --yes jest --ci", ("jest", "--ci")),
        ("pnpm exec vitest run", ("vitest", "run")),
        ("yarn dlx mocha", ("mocha",)),
        ("bundle exec rspec", ("rspec",)),
        ("xvfb-run -a npm test", ("npm", "test")),
        ("timeout 600 go test ./...", ("go", "test", "./...")),
        ("docker compose run --rm -e X=1 app pytest -x", ("pytest", "-x")),
        ("./gradlew build", ("gradle", "build")),
        ("vendor/bin/phpunit", ("phpunit",)),
        ("node_modules/.bin/jest", ("jest",)),
        ("$GITHUB_WORKSPACE/scripts/test.sh", ("/scripts/test.sh",)),
        ("nyc --reporter=lcov mocha", ("mocha",)),
        ("coverage run manage.py test", ("python", "manage.py", "test")),
        ("pip install pytest", ("pip", "install", "pytest")),
    ],
)
def test_normalise(command, argv):
    assert normalise(split_commands(command)[0].words)[0] == argv
