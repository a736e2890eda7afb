"""Badges: a repository's level and score as a shields.io endpoint JSON and as an SVG.

:func:`badge_for` decides what a badge says; :func:`endpoint_json` and :func:`svg` render it;
:func:`write_badge` writes both files. The endpoint JSON follows shields.io's endpoint schema
(``schemaVersion`` 1, ``label``, ``message``, ``color``, ``cacheSeconds``), to be served from
any static host (GitHub Pages) and shown through ``https://img.shields.io/endpoint?url=...``.
The SVG is self-contained (no fonts, scripts or links to fetch), for those who serve the image
themselves.

What a badge says, and its colour (named for shields.io, the same hex in the SVG):

- the repository's level and score, ``Gold · 92``: the standard's highest level
  ``brightgreen``, the next ``green``, then ``yellowgreen``, the others ``yellow``; below the
  lowest level, ``below Bronze · 42`` in ``red``;
- a stale result, ``Gold · 92 (stale)`` in ``lightgrey``: checked longer ago than the maximum
  age (:data:`DEFAULT_MAX_AGE_DAYS`, ``--badge-max-age`` / the ``badge-max-age`` input), or for
  a commit the default branch has moved past (the repo mode asks GitHub for the branch's head;
  the org report knows it when the newest scan of a repository could not grade it and the
  result shown is an older one);
- a repository never graded, ``not graded`` in ``lightgrey``.

Every text comes from results files or the standard, so the SVG escapes it (XML) and both
formats keep it to one line of at most :data:`MAX_TEXT` characters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from scorecard.outfile import write_file

LABEL = "scorecard"
#: A result checked longer ago than this many days shows as stale.
DEFAULT_MAX_AGE_DAYS = 7
#: shields.io caches an endpoint for at least 300 s; an hour suits a nightly scan.
CACHE_SECONDS = 3600
#: A badge's label or message is cut to this many characters.
MAX_TEXT = 60
#: A repository's full name as GitHub allows it; anything else gets no badge file.
_FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

# shields.io's named colours and their hex (from badge-maker's palette).
COLOURS = {
    "brightgreen": "#4c1",
    "green": "#97ca00",
    "yellowgreen": "#a4a61d",
    "yellow": "#dfb317",
    "red": "#e05d44",
    "lightgrey": "#9f9f9f",
}
_BY_RANK = ("brightgreen", "green", "yellowgreen")  # the highest level first


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    colour: str  # a key of COLOURS
    stale_reason: str | None = None  # why the result is stale; None when it is not

    @property
    def stale(self) -> bool:
        return self.stale_reason is not None


def _clean(text: str) -> str:
    """One line, no control characters, at most MAX_TEXT characters."""
    flat = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 1] + "…"


def level_colour(level: str | None, levels: Sequence[str]) -> str:
    """The colour of ``level`` among the standard's ``levels`` (lowest first)."""
    if level is None:
        return "red"
    rank = len(levels) - 1 - levels.index(level) if level in levels else len(levels)
    return _BY_RANK[rank] if rank < len(_BY_RANK) else "yellow"


def stale_by_age(checked_at: dt.datetime, now: dt.datetime, max_age_days: float) -> str | None:
    """Why a result checked at ``checked_at`` is stale at ``now``; None when it is fresh."""
    age = now - checked_at
    if age <= dt.timedelta(days=max_age_days):
        return None
    return f"checked {age.days} day(s) ago (more than {max_age_days:g})"


def badge_for(
    level: str | None,
    score: int | None,
    levels: Sequence[str],
    *,
    stale_reason: str | None = None,
) -> Badge:
    """What a repository's badge says: its level and score, or ``not graded`` when
    ``score`` is None; grey with ``(stale)`` when ``stale_reason`` is given."""
    if score is None:
        return Badge(LABEL, "not graded", "lightgrey", stale_reason)
    shown = level if level is not None else f"below {levels[0]}" if levels else "no level"
    message = f"{shown} · {score}"
    if stale_reason is not None:
        return Badge(LABEL, f"{message} (stale)", "lightgrey", stale_reason)
    return Badge(LABEL, message, level_colour(level, levels))


def endpoint_json(badge: Badge) -> str:
    """shields.io's endpoint JSON for ``badge``."""
    data = {
        "schemaVersion": 1,
        "label": _clean(badge.label),
        "message": _clean(badge.message) or "?",
        "color": badge.colour,
        "cacheSeconds": CACHE_SECONDS,
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# Approximate widths (px) of 11 px Verdana, the font shields.io draws with: narrow letters and
# punctuation, wide ones, the rest. Close enough that the text fits within a few pixels.
_NARROW = set("ijlI.,:;!|'` ()[]ft")
_WIDE = set("mwMW@%")


def text_width(text: str) -> int:
    """The approximate width in pixels of ``text`` in 11 px Verdana."""
    return sum(4 if ch in _NARROW else 11 if ch in _WIDE else 7 for ch in text)


def svg(badge: Badge) -> str:
    """A flat, self-contained SVG of ``badge`` (shields.io's flat style)."""
    label, message = _clean(badge.label), _clean(badge.message) or "?"
    left, right = text_width(label) + 10, text_width(message) + 10
    width = left + right
    colour = COLOURS[badge.colour]
    spoken = f"{label}: {message}"
    lx, mx = left / 2, left + right / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(spoken, {chr(34): "&quot;"})}">'
        f"<title>{escape(spoken)}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" '
        'font-size="11">'
        f'<text x="{lx:g}" y="15" fill="#010101" fill-opacity=".3">{escape(label)}</text>'
        f'<text x="{lx:g}" y="14">{escape(label)}</text>'
        f'<text x="{mx:g}" y="15" fill="#010101" fill-opacity=".3">{escape(message)}</text>'
        f'<text x="{mx:g}" y="14">{escape(message)}</text></g></svg>\n'
    )


def badge_path(folder: str | Path, full_name: str) -> Path | None:
    """Where ``OWNER/REPO``'s badge goes under ``folder`` (``OWNER/REPO`` without a suffix);
    None for a name GitHub would not allow (it could leave the folder)."""
    if not _FULL_NAME.match(full_name) or any(p in (".", "..") for p in full_name.split("/")):
        return None
    return Path(folder) / full_name


def write_badge(base: Path, badge: Badge) -> tuple[Path, Path]:
    """Write ``base.json`` (the endpoint) and ``base.svg``; their paths. Raises
    :class:`~scorecard.outfile.OutputError`."""
    json_path, svg_path = base.with_name(base.name + ".json"), base.with_name(base.name + ".svg")
    write_file(json_path, endpoint_json(badge))
    write_file(svg_path, svg(badge))
    return json_path, svg_path
