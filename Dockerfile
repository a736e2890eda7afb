# The repo-scorecard GitHub Action: `scorecard action` in a slim Python image.
#
# Reproducible: every Python dependency is pinned (requirements/action.txt, installed as listed,
# nothing resolved beyond it, then `pip check`), and the project's wheel is built with a pinned
# setuptools (requirements/build.txt) in a build stage the image does not keep. Releases pin the
# base image by digest: docker build --build-arg PYTHON_IMAGE=python:3.12-slim@sha256:...
#
# No git (with perl it would double the image): the checkout's tracked files are read from git's
# index with dulwich (scorecard/sources/gitrepo.py), and a pull request's base commit from git's
# object store with dulwich when the checkout has it, else through the API.
ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
COPY requirements/build.txt requirements/build.txt
RUN pip install --no-cache-dir --no-deps -r requirements/build.txt
COPY pyproject.toml README.md LICENSE ./
COPY scorecard scorecard
COPY checks checks
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM ${PYTHON_IMAGE}
# SCORECARD_NO_CACHE: the cache is for repeat local runs; a runner is fresh at every job, so the
# Action writes nothing to the runner's home.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SCORECARD_NO_CACHE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Byte code only for what the Action imports: pip would compile every module of every
# dependency (10 MB, most of it for modules never imported, such as dulwich's porcelain, client
# and server), so it compiles nothing, and importing each of this package's modules once writes
# the byte code of those and of the modules they import. A module imported later, inside a
# function, is compiled in memory when it is first used.
COPY requirements/action.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --no-deps --no-compile -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
COPY --from=build /wheels /tmp/wheels
RUN pip install --no-cache-dir --no-deps --no-compile /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels \
    && pip check \
    && PYTHONDONTWRITEBYTECODE='' python -c "import importlib, pkgutil, scorecard; \
[importlib.import_module(m.name) for m in pkgutil.walk_packages(scorecard.__path__, 'scorecard.') \
 if not m.name.endswith('__main__')]"

ENTRYPOINT ["scorecard", "action"]
