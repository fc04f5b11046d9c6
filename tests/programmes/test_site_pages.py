"""Programme admins start and edit sites and record funding from the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from c2hub.programmes.models import FundingLine, PathwayEvent, Site, StepProgress
from tests.factories import OrganisationFactory, pathway_model

pytestmark = pytest.mark.django_db


def test_programme_admin_starts_a_site_on_a_model_version(client, programme_admin, programme):
    ccg = OrganisationFactory(programme=programme, name="Southend CCG")
    client.force_login(programme_admin)
    model = pathway_model("2.0")
    response = client.post(
        reverse("site_create", args=[programme.slug]),
        {
            "name": "Westborough",
            "slug": "westborough",
            "pathway_model": model.pk,
            "status": "active",
            "start_date": "2025-01-06",
            "planned_length_months": 24,
            "local_authority": "Southend-on-Sea",
            "local_authority_code": "E06000033",
            "wards": "E05002226 Westborough",
            "lsoa_codes": "E01015950, e01015951",
            "lead_agency": ccg.pk,
            "commissioner": ccg.pk,
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    site = Site.objects.get(slug="westborough")
    assert site.pathway_model == model and site.lead_agency == ccg
    assert site.lsoa_codes == ["E01015950", "E01015951"]
    assert site.wards == [{"code": "E05002226", "name": "Westborough"}]
    assert StepProgress.objects.filter(site=site).count() == 7
    assert site.step_progress.get(step__number=1).due_on == dt.date(2025, 4, 6)
    assert site.timeline.filter(kind=PathwayEvent.Kind.SITE_STARTED).exists()


def test_bad_site_input_gets_field_errors_and_saves_nothing(client, programme_admin, programme):
    client.force_login(programme_admin)
    response = client.post(
        reverse("site_create", args=[programme.slug]),
        {
            "name": "",
            "slug": "bad slug",
            "pathway_model": pathway_model().pk,
            "status": "active",
            "start_date": "31/02/2025",
            "planned_length_months": 0,
            "wards": "Southchurch",
            "lsoa_codes": "E0101588",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "is not a ward code" in body
    assert Site.objects.filter(name="").count() == 0


def test_bad_lsoa_code_is_reported_on_its_field(client, programme_admin, programme):
    client.force_login(programme_admin)
    response = client.post(
        reverse("site_create", args=[programme.slug]),
        {
            "name": "X",
            "slug": "x",
            "pathway_model": pathway_model().pk,
            "status": "active",
            "start_date": "2025-01-01",
            "planned_length_months": 24,
            "lsoa_codes": "E01015883 NOTACODE",
        },
    )
    assert response.status_code == 400
    assert "NOTACODE" in response.content.decode()
    assert not Site.objects.filter(slug="x").exists()


@pytest.mark.parametrize("who", ["facilitator", "member", "commissioner", "researcher"])
def test_only_programme_admins_start_sites(client, request, programme, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("site_create", args=[programme.slug])).status_code == 404


def test_facilitator_edits_site_but_not_its_model(client, site, facilitator):
    client.force_login(facilitator)
    url = reverse("site_edit", args=[site.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Southchurch ward",
            "status": "active",
            "start_date": "2013-06-01",
            "planned_length_months": 24,
            "local_authority": "Southend-on-Sea",
            "wards": "",
            "lsoa_codes": "E01015883",
            "pathway_model": pathway_model("2.0").pk,
        },
    )
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.name == "Southchurch ward" and site.pathway_model.version == "1.0"


def test_commissioner_cannot_edit_site(client, site, commissioner):
    client.force_login(commissioner)
    assert client.get(reverse("site_edit", args=[site.slug])).status_code == 403
    assert client.post(reverse("funding_line_add", args=[site.slug]), {}).status_code == 403


def test_funding_line_for_the_first_steps(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("funding_line_add", args=[site.slug]),
        {
            "description": "Grant for the first 7.5 months",
            "funder_name": "Grant funder",
            "status": "awarded",
            "steps_covered": ["1", "2"],
            "starts_on": "2013-06-01",
            "ends_on": "2014-01-15",
        },
    )
    assert response.status_code == 302
    line = FundingLine.objects.get(site=site)
    assert line.steps_covered == [1, 2]
    page = client.get(reverse("site_overview", args=[site.slug])).content.decode()
    assert "Grant for the first 7.5 months" in page


def test_funding_line_needs_a_funder_and_ordered_dates(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("funding_line_add", args=[site.slug]),
        {
            "description": "Business case",
            "status": "pending",
            "starts_on": "2014-02-01",
            "ends_on": "2014-01-01",
        },
    )
    assert response.status_code == 400
    assert "Choose the funder or type its name" in response.content.decode()
    assert not FundingLine.objects.exists()


def test_due_date_change_goes_on_the_timeline(client, site, facilitator):
    client.force_login(facilitator)
    response = client.post(reverse("step_due_date", args=[site.slug, 3]), {"due_on": "2014-01-31"})
    assert response.status_code == 302
    assert site.step_progress.get(step__number=3).due_on == dt.date(2014, 1, 31)
    assert site.timeline.filter(kind=PathwayEvent.Kind.DUE_DATE_CHANGED).exists()


def test_another_sites_pages_are_not_found(client, other_site, facilitator):
    client.force_login(facilitator)
    for name in ("site_overview", "site_pathway", "site_edit", "funding_line_add"):
        assert client.get(reverse(name, args=[other_site.slug])).status_code == 404


def test_whole_timeline_is_paginated_and_overview_shows_the_latest(client, site, facilitator):
    from c2hub.programmes import services
    from c2hub.programmes.models import EvidenceKind

    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    for n in range(60):
        services.evidence_add(
            actor=facilitator, site=site, criterion=criterion, kind=EvidenceKind.NOTE, summary=f"Note {n}", note="x"
        )
    client.force_login(facilitator)
    overview = client.get(reverse("site_overview", args=[site.slug])).content.decode()
    assert "Note 59" in overview and "Note 40" not in overview and "See the whole timeline" in overview
    first = client.get(reverse("site_timeline", args=[site.slug])).content.decode()
    assert "61 entries" in first and "Note 59" in first and "Note 5<" not in first
    second = client.get(reverse("site_timeline", args=[site.slug]) + "?page=2").content.decode()
    assert "Note 5<" in second and "Site started on the pathway" in second


def _csv(response) -> list[list[str]]:
    import csv
    import io

    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_my_sites_downloads_as_csv_with_only_my_sites(client, site, other_site, facilitator):
    client.force_login(facilitator)
    rows = _csv(client.get(reverse("dashboard") + "?format=csv"))
    assert rows[0][:3] == ["site", "local authority", "current step"]
    assert [r[0] for r in rows[1:]] == ["Southchurch"]
    assert rows[1][2] == "1" and rows[1][6] == "4"  # step 1, four criteria waiting


def test_timeline_downloads_as_csv_and_formulas_are_neutralised(client, site, facilitator):
    from c2hub.programmes import services
    from c2hub.programmes.models import EvidenceKind

    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    services.evidence_add(
        actor=facilitator,
        site=site,
        criterion=criterion,
        kind=EvidenceKind.NOTE,
        summary='=HYPERLINK("http://evil")',
        note="x",
        occurred_on=dt.date(2013, 6, 14),
    )
    client.force_login(facilitator)
    rows = _csv(client.get(reverse("site_timeline", args=[site.slug]) + "?format=csv"))
    evidence_row = next(r for r in rows if r[1] == "Evidence added")
    assert evidence_row[4] == '\'=HYPERLINK("http://evil")' and evidence_row[5] == "2013-06-14"


def test_facilitators_are_chosen_from_the_sites_people(client, site, other_site, facilitator, researcher):
    from c2hub.people import services as people_services

    fay = people_services.person_create(actor=None, site=site, name="Fay Cilitator", kind="resident")
    stranger = people_services.person_create(actor=None, site=other_site, name="Beacon person")
    client.force_login(facilitator)
    url = reverse("site_edit", args=[site.slug])
    form = client.get(url).content.decode()
    assert "Fay Cilitator" in form and "Beacon person" not in form
    base = {"name": site.name, "status": "active", "start_date": "2013-06-01", "planned_length_months": 24}
    assert client.post(url, {**base, "facilitators": [fay.pk]}).status_code == 302
    assert list(site.facilitators.all()) == [fay]
    # someone from another site is not a choice
    assert client.post(url, {**base, "facilitators": [stranger.pk]}).status_code == 400
    assert list(site.facilitators.all()) == [fay]
    client.force_login(researcher)
    page = client.get(reverse("site_overview", args=[site.slug])).content.decode()
    assert "Fay Cilitator" not in page and fay.pseudonym in page


def test_my_sites_is_paginated_and_filters_overdue(client, programme, programme_admin):
    from tests.factories import make_site

    for n in range(55):
        make_site(
            programme=programme,
            name=f"Site {n:02d}",
            slug=f"site-{n:02d}",
            start_date=dt.date(2030, 1, 1) if n % 2 else dt.date(2013, 1, 1),
        )
    client.force_login(programme_admin)
    first = client.get(reverse("dashboard")).content.decode()
    assert "56 sites, 1 to 50 shown" in first and "Site 00" in first and "Site 54" not in first
    second = client.get(reverse("dashboard"), {"page": 2}).content.decode()
    assert "Site 54" in second
    overdue = client.get(reverse("dashboard"), {"overdue": "1"}).content.decode()
    assert "Site 00" in overdue and "Site 01<" not in overdue and "29 sites" in overdue


def test_a_criterion_page_lists_all_its_evidence_and_the_pathway_the_latest(client, site, facilitator):
    from c2hub.programmes import services
    from c2hub.programmes.models import EvidenceKind

    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    for n in range(5):
        services.evidence_add(
            actor=facilitator, site=site, criterion=criterion, kind=EvidenceKind.NOTE, summary=f"Item {n}", note="x"
        )
    client.force_login(facilitator)
    pathway = client.get(reverse("site_pathway", args=[site.slug])).content.decode()
    assert "Item 4" in pathway and "Item 2" in pathway and "Item 1" not in pathway
    assert "See all 5 pieces of evidence" in pathway
    page = client.get(reverse("criterion_detail", args=[site.slug, criterion.pk])).content.decode()
    assert all(f"Item {n}" in page for n in range(5))
    other_model = site.pathway_model.steps.get(number=1).criteria.last().pk + 1000
    assert client.get(reverse("criterion_detail", args=[site.slug, other_model])).status_code == 404
