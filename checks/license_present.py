"""License present

Passes when a `LICENSE`, `LICENCE`, `COPYING` or `UNLICENSE` file (any extension,
case-insensitive: `LICENSE`, `License.md`, `COPYING.txt`; not `LICENSE-MIT`) exists at the root
of the repository. Fails when there is none.

When the text is one of the common licenses (MIT, Apache-2.0, BSD-2-Clause, BSD-3-Clause,
GPL-2.0, GPL-3.0, LGPL-2.1, LGPL-3.0, MPL-2.0, ISC, Unlicense, and AGPL-3.0), the result names
its SPDX id (in the message and as `spdx` in the result's data). The text is recognised by the
phrases only that license holds, whatever its line wrapping, case, Markdown or copyright lines;
the GNU licenses are also recognised by their standard notice ("under the terms of the GNU
General Public License as published by the Free Software Foundation, either version 3 ...").
Recognising the license is a bonus, not a condition: a license file whose text is not
recognised, is larger than 1 MiB, or is binary still passes. When several license files exist,
the first recognised one is named (`LICENSE` before `LICENCE`, `COPYING`, `UNLICENSE`).
"""

from __future__ import annotations

from scorecard.check import Options, check
from scorecard.model import Finding, Location, failed, passed
from scorecard.snapshot import MiB, ReadError, RepoSnapshot

from ._common import any_extension
from ._licenses import identify

BASES = ("LICENSE", "LICENCE", "COPYING", "UNLICENSE")
#: Recognition reads at most this much of the file.
READ_CAP = MiB


def license_files(snap: RepoSnapshot) -> list[str]:
    """The root's license files, the likeliest first: by base name in the order of
    :data:`BASES`, then the bare name, then by name."""

    def rank(name: str) -> tuple[int, int, str]:
        lower = name.lower()
        base = next(i for i, b in enumerate(BASES) if any_extension(lower, [b]))
        return base, 0 if "." not in lower else 1, lower

    return sorted(snap.find("", lambda n: any_extension(n, BASES)), key=rank)


def recognise(snap: RepoSnapshot, path: str) -> str | None:
    """The SPDX id of the license in ``path``, None when it cannot be read or recognised."""
    try:
        data = snap.read_bytes(path, READ_CAP)
    except ReadError:
        return None
    if b"\0" in data[:8192]:
        return None
    # The phrases are ASCII: a stray Latin-1 "©" must not hide the license.
    return identify(data.decode("utf-8", "replace"))


@check(
    id="license-present",
    pillar="docs",
    title="License present",
    remediation="Add a LICENSE file at the root holding the full text of the project's license "
    "(https://choosealicense.com helps pick one).",
)
def run(snap: RepoSnapshot, opts: Options) -> Finding:
    paths = license_files(snap)
    if not paths:
        return failed("no LICENSE, LICENCE, COPYING or UNLICENSE file at the root")
    for path in paths:
        spdx = recognise(snap, path)
        if spdx is not None:
            return passed(f"{path} found: {spdx}", [Location(path)], spdx=spdx, path=path)
    path = paths[0]
    return passed(
        f"{path} found (license text not recognised)", [Location(path)], spdx=None, path=path
    )
