"""Every glob of a standard matched in one pass (rules.base.index_globs): the same answers as
matching each glob on its own, case-insensitive ones too."""

from __future__ import annotations

import pathspec

from scorecard.registry import default_registry
from scorecard.rules.base import compile_glob, index_globs, matching
from scorecard.standard import resolve

FILES = {
    "README.md": "x",
    "src/App.py": "x",
    "src/lib/util.py": "x",
    "docs/Guide.MD": "x",
    ".env": "x",
    "svc/.env": "x",
    "Makefile": "x",
}
GLOBS = ["*.py", "src/**", "/Makefile", "**/.env", "docs/", "*.md", "nothing-*"]


def test_one_pass_gives_what_each_walk_gives(make_snapshot):
    compiled = [compile_glob(g) for g in GLOBS] + [compile_glob("*.md", ignore_case=True)]
    alone = make_snapshot(FILES)
    expected = [matching(alone, rx) for rx in compiled]
    indexed = make_snapshot(FILES)
    index_globs(indexed, compiled)
    assert all(
        indexed.has_cached(f"rules-glob:{rx.options.case_sensitive}:{rx.pattern}")
        for rx in compiled
    )
    assert [matching(indexed, rx) for rx in compiled] == expected
    assert expected[-1] == ["README.md", "docs/Guide.MD"] and expected[5] == ["README.md"]


def test_the_standard_collects_the_globs_of_rules_and_whens():
    text = """
rules:
  - id: a
    when: {files: "docs/**"}
    require: {all: [{files: {glob: "*.lock"}}, {content: {glob: "src/**", absent: x}}]}
checks:
  readme-present: {when: {not: {files: "site/"}}}
"""
    std = resolve(default_registry(), [("s.yml", text)])
    patterns = sorted(rx.pattern for rx in std.globs)
    assert len(patterns) == 4


SHAPES = [
    "README.md",  # a literal name, anywhere
    "/Makefile",  # a literal path from the root
    "docs/Guide.MD",  # a literal path with a slash
    "**/.env",  # a name in any folder
    "*.py",  # an extension
    "src/*.py",  # an extension in one folder
    "src/**",  # everything under a folder
    "docs/",  # a folder
    "a/**/b.txt",  # any depth between
    "file?.txt",  # one character
    "[Mm]akefile",  # a class
    "*",  # everything
    "nothing-*",  # nothing
]
PATHS = [
    "README.md",
    "sub/README.md",
    "Makefile",
    "sub/Makefile",
    "makefile",
    "docs/Guide.MD",
    "docs/x/y.txt",
    ".env",
    "svc/deep/.env",
    "src/App.py",
    "src/lib/util.py",
    "a/b.txt",
    "a/x/y/b.txt",
    "file1.txt",
    "file12.txt",
    "dir with space/é.py",
]


def test_each_shape_matches_what_pathspec_matches(make_snapshot):
    """The one-pass index keeps gitignore semantics: pathspec's own answer for every shape."""
    snap = make_snapshot(dict.fromkeys(PATHS, "x"))
    compiled = [compile_glob(g) for g in SHAPES]
    index_globs(snap, compiled)
    for glob, rx in zip(SHAPES, compiled, strict=True):
        expected = sorted(pathspec.GitIgnoreSpec.from_lines([glob]).match_files(PATHS))
        assert sorted(matching(snap, rx)) == expected, glob
