"""The board report in three formats from one ``BoardReportContent``: an HTML document (the page's
body and what the PDF is printed from), a tagged PDF (WeasyPrint, PDF/UA-1, with the document's
language and title), and a DOCX (python-docx, optionally on an organisation's own Word template).

Paragraphs are numbered as boards expect (3.1, 3.2 …; the corporate implications 6.1 … 6.10 as
sub-headings). Charts are SVG in the page and PNG pictures in the PDF and the DOCX, with the
chart's description as their alternative text, always beside a table of the same numbers
(``c2hub.charts``); each is drawn once per distinct data and kept in the data directory's cache.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.text import slugify

from c2hub import charts
from c2hub.reports.board import BoardReportContent, Chart, Section

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Bump to redraw every cached chart (e.g. after a change to the house style in c2hub/charts.py).
CHART_CACHE_VERSION = 1
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATE_MAX_BYTES = 10 * 1024 * 1024


def _clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


# Numbered paragraphs ------------------------------------------------------------------------------
@dataclass
class Block:
    """A paragraph (``number`` like "3.1", or "" when it continues one) or a bullet list."""

    number: str
    text: str
    bullets: list[str]


@dataclass
class NumberedSection:
    number: str
    section: Section
    blocks: list[Block]


def _blocks(section: Section, number: str) -> list[Block]:
    blocks = []
    paragraphs = [p for p in re.split(r"\n\s*\n", section.text.strip()) if p.strip()]
    for i, para in enumerate(paragraphs, start=1):
        lines = [line.rstrip() for line in para.splitlines() if line.strip()]
        text = " ".join(line.strip() for line in lines if not line.lstrip().startswith("- "))
        bullets = [line.lstrip()[2:].strip() for line in lines if line.lstrip().startswith("- ")]
        blocks.append(Block(number=f"{number}.{i}" if section.level == 1 else "", text=text, bullets=bullets))
    return blocks


def numbered(report: BoardReportContent) -> list[NumberedSection]:
    """Sections with their numbers: top-level 1, 2 …; sub-sections N.1, N.2 … under the last one."""
    out: list[NumberedSection] = []
    top = sub = 0
    for section in report.sections:
        if section.level == 1:
            top += 1
            sub = 0
            number = str(top)
        else:
            sub += 1
            number = f"{top}.{sub}"
        out.append(NumberedSection(number=number, section=section, blocks=_blocks(section, number)))
    return out


def appendix_list_number(report: BoardReportContent) -> int:
    return sum(1 for s in report.sections if s.level == 1) + 1


# Charts ---------------------------------------------------------------------------------------------
def _altair(chart: Chart) -> Any:
    if chart.kind == "line":
        return charts.line_chart(chart.rows, x=chart.x, y=chart.y, title=chart.title, series=chart.series, x_type="O")
    return charts.bar_chart(chart.rows, category=chart.x, value=chart.y, title=chart.title, colour=chart.series)


def _charts(report: BoardReportContent) -> Iterator[tuple[int, int, Chart]]:
    for a, appendix in enumerate(report.appendices):
        for c, chart in enumerate(appendix.charts):
            if chart.rows:
                yield a, c, chart


def charts_svg(report: BoardReportContent) -> dict[str, str]:
    """Each chart as SVG for the page: ``"<appendix>-<chart>"`` → the SVG element."""
    return {f"{a}-{c}": _cached(chart, "svg") for a, c, chart in _charts(report)}


def charts_png(report: BoardReportContent) -> dict[str, str]:
    """Each chart as a PNG data URL for the PDF. A picture (with the chart's description as its
    alternative text) lays out in a fraction of the time WeasyPrint takes over Vega's SVG text."""
    return {
        f"{a}-{c}": "data:image/png;base64," + base64.b64encode(_cached(chart, "png")).decode("ascii")
        for a, c, chart in _charts(report)
    }


def _cached(chart: Chart, kind: str) -> Any:
    """Draw a chart once per distinct data (vl-convert costs up to a second a chart): kept under
    ``DATA_DIR/cache/board-report-charts/`` by a hash of everything it shows."""
    spec = json.dumps([CHART_CACHE_VERSION, kind, asdict(chart)], sort_keys=True, default=str)
    digest = hashlib.sha256(spec.encode()).hexdigest()[:32]
    folder = Path(settings.DATA_DIR) / "cache" / "board-report-charts"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.{kind}"
    if path.exists():
        return path.read_text(encoding="utf-8") if kind == "svg" else path.read_bytes()
    if kind == "svg":
        svg = charts.render_svg(_altair(chart), description=chart.description)
        data: bytes = svg.encode("utf-8")
    else:
        data = charts.render_png(_altair(chart))
    tmp = path.with_suffix(f".{digest[:6]}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data.decode("utf-8") if kind == "svg" else data


# HTML and PDF ---------------------------------------------------------------------------------------
def render_html_document(report: BoardReportContent, *, for_pdf: bool = False, status: str = "") -> str:
    return render_to_string(
        "reports/board_document.html",
        {
            "report": report,
            "sections": numbered(report),
            "appendix_number": appendix_list_number(report),
            "charts": {} if for_pdf else charts_svg(report),
            "pictures": charts_png(report) if for_pdf else {},
            "for_pdf": for_pdf,
            "status": status,
        },
    )


def render_pdf(report: BoardReportContent, *, status: str = "") -> bytes:
    """A tagged PDF (PDF/UA-1): headings, paragraphs, lists and tables are tagged; the document's
    language (en-GB) and title come from the HTML."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("reports/board-report-print.css"))
    return HTML(string=render_html_document(report, for_pdf=True, status=status)).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1"
    )


# DOCX -----------------------------------------------------------------------------------------------
def check_word_template(upload: IO[bytes], *, size: int | None = None) -> None:
    """A template must be a Word document (.docx) python-docx can open; anything else is refused
    with a message saying so (never a crash at download time)."""
    from docx import Document

    if size is not None and size > TEMPLATE_MAX_BYTES:
        raise ValidationError({"template": "The Word template must be smaller than 10 MB."})
    data = upload.read()
    upload.seek(0)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(
            {"template": "The file is not a Word document (.docx): it may be damaged, or an older .doc file."}
        )
    try:
        document = Document(io.BytesIO(data))
        document.styles  # noqa: B018 - reading the styles part proves the document is whole
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a broken file
        raise ValidationError(
            {"template": "The Word template could not be read: it may be damaged, or not a .docx file."}
        ) from error


def _document(template: IO[bytes] | None) -> Any:
    from docx import Document

    if template is None:
        return Document()
    template.seek(0)
    try:
        document = Document(template)
    except Exception as error:  # noqa: BLE001
        raise ValidationError(
            {"template": "The Word template could not be read: it may be damaged, or not a .docx file."}
        ) from error
    body = document.element.body
    # Keep the template's styles, headers, footers and page set-up; drop its sample content.
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def _style(document: Any, name: str, fallback: str | None = None) -> str | None:
    names = {s.name for s in document.styles}
    if name in names:
        return name
    return fallback if fallback in names else None


def render_docx(report: BoardReportContent, *, template: IO[bytes] | None = None, status: str = "") -> bytes:
    from docx.shared import Cm

    doc = _document(template)
    list_style = _style(doc, "List Bullet")
    table_style = _style(doc, "Table Grid")
    caption_style = _style(doc, "Caption")

    def heading(text: str, level: int) -> None:
        if _style(doc, f"Heading {level}" if level else "Title"):
            doc.add_heading(_clean(text), level=level)
        else:
            doc.add_paragraph().add_run(_clean(text)).bold = True

    def bullets(items: list[str]) -> None:
        for item in items:
            doc.add_paragraph(_clean(item) if list_style else f"• {_clean(item)}", style=list_style)

    def table(columns: list[str], rows: list[list[str]], caption: str) -> None:
        doc.add_paragraph(_clean(caption), style=caption_style)
        t = doc.add_table(rows=1, cols=len(columns))
        if table_style:
            t.style = table_style
        for cell, name in zip(t.rows[0].cells, columns, strict=True):
            cell.text = _clean(name)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, value in zip(t.add_row().cells, row, strict=True):
                cell.text = _clean(value)

    heading(report.title, 0)
    doc.add_paragraph(_clean(f"Report to: {report.board_name}"))
    doc.add_paragraph(_clean(f"Report date (as of): {report.as_of:%-d %B %Y}"))
    if status:
        doc.add_paragraph(_clean(f"Status: {status}"))
    for ns in numbered(report):
        heading(f"{ns.number}. {ns.section.heading}" if ns.section.level == 1 else f"{ns.number} {ns.section.heading}",
                ns.section.level)
        for block in ns.blocks:
            if block.text:
                doc.add_paragraph(_clean(f"{block.number} {block.text}" if block.number else block.text))
            bullets(block.bullets)
    n = appendix_list_number(report)
    heading(f"{n}. Appendices", 1)
    bullets([a.heading for a in report.appendices])
    pngs = {(a, c): _cached(chart, "png") for a, c, chart in _charts(report)}
    for a, appendix in enumerate(report.appendices):
        doc.add_page_break()
        heading(appendix.heading, 1)
        if appendix.intro:
            doc.add_paragraph(_clean(appendix.intro))
        for c, chart in enumerate(appendix.charts):
            if (a, c) in pngs:
                shape = doc.add_picture(io.BytesIO(pngs[(a, c)]), width=Cm(16))
                # The picture's alternative text (Word's "Alt Text"): the chart's description.
                shape._inline.docPr.set("descr", _clean(chart.description))
                shape._inline.docPr.set("title", _clean(chart.title))
        for t in appendix.tables:
            table(t.columns, t.rows, t.caption)
        for note in appendix.notes:
            doc.add_paragraph(_clean(note))
    core = doc.core_properties
    core.title = _clean(report.title)[:255]
    core.language = "en-GB"
    core.subject = _clean(f"Report to {report.board_name}")[:255]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(report: BoardReportContent, ext: str) -> str:
    return f"{slugify(report.site_name)}-board-report-{report.as_of:%Y-%m-%d}.{ext}"
