"""Drafting, saving versions, approving and releasing board reports; a site with no records; the
Word template; the DOCX's alternative text for charts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.programmes import services as programme_services
from c2hub.reports import render, selectors, services
from c2hub.reports.board import PLACEHOLDER, BoardReportContent, Chart, board_report
from c2hub.reports.models import BoardReportStatus
from tests.reports.support import docx_text

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2013, 12, 1)


def _texts_without_placeholders(report) -> dict[str, str]:
    version = selectors.latest_version(report)
    return {s["key"]: "None." for s in version.sections if PLACEHOLDER in s["text"]}


def test_a_site_with_no_records_yet_says_so_plainly(site):
    report = board_report(site, as_of=AS_OF)
    progress = next(s for s in report.sections if s.key == "progress")
    assert not report.has_data
    assert "C2 Hub holds no records of activity in Southchurch on or before 1 December 2013" in progress.text
    outcomes = next(a for a in report.appendices if a.key == "outcomes")
    assert outcomes.notes and "No outcome data" in outcomes.notes[0]
    membership = next(a for a in report.appendices if a.key == "membership")
    assert "No strategic steering group" in membership.intro
    assert "To be written" in next(s for s in report.sections if s.key == "implications.financial").text


def test_draft_save_approve_release(site, facilitator, member):
    event_services.event_create(
        actor=None, site=site, kind=EventKind.ENGAGEMENT_WORKSHOP, title="Engagement workshop",
        starts_at=timezone.make_aware(dt.datetime(2013, 6, 14, 10)), status=EventStatus.HELD,
    )
    report = services.board_report_draft(actor=member, site=site, as_of=AS_OF, board_name="Southend HWB")
    assert report.status == BoardReportStatus.DRAFT
    assert [v.number for v in selectors.versions(report)] == [1]
    assert "Engagement workshop" in selectors.report_content(report).sections[3].text

    with pytest.raises(ValidationError, match="still say"):
        services.board_report_approve(actor=facilitator, report=report)
    with pytest.raises(PermissionDenied):
        services.board_report_approve(actor=member, report=report)
    with pytest.raises(ValidationError, match="Approve the report before releasing"):
        services.board_report_release(actor=facilitator, report=report)

    version = services.board_report_save(
        actor=member, report=report, texts=_texts_without_placeholders(report), note="Implications written"
    )
    assert version.number == 2
    assert selectors.version_get(report, 1).sections != version.sections  # version 1 is kept as it was
    with pytest.raises(ValidationError, match="Nothing has changed"):
        services.board_report_save(actor=member, report=report, texts={"purpose": version.sections[0]["text"]})
    with pytest.raises(ValidationError, match="Unknown sections"):
        services.board_report_save(actor=member, report=report, texts={"nonsense": "x"})

    report = services.board_report_approve(actor=facilitator, report=report)
    assert (report.status, report.approved_version, report.approved_by) == ("approved", 2, facilitator)
    # Editing an approved report takes it back to draft.
    services.board_report_save(actor=member, report=report, texts={"purpose": "To update the board."})
    report.refresh_from_db()
    assert report.status == BoardReportStatus.DRAFT and report.approved_version is None
    report = services.board_report_approve(actor=facilitator, report=report)
    report = services.board_report_release(actor=facilitator, report=report)
    assert report.status == BoardReportStatus.RELEASED
    assert selectors.report_content(report).sections[0].text == "To update the board."
    with pytest.raises(ValidationError, match="released"):
        services.board_report_save(actor=member, report=report, texts={"purpose": "Changed after release"})
    with pytest.raises(ValidationError, match="already been released"):
        services.board_report_approve(actor=facilitator, report=report)


def test_a_released_report_keeps_what_it_said_when_records_change(site, facilitator):
    report = services.board_report_draft(actor=facilitator, site=site, as_of=AS_OF, board_name="HWB")
    programme_services.funding_line_create(
        actor=None, site=site, description="A grant recorded later", funder_name="Lottery", amount=None,
        status="awarded", steps_covered=[1], notes="",
    )
    assert "A grant recorded later" not in str(selectors.report_content(report).to_dict())
    assert "A grant recorded later" in str(board_report(site, as_of=AS_OF).to_dict())


def test_bad_dates_and_board_names_are_refused(site, facilitator):
    with pytest.raises(ValidationError) as error:
        services.board_report_draft(actor=facilitator, site=site, as_of=dt.date(2013, 1, 1), board_name="HWB")
    assert "as_of" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.board_report_draft(actor=facilitator, site=site, as_of=timezone.localdate() + dt.timedelta(days=2),
                                    board_name="HWB")
    with pytest.raises(ValidationError) as error:
        services.board_report_draft(actor=facilitator, site=site, as_of=AS_OF, board_name="  ")
    assert "board_name" in error.value.message_dict


def test_a_corrupt_word_template_is_refused_with_a_clear_message(site, facilitator):
    report = services.board_report_draft(actor=facilitator, site=site, as_of=AS_OF, board_name="HWB")
    for name, data in (("report.docx", b"not a word document"), ("old.docx", b"PK\x03\x04broken zip")):
        with pytest.raises(ValidationError, match="not a Word document|could not be read"):
            services.board_report_set_template(actor=facilitator, report=report, upload=SimpleUploadedFile(name, data))


def test_an_organisation_template_gives_the_docx_its_styles(site, facilitator):
    from docx import Document

    template = Document()
    template.add_paragraph("Sample text that the report must not keep")
    template.sections[0].header.paragraphs[0].text = "Southend Borough Council"
    buffer = io.BytesIO()
    template.save(buffer)
    report = services.board_report_draft(actor=facilitator, site=site, as_of=AS_OF, board_name="HWB")
    services.board_report_set_template(
        actor=facilitator, report=report, upload=SimpleUploadedFile("council.docx", buffer.getvalue())
    )
    report.refresh_from_db()
    with report.word_template.open("rb") as handle:
        data = render.render_docx(selectors.report_content(report), template=io.BytesIO(handle.read()))
    document = Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Southend Borough Council"
    text = docx_text(data)
    assert "Sample text" not in text and "1. Purpose of report" in text


def test_charts_in_the_docx_carry_their_description_as_alt_text(site):
    content = board_report(site, as_of=AS_OF)
    outcomes = next(a for a in content.appendices if a.key == "outcomes")
    outcomes.charts.append(
        Chart(title="Crimes each month", description="Line chart of crimes each month; the numbers are in the table.",
              kind="line", rows=[{"Month": "2013-10", "Crimes": 12}, {"Month": "2013-11", "Crimes": 9}],
              x="Month", y="Crimes")
    )
    data = render.render_docx(BoardReportContent.from_dict(content.to_dict()))
    from docx import Document

    doc = Document(io.BytesIO(data))
    descriptions = [el.get("descr") for el in doc.element.body.iter() if el.tag.endswith("}docPr")]
    assert descriptions == ["Line chart of crimes each month; the numbers are in the table."]
    with_chart = BoardReportContent.from_dict(content.to_dict())
    assert "Crimes each month" in render.charts_svg(with_chart)["2-0"]  # the page: SVG with a title
    printed = render.render_html_document(with_chart, for_pdf=True)  # the PDF: a picture with alt text
    assert 'alt="Crimes each month: Line chart of crimes each month; the numbers are in the table."' in printed
    assert "<svg" not in printed
