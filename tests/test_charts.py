"""The one chart module: SVG for pages and PDFs (with a title for screen readers), PNG for DOCX."""

from c2hub import charts

ROWS = [
    {"theme": "Litter <script>", "dots": 12, "who": "Residents"},
    {"theme": "Litter <script>", "dots": 4, "who": "Providers"},
    {"theme": "Young people", "dots": 9, "who": "Residents"},
]


def test_bar_chart_svg_has_an_accessible_title_and_escapes_text():
    svg = charts.render_svg(
        charts.bar_chart(ROWS, category="theme", value="dots", colour="who", title="Dots <per> theme"),
        description="Residents put 12 dots on litter",
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Dots &lt;per&gt; theme</title>" in svg
    assert "<desc>Residents put 12 dots on litter</desc>" in svg
    assert "<script>" not in svg
    assert "Young people" in svg


def test_line_chart_with_markers_renders_png():
    rows = [
        {"month": "2024-01", "count": 30, "area": "Site"},
        {"month": "2024-02", "count": 25, "area": "Site"},
        {"month": "2024-01", "count": 20, "area": "Comparison areas"},
    ]
    chart = charts.line_chart(
        rows, x="month", y="count", series="area", title="Crime",
        markers=[{"date": "2024-02", "label": "Listening event"}],
    )
    png = charts.render_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Listening event" in charts.render_svg(chart)
