"""Every write to board reports: draft, save a new version, approve, release.

Each checks the permission (``reports.*`` rules, object: the site), runs in one transaction and
is attributed to the actor in the audit log. A released report is frozen: no save, approval or
release changes it again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.programmes.models import Site
from c2hub.programmes.services import _touch
from c2hub.reports.board import PLACEHOLDER, board_report
from c2hub.reports.models import BoardReport, BoardReportStatus, BoardReportVersion
from c2hub.reports.selectors import latest_version

DRAFT, APPROVE = "reports.draft_board_reports", "reports.approve_board_reports"
SECTION_MAX_LENGTH = 20000


@transaction.atomic
def board_report_draft(*, actor: Any, site: Site, as_of: dt.date, board_name: str) -> BoardReport:
    """Assemble the report from the records as of the date and save it as version 1."""
    require(actor, DRAFT, site)
    board_name = board_name.strip()
    if not board_name:
        raise ValidationError({"board_name": "Enter the name of the board the report is for."})
    if len(board_name) > 200:
        raise ValidationError({"board_name": "The board's name must be 200 characters or fewer."})
    content = board_report(site, as_of=as_of, board_name=board_name)
    with acting_as(actor):
        report = BoardReport.objects.create(
            site=site, as_of=as_of, board_name=board_name, content=content.to_dict(), created_by=actor
        )
        BoardReportVersion.objects.create(
            report=report,
            number=1,
            sections=[_section_dict(s) for s in content.to_dict()["sections"]],
            saved_by=actor,
            note="Drafted by C2 Hub from the records",
        )
    _touch(site)
    return report


def _section_dict(section: dict[str, Any]) -> dict[str, Any]:
    return {k: section[k] for k in ("key", "heading", "text", "level")}


@transaction.atomic
def board_report_save(
    *, actor: Any, report: BoardReport, texts: dict[str, str], note: str = ""
) -> BoardReportVersion:
    """Save edited section texts as a new version (the headings and order stay the report's).
    Saving an approved report takes it back to draft: it must be approved again."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, DRAFT, report.site)
    if report.is_released:
        raise ValidationError({"__all__": "This report has been released: it cannot be changed. Draft a new one."})
    current = latest_version(report)
    known = {s["key"] for s in current.sections}
    unknown = sorted(set(texts) - known)
    if unknown:
        raise ValidationError({"__all__": f"Unknown sections: {', '.join(unknown)}."})
    errors = {
        key: f"This section must be {SECTION_MAX_LENGTH:,} characters or fewer."
        for key, text in texts.items()
        if len(text) > SECTION_MAX_LENGTH
    }
    if errors:
        raise ValidationError(errors)
    sections = [
        {**s, "text": texts[s["key"]].replace("\r\n", "\n").strip() if s["key"] in texts else s["text"]}
        for s in current.sections
    ]
    if sections == current.sections:
        raise ValidationError({"__all__": "Nothing has changed since the last version."})
    with acting_as(actor):
        version = BoardReportVersion.objects.create(
            report=report, number=current.number + 1, sections=sections, saved_by=actor, note=note.strip()[:300]
        )
        if report.status == BoardReportStatus.APPROVED:
            report.status = BoardReportStatus.DRAFT
            report.approved_version = None
            report.approved_by = None
            report.approved_at = None
            report.save()
    _touch(report.site)
    return version


@transaction.atomic
def board_report_approve(*, actor: Any, report: BoardReport) -> BoardReport:
    """Approve the latest version. Refused while a section still says what to write."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, APPROVE, report.site)
    if report.is_released:
        raise ValidationError({"__all__": "This report has already been released."})
    version = latest_version(report)
    waiting = [s["heading"] for s in version.sections if PLACEHOLDER in s["text"]]
    if waiting:
        raise ValidationError(
            {
                "__all__": f"{len(waiting)} sections still say '{PLACEHOLDER}': "
                + ", ".join(waiting)
                + ". Write them (or say 'None.') before approving."
            }
        )
    with acting_as(actor):
        report.status = BoardReportStatus.APPROVED
        report.approved_version = version.number
        report.approved_by = actor
        report.approved_at = timezone.now()
        report.save()
    _touch(report.site)
    return report


@transaction.atomic
def board_report_release(*, actor: Any, report: BoardReport) -> BoardReport:
    """Release the approved version; from now on the report is frozen."""
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, APPROVE, report.site)
    if report.status != BoardReportStatus.APPROVED:
        raise ValidationError({"__all__": "Approve the report before releasing it."})
    with acting_as(actor):
        report.status = BoardReportStatus.RELEASED
        report.released_by = actor
        report.released_at = timezone.now()
        report.save()
    _touch(report.site)
    return report


@transaction.atomic
def board_report_set_template(*, actor: Any, report: BoardReport, upload: Any) -> BoardReport:
    """Use an organisation's Word template (a checked .docx) for the report's DOCX."""
    from c2hub.reports.render import check_word_template

    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, DRAFT, report.site)
    if report.is_released:
        raise ValidationError({"template": "This report has been released: it cannot be changed."})
    check_word_template(upload, size=getattr(upload, "size", None))
    with acting_as(actor):
        report.word_template.save(upload.name, upload, save=False)
        report.save()
    _touch(report.site)
    return report
