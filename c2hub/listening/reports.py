"""The listening event's report in three formats from one set of numbers (``selectors.report``):
an HTML page, a PDF printed by WeasyPrint from the same HTML, and a DOCX (python-docx).

Charts are SVG in the page and the PDF and PNG in the DOCX (``c2hub.charts``), each beside a
table of the same numbers. There is no personal data: no given names, postcode districts only
with at least 5 comments. Residents' text is escaped everywhere: Jinja autoescapes the HTML (and
so the PDF), python-docx writes text runs, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from c2hub import charts
from c2hub.listening.selectors import Report

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _chart_specs(report: Report) -> dict[str, tuple[object, str]]:
    """Altair charts (with their descriptions) for the themes, priorities and age bands."""
    specs: dict[str, tuple[object, str]] = {}
    if report.themes:
        rows = [{"Theme": v.theme.name, "People": v.voices} for v in report.themes]
        specs["themes"] = (
            charts.bar_chart(
                rows,
                category="Theme",
                value="People",
                title="What people said, by theme",
                value_title="People who said it",
            ),
            "Bar chart of how many people made comments in each theme; the same numbers are in the table.",
        )
    p = report.priorities
    if p.resident_dots or p.provider_dots:
        rows = [{"Theme": r.theme.name, "Dots": r.dots, "Who": "Residents"} for r in p.residents]
        rows += [{"Theme": r.theme.name, "Dots": r.dots, "Who": "Providers"} for r in p.providers]
        specs["priorities"] = (
            charts.bar_chart(rows, category="Theme", value="Dots", colour="Who", title="Priorities: dots per theme"),
            "Bar chart of the dots residents and providers put on each theme; the same numbers are in the tables.",
        )
    ages = [{"Age band": label, "People": said + heads} for label, said, heads in report.participation.by_age_band]
    if ages:
        specs["ages"] = (
            charts.bar_chart(ages, category="Age band", value="People", title="Who took part, by age band"),
            "Bar chart of people taking part by age band; the same numbers are in the table.",
        )
    return specs


def _readable(chart: object) -> object:
    """Theme names are long: let the axis show them whole (Vega-Lite cuts labels at 180px)."""
    return chart.configure_axisY(labelLimit=320, labelFontSize=13)  # type: ignore[attr-defined]


def charts_svg(report: Report) -> dict[str, str]:
    return {
        name: charts.render_svg(_readable(chart), description=desc)
        for name, (chart, desc) in _chart_specs(report).items()
    }


def _filename(report: Report, ext: str) -> str:
    return f"{slugify(report.listening.event.title) or 'listening-event'}-report.{ext}"


def render_html_document(report: Report, *, for_pdf: bool = False) -> str:
    """The standalone HTML the PDF is printed from (the same body as the page); the PDF gets its
    stylesheet from disk instead of a link."""
    return render_to_string(
        "listening/report_document.html",
        {
            "report": report,
            "charts": charts_svg(report),
            "site": report.site,
            "listening": report.listening,
            "feedback_sentence": feedback_sentence(report),
            "for_pdf": for_pdf,
        },
    )


def render_pdf(report: Report) -> bytes:
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    # WeasyPrint reads the stylesheet from disk: no request to the server for it.
    stylesheet = CSS(filename=finders.find("listening/report-print.css"))
    return HTML(string=render_html_document(report, for_pdf=True)).write_pdf(stylesheets=[stylesheet])


def _clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    event = report.listening.event
    doc.add_heading(_clean(f"What we heard: {event.title}"), level=0)
    doc.add_paragraph(
        _clean(
            f"{report.site.name}, {event.held_on:%-d %B %Y}. {report.totals['comments']} comments from "
            f"{report.totals['voices']} people ({report.totals['resident']} residents, {report.totals['provider']} "
            "from providers)."
        )
    )
    pngs = {name: charts.render_png(_readable(chart)) for name, (chart, _) in _chart_specs(report).items()}

    def table(headings: list[str], rows: list[list[object]]) -> None:
        t = doc.add_table(rows=1, cols=len(headings))
        t.style = "Table Grid"
        for cell, heading in zip(t.rows[0].cells, headings, strict=True):
            cell.text = _clean(heading)
        for row in rows:
            cells = t.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = _clean(value)

    doc.add_heading("What residents said", level=1)
    if not report.themes:
        doc.add_paragraph("The comments have not been grouped into themes yet.")
    if "themes" in pngs:
        doc.add_picture(io.BytesIO(pngs["themes"]), width=Cm(16))
    if report.themes:
        table(
            ["Theme", "People who said it", "Comments"],
            [[v.theme.name, v.voices, len(v.comments)] for v in report.themes],
        )
    for view in report.themes:
        doc.add_heading(_clean(view.theme.name), level=2)
        doc.add_paragraph(_clean(f"{view.voices} people, {len(view.comments)} comments. What they said:"))
        for quote in view.quotes:
            doc.add_paragraph(
                _clean(f"“{quote.text}”") + (_clean(f" ({quote.count} people said this)") if quote.count > 1 else ""),
                style="Quote",
            )
    doc.add_heading("Priorities", level=1)
    p = report.priorities
    if not (p.resident_dots or p.provider_dots):
        doc.add_paragraph("No dots have been recorded yet.")
    else:
        if "priorities" in pngs:
            doc.add_picture(io.BytesIO(pngs["priorities"]), width=Cm(16))
        for label, rows, total in (
            ("Residents", p.residents, p.resident_dots),
            ("Providers", p.providers, p.provider_dots),
        ):
            doc.add_heading(_clean(f"{label}' priorities ({total} dots)"), level=2)
            table(["Rank", "Theme", "Dots"], [[r.rank_label, r.theme.name, r.dots] for r in rows])
    doc.add_heading("Who took part", level=1)
    part = report.participation
    table(["Who", "Comments (people)", "Counted at the door"], [list(row) for row in part.by_kind])
    if part.by_age_band:
        if "ages" in pngs:
            doc.add_picture(io.BytesIO(pngs["ages"]), width=Cm(14))
        table(["Age band", "Comments (people)", "Counted at the door"], [list(row) for row in part.by_age_band])
    if part.organisations:
        doc.add_paragraph(_clean("Organisations represented: " + ", ".join(part.organisations) + "."))
    if part.postcode_districts:
        table(["Postcode district", "Comments"], [list(row) for row in part.postcode_districts])
    if part.languages:
        doc.add_paragraph(_clean("Languages: " + ", ".join(f"{name} ({n})" for name, n in part.languages) + "."))
    doc.add_heading("What happens next", level=1)
    for para in (report.listening.next_steps or "").split("\n\n"):
        if para.strip():
            doc.add_paragraph(_clean(para.strip()))
    doc.add_paragraph(_clean(feedback_sentence(report)))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def feedback_sentence(report: Report) -> str:
    listening = report.listening
    fb = listening.feedback_event
    if fb is not None:
        verb = "was held" if fb.status == "held" else "will be held"
        return f"The feedback event {verb} on {fb.held_on:%-d %B %Y} (due by {listening.feedback_due:%-d %B %Y})."
    return f"We will feed back to residents by {listening.feedback_due:%-d %B %Y}."


def download(report: Report, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        body, content_type = render_pdf(report), "application/pdf"
    else:
        body = render_docx(report)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, fmt)}"'
    return response
