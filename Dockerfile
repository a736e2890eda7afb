# The repo-scorecard GitHub Action: `scorecard action` in a slim Python image.
# Dependencies are pinned in requirements/action.txt; the project installs without resolving.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# git lists the checkout's tracked files and reads the base commit when the checkout has it.
# hadolint ignore=DL3008
RUN if ! command -v git >/dev/null; then \
      apt-get update \
      && apt-get install -y --no-install-recommends git \
      && rm -rf /var/lib/apt/lists/*; \
    fi

COPY requirements/action.txt /tmp/requirements.txt
RUN pip install --no-compile -r /tmp/requirements.txt && rm /tmp/requirements.txt

COPY pyproject.toml README.md LICENSE /tmp/src/
COPY scorecard /tmp/src/scorecard
COPY checks /tmp/src/checks
RUN pip install --no-compile --no-deps /tmp/src && rm -rf /tmp/src

ENTRYPOINT ["scorecard", "action"]
