"""The action plan API: answers, and bad input as 4xx JSON with a reason (never a 500)."""

from __future__ import annotations

import datetime as dt

import pytest

from c2hub.accounts.models import Role
from c2hub.actions.models import Action
from c2hub.people.models import OrganisationKind
from tests.events.test_api import Api
from tests.factories import OrganisationFactory, PersonFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, facilitator):
    return Api(client, facilitator)


def test_create_list_read_and_update_an_action(api, site, said, agency, officer, resident):
    created = api(
        "post",
        f"/sites/{site.slug}/actions",
        {
            "title": "Bollards on Maple Road",
            "lead_organisation": agency.pk,
            "lead_officer": officer.pk,
            "lead_resident": resident.pk,
            "due_on": "2014-03-31",
            "priority": said.parking.pk,
            "asked_on": "2014-01-10",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["priority"] == said.parking.pk and body["lead_resident_name"] == "Doreen Pike"
    listed = api("get", f"/sites/{site.slug}/actions?status=open").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    updated = api("post", f"/actions/{body['id']}/updates", {"status": "done", "note": "Bollards in"})
    assert updated.status_code == 201, updated.content
    detail = api("get", f"/actions/{body['id']}").json()
    assert detail["status"] == "done" and detail["completed_on"] == dt.date.today().isoformat()
    assert [u["note"] for u in detail["updates"]] == ["Bollards in"]
    yswd = api("get", f"/sites/{site.slug}/you-said-we-did?public=true").json()
    assert yswd[1]["actions"][0]["title"] == "Bollards on Maple Road"
    assert "Doreen" not in str(yswd)


def test_bad_input_is_a_4xx_with_reasons(api, site, other_site, agency):
    stranger = PersonFactory(programme=site.programme, name="Someone Else", sites=[other_site])
    url = f"/sites/{site.slug}/actions"
    response = api("post", url, {"title": "X", "lead_organisation": agency.pk, "lead_resident": stranger.pk})
    assert response.status_code == 422 and "lead_resident" in response.json()["detail"]
    response = api(
        "post",
        url,
        {"title": "X", "lead_organisation": agency.pk, "asked_on": "2014-02-01", "completed_on": "2014-01-01"},
    )
    assert response.status_code == 422 and "completed_on" in response.json()["detail"]
    assert api("post", url, {"title": "X", "lead_organisation": 999999}).status_code == 422
    assert api("post", url, {"title": "X", "priority": "parking"}).status_code == 422
    assert api("post", url, raw="{not json").status_code == 400
    action = Action.objects.create(site=site, title="Y")
    response = api("post", f"/actions/{action.pk}/updates", {"status": "finished", "note": "x"})
    assert response.status_code == 422 and "status" in response.json()["detail"]
    response = api("post", f"/actions/{action.pk}/updates", {"status": "dropped"})
    assert response.status_code == 422 and "dropped_reason" in response.json()["detail"]
    assert api("get", "/actions/99999999").status_code == 404


def test_responsiveness_per_agency(api, site, agency):
    police = OrganisationFactory(
        programme=site.programme, name="Devon and Cornwall Police", kind=OrganisationKind.POLICE
    )
    police.sites.add(site)
    for asked, first, done in (((2014, 1, 6), (2014, 1, 16), (2014, 2, 5)), ((2014, 1, 20), (2014, 1, 24), None)):
        Action.objects.create(
            site=site,
            title="A",
            lead_organisation=police,
            asked_on=dt.date(*asked),
            first_response_on=dt.date(*first),
            completed_on=done and dt.date(*done),
        )
    body = api("get", f"/sites/{site.slug}/responsiveness").json()
    (row,) = body["agencies"]
    assert row["organisation"] == police.pk and row["actions"] == 2
    assert row["median_days_to_first_response"] == 7 and row["median_days_to_completion"] == 30


def test_researchers_get_no_names(client, site, agency, resident):
    Action.objects.create(site=site, title="A", lead_resident=resident, lead_organisation=agency)
    researcher = Api(client, user_with_role(Role.RESEARCHER, site))
    item = researcher("get", f"/sites/{site.slug}/actions").json()["items"][0]
    assert item["lead_resident"] == resident.pk and item["lead_resident_name"] is None
