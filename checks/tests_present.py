"""Tests present

Passes when a tracked file lies under a directory named `test`, `tests`, `spec`, `specs`,
`__tests__` or `testing` (at any depth; directory names are matched exactly, so `Tests/` does
not count), or is named like a test:

- Python `test_*.py`, `*_test.py`; Go `*_test.go`; Ruby `*_spec.rb`, `*_test.rb`;
- JavaScript and TypeScript `*.test.js` and `*.spec.js` (also `.jsx`, `.ts`, `.tsx`, `.mjs`,
  `.cjs`);
- Java `*Test.java`, `*Tests.java`; Kotlin `*Test.kt`; C# `*Tests.cs`; PHP `*Test.php`.

The result names the first such file and how many there are. Fails when there is none. Only
names are read, never contents, so a binary or unreadable file counts like any other.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import RepoSnapshot

TEST_DIRS = frozenset({"test", "tests", "spec", "specs", "__tests__", "testing"})
_JS = ("js", "jsx", "ts", "tsx", "mjs", "cjs")
#: Test file names are ``test_*.py`` or end with one of these.
TEST_SUFFIXES = (
    "_test.py", "_test.go", "_test.rb", "_spec.rb", "Test.java", "Tests.java", "Test.kt",
    "Tests.cs", "Test.php", *(f".test.{e}" for e in _JS), *(f".spec.{e}" for e in _JS),
)
# Every test path holds one of these: a test directory holds `test` or `spec`, a test file
# name `test`, `Test` or `spec`.
_NEEDLES = ("test", "Test", "spec")
_DIR_TAILS = ("test/", "tests/", "testing/", "spec/", "specs/")


def is_test_name(name: str) -> bool:
    return name.endswith(TEST_SUFFIXES) or (name.startswith("test_") and name.endswith(".py"))


def is_test_path(path: str) -> bool:
    """Whether one path is a test file by the catalog's rule."""
    parts = path.split("/")
    return not TEST_DIRS.isdisjoint(parts[:-1]) or is_test_name(parts[-1])


def _dir_at(big: str, i: int) -> int:
    """When the needle at ``i`` starts a test directory component (``/tests/``), the index just
    after its ``/``; else -1."""
    if big[i - 1] == "/":
        for tail in _DIR_TAILS:
            if big.startswith(tail, i):
                return i + len(tail)
    elif big.startswith("/__tests__/", i - 3):
        return i + 8
    return -1


def find_tests(files: Sequence[str]) -> tuple[int, str | None]:
    """How many of the sorted ``files`` are tests, and the first one.

    One ``str.find`` scan per needle over the joined list. A test directory counts its whole
    block of files at once (they are contiguous in the sorted list: found with ``bisect``, their
    offsets known from the cumulative name lengths) and the scan jumps past it, so the Python
    work grows with the number of test directories and of test-named files outside them, not
    with the size of the repository.
    """
    if not files:
        return 0, None
    # One line per path, each starting with "/" so that a root directory is "/tests/" too;
    # NUL separates them (no path can hold it) and starts the first.
    big = "\0/" + "\0/".join(files) + "\0"
    lengths: list[int] = []  # cumulative name lengths, computed at the first test directory

    def line_at(j: int) -> int:
        """The offset of line ``j`` (its leading "/"), or the end for ``j == len(files)``."""
        if not lengths:
            lengths.extend(itertools.accumulate(map(len, files), initial=0))
        return 1 + lengths[j] + 2 * j if j < len(files) else len(big)

    # Test directories found so far, disjoint and sorted: line offsets [start, stop) in ``big``
    # and the matching index range of ``files``.
    starts: list[int] = []
    stops: list[int] = []
    ranges: list[tuple[int, int]] = []
    names: dict[int, str] = {}  # line offset -> path of a file named like a test
    find, rfind, after = big.find, big.rfind, bisect.bisect_right
    for needle in _NEEDLES:
        dirs = needle != "Test"
        i = find(needle)
        while i >= 0:
            k = after(starts, i) - 1
            if k >= 0 and i < stops[k]:
                i = find(needle, stops[k])
                continue
            start = rfind("\0", 0, i) + 1
            d = _dir_at(big, i) if dirs else -1
            if d >= 0:
                prefix = big[start + 1:d]
                lo = bisect.bisect_left(files, prefix)
                hi = bisect.bisect_left(files, prefix[:-1] + "0")  # "0" sorts right after "/"
                # Its files may start before this line (a nested block was skipped).
                start, stop = line_at(lo), line_at(hi)
                if not start <= i < stop:  # cannot happen with sorted, unique paths
                    start, stop = rfind("\0", 0, i) + 1, find("\0", i) + 1
                # A directory holds or misses each one found before: absorb those inside.
                a = bisect.bisect_left(starts, start)
                b = bisect.bisect_left(starts, stop)
                starts[a:b], stops[a:b], ranges[a:b] = [start], [stop], [(lo, hi)]
                i = find(needle, stop)
                continue
            end = find("\0", i)
            if start not in names:
                name = big[rfind("/", start, end) + 1:end]
                if is_test_name(name):
                    names[start] = big[start + 1:end]
            i = find(needle, i + 1)
    outside = []
    for off in sorted(names):
        k = bisect.bisect_right(starts, off) - 1
        if not (k >= 0 and off < stops[k]):
            outside.append(off)
    count = sum(hi - lo for lo, hi in ranges) + len(outside)
    firsts = [(starts[0], files[ranges[0][0]])] if starts else []
    if outside:
        firsts.append((outside[0], names[outside[0]]))
    return count, (min(firsts)[1] if firsts else None)


@check(
    id="tests-present",
    pillar="tests",
    title="Tests present",
    remediation="Add automated tests in a `tests/` directory (or next to the code, named like "
                "`test_*.py`, `*_test.go` or `*.test.ts`) and run them in CI.",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    count, example = snap.remember("tests-present", [], [__file__],
                                   lambda: find_tests(snap.files))
    if example is None:
        return failed("no test files: nothing under a test/, tests/, spec/, specs/, "
                      "__tests__/ or testing/ directory and no file named like a test "
                      "(test_*.py, *_test.go, *.test.ts, *Test.java...)")
    others = count - 1
    more = f" and {others} more test file{'s' if others != 1 else ''}" if others else ""
    return passed(f"tests found: {example}{more}", [Location(example)], count=count)
