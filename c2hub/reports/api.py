"""API for board reports: the report for a site as of a date, straight from the records (no saved
draft needed) as JSON sections, DOCX or PDF. Same rules as the pages: a site only through
``site_get_for_user`` (404 for another's site, 403 without ``reports.view_board_reports``); a bad
date is a 422 JSON answer with a ``detail``."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, SiteSlug
from c2hub.programmes.selectors import site_get_for_user
from c2hub.reports import render
from c2hub.reports.board import DEFAULT_BOARD, board_report

router = Router(tags=["Board reports"])
VIEW = "reports.view_board_reports"


class BoardReportQuery(Schema):
    as_of: dt.date = Field(..., description="The report states what the records held at the end of this day.")
    format: Literal["json", "docx", "pdf"] = "json"
    board: str = Field(DEFAULT_BOARD, max_length=200, description="The board the report goes to.")


class SectionOut(Schema):
    key: str = Field(..., examples=["progress"])
    heading: str
    text: str = Field(..., description="Paragraphs separated by a blank line; a line starting '- ' is a bullet.")
    level: int = Field(..., description="1 for a section, 2 for a sub-section (the corporate implications).")


class TableOut(Schema):
    caption: str
    columns: list[str]
    rows: list[list[str]]


class AppendixOut(Schema):
    key: str = Field(..., examples=["membership"])
    heading: str
    intro: str
    tables: list[TableOut]
    notes: list[str]


class BoardReportOut(Schema):
    site: str = Field(..., examples=["southchurch"])
    as_of: dt.date
    board_name: str
    title: str
    has_data: bool = Field(..., description="False when the site had no records by the date (the report says so).")
    sections: list[SectionOut]
    appendices: list[AppendixOut]


@router.get(
    "/sites/{slug}/reports/board",
    response={200: BoardReportOut, **COMMON_ERRORS},
    summary="The board report as of a date",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report: its sections as JSON, or the document as DOCX or PDF",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BoardReportOut"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    render.DOCX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def board_report_get(request: HttpRequest, slug: SiteSlug, query: Query[BoardReportQuery]) -> Any:
    site = site_get_for_user(request.user, slug, VIEW)
    content = board_report(site, as_of=query.as_of, board_name=query.board)
    if query.format == "json":
        data = content.to_dict()
        return {
            "site": site.slug,
            "as_of": content.as_of,
            "board_name": content.board_name,
            "title": content.title,
            "has_data": content.has_data,
            "sections": data["sections"],
            "appendices": data["appendices"],
        }
    if query.format == "pdf":
        body, content_type = render.render_pdf(content), "application/pdf"
    else:
        body, content_type = render.render_docx(content), render.DOCX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{render.filename(content, query.format)}"'
    return response
