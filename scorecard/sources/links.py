"""Directory symlinks, shared by every snapshot: a link to a folder inside the repository shows
that folder's files under the link's own path (``.github -> config/github`` lists
``.github/CODEOWNERS``), as a checkout does when it is read through the file system.

Each source finds its directory links its own way (the file system for a checkout, the members
of an archive); :func:`expand_dir_links` then lists what they show, the same way for all.
"""

from __future__ import annotations

import bisect

#: Paths added through directory links, at most; past that, the rest is not listed.
MAX_LINKED_FILES = 100_000
#: Rounds of links seen through linked folders.
MAX_LINK_HOPS = 40


def expand_dir_links(files: list[str], links: dict[str, str]) -> dict[str, str]:
    """Add to ``files`` (sorted; sorted again on return) what each directory link shows: for
    ``link -> target``, ``link/x`` for every listed ``target/x``, through links in linked
    folders too (:data:`MAX_LINK_HOPS` rounds). Returns each added path with the listed path
    it shows. At most :data:`MAX_LINKED_FILES` paths are added."""
    seen = set(files)
    shown: dict[str, str] = {}
    for _ in range(MAX_LINK_HOPS):
        new: dict[str, str] = {}
        for link, target in links.items():
            prefix = target + "/"
            i = bisect.bisect_left(files, prefix)
            while i < len(files) and files[i].startswith(prefix):
                source = files[i]
                path = f"{link}/{source[len(prefix) :]}"
                i += 1
                if path in seen:
                    continue
                if len(shown) + len(new) >= MAX_LINKED_FILES:
                    break
                seen.add(path)
                new[path] = shown.get(source, source)
        if not new:
            break
        shown.update(new)
        files.extend(new)
        files.sort()
        if len(shown) >= MAX_LINKED_FILES:
            break
    return shown
