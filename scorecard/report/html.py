"""The self-contained HTML report: one file, no request to anywhere (CSS, JavaScript, charts
and data inline; a Content-Security-Policy that allows only the page's own script and style,
by hash), rendered by Jinja2 with autoescaping for every value.

The table of every repository is drawn by the page's script from a JSON blob embedded in a
``<script type="application/json">`` element (``<``, ``>``, ``&``, U+2028 and U+2029 written as
``\\uXXXX`` escapes, so no name can close the element or open a comment), and built with DOM
text nodes, never ``innerHTML``: 10,000 repositories make a page of about a megabyte.
"""

from __future__ import annotations

import base64
import hashlib
import json
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from scorecard import __version__
from scorecard.report import charts
from scorecard.report.dashboard import safe_url
from scorecard.report.summary import Summary, number, signed

#: How many repositories each list of level changes and score changes shows.
TREND_LIMIT = 15


def _resource(name: str) -> str:
    folder = resources.files("scorecard.report").joinpath("templates")
    return folder.joinpath(name).read_text("utf-8")


def embed_json(data: Any) -> Markup:
    """JSON that is safe as the text of a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return Markup(text)  # escaped above for the script element's raw text


def _csp_hash(text: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


def table_data(s: Summary) -> dict[str, Any]:
    """What the page's script draws the table and the team lists from."""
    teams = [t.name for t in s.teams]
    team_index = {t.name: i for i, t in enumerate(s.teams)}
    check_index = {cid: i for i, cid in enumerate(s.check_ids)}
    rows = []
    for r in s.repos:
        e = r.entry
        rows.append(
            [
                e.name,
                team_index[e.team_label],
                s.rank(e.level),
                e.score,
                r.delta,
                None if r.previous is None else s.rank(r.previous[0]),
                [check_index[c] for c in e.failing if c in check_index],
            ]
        )
    return {
        "levels": ["No level", *s.levels],
        "colors": charts.level_colors(s.levels),
        "teams": teams,
        "owned": [t.owned for t in s.teams],
        "checks": s.check_ids,
        "docs": [safe_url(s.checks[c].docs_url) for c in s.check_ids],
        "titles": [s.checks[c].title for c in s.check_ids],
        "rows": rows,
        "hasPrevious": s.previous_at is not None,
    }


def code_spans(text: str) -> Markup:
    """Text with its backtick spans as ``<code>``, everything escaped."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unbalanced backtick stays text
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return Markup("").join(
        Markup("<code>%s</code>") % part if i % 2 else escape(part) for i, part in enumerate(parts)
    )


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scorecard.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["number"] = number
    env.filters["signed"] = signed
    env.filters["url"] = safe_url
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["code_spans"] = code_spans
    env.filters["plural"] = plural
    return env


#: A campaign's section lists at most this many repositories left (the JSON has them all).
CAMPAIGN_LEFT_LIMIT = 500


def render(s: Summary, *, title: str | None = None, report_url: str | None = None) -> str:
    colors = charts.level_colors(s.levels)
    css = (
        _resource("report.css")
        + "\n"
        + "".join(f".lv-{i}{{--lv:{c}}}\n" for i, c in enumerate(colors))
    )
    js = _resource("report.js")
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "base-uri 'none'; form-action 'none'"
    )
    ctx = {
        "s": s,
        "title": title or (f"Scorecard report: {s.org}" if s.org else "Scorecard report"),
        "report_url": report_url,
        "version": __version__,
        "level_chart": charts.level_bars(s),
        "pillar_chart": charts.pillar_bars(s),
        "level_trend": charts.level_trend(s),
        "score_trend": charts.score_trend(s),
        "team_changes": [(i, t) for i, t in enumerate(s.teams) if t.change or t.gained or t.lost],
        "strips": [charts.team_strip(s, t) for t in s.teams],
        "burndowns": [charts.burndown(c) for c in s.campaigns],
        "left_limit": CAMPAIGN_LEFT_LIMIT,
        "colors": colors,
        "gained": s.moved(True)[:TREND_LIMIT],
        "gained_all": len(s.moved(True)),
        "lost": s.moved(False)[:TREND_LIMIT],
        "lost_all": len(s.moved(False)),
        "score_changes": s.score_changes(TREND_LIMIT),
        "new_repos": s.new[:TREND_LIMIT],
        "new_all": len(s.new),
        "gone": s.gone[:TREND_LIMIT],
        "css": Markup(css),  # our own stylesheet and colours
        "js": Markup(js),  # our own script
        "csp": csp,
        "data": embed_json(table_data(s)),
    }
    return _environment().get_template("report.html.j2").render(ctx)
