"""A case study as a document: the page's HTML printed to PDF by WeasyPrint (tagged, with its
language and title) and a DOCX written by python-docx, photos with their alt text. Only the
quotes and photos whose consent reaches the audience are in it (``selectors.shown_items``)."""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify

from c2hub.casestudies.models import CaseStudy, Photo
from c2hub.casestudies.selectors import Shown, shown_items

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: object) -> str:
    return _NOT_XML.sub("", str(text))


def _filename(case_study: CaseStudy, ext: str) -> str:
    return f"{slugify(case_study.title) or 'case-study'}.{ext}"


def linked_records(case_study: CaseStudy, shown: Shown) -> dict[str, list[str]]:
    """The linked events, wins and groups — not for the public: their titles are written for the team."""
    return {} if shown.audience == "public" else linked_for_team(case_study)


def linked_for_team(case_study: CaseStudy) -> dict[str, list[str]]:
    return {
        "Events": [str(e) for e in case_study.events.all()],
        "Wins": [f"{w.title} ({w.won_on:%-d %B %Y})" for w in case_study.wins.all()],
        "Groups and activities": [g.name for g in case_study.community_groups.all()],
    }


def render_html_document(case_study: CaseStudy, shown: Shown) -> str:
    return render_to_string(
        "casestudies/document.html",
        {
            "case_study": case_study,
            "shown": shown,
            "linked": linked_records(case_study, shown),
            "site": case_study.site,
        },
    )


def render_pdf(case_study: CaseStudy, shown: Shown) -> bytes:
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    stylesheet = CSS(filename=finders.find("casestudies/print.css"))
    # Photos are read from the uploads folder on disk (their URLs are relative to MEDIA_ROOT).
    html = HTML(string=render_html_document(case_study, shown), base_url=str(settings.MEDIA_ROOT) + "/")
    return html.write_pdf(stylesheets=[stylesheet], pdf_variant="pdf/ua-1")


def _picture_bytes(photo: Photo) -> io.BytesIO:
    """The photo as PNG or JPEG (python-docx cannot hold WebP)."""
    from PIL import Image

    with photo.image.open("rb") as handle, Image.open(handle) as image:
        out = io.BytesIO()
        if image.format == "JPEG":
            image.save(out, format="JPEG")
        else:
            image.convert("RGBA").save(out, format="PNG")
    out.seek(0)
    return out


def render_docx(case_study: CaseStudy, shown: Shown) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = _clean(case_study.title)
    doc.core_properties.language = "en-GB"
    doc.add_heading(_clean(case_study.title), level=0)
    doc.add_paragraph(_clean(f"A case study from {case_study.site.name}."))
    if case_study.summary:
        doc.add_paragraph(_clean(case_study.summary), style="Intense Quote")
    for paragraph in case_study.paragraphs():
        doc.add_paragraph(_clean(paragraph))
    if shown.quotes:
        doc.add_heading("In their words", level=1)
        for quote in shown.quotes:
            doc.add_paragraph(_clean(f"“{quote.text}” — {quote.attribution}"), style="Quote")
    for photo in shown.photos:
        doc.add_picture(_picture_bytes(photo), width=Cm(14))
        # The picture's alternative text (docPr descr), read out by screen readers.
        doc.inline_shapes[-1]._inline.docPr.set("descr", _clean(photo.alt_text))
        if photo.caption:
            doc.add_paragraph(_clean(photo.caption), style="Caption")
    if case_study.figure_lines():
        doc.add_heading("The figures", level=1)
        for line in case_study.figure_lines():
            doc.add_paragraph(_clean(line), style="List Bullet")
    linked = {k: v for k, v in linked_records(case_study, shown).items() if v}
    if linked:
        doc.add_heading("Linked records", level=1)
        for heading, items in linked.items():
            doc.add_paragraph(_clean(f"{heading}: " + "; ".join(items) + "."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def download(case_study: CaseStudy, fmt: str) -> HttpResponse:
    shown = shown_items(case_study)
    if fmt == "pdf":
        body, content_type = render_pdf(case_study, shown), "application/pdf"
    else:
        body = render_docx(case_study, shown)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(case_study, fmt)}"'
    return response
