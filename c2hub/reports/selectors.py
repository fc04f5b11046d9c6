"""Reads of board reports: a site's reports, one report, its versions, and what a version says."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from c2hub.programmes.models import Site
from c2hub.reports.board import BoardReportContent
from c2hub.reports.models import BoardReport, BoardReportStatus, BoardReportVersion


def board_reports(site: Site) -> QuerySet[BoardReport]:
    return (
        BoardReport.objects.filter(site=site)
        .select_related("created_by", "approved_by")
        .order_by("-created_at", "-id")
    )


def board_report_get(site: Site, report_id: int) -> BoardReport:
    report = BoardReport.objects.filter(site=site, pk=report_id).select_related("site", "site__programme").first()
    if report is None:
        raise Http404("No such board report for this site")
    return report


def versions(report: BoardReport) -> list[BoardReportVersion]:
    return list(report.versions.select_related("saved_by").order_by("-number"))


def latest_version(report: BoardReport) -> BoardReportVersion:
    version = report.versions.order_by("-number").first()
    if version is None:  # every report is created with version 1
        raise Http404("This board report has no versions")
    return version


def version_get(report: BoardReport, number: int) -> BoardReportVersion:
    version = report.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version of this board report")
    return version


def report_content(report: BoardReport, version: BoardReportVersion | None = None) -> BoardReportContent:
    """The report as it reads in a version: by default the approved one once approved or
    released, else the latest."""
    if version is None:
        if report.status != BoardReportStatus.DRAFT and report.approved_version:
            version = version_get(report, report.approved_version)
        else:
            version = latest_version(report)
    return BoardReportContent.from_dict(report.content).with_sections(version.sections)
