"""The people, organisations and groups pages, as a facilitator uses them."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from c2hub.people import services
from c2hub.people.models import (
    Consent,
    Group,
    GroupKind,
    GroupMembership,
    MembershipRole,
    Organisation,
    Person,
)
from c2hub.programmes import records


def csv_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# Lists, search, filters and CSV -----------------------------------------------------------------
def test_people_list_shows_the_sites_people_with_a_child_tag(sign_in, site, facilitator, resident, child):
    page = sign_in(facilitator).get(reverse("people_list", args=[site.slug])).content.decode()
    assert "Jean Porter" in page and "Kyle Baker" in page
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in page.split('<tr class="govuk-table__row">')[2:]}
    assert "govuk-tag--purple" in rows["Kyle Baker"] and "Child" in rows["Kyle Baker"]
    assert "govuk-tag--purple" not in rows["Jean Porter"]
    assert 'class="c2-table-wrapper" tabindex="0" role="region"' in page and "<caption" in page


def test_people_are_searched_and_filtered_and_the_csv_has_exactly_those_rows(
    sign_in, site, facilitator, resident, child, worker
):
    client = sign_in(facilitator)
    url = reverse("people_list", args=[site.slug])
    page = client.get(url, {"q": "porter"}).content.decode()
    assert "Jean Porter" in page and "Kyle Baker" not in page
    page = client.get(url, {"kind": "worker"}).content.decode()
    assert "Priya Shah" in page and "Jean Porter" not in page
    page = client.get(url, {"age_band": "11-15"}).content.decode()
    assert "Kyle Baker" in page and "Jean Porter" not in page
    page = client.get(url, {"organisation": worker.organisation_id}).content.decode()
    assert "Priya Shah" in page and "Kyle Baker" not in page
    assert "/people/people.csv?organisation=" in page

    rows = csv_rows(client.get(reverse("people_csv", args=[site.slug]), {"kind": "resident"}))
    assert [r["Name"] for r in rows] == ["Jean Porter", "Kyle Baker"]
    assert rows[0]["Email"] == "jean@example.net" and rows[1]["Child"] == "Yes"
    rows = csv_rows(client.get(reverse("people_csv", args=[site.slug]), {"q": "shah"}))
    assert [r["Name"] for r in rows] == ["Priya Shah"]
    assert rows[0]["Organisation"] == "Southend-on-Sea Borough Council"


def test_the_people_csv_lists_groups_in_this_site(sign_in, site, facilitator, steering):
    rows = csv_rows(sign_in(facilitator).get(reverse("people_csv", args=[site.slug])))
    assert rows[0]["Groups in this site"] == "Southchurch Strategic Steering Network (Key resident)"


def test_a_csv_cell_cannot_become_a_spreadsheet_formula(sign_in, site, facilitator):
    services.person_create(actor=None, site=site, name='=HYPERLINK("http://x")')
    rows = csv_rows(sign_in(facilitator).get(reverse("people_csv", args=[site.slug])))
    assert rows[0]["Name"].startswith("'=")


def test_people_list_is_paginated_and_keeps_the_filters(sign_in, site, facilitator):
    for n in range(55):
        services.person_create(actor=None, site=site, name=f"Resident {n:02d}", age_band="26-64")
    client = sign_in(facilitator)
    url = reverse("people_list", args=[site.slug])
    first = client.get(url, {"age_band": "26-64"}).content.decode()
    assert "55 people (showing 1 to 50)" in first
    assert "age_band=26-64&amp;page=2" in first
    second = client.get(url, {"age_band": "26-64", "page": 2}).content.decode()
    assert "Resident 54" in second and "Resident 00" not in second
    rows = csv_rows(client.get(reverse("people_csv", args=[site.slug]), {"age_band": "26-64"}))
    assert len(rows) == 55


def test_organisations_are_filtered_by_kind_and_exported(sign_in, site, facilitator, council, police, worker):
    client = sign_in(facilitator)
    page = client.get(reverse("organisation_list", args=[site.slug]), {"kind": "police"})
    assert "Essex Police" in page.content.decode()
    assert "Borough Council" not in page.content.decode()
    rows = csv_rows(client.get(reverse("organisation_csv", args=[site.slug]), {"q": "council"}))
    assert rows == [
        {
            "Name": "Southend-on-Sea Borough Council",
            "Short name": "SBC",
            "Type": "Council",
            "Website": "",
            "Workers in this site": "1",
            "Notes": "",
        }
    ]


def test_groups_are_filtered_by_kind_and_exported(sign_in, site, facilitator, steering):
    services.group_create(actor=None, site=site, kind=GroupKind.LEARNING_COHORT, name="ELP", wave=1)
    client = sign_in(facilitator)
    page = client.get(reverse("group_list", args=[site.slug]), {"kind": "strategic_steering"})
    text = page.content.decode()
    assert "Southchurch Strategic Steering Network" in text and "ELP" not in text
    rows = csv_rows(client.get(reverse("group_csv", args=[site.slug]), {"kind": "learning_cohort"}))
    assert [(r["Name"], r["Wave"], r["Current members"]) for r in rows] == [("ELP", "1", "0")]


# Detail pages -----------------------------------------------------------------------------------
def test_a_persons_page_shows_details_consent_and_groups(sign_in, site, facilitator, resident, steering):
    services.consent_record(
        actor=facilitator,
        site=site,
        person=resident,
        purpose="Contact about meetings",
        lawful_basis="consent",
        source="Paper form",
        given_on=dt.date(2013, 7, 1),
    )
    page = sign_in(facilitator).get(reverse("person_detail", args=[site.slug, resident.pk]))
    text = page.content.decode()
    for expected in [
        "Jean Porter",
        "jean@example.net",
        "12 Beach Road",
        "SS1 2AB",
        "Prefers phone calls",
        "Contact about meetings",
        "1 July 2013",
        "Southchurch Strategic Steering Network",
        "Key resident",
        "20 June 2013",
    ]:
        assert expected in text, expected


def test_a_group_page_shows_members_roles_organisations_and_partnership_details(
    sign_in, site, facilitator, worker, steering
):
    partnership = services.group_create(
        actor=None,
        site=site,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        name="Southchurch Together",
        legal_form="cio",
        charity_number="1150123",
        hub_address="The Hub, Beach Road",
        opening_times="Tuesdays 10am to 2pm",
    )
    services.membership_add(
        actor=None,
        group=partnership,
        person=worker,
        role=MembershipRole.TRUSTEE,
        started_on=dt.date(2015, 1, 5),
    )
    client = sign_in(facilitator)
    text = client.get(reverse("group_detail", args=[site.slug, partnership.pk])).content.decode()
    for expected in [
        "Charitable incorporated organisation (CIO)",
        "1150123",
        "The Hub, Beach Road",
        "Tuesdays 10am to 2pm",
        "Priya Shah",
        "Trustee",
        "Southend-on-Sea Borough Council",
        "Council",
        "5 January 2015",
    ]:
        assert expected in text, expected
    text = client.get(reverse("group_detail", args=[site.slug, steering.pk])).content.decode()
    assert "Essex Police" in text and "No named person" in text


def test_an_organisation_page_shows_its_workers_and_the_groups_it_sits_on(
    sign_in, site, facilitator, worker, police, steering
):
    client = sign_in(facilitator)
    text = client.get(reverse("organisation_detail", args=[site.slug, worker.organisation_id])).content.decode()
    assert "Priya Shah" in text and "Community development officer" in text
    text = client.get(reverse("organisation_detail", args=[site.slug, police.pk])).content.decode()
    assert "Southchurch Strategic Steering Network" in text


# Forms ------------------------------------------------------------------------------------------
def test_a_facilitator_adds_a_person_through_the_form(sign_in, site, facilitator):
    response = sign_in(facilitator).post(
        reverse("person_create", args=[site.slug]),
        {
            "kind": "resident",
            "name": "Ann Smith",
            "email": "ann@example.net",
            "postcode": "ss2 4xy",
            "age_band": "26-64",
        },
    )
    person = Person.objects.get(name="Ann Smith")
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[site.slug, person.pk])
    assert person.postcode == "SS2 4XY" and list(person.sites.all()) == [site]


def test_form_errors_show_beside_the_fields_and_nothing_is_saved(sign_in, site, facilitator):
    response = sign_in(facilitator).post(
        reverse("person_create", args=[site.slug]),
        {"kind": "worker", "name": "PC Jones", "email": "nope", "postcode": "XX"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in text and "There is a problem" in text
    assert 'href="#id_email"' in text and 'id="id_email-error"' in text
    assert "<title>Error:" in text
    assert "Enter an email address in the correct format" in text
    assert not Person.objects.exists()


def test_missing_answers_get_messages_that_say_what_to_do(sign_in, site, facilitator):
    text = sign_in(facilitator).post(reverse("person_create", args=[site.slug]), {}).content.decode()
    assert "This field is required" not in text
    assert '<a href="#kind">Choose whether this person is a resident or a worker.</a>' in text
    assert '<a href="#id_name">Enter the person&#39;s full name.</a>' in text


def test_a_service_rule_is_shown_on_the_field_after_the_form_is_valid(sign_in, site, facilitator):
    response = sign_in(facilitator).post(
        reverse("person_create", args=[site.slug]), {"kind": "worker", "name": "PC Jones"}
    )
    assert response.status_code == 400
    assert "Choose the organisation this worker works for." in response.content.decode()
    assert not Person.objects.exists()


def test_a_person_is_edited_through_the_form(sign_in, site, member, resident):
    client = sign_in(member)
    url = reverse("person_edit", args=[site.slug, resident.pk])
    form = client.get(url).content.decode()
    assert 'value="jean@example.net"' in form
    response = client.post(
        url,
        {"kind": "resident", "name": "Jean Porter", "phone": "01702 123456", "postcode": "SS1 2AB", "age_band": "65+"},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.phone == "01702 123456" and resident.email == ""


def test_an_invalid_edit_leaves_the_person_unchanged(sign_in, site, facilitator, resident):
    response = sign_in(facilitator).post(
        reverse("person_edit", args=[site.slug, resident.pk]),
        {"kind": "resident", "name": "Jean P", "postcode": "NOTAPC1", "age_band": "65+"},
    )
    assert response.status_code == 400 and "Enter a real postcode" in response.content.decode()
    resident.refresh_from_db()
    assert resident.name == "Jean Porter" and resident.postcode == "SS1 2AB"


def test_consent_is_recorded_and_withdrawn_through_the_forms(sign_in, site, facilitator, child):
    client = sign_in(facilitator)
    form = client.get(reverse("consent_record", args=[site.slug, child.pk])).content.decode()
    assert "parent or carer" in form
    response = client.post(
        reverse("consent_record", args=[site.slug, child.pk]),
        {"purpose": "Photos", "lawful_basis": "consent", "source": "Parent's form", "given_on": "2014-01-01"},
    )
    assert response.status_code == 302
    consent = Consent.objects.get(person=child)
    assert consent.is_child and consent.recorded_by == facilitator
    bad = client.post(
        reverse("consent_withdraw", args=[site.slug, child.pk, consent.pk]),
        {"withdrawn_on": "2013-01-01"},
    )
    assert bad.status_code == 400 and 'id="id_withdrawn_on-error"' in bad.content.decode()
    ok = client.post(
        reverse("consent_withdraw", args=[site.slug, child.pk, consent.pk]),
        {"withdrawn_on": "2015-01-01"},
    )
    assert ok.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2015, 1, 1)


def test_organisations_are_added_and_edited_through_the_forms(sign_in, site, facilitator, council):
    client = sign_in(facilitator)
    duplicate = client.post(
        reverse("organisation_create", args=[site.slug]),
        {"name": "Southend-on-Sea Borough Council", "kind": "council"},
    )
    assert duplicate.status_code == 400 and 'id="id_name-error"' in duplicate.content.decode()
    created = client.post(
        reverse("organisation_create", args=[site.slug]),
        {"name": "Essex County Fire and Rescue", "kind": "fire", "website": "essex-fire.gov.uk"},
    )
    assert created.status_code == 302
    fire = Organisation.objects.get(kind="fire")
    assert fire.website == "https://essex-fire.gov.uk" and site in fire.sites.all()
    edited = client.post(
        reverse("organisation_edit", args=[site.slug, fire.pk]),
        {"name": "Essex County Fire and Rescue Service", "kind": "fire"},
    )
    assert edited.status_code == 302
    fire.refresh_from_db()
    assert fire.name == "Essex County Fire and Rescue Service"


def test_an_organisation_already_in_the_programme_joins_another_site(
    sign_in, site, other_site, programme_admin, council
):
    client = sign_in(programme_admin)
    form = client.get(reverse("organisation_add_existing", args=[other_site.slug])).content.decode()
    assert "Southend-on-Sea Borough Council" in form
    response = client.post(reverse("organisation_add_existing", args=[other_site.slug]), {"organisation": council.pk})
    assert response.status_code == 302 and other_site in council.sites.all()


def test_someone_from_another_of_my_sites_joins_this_one(sign_in, site, other_site, programme_admin, resident):
    client = sign_in(programme_admin)
    form = client.get(reverse("person_add_existing", args=[other_site.slug])).content.decode()
    assert "Jean Porter" in form
    response = client.post(reverse("person_add_existing", args=[other_site.slug]), {"person": resident.pk})
    assert response.status_code == 302 and other_site in resident.sites.all()


def test_a_group_is_set_up_with_field_errors_first(sign_in, site, facilitator):
    client = sign_in(facilitator)
    url = reverse("group_create", args=[site.slug])
    bad = client.post(url, {"kind": "constituted_partnership", "name": "Southchurch Together", "company_number": "12"})
    text = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="id_legal_form-error"' in text and 'id="id_company_number-error"' in text
    assert not Group.objects.exists()
    good = client.post(
        url,
        {
            "kind": "constituted_partnership",
            "name": "Southchurch Together",
            "legal_form": "cic",
            "company_number": "08123456",
            "formed_on": "2014-09-01",
        },
    )
    assert good.status_code == 302
    group = Group.objects.get()
    assert group.site == site and group.formed_on == dt.date(2014, 9, 1)
    edited = client.post(
        reverse("group_edit", args=[site.slug, group.pk]),
        {
            "kind": "constituted_partnership",
            "name": "Southchurch Together CIC",
            "legal_form": "cic",
            "company_number": "08123456",
        },
    )
    assert edited.status_code == 302
    group.refresh_from_db()
    assert group.name == "Southchurch Together CIC" and group.formed_on is None


def test_members_are_added_and_ended_through_the_forms(sign_in, site, facilitator, worker, council, steering):
    client = sign_in(facilitator)
    url = reverse("membership_add", args=[site.slug, steering.pk])
    assert "Priya Shah (Southend-on-Sea Borough Council)" in client.get(url).content.decode()
    empty = client.post(url, {"person": "", "organisation": "", "role": "member"})
    assert empty.status_code == 400 and 'id="id_person-error"' in empty.content.decode()
    response = client.post(url, {"person": worker.pk, "role": "agency_lead", "started_on": "2013-07-01"})
    assert response.status_code == 302
    membership = GroupMembership.objects.get(person=worker)
    assert membership.role == MembershipRole.AGENCY_LEAD
    end_url = reverse("membership_end", args=[site.slug, steering.pk, membership.pk])
    assert client.post(end_url, {"ended_on": "2015-03-31"}).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == dt.date(2015, 3, 31)
    page = client.get(reverse("group_detail", args=[site.slug, steering.pk])).content.decode()
    assert "Past and future members" in page and "31 March 2015" in page


# Permissions in the pages -----------------------------------------------------------------------
@pytest.mark.parametrize("who", ["commissioner", "researcher"])
def test_read_only_roles_see_no_edit_links_and_are_refused_the_forms(
    request, sign_in, site, who, resident, steering, council
):
    client = sign_in(request.getfixturevalue(who))
    for name, args in [
        ("people_list", []),
        ("person_detail", [resident.pk]),
        ("organisation_list", []),
        ("organisation_detail", [council.pk]),
        ("group_list", []),
        ("group_detail", [steering.pk]),
    ]:
        text = client.get(reverse(name, args=[site.slug, *args])).content.decode()
        for link in [
            "Add a person",
            "Edit details",
            "Record consent",
            "Add a member",
            "Set up a group",
            "Add an organisation",
            "/end/",
            "/withdraw/",
        ]:
            assert link not in text, (name, link)
    membership = steering.memberships.first()
    for name, args in [
        ("person_create", []),
        ("person_edit", [resident.pk]),
        ("person_add_existing", []),
        ("consent_record", [resident.pk]),
        ("organisation_create", []),
        ("organisation_edit", [council.pk]),
        ("organisation_add_existing", []),
        ("group_create", []),
        ("group_edit", [steering.pk]),
        ("membership_add", [steering.pk]),
        ("membership_end", [steering.pk, membership.pk]),
    ]:
        url = reverse(name, args=[site.slug, *args])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"name": "X", "kind": "resident"}).status_code == 403, name
    assert Person.objects.count() == 1 and resident.name == Person.objects.get().name


def test_signed_out_visitors_are_sent_to_sign_in(client, site):
    response = client.get(reverse("people_list", args=[site.slug]))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


# Evidence ---------------------------------------------------------------------------------------
def test_a_group_can_be_chosen_as_evidence_for_a_criterion(site, other_site, steering):
    services.group_create(actor=None, site=other_site, kind=GroupKind.STRATEGIC_STEERING, name="Beacon SSG")
    choices = dict(records.record_choices(site))
    key = f"people.group:{steering.pk}"
    assert choices[key] == "Group: Southchurch Strategic Steering Network"
    assert "Group: Beacon SSG" not in choices.values()
    assert records.resolve_record(site, key) == steering
    assert records.resolve_record(other_site, key) is None
