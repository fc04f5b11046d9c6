"""Charts: Altair (Vega-Lite) rendered on the server to SVG for pages and PDFs, PNG for DOCX.

The one way to draw a chart in C2 Hub. A chart is always shown beside a table of the same numbers
(the table is the accessible version; the SVG carries a title and a description as its alt text).
Build the Altair chart with the helpers here (or any Altair chart passed through ``c2_theme``),
then render it with ``render_svg`` or ``render_png``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import vl_convert as vlc

#: GOV.UK Design System colours, in an order that stays distinguishable for colour-blind readers.
PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#912b88", "#f47738", "#505a5f", "#28a197", "#5694ca"]
TEXT_COLOUR = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"


def c2_theme(chart: alt.TopLevelMixin, *, width: int = 560, height: int = 280) -> alt.TopLevelMixin:
    """Apply C2 Hub's house style: GOV.UK colours, readable type, no chart-junk."""
    return (
        chart.properties(width=width, height=height)
        .configure(font=FONT, background="white")
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelFontSize=12, titleFontSize=13, grid=False)
        .configure_legend(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelFontSize=12, titleFontSize=13)
        .configure_title(color=TEXT_COLOUR, fontSize=15, anchor="start")
        .configure_range(category=PALETTE)
        .configure_view(stroke=None)
    )


def bar_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    category: str,
    value: str,
    title: str,
    category_title: str | None = None,
    value_title: str | None = None,
    colour: str | None = None,
    horizontal: bool = True,
) -> alt.TopLevelMixin:
    """A bar per category (horizontal by default: long labels such as theme names stay readable).
    ``colour`` names a field that splits the bars into groups (e.g. residents and providers)."""
    data = alt.Data(values=[dict(row) for row in rows])
    cat = alt.X if not horizontal else alt.Y
    val = alt.Y if not horizontal else alt.X
    encoding: dict[str, Any] = {
        ("y" if horizontal else "x"): cat(f"{category}:N", title=category_title or category, sort=None),
        ("x" if horizontal else "y"): val(f"{value}:Q", title=value_title or value),
    }
    if colour:
        encoding["color"] = alt.Color(f"{colour}:N", title=None)
        if horizontal:
            encoding["yOffset"] = alt.YOffset(f"{colour}:N")
        else:
            encoding["xOffset"] = alt.XOffset(f"{colour}:N")
    else:
        encoding["color"] = alt.value(PALETTE[0])
    chart = alt.Chart(data, title=title).mark_bar().encode(**encoding)
    height = max(120, 28 * len({row[category] for row in rows}) * (2 if colour else 1)) if horizontal else 280
    return c2_theme(chart, height=height)


def line_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    x: str,
    y: str,
    title: str,
    series: str | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    x_type: str = "T",
    markers: Sequence[Mapping[str, Any]] = (),
) -> alt.TopLevelMixin:
    """A line per series over time. ``markers`` are dated vertical rules with a label
    (e.g. pathway milestones and contemporaneous changes): ``{"date": "2014-01", "label": "…"}``."""
    data = alt.Data(values=[dict(row) for row in rows])
    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:{x_type}", title=x_title or x),
        "y": alt.Y(f"{y}:Q", title=y_title or y),
    }
    if series:
        encoding["color"] = alt.Color(f"{series}:N", title=None)
        encoding["strokeDash"] = alt.StrokeDash(f"{series}:N", title=None)
    else:
        encoding["color"] = alt.value(PALETTE[0])
    layers: list[alt.Chart] = [alt.Chart(data).mark_line(point=True).encode(**encoding)]
    if markers:
        marks = alt.Data(values=[dict(m) for m in markers])
        layers.append(
            alt.Chart(marks).mark_rule(color="#505a5f", strokeDash=[4, 3]).encode(x=alt.X(f"date:{x_type}"))
        )
        layers.append(
            alt.Chart(marks)
            .mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=11, color=TEXT_COLOUR, angle=0)
            .encode(x=alt.X(f"date:{x_type}"), y=alt.value(2), text="label:N")
        )
    return c2_theme(alt.layer(*layers, title=title))


def render_svg(chart: alt.TopLevelMixin, *, description: str = "") -> str:
    """The chart as an SVG element for a page or a PDF: role="img" with a title and description."""
    svg = vlc.vegalite_to_svg(chart.to_dict())
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    title = _escape(_chart_title(chart))
    desc = _escape(description)
    head = f'<title>{title}</title>' + (f"<desc>{desc}</desc>" if desc else "")
    return re.sub(r"<svg\b([^>]*)>", lambda m: f'<svg{m.group(1)} role="img" focusable="false">{head}', svg, count=1)


def render_png(chart: alt.TopLevelMixin, *, scale: float = 2.0) -> bytes:
    """The chart as a PNG (for DOCX, which has no SVG support worth relying on)."""
    return vlc.vegalite_to_png(chart.to_dict(), scale=scale)


def _chart_title(chart: alt.TopLevelMixin) -> str:
    title = chart.to_dict().get("title", "")
    if isinstance(title, dict):
        title = title.get("text", "")
    return title if isinstance(title, str) else " ".join(map(str, title))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
