"""People, organisations and groups through the API: only this site's, and only what the
viewer's role may see (pseudonyms for researchers, no contact details for commissioners)."""

from __future__ import annotations

import datetime as dt

import pytest

from c2hub.people.models import (
    AgeBand,
    GroupKind,
    GroupMembership,
    MembershipRole,
    OrganisationKind,
    PersonKind,
)
from tests.factories import GroupFactory, OrganisationFactory, PersonFactory


@pytest.fixture
def people(site, other_site):
    """Residents and a worker of the site, a resident of the other site only, and a person who
    takes part in both (with a group in each)."""
    police = OrganisationFactory(
        programme=site.programme, name="Essex Police", kind=OrganisationKind.POLICE
    )
    police.sites.add(site)
    theirs_org = OrganisationFactory(programme=site.programme, name="Cornwall Council")
    theirs_org.sites.add(other_site)
    jo = PersonFactory(
        programme=site.programme, name="Jo Resident", email="jo@example.net",
        address="1 High Street", notes="Prefers phone calls", age_band=AgeBand.AGE_26_64,
        sites=[site],
    )
    pc = PersonFactory(
        programme=site.programme, kind=PersonKind.WORKER, name="PC Plum", organisation=police,
        job_title="Neighbourhood officer", sites=[site],
    )
    shared = PersonFactory(programme=site.programme, name="Sam Both", sites=[site, other_site])
    stranger = PersonFactory(
        programme=site.programme, name="Stranger Elsewhere", email="stranger@example.net",
        sites=[other_site],
    )
    network = GroupFactory(site=site, name="Southchurch Steering Network",
                           kind=GroupKind.STRATEGIC_STEERING, purpose="Steer")
    GroupMembership.objects.create(group=network, person=jo, role=MembershipRole.KEY_RESIDENT,
                                   started_on=dt.date(2013, 7, 1))
    GroupMembership.objects.create(group=network, person=pc, role=MembershipRole.AGENCY_LEAD)
    GroupMembership.objects.create(group=network, organisation=police, role=MembershipRole.MEMBER)
    GroupMembership.objects.create(group=network, person=shared)
    beacon = GroupFactory(site=other_site, name="Beacon Secret Group")
    GroupMembership.objects.create(group=beacon, person=shared, role=MembershipRole.CHAIR)
    GroupMembership.objects.create(group=beacon, person=stranger)
    return {"jo": jo, "pc": pc, "shared": shared, "stranger": stranger, "police": police,
            "network": network}


def names(response) -> list[str]:
    return [p["name"] for p in response.json()["items"]]


def test_people_of_the_site_with_contact_details_for_a_member(site, people, member, api_as):
    response = api_as(member).get(f"/api/v1/sites/{site.slug}/people")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["offset"] == 0
    assert names(response) == ["Jo Resident", "PC Plum", "Sam Both"]
    jo = body["items"][0]
    assert jo["email"] == "jo@example.net" and jo["address"] == "1 High Street"
    assert jo["notes"] == "Prefers phone calls" and not jo["pseudonymised"]
    assert jo["memberships"][0]["group"] == "Southchurch Steering Network"
    assert jo["memberships"][0]["role"] == "key_resident"
    assert body["items"][1]["organisation_name"] == "Essex Police"


def test_another_sites_people_and_groups_never_appear(site, people, programme_admin, api_as):
    api = api_as(programme_admin)
    for path, params in (("people", {}), ("people", {"q": "Stranger"}), ("groups", {}),
                         ("organisations", {})):
        text = api.get(f"/api/v1/sites/{site.slug}/{path}", params).content.decode()
        assert "Stranger" not in text and "stranger@" not in text
        assert "Beacon Secret Group" not in text and "Cornwall Council" not in text
    sam = next(p for p in api.get(f"/api/v1/sites/{site.slug}/people").json()["items"]
               if p["name"] == "Sam Both")
    assert [m["group"] for m in sam["memberships"]] == ["Southchurch Steering Network"]


def test_a_commissioner_gets_no_contact_details(site, people, commissioner, api_as):
    api = api_as(commissioner)
    response = api.get(f"/api/v1/sites/{site.slug}/people")
    assert names(response) == ["Jo Resident", "PC Plum", "Sam Both"]
    for person in response.json()["items"]:
        assert person["email"] is None and person["phone"] is None
        assert person["address"] is None and person["postcode"] is None and person["notes"] is None
    assert "jo@example.net" not in response.content.decode()
    # nor can a commissioner find people by their contact details
    assert api.get(f"/api/v1/sites/{site.slug}/people", {"q": "jo@example"}).json()["count"] == 0


def test_a_researcher_gets_pseudonyms_and_no_contact_details(site, people, researcher, api_as):
    api = api_as(researcher)
    response = api.get(f"/api/v1/sites/{site.slug}/people")
    body = response.json()
    assert sorted(names(response)) == sorted(
        p.pseudonym for p in (people["jo"], people["pc"], people["shared"])
    )
    assert all(p["pseudonymised"] and p["email"] is None for p in body["items"])
    text = response.content.decode()
    assert "Jo Resident" not in text and "jo@example.net" not in text
    # a name cannot be found by searching for it either
    assert api.get(f"/api/v1/sites/{site.slug}/people", {"q": "Jo Res"}).json()["count"] == 0
    groups = api.get(f"/api/v1/sites/{site.slug}/groups").content.decode()
    assert "Jo Resident" not in groups and people["jo"].pseudonym in groups


def test_people_filters_and_pages(site, people, member, api_as):
    api = api_as(member)
    url = f"/api/v1/sites/{site.slug}/people"
    assert names(api.get(url, {"kind": "worker"})) == ["PC Plum"]
    assert names(api.get(url, {"age_band": "26-64"})) == ["Jo Resident"]
    assert names(api.get(url, {"q": "police"})) == ["PC Plum"]
    assert names(api.get(url, {"organisation_id": people["police"].pk})) == ["PC Plum"]
    page = api.get(url, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and [p["name"] for p in page["items"]] == ["Sam Both"]
    assert api.get(url, {"kind": "alien"}).status_code == 422
    assert api.get(url, {"limit": 0}).status_code == 422


def test_organisations_of_the_site(site, people, member, api_as):
    response = api_as(member).get(f"/api/v1/sites/{site.slug}/organisations")
    assert response.status_code == 200
    assert [(o["name"], o["kind"], o["kind_label"]) for o in response.json()] == [
        ("Essex Police", "police", "Police")
    ]
    assert api_as(member).get(
        f"/api/v1/sites/{site.slug}/organisations", {"kind": "council"}
    ).json() == []


def test_groups_with_members_their_organisations_roles_and_dates(site, people, member, api_as):
    response = api_as(member).get(f"/api/v1/sites/{site.slug}/groups")
    assert response.status_code == 200
    [group] = response.json()
    assert group["name"] == "Southchurch Steering Network" and group["kind"] == "strategic_steering"
    by_person = {(m["person"] or {}).get("name"): m for m in group["members"]}
    jo = by_person["Jo Resident"]
    assert jo["role"] == "key_resident" and jo["started_on"] == "2013-07-01" and jo["current"]
    pc = by_person["PC Plum"]
    assert pc["organisation"] == {
        "id": people["police"].pk, "name": "Essex Police", "kind": "police", "kind_label": "Police"
    }
    assert pc["role_label"] == "Agency lead"
    police_seat = by_person[None]
    assert police_seat["organisation"]["name"] == "Essex Police" and police_seat["person"] is None
    assert "email" not in pc["person"]
