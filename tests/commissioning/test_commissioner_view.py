"""The commissioner's view: each site's summary from the records, no resident named, only the
user's own sites, the menu item for commissioners and programme admins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.actions.models import Action, ActionStatus
from c2hub.commissioning import selectors
from c2hub.outcomes.models import EvaluationRun
from c2hub.people.models import OrganisationKind, PersonKind
from c2hub.value.models import Scenario
from c2hub.wins.models import Win, WinKind
from tests.factories import OrganisationFactory, PersonFactory, ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def records(site):
    police = OrganisationFactory(
        programme=site.programme, name="Devon and Cornwall Police", kind=OrganisationKind.POLICE
    )
    police.sites.add(site)
    PersonFactory(programme=site.programme, name="Jo Whitfield", kind=PersonKind.RESIDENT, sites=[site])
    for n, (asked, first, done, status) in enumerate(
        [
            (dt.date(2025, 1, 6), dt.date(2025, 1, 27), dt.date(2025, 3, 1), ActionStatus.DONE),
            (dt.date(2025, 4, 7), dt.date(2025, 4, 14), None, ActionStatus.IN_PROGRESS),
            (dt.date(2025, 4, 8), None, None, ActionStatus.WAITING_ON_AGENCY),
        ]
    ):
        Action.objects.create(
            site=site,
            title=f"Action {n}",
            lead_organisation=police,
            asked_on=asked,
            first_response_on=first,
            completed_on=done,
            status=status,
            due_on=dt.date(2025, 5, 1),
        )
    Win.objects.create(
        site=site,
        kind=WinKind.FUNDING,
        title="Jo Whitfield's bid won £5,000 for the garden",
        won_on=dt.date(2025, 2, 1),
        amount=Decimal("5000"),
    )
    Win.objects.create(site=site, kind=WinKind.MEDIA, title="Garden in the local paper", won_on=dt.date(2025, 3, 1))
    EvaluationRun.objects.create(
        site=site,
        treatment_start=dt.date(2024, 3, 1),
        status=EvaluationRun.Status.FINISHED,
        finished_at=dt.datetime(2025, 6, 1, tzinfo=dt.UTC),
        result={
            "did_verdict": {
                "headline": "The area is too small to tell.",
                "detail": "Only 40 crimes.",
                "level": "inconclusive",
            }
        },
    )
    Scenario.objects.create(
        site=site,
        title="Burglary, illustrative",
        illustrative=True,
        inputs={},
        results={
            "complete": True,
            "commissioner_name": "The ICB",
            "cases": {
                "low": {"npv": -1000.0, "bcr": 0.8},
                "central": {"npv": 25000.0, "bcr": 1.6, "commissioner_saving": 4000.0},
                "high": {"npv": 60000.0, "bcr": 2.4},
            },
        },
    )


def test_a_sites_summary_comes_from_its_records(site, commissioner, records):
    (summary,) = selectors.commissioner_overview(commissioner, today=TODAY)
    assert summary.actions.total == 3 and summary.actions.overdue == 2
    assert dict(summary.actions.by_status) == {"In progress": 1, "Waiting on agency": 1, "Done": 1}
    assert summary.responsiveness_headline.startswith("3 actions asked of agencies; median days to first response fell")
    assert summary.wins_total == 2 and summary.funding_secured == Decimal("5000")
    assert summary.latest_wins[1][1] == "a resident's bid won £5,000 for the garden"
    assert [v.headline for v in summary.verdicts] == ["The area is too small to tell."]
    vfm = summary.value_for_money
    assert vfm.npv == (-1000.0, 25000.0, 60000.0) and vfm.commissioner_saving == 4000.0 and vfm.illustrative


def test_pages_show_no_residents_name(client, site, commissioner, records):
    client.force_login(commissioner)
    for url in (reverse("commissioner_overview"), reverse("commissioner_site", args=[site.slug])):
        page = client.get(url).content.decode()
        assert "Jo Whitfield" not in page and "Whitfield" not in page
    page = client.get(reverse("commissioner_site", args=[site.slug])).content.decode()
    assert "a resident&#39;s bid won £5,000" in page or "a resident's bid won £5,000" in page
    assert "The area is too small to tell." in page
    assert "£25,000" in page and "−£1,000" in page


def test_only_the_users_own_sites(client, site, commissioner, records):
    elsewhere = make_site(
        programme=ProgrammeFactory(name="Other", slug="other"),
        name="Elsewhere",
        slug="elsewhere",
        lsoa_codes=("E01024653",),
    )
    client.force_login(commissioner)
    overview = client.get(reverse("commissioner_overview")).content.decode()
    assert site.name in overview and "Elsewhere" not in overview
    assert client.get(reverse("commissioner_site", args=[elsewhere.slug])).status_code == 404


def test_an_empty_site_says_so(client, site, commissioner):
    client.force_login(commissioner)
    page = client.get(reverse("commissioner_site", args=[site.slug])).content.decode()
    for plain in (
        "No actions yet",
        "None recorded yet",
        "No evaluation has been run yet.",
        "No value-for-money scenario has been saved yet.",
    ):
        assert plain in page


@pytest.mark.parametrize(
    ("role", "in_menu"),
    [
        (Role.COMMISSIONER, True),
        (Role.PROGRAMME_ADMIN, True),
        (Role.FACILITATOR, False),
        (Role.PARTNERSHIP_MEMBER, False),
        (Role.RESEARCHER, False),
    ],
)
def test_the_menu_item(client, site, role, in_menu):
    client.force_login(user_with_role(role, site, programme=site.programme))
    page = client.get(reverse("dashboard")).content.decode()
    assert ("Commissioner&#39;s view" in page or "Commissioner's view" in page) == in_menu
    # Anyone in the site may still open it (read-only): the menu only points those it is for.
    assert client.get(reverse("commissioner_site", args=[site.slug])).status_code == 200


def test_signed_out(client, site):
    response = client.get(reverse("commissioner_overview"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
