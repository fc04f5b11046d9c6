"""Acceptance: the demo Southchurch as of 1 December 2013 carries the facts of the seed report to
Southend's Health and Wellbeing Board, in the page's sections, the DOCX and the PDF — and nothing
recorded for after that day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from c2hub.demo.loader import demo_load
from c2hub.events import services as event_services
from c2hub.events.models import Event, EventKind, EventStatus
from c2hub.people import services as people_services
from c2hub.people.models import Group, GroupKind, Organisation
from c2hub.programmes.models import Site
from c2hub.reports import render
from c2hub.reports.board import PLACEHOLDER, board_report
from tests.documents import pdf_is_tagged
from tests.reports.support import docx_text, flat, pdf_text

AS_OF = dt.date(2013, 12, 1)
APPENDIX_2 = (
    "Southend Clinical Commissioning Group",
    "Southend Borough Council",
    "University of Exeter (C2 team)",
    "Police (Southend)",
    "Education (Southend)",
    "Housing (Southend)",
    "Fire Service (Southend)",
    "Southchurch ward residents",
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module in a transaction rolled back afterwards."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


@pytest.fixture
def southchurch(demo, db) -> Site:
    return Site.objects.get(slug="southchurch")


def _section(report, key: str) -> str:
    return flat(next(s.text for s in report.sections if s.key == key))


def test_southchurch_as_of_1_december_2013_carries_the_seed_reports_facts(southchurch):
    report = board_report(southchurch, as_of=AS_OF)
    background = _section(report, "background")
    progress = _section(report, "progress")
    assert "Southend Clinical Commissioning Group is the lead agency" in background
    assert "Grant for the first 7.5 months of the intervention (steps 1 and 2) (awarded)" in background
    assert "Business case for the funding to complete all seven steps" in background
    assert "pending decision" in background
    assert "three ways" in background and "With other communities" in background
    assert "held on 14 June 2013, with visitors from Beacon and Redruth" in progress
    assert "Three-day residential C2 training course – held from 1 September 2013 to 3 September 2013" in progress
    assert "including visits to Beacon and Redruth" in progress
    assert "Walk around the local area – held on 1 October 2013" in progress
    assert (
        "Southchurch C2 Strategic Steering Network (strategic steering group / network) was formed on 1 November 2013"
        in progress
    )
    assert "'Unblock' barriers" in progress
    assert "C2 connecting event – planned for 1 December 2013" in progress
    assert "Listening event for local residents – is planned for January 2014" in progress
    assert "At the listening event" not in progress  # planned, never held: no comments or priorities
    appendix_2 = next(a for a in report.appendices if a.key == "membership")
    assert appendix_2.heading == "Appendix 2 – Membership of the Southchurch C2 Strategic Steering Network"
    assert [row[0] for row in appendix_2.tables[0].rows] == list(APPENDIX_2)
    appendix_1 = next(a for a in report.appendices if a.key == "model")
    assert [row[0] for row in appendix_1.tables[0].rows] == [f"Step {n}" for n in range(1, 8)]
    assert "Identify and nurture key residents" in appendix_1.tables[0].rows[0][1]
    # Step 1 was completed in C2 Hub long after 2013: on that day it was still in progress.
    assert appendix_1.tables[0].rows[0][3] == "In progress"
    assert report.has_data


def test_the_docx_and_the_pdf_say_the_same(southchurch):
    report = board_report(southchurch, as_of=AS_OF, board_name="Southend Health and Wellbeing Board")
    docx = flat(docx_text(render.render_docx(report)))
    pdf_bytes = render.render_pdf(report)
    assert pdf_is_tagged(pdf_bytes)
    pdf = pdf_text(report)
    for text in (docx, pdf):
        assert "Report to: Southend Health and Wellbeing Board" in text
        assert "1 December 2013" in text
        assert "Southend Clinical Commissioning Group is the lead agency" in text
        assert "with visitors from Beacon and Redruth" in text
        assert "Three-day residential C2 training course" in text
        assert "Walk around the local area" in text
        assert "Strategic Steering Network" in text
        assert "C2 connecting event" in text
        assert "is planned for January 2014" in text
        for organisation in APPENDIX_2:
            assert organisation in text
    assert "3.1 Southchurch began on the C2 pathway" in docx  # numbered paragraphs, as boards expect
    assert "6.2 Financial implications" in docx


def test_nothing_recorded_for_after_the_as_of_date_appears(southchurch):
    later = timezone.make_aware(dt.datetime(2014, 2, 10, 10))
    event_services.event_create(
        actor=None, site=southchurch, kind=EventKind.CELEBRATION, title="Spring celebration on the green",
        starts_at=later, status=EventStatus.HELD,
    )
    event_services.event_create(
        actor=None, site=southchurch, kind=EventKind.TRAINING, title="Autumn training far ahead",
        starts_at=timezone.make_aware(dt.datetime(2014, 9, 10, 10)), status=EventStatus.PLANNED,
    )
    people_services.group_create(
        actor=None, site=southchurch, kind=GroupKind.INTERIM_PARTNERSHIP, name="Southchurch Together",
        purpose="Plan the listening event", formed_on=dt.date(2014, 1, 15),
    )
    school = Organisation.objects.create(
        programme=southchurch.programme, name="Thorpe Primary School", kind="education"
    )
    school.sites.add(southchurch)
    network = Group.objects.get(site=southchurch, kind=GroupKind.STRATEGIC_STEERING)
    people_services.membership_add(
        actor=None, group=network, person=None, organisation=school, role="member", started_on=dt.date(2014, 1, 10)
    )
    from c2hub.actions.models import Action
    from c2hub.community.models import CommunityGroup
    from c2hub.wins.models import Win

    Action.objects.create(site=southchurch, title="Fix the broken lights in the underpass",
                          created_at=timezone.make_aware(dt.datetime(2014, 3, 1, 9)))
    Win.objects.create(
        site=southchurch, kind="improvement", title="New benches by the library", won_on=dt.date(2014, 4, 1)
    )
    CommunityGroup.objects.create(site=southchurch, name="Southchurch knit and natter", founded_on=dt.date(2014, 5, 1))

    report = board_report(southchurch, as_of=AS_OF)
    texts = [
        flat(" ".join(s.text for s in report.sections)),
        flat(str([a.tables for a in report.appendices])),
        flat(docx_text(render.render_docx(report))),
        pdf_text(report),
    ]
    for text in texts:
        for later_fact in (
            "Spring celebration", "Autumn training", "Southchurch Together", "Thorpe Primary",
            "broken lights", "New benches", "knit and natter",
        ):
            assert later_fact not in text
    # The same records do appear in a report as of a later date.
    later_report = board_report(southchurch, as_of=dt.date(2014, 6, 1))
    later_text = flat(" ".join(s.text for s in later_report.sections))
    for fact in ("Spring celebration", "Southchurch Together", "broken lights", "New benches", "knit and natter"):
        assert fact in later_text
    assert "Thorpe Primary School" in str(later_report.appendices[1].tables[0].rows)


def test_a_listening_event_after_the_date_brings_no_comments_or_votes(southchurch):
    from c2hub.listening.models import Comment, ListeningEvent, Theme, Vote

    event = Event.objects.get(site=southchurch, kind=EventKind.LISTENING_EVENT)
    listening, _ = ListeningEvent.objects.get_or_create(event=event, defaults={"feedback_due": dt.date(2014, 1, 11)})
    theme = Theme.objects.create(listening_event=listening, name="Parking on the verges")
    Comment.objects.create(listening_event=listening, text="Cars on the verges", participant="resident", source="paper")
    Vote.objects.create(listening_event=listening, theme=theme, participant="resident", dots=7)
    before = flat(" ".join(s.text for s in board_report(southchurch, as_of=AS_OF).sections))
    assert "Parking on the verges" not in before and "At the listening event" not in before
    assert "Listening event for local residents – is planned for January 2014" in before


def test_an_established_site_with_two_years_of_records(demo, db):
    camborne = Site.objects.get(slug="camborne")
    report = board_report(camborne, as_of=dt.date(2009, 12, 31))
    progress = _section(report, "progress")
    assert report.has_data
    assert "The partnership met" in progress or "Partnership meeting" in progress
    assert "held on" in progress
    # Nothing from after 2009 in a report as of the end of 2009.
    assert "2010" not in progress and "2024" not in progress
    docx = docx_text(render.render_docx(report))
    assert "Appendix 3 – Outcomes" in docx


def test_dates_before_the_start_or_in_the_future_are_refused(southchurch):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="before Southchurch began"):
        board_report(southchurch, as_of=dt.date(2013, 6, 13))
    with pytest.raises(ValidationError, match="cannot be in the future"):
        board_report(southchurch, as_of=timezone.localdate() + dt.timedelta(days=1))


def test_placeholders_say_what_to_write_never_invent(southchurch):
    report = board_report(southchurch, as_of=AS_OF)
    legal = next(s for s in report.sections if s.key == "implications.legal")
    assert legal.text.startswith(PLACEHOLDER)
    assert "Legal implications" in report.placeholders or legal.heading in report.placeholders
