"""A published (or previewed) issue as a standalone HTML document and as a print-ready A4 PDF
for doors and noticeboards (WeasyPrint, like the listening report). Images are read from disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from c2hub.newsletters.models import Block, NewsletterIssue
from c2hub.newsletters.selectors import issue_content


def _file_url(block: Block) -> str:
    return Path(block.image.path).as_uri() if block.image else ""


def render_document(issue: NewsletterIssue) -> Any:
    """The laid-out WeasyPrint document (A4 pages, from print.css)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    html = render_to_string(
        "newsletters/document.html",
        {"issue": issue, "site": issue.site, "content": issue_content(issue), "image_url": _file_url},
    )
    stylesheet = CSS(filename=finders.find("newsletters/print.css"))
    return HTML(string=html).render(stylesheets=[stylesheet])


def render_pdf(issue: NewsletterIssue) -> bytes:
    return render_document(issue).write_pdf()
