"""Recognise the common license texts by their distinctive phrases and name their SPDX id.

The text is normalised first (lower case, every run of characters that are not letters or digits
becomes one space), so line wrapping, indentation, comment markers, Markdown emphasis and the
copyright lines around the text do not matter. Each license is known by phrases that only its
text holds; where one text quotes another's title (the GPL names the LGPL, the LGPL the GPL),
the title that comes first in the file wins. Variants that are not in the list (MIT-0, 0BSD,
BSD-4-Clause, BSD-3-Clause-Clear, LGPL-2.0, MPL-1.1, ...) are not recognised rather than
misnamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, with every run of non-alphanumeric characters turned into one space, padded
    with a space at each end so that phrases match whole words only."""
    return " " + _NON_ALNUM.sub(" ", text.lower()).strip() + " "


def _p(phrase: str) -> str:
    return normalise(phrase)


@dataclass(frozen=True)
class _License:
    spdx: str
    #: Alternatives: the license matches when every phrase of one alternative is in the text.
    anchors: tuple[tuple[str, ...], ...]
    #: Phrases that mean a different (unlisted) variant.
    excludes: tuple[str, ...] = ()


_FSF = "as published by the free software foundation"

_BSD_BASE = (
    _p(
        "redistribution and use in source and binary forms with or without modification are "
        "permitted provided that the following conditions are met"
    ),
    _p("redistributions of source code must retain the above copyright notice"),
    _p("redistributions in binary form must reproduce the above copyright notice"),
)
_BSD_ENDORSE = _p("endorse or promote products derived from this software")
_BSD_EXCLUDES = (
    _p("all advertising materials mentioning features or use of this software"),  # 4-clause
    _p("no express or implied licenses to any party s patent rights are granted"),  # Clear
    _p(
        "subject to the terms and conditions of this license each copyright holder and "
        "contributor hereby grants"
    ),  # BSD-2-Clause-Patent
)

_LICENSES: tuple[_License, ...] = (
    _License("Apache-2.0", ((_p("apache license version 2.0"),),)),
    _License(
        "MPL-2.0",
        (
            (_p("mozilla public license version 2.0"),),
            (_p("mozilla public license v 2.0"),),
        ),
    ),
    # The GNU licenses: the title of the full text, or the notice "under the terms of the GNU
    # ... License as published by the Free Software Foundation, either version N".
    _License(
        "GPL-3.0",
        (
            (_p("gnu general public license version 3 29 june 2007"),),
            (_p(f"gnu general public license {_FSF} either version 3 of the license"),),
        ),
    ),
    _License(
        "LGPL-3.0",
        (
            (_p("gnu lesser general public license version 3 29 june 2007"),),
            (_p(f"gnu lesser general public license {_FSF} either version 3 of the license"),),
        ),
    ),
    _License(
        "AGPL-3.0",
        (
            (_p("gnu affero general public license version 3 19 november 2007"),),
            (_p(f"gnu affero general public license {_FSF} either version 3 of the license"),),
        ),
    ),
    _License(
        "GPL-2.0",
        (
            (_p("gnu general public license version 2 june 1991"),),
            (_p(f"gnu general public license {_FSF} either version 2 of the license"),),
            (_p(f"gnu general public license version 2 {_FSF}"),),
        ),
    ),
    _License(
        "LGPL-2.1",
        (
            (_p("gnu lesser general public license version 2.1 february 1999"),),
            (_p(f"gnu lesser general public license {_FSF} either version 2.1 of the license"),),
            (_p(f"gnu lesser general public license version 2.1 {_FSF}"),),
        ),
    ),
    _License(
        "MIT",
        (
            (
                _p("permission is hereby granted free of charge to any person obtaining a copy"),
                _p(
                    "the above copyright notice and this permission notice shall be included "
                    "in all copies or substantial portions of the software"
                ),
            ),
        ),
    ),
    _License(
        "ISC",
        (
            (
                _p(
                    "permission to use copy modify and/or distribute this software for any purpose "
                    "with or without fee is hereby granted"
                ),
                _p(
                    "provided that the above copyright notice and this permission notice appear in "
                    "all copies"
                ),
            ),
            (
                _p(
                    "permission to use copy modify and distribute this software for any purpose "
                    "with or without fee is hereby granted"
                ),
                _p(
                    "provided that the above copyright notice and this permission notice appear in "
                    "all copies"
                ),
            ),
        ),
    ),
    _License(
        "Unlicense",
        ((_p("this is free and unencumbered software released into the public domain"),),),
    ),
    _License("BSD-3-Clause", ((*_BSD_BASE, _BSD_ENDORSE),), _BSD_EXCLUDES),
    _License("BSD-2-Clause", (_BSD_BASE,), (*_BSD_EXCLUDES, _BSD_ENDORSE)),
)


def _position(norm: str, lic: _License) -> int | None:
    """Where the first anchor of the first matching alternative starts, None when none does."""
    if any(x in norm for x in lic.excludes):
        return None
    best: int | None = None
    for alternative in lic.anchors:
        first = norm.find(alternative[0])
        if first < 0 or not all(p in norm for p in alternative[1:]):
            continue
        if best is None or first < best:
            best = first
    return best


def identify(text: str) -> str | None:
    """The SPDX id of the common license ``text`` holds, None when it is none of them.

    When the text holds several (a GPL that names the LGPL as an alternative), the one whose
    distinctive phrase comes first wins: that is the title of the file."""
    norm = normalise(text)
    found: list[tuple[int, str]] = []
    for lic in _LICENSES:
        pos = _position(norm, lic)
        if pos is not None:
            found.append((pos, lic.spdx))
    return min(found)[1] if found else None
