"""What each role may see of people: commissioners no contact details, researchers pseudonyms,
and nobody sees another site's people, groups or notes."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.people import services
from c2hub.people.models import GroupKind, MembershipRole
from tests.factories import user_with_role

CONTACT_DETAILS = [
    "jean@example.net",
    "07700 900123",
    "12 Beach Road",
    "SS1 2AB",
    "Prefers phone calls",
    "Speaks for the tenants",
]


def csv_text(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def every_page_and_export(client, site, resident, steering, organisation) -> dict[str, str]:
    pages = {
        "people": reverse("people_list", args=[site.slug]),
        "person": reverse("person_detail", args=[site.slug, resident.pk]),
        "group": reverse("group_detail", args=[site.slug, steering.pk]),
        "groups": reverse("group_list", args=[site.slug]),
        "organisation": reverse("organisation_detail", args=[site.slug, organisation.pk]),
        "people.csv": reverse("people_csv", args=[site.slug]),
        "groups.csv": reverse("group_csv", args=[site.slug]),
        "organisations.csv": reverse("organisation_csv", args=[site.slug]),
    }
    out = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[name] = body.decode("utf-8-sig")
    return out


def test_a_commissioner_never_sees_residents_contact_details(sign_in, site, commissioner, resident, steering, police):
    client = sign_in(commissioner)
    for name, text in every_page_and_export(client, site, resident, steering, police).items():
        for detail in CONTACT_DETAILS:
            assert detail not in text, (name, detail)
    assert "Jean Porter" in client.get(reverse("people_list", args=[site.slug])).content.decode()
    header = next(csv.reader(io.StringIO(csv_text(client.get(reverse("people_csv", args=[site.slug]))))))
    assert not {"Email", "Phone", "Address", "Postcode", "Notes"} & set(header)


def test_a_commissioner_cannot_find_people_by_email_or_postcode(sign_in, site, commissioner, resident):
    client = sign_in(commissioner)
    url = reverse("people_list", args=[site.slug])
    assert "Jean Porter" not in client.get(url, {"q": "jean@example"}).content.decode()
    assert "Jean Porter" not in client.get(url, {"q": "SS1"}).content.decode()
    assert "Jean Porter" in client.get(url, {"q": "porter"}).content.decode()


def test_a_researcher_sees_pseudonyms_and_no_contact_details(sign_in, site, researcher, resident, steering, police):
    client = sign_in(researcher)
    pages = every_page_and_export(client, site, resident, steering, police)
    for name, text in pages.items():
        assert "Jean Porter" not in text, name
        for detail in CONTACT_DETAILS:
            assert detail not in text, (name, detail)
    assert resident.pseudonym in pages["people"]
    assert resident.pseudonym in pages["person"] and resident.pseudonym in pages["group"]
    assert resident.pseudonym in pages["people.csv"]
    # a name cannot be found by searching for it
    url = reverse("people_list", args=[site.slug])
    assert resident.pseudonym not in client.get(url, {"q": "Porter"}).content.decode()


def test_a_researcher_sees_pseudonyms_on_the_organisation_page(sign_in, site, researcher, worker):
    text = (
        sign_in(researcher)
        .get(reverse("organisation_detail", args=[site.slug, worker.organisation_id]))
        .content.decode()
    )
    assert "Priya Shah" not in text and worker.pseudonym in text


def test_a_person_in_two_sites_shows_only_this_sites_groups_and_notes(
    sign_in, site, other_site, facilitator, resident, steering
):
    services.person_add_to_site(actor=None, site=other_site, person=resident)
    beacon_group = services.group_create(
        actor=None, site=other_site, kind=GroupKind.PARTNERSHIP_STEERING, name="Beacon PSG"
    )
    services.membership_add(
        actor=None,
        group=beacon_group,
        person=resident,
        role=MembershipRole.CHAIR,
        notes="Beacon-only note about Jean",
    )
    client = sign_in(facilitator)
    person_page = client.get(reverse("person_detail", args=[site.slug, resident.pk])).content.decode()
    assert "Southchurch Strategic Steering Network" in person_page
    assert "Beacon PSG" not in person_page and "Beacon-only note" not in person_page
    people_csv = csv_text(client.get(reverse("people_csv", args=[site.slug])))
    assert "Beacon PSG" not in people_csv and "Southchurch Strategic Steering Network" in people_csv
    groups_page = client.get(reverse("group_list", args=[site.slug])).content.decode()
    assert "Beacon PSG" not in groups_page
    # …and on Beacon's pages it is the other way round, for someone who works in Beacon
    beacon = user_with_role(Role.FACILITATOR, other_site)
    client.force_login(beacon)
    beacon_page = client.get(reverse("person_detail", args=[other_site.slug, resident.pk])).content.decode()
    assert "Beacon PSG" in beacon_page and "Southchurch Strategic Steering Network" not in beacon_page


@pytest.mark.parametrize(
    "name, kind",
    [
        ("person_detail", "person"),
        ("person_edit", "person"),
        ("consent_record", "person"),
        ("organisation_detail", "organisation"),
        ("organisation_edit", "organisation"),
        ("group_detail", "group"),
        ("group_edit", "group"),
        ("membership_add", "group"),
    ],
)
def test_another_sites_records_are_not_found_here(sign_in, site, other_site, facilitator, name, kind):
    records = {
        "person": services.person_create(actor=None, site=other_site, name="Beacon resident"),
        "organisation": services.organisation_create(
            actor=None, site=other_site, name="Cornwall Council", kind="council"
        ),
        "group": services.group_create(
            actor=None, site=other_site, kind=GroupKind.PARTNERSHIP_STEERING, name="Beacon PSG"
        ),
    }
    client = sign_in(facilitator)
    assert client.get(reverse(name, args=[site.slug, records[kind].pk])).status_code == 404


def test_another_sites_consent_and_membership_are_not_found_here(sign_in, site, other_site, facilitator, resident):
    beacon_person = services.person_create(actor=None, site=other_site, name="Beacon resident")
    consent = services.consent_record(
        actor=None,
        site=other_site,
        person=beacon_person,
        purpose="Contact",
        lawful_basis="consent",
        source="Form",
        given_on=resident.created_at.date(),
    )
    group = services.group_create(actor=None, site=other_site, kind=GroupKind.PARTNERSHIP_STEERING, name="Beacon PSG")
    membership = services.membership_add(actor=None, group=group, person=beacon_person)
    client = sign_in(facilitator)
    # someone else's consent under this site's person, and another site's membership
    url = reverse("consent_withdraw", args=[site.slug, resident.pk, consent.pk])
    assert client.get(url).status_code == 404
    url = reverse("membership_end", args=[site.slug, group.pk, membership.pk])
    assert client.get(url).status_code == 404


def test_a_site_the_user_does_not_belong_to_is_not_found(sign_in, site, other_site, facilitator):
    client = sign_in(facilitator)
    for name in ["people_list", "organisation_list", "group_list", "people_csv", "person_create"]:
        assert client.get(reverse(name, args=[other_site.slug])).status_code == 404, name


def test_people_from_sites_i_do_not_work_in_are_not_offered(sign_in, site, other_site, facilitator):
    services.person_create(actor=None, site=other_site, name="Beacon resident")
    text = sign_in(facilitator).get(reverse("person_add_existing", args=[site.slug])).content.decode()
    assert "Beacon resident" not in text


@pytest.mark.parametrize("name, count", [("people_list", 40), ("organisation_list", 40), ("group_list", 20)])
def test_list_pages_do_not_run_more_queries_with_more_rows(
    sign_in, site, facilitator, django_assert_max_num_queries, name, count
):
    def grow(n: int) -> None:
        orgs = [
            services.organisation_create(actor=None, site=site, name=f"Org {name} {n} {i}", kind="council")
            for i in range(2)
        ]
        group = services.group_create(actor=None, site=site, kind=GroupKind.PARTNERSHIP_STEERING, name=f"Group {n}")
        for i in range(count // 2):
            person = services.person_create(
                actor=None, site=site, name=f"Person {n}-{i}", kind="worker", organisation=orgs[i % 2]
            )
            services.membership_add(actor=None, group=group, person=person)
            if i < 2:  # an organisation sitting on the group without a named person
                services.membership_add(actor=None, group=group, organisation=orgs[i], role="agency_lead")

    client = sign_in(facilitator)
    url = reverse(name, args=[site.slug])
    grow(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 4):
        grow(n)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    csv_name = {"people_list": "people_csv", "organisation_list": "organisation_csv", "group_list": "group_csv"}[name]
    with CaptureQueriesContext(connection) as export:
        client.get(reverse(csv_name, args=[site.slug]))
    grow(4)
    with django_assert_max_num_queries(len(export)):
        client.get(reverse(csv_name, args=[site.slug]))


def test_notes_written_in_one_site_never_show_in_another(sign_in, site, other_site, facilitator, resident):
    """Resident notes are per site: Beacon's facilitator never reads what Southchurch wrote."""
    services.person_update(actor=facilitator, site=site, person=resident, notes="Southchurch-only note")
    services.person_add_to_site(actor=None, site=other_site, person=resident)
    beacon = user_with_role(Role.FACILITATOR, other_site)
    services.person_update(actor=beacon, site=other_site, person=resident, notes="Beacon-only note")

    client = sign_in(facilitator)
    here = client.get(reverse("person_detail", args=[site.slug, resident.pk])).content.decode()
    assert "Southchurch-only note" in here and "Beacon-only note" not in here
    edit = client.get(reverse("person_edit", args=[site.slug, resident.pk])).content.decode()
    assert "Southchurch-only note" in edit and "Beacon-only note" not in edit
    csv_here = csv_text(client.get(reverse("people_csv", args=[site.slug])))
    assert "Southchurch-only note" in csv_here and "Beacon-only note" not in csv_here

    client.force_login(beacon)
    there = client.get(reverse("person_detail", args=[other_site.slug, resident.pk])).content.decode()
    assert "Beacon-only note" in there and "Southchurch-only note" not in there
    api = client.get(f"/api/v1/sites/{other_site.slug}/people").json()
    assert "Southchurch-only note" not in str(api) and "Beacon-only note" in str(api)
