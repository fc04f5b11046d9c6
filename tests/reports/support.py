"""Reading a board report back: the DOCX with python-docx, the PDF through WeasyPrint's laid-out
pages (the text the PDF is drawn from), and whether the PDF is tagged."""

from __future__ import annotations

import io
import re

from c2hub.reports import render
from c2hub.reports.board import BoardReportContent


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: BoardReportContent) -> str:
    """The text on the PDF's pages, as WeasyPrint laid it out."""
    from weasyprint import HTML

    document = HTML(string=render.render_html_document(content, for_pdf=True)).render()
    texts: list[str] = []

    def walk(box: object) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            texts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return re.sub(r"\s+", " ", " ".join(texts))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)
