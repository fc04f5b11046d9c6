"""Pages for a site's board reports: the list, a new draft, the report (any version), editing its
sections, approving, releasing, a Word template, and the DOCX/PDF downloads. Thin: reads come from
``selectors.py``, writes go through ``services.py``, permissions are the ``reports.*`` rules."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from c2hub.formerrors import show_service_errors
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.programmes.views import site_breadcrumbs
from c2hub.reports import render as board_render
from c2hub.reports import selectors, services
from c2hub.reports.board import PLACEHOLDER, BoardReportContent
from c2hub.reports.forms import DraftForm, SectionsForm, TemplateForm
from c2hub.reports.models import BoardReport

VIEW, DRAFT, APPROVE = "reports.view_board_reports", "reports.draft_board_reports", "reports.approve_board_reports"


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Board reports", reverse("board_report_list", args=[site.slug])), *more)


def _report_url(report: BoardReport) -> str:
    return reverse("board_report_detail", args=[report.site.slug, report.pk])


@login_required
def board_report_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    return render(
        request,
        "reports/list.html",
        {
            "site": site,
            "active": "reports",
            "reports": selectors.board_reports(site),
            "can_draft": request.user.has_perm(DRAFT, site),
            "breadcrumbs": _crumbs(site),
        },
    )


@login_required
def board_report_new(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, DRAFT)
    form = DraftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.board_report_draft(
                actor=request.user, site=site, as_of=form.cleaned_data["as_of"],
                board_name=form.cleaned_data["board_name"],
            )
        except ValidationError as error:
            show_service_errors(form, error)
        else:
            messages.success(request, "C2 Hub has drafted the report from the records. Check and edit each section.")
            return redirect(_report_url(report))
    return render(
        request,
        "reports/new.html",
        {"site": site, "form": form, "breadcrumbs": _crumbs(site, ("New draft", None))},
        status=400 if form.errors else 200,
    )


def _version_number(request: HttpRequest) -> int | None:
    raw = request.GET.get("version", "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise Http404("No such version")
    return int(raw)


def _content(report: BoardReport, number: int | None) -> BoardReportContent:
    version = selectors.version_get(report, number) if number else None
    return selectors.report_content(report, version)


@login_required
def board_report_detail(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    report = selectors.board_report_get(site, report_id)
    number = _version_number(request)
    content = _content(report, number)
    versions = selectors.versions(report)
    shown = number or (report.approved_version if report.status != "draft" and report.approved_version
                       else versions[0].number)
    return render(
        request,
        "reports/detail.html",
        {
            "site": site,
            "report": report,
            "content": content,
            "sections": board_render.numbered(content),
            "appendix_number": board_render.appendix_list_number(content),
            "charts": board_render.charts_svg(content),
            "versions": versions,
            "shown": shown,
            "placeholders": content.placeholders,
            "placeholder_word": PLACEHOLDER,
            "can_draft": request.user.has_perm(DRAFT, site) and not report.is_released,
            "can_approve": request.user.has_perm(APPROVE, site),
            "template_form": TemplateForm(),
            "breadcrumbs": _crumbs(site, (f"As of {report.as_of:%-d %B %Y}", None)),
        },
    )


@login_required
def board_report_edit(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, DRAFT)
    report = selectors.board_report_get(site, report_id)
    if report.is_released:
        messages.error(request, "This report has been released: it cannot be changed. Draft a new one.")
        return redirect(_report_url(report))
    latest = selectors.latest_version(report)
    form = SectionsForm(request.POST if request.method == "POST" else None, sections=latest.sections)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.board_report_save(
                actor=request.user, report=report, texts=form.texts(), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError({(f"section_{k}" if k != "__all__" else k): v
                                         for k, v in error.message_dict.items()})
            show_service_errors(form, error)
        else:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect(_report_url(report))
    return render(
        request,
        "reports/edit.html",
        {
            "site": site, "report": report, "form": form, "latest": latest, "placeholder_word": PLACEHOLDER,
            "breadcrumbs": _crumbs(site, (f"As of {report.as_of:%-d %B %Y}", _report_url(report)), ("Edit", None)),
        },
        status=400 if form.errors else 200,
    )


def _act(request: HttpRequest, slug: str, report_id: int, action: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, APPROVE)
    report = selectors.board_report_get(site, report_id)
    try:
        if action == "approve":
            report = services.board_report_approve(actor=request.user, report=report)
            messages.success(
                request, f"Version {report.approved_version} is approved. Release it when it goes to the board."
            )
        else:
            report = services.board_report_release(actor=request.user, report=report)
            messages.success(request, "The report is released: it can no longer be changed.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_report_url(report))


@login_required
@require_POST
def board_report_approve(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    return _act(request, slug, report_id, "approve")


@login_required
@require_POST
def board_report_release(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    return _act(request, slug, report_id, "release")


@login_required
@require_POST
def board_report_template(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, DRAFT)
    report = selectors.board_report_get(site, report_id)
    form = TemplateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.board_report_set_template(actor=request.user, report=report, upload=form.cleaned_data["template"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The Word download now uses your template.")
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_report_url(report) + "#downloads")


@login_required
def board_report_download(request: HttpRequest, slug: str, report_id: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404("Board reports download as DOCX or PDF")
    site = site_get_for_user(request.user, slug, VIEW)
    report = selectors.board_report_get(site, report_id)
    content = _content(report, _version_number(request))
    status = report.get_status_display()
    if fmt == "pdf":
        body, content_type = board_render.render_pdf(content, status=status), "application/pdf"
    else:
        template = None
        if report.word_template:
            with report.word_template.open("rb") as handle:
                template = io.BytesIO(handle.read())
        try:
            body = board_render.render_docx(content, template=template, status=status)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_report_url(report) + "#downloads")
        content_type = board_render.DOCX_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{board_render.filename(content, fmt)}"'
    return response
