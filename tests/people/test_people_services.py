"""The people services: who may write, what is refused, and that every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from c2hub.accounts.models import Role, RoleAssignment
from c2hub.people import services
from c2hub.people.models import (
    Consent,
    Group,
    GroupKind,
    GroupMembership,
    LawfulBasis,
    LegalForm,
    MembershipRole,
    Organisation,
    OrganisationKind,
    Person,
    PersonKind,
)
from c2hub.programmes.models import Programme, Site
from tests.factories import make_site, user_with_role


def log_entries_for(obj) -> list[LogEntry]:
    return list(LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_pk=str(obj.pk)))


# People -----------------------------------------------------------------------------------------
def test_a_facilitator_adds_a_resident_to_the_site_and_the_audit_log_names_them(site, facilitator):
    person = services.person_create(
        actor=facilitator, site=site, name="  Jean Porter ", postcode="ss12ab", age_band="65+"
    )
    assert person.programme == site.programme and list(person.sites.all()) == [site]
    assert person.name == "Jean Porter" and person.postcode == "SS1 2AB"
    entries = log_entries_for(person)
    assert entries and all(e.actor == facilitator for e in entries)


def test_adding_a_person_marks_the_site_active(site, facilitator):
    Site.objects.filter(pk=site.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=30))
    services.person_create(actor=facilitator, site=site, name="Jean Porter")
    site.refresh_from_db()
    assert timezone.now() - site.last_activity_at < dt.timedelta(minutes=1)


def test_a_worker_must_have_an_organisation(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=facilitator, site=site, name="PC Jones", kind=PersonKind.WORKER)
    assert "organisation" in refused.value.message_dict
    assert not Person.objects.exists()


def test_bad_email_and_postcode_are_refused_with_field_keys(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=facilitator, site=site, name="Jean", email="not-an-email", postcode="12345")
    assert {"email", "postcode"} <= set(refused.value.message_dict)


def test_a_blank_name_is_refused(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=facilitator, site=site, name="   ")
    assert "name" in refused.value.message_dict


def test_an_organisation_of_another_programme_is_refused(site, facilitator):
    elsewhere = Organisation.objects.create(
        programme=Programme.objects.create(name="Other", slug="other"),
        name="Elsewhere Council",
        kind=OrganisationKind.COUNCIL,
    )
    with pytest.raises(ValidationError) as refused:
        services.person_create(actor=facilitator, site=site, name="Sam", kind=PersonKind.WORKER, organisation=elsewhere)
    assert "organisation" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.RESEARCHER])
def test_read_only_roles_cannot_add_people_organisations_or_groups(site, role):
    viewer = user_with_role(role, site)
    with pytest.raises(PermissionDenied):
        services.person_create(actor=viewer, site=site, name="Jean Porter")
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=viewer, site=site, name="Police", kind="police")
    with pytest.raises(PermissionDenied):
        services.group_create(actor=viewer, site=site, kind=GroupKind.PARTNERSHIP_STEERING, name="PSG")
    assert not Person.objects.exists() and not Group.objects.exists()


def test_a_facilitator_of_another_site_cannot_change_this_sites_people(site, other_site, resident):
    outsider = user_with_role(Role.FACILITATOR, other_site)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=outsider, site=site, person=resident, name="Changed")
    resident.refresh_from_db()
    assert resident.name == "Jean Porter"


def test_a_member_updates_a_person_and_unknown_fields_are_refused(site, member, resident):
    services.person_update(actor=member, site=site, person=resident, phone="01702 111222")
    resident.refresh_from_db()
    assert resident.phone == "01702 111222"
    with pytest.raises(ValidationError) as refused:
        services.person_update(actor=member, site=site, person=resident, programme=None)
    assert "programme" in refused.value.message_dict
    assert log_entries_for(resident)[0].actor == member


def test_a_person_can_only_be_updated_through_a_site_they_take_part_in(site, other_site, resident):
    admin = user_with_role(Role.PROGRAMME_ADMIN, site)
    with pytest.raises(ValidationError):
        services.person_update(actor=admin, site=other_site, person=resident, name="X")


def test_a_person_joins_a_second_site_only_by_someone_working_in_both(site, other_site, resident):
    only_there = user_with_role(Role.FACILITATOR, other_site)
    with pytest.raises(PermissionDenied):
        services.person_add_to_site(actor=only_there, site=other_site, person=resident)
    both = user_with_role(Role.FACILITATOR, other_site)
    RoleAssignment.objects.create(user=both, programme=site.programme, site=site, role=Role.FACILITATOR)
    services.person_add_to_site(actor=both, site=other_site, person=resident)
    assert set(resident.sites.all()) == {site, other_site}
    with pytest.raises(ValidationError):
        services.person_add_to_site(actor=both, site=other_site, person=resident)


# Consent ----------------------------------------------------------------------------------------
def test_consent_is_recorded_with_who_recorded_it(site, facilitator, resident):
    consent = services.consent_record(
        actor=facilitator,
        site=site,
        person=resident,
        purpose="Contact about meetings",
        lawful_basis=LawfulBasis.CONSENT,
        source="Paper form at the engagement workshop",
        given_on=dt.date(2013, 7, 1),
        expires_on=dt.date(2015, 7, 1),
    )
    assert consent.recorded_by == facilitator and not consent.is_child
    assert log_entries_for(consent)[0].actor == facilitator


def test_a_childs_consent_is_flagged_from_the_age_band(site, facilitator, child):
    consent = services.consent_record(
        actor=facilitator,
        site=site,
        person=child,
        purpose="Photos in the newsletter",
        lawful_basis=LawfulBasis.CONSENT,
        source="Parent's signed form",
        given_on=dt.date(2014, 1, 1),
    )
    assert consent.is_child


def test_consent_dates_are_checked(site, facilitator, resident):
    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            actor=facilitator,
            site=site,
            person=resident,
            purpose="Contact",
            lawful_basis=LawfulBasis.CONSENT,
            source="Form",
            given_on=dt.date(2014, 1, 1),
            expires_on=dt.date(2013, 1, 1),
        )
    assert "expires_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.consent_record(
            actor=facilitator,
            site=site,
            person=resident,
            purpose="",
            lawful_basis="made-up",
            source="Form",
            given_on=timezone.localdate() + dt.timedelta(days=3),
        )
    assert {"purpose", "lawful_basis", "given_on"} <= set(refused.value.message_dict)
    assert not Consent.objects.exists()


def test_consent_is_withdrawn_once_and_kept(site, facilitator, resident):
    consent = services.consent_record(
        actor=facilitator,
        site=site,
        person=resident,
        purpose="Contact",
        lawful_basis=LawfulBasis.CONSENT,
        source="Form",
        given_on=dt.date(2014, 1, 1),
    )
    services.consent_withdraw(actor=facilitator, site=site, consent=consent)
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate() and not consent.is_current()
    with pytest.raises(ValidationError) as refused:
        services.consent_withdraw(actor=facilitator, site=site, consent=consent)
    assert "withdrawn_on" in refused.value.message_dict


def test_consent_cannot_be_withdrawn_before_it_was_given(site, facilitator, resident):
    consent = services.consent_record(
        actor=facilitator,
        site=site,
        person=resident,
        purpose="Contact",
        lawful_basis=LawfulBasis.CONSENT,
        source="Form",
        given_on=dt.date(2014, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=facilitator, site=site, consent=consent, withdrawn_on=dt.date(2013, 1, 1))


# Organisations ----------------------------------------------------------------------------------
def test_an_organisation_belongs_to_the_programme_and_takes_part_in_the_site(site, member):
    org = services.organisation_create(actor=member, site=site, name="Essex Police", kind=OrganisationKind.POLICE)
    assert org.programme == site.programme and list(org.sites.all()) == [site]
    assert log_entries_for(org)[0].actor == member


def test_organisation_names_are_unique_in_a_programme(site, other_site, facilitator, council):
    with pytest.raises(ValidationError) as refused:
        services.organisation_create(
            actor=facilitator, site=site, name="southend-on-sea borough council", kind="council"
        )
    assert "name" in refused.value.message_dict
    services.organisation_add_to_site(actor=None, site=other_site, organisation=council)
    assert set(council.sites.all()) == {site, other_site}


def test_an_organisation_is_updated_and_bad_kinds_are_refused(site, facilitator, council):
    services.organisation_update(actor=facilitator, site=site, organisation=council, short_name="SoS")
    council.refresh_from_db()
    assert council.short_name == "SoS"
    with pytest.raises(ValidationError) as refused:
        services.organisation_update(actor=facilitator, site=site, organisation=council, kind="x")
    assert "kind" in refused.value.message_dict


# Groups -----------------------------------------------------------------------------------------
def test_a_constituted_partnership_needs_a_legal_form_and_valid_numbers(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.group_create(
            actor=facilitator,
            site=site,
            kind=GroupKind.CONSTITUTED_PARTNERSHIP,
            name="Southchurch Together",
            charity_number="12",
            company_number="ABC",
        )
    assert {"legal_form", "charity_number", "company_number"} <= set(refused.value.message_dict)
    group = services.group_create(
        actor=facilitator,
        site=site,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        name="Southchurch Together",
        legal_form=LegalForm.CHARITABLE_COMPANY,
        charity_number="1150123",
        company_number="08123456",
        hub_address="The Hub, Beach Road",
        opening_times="Mon–Fri 10am to 4pm",
        formed_on=dt.date(2014, 9, 1),
    )
    assert log_entries_for(group)[0].actor == facilitator


def test_only_a_constituted_partnership_has_a_legal_form(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.group_create(
            actor=facilitator,
            site=site,
            kind=GroupKind.INTERIM_PARTNERSHIP,
            name="Interim",
            legal_form=LegalForm.CIC,
        )
    assert "legal_form" in refused.value.message_dict


def test_a_learning_cohort_has_a_wave(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.group_create(actor=facilitator, site=site, kind=GroupKind.LEARNING_COHORT, name="ELP")
    assert "wave" in refused.value.message_dict
    cohort = services.group_create(
        actor=facilitator, site=site, kind=GroupKind.LEARNING_COHORT, name="ELP wave 1", wave=1
    )
    assert cohort.wave == 1


def test_a_group_cannot_end_before_it_formed(site, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.group_create(
            actor=facilitator,
            site=site,
            kind=GroupKind.PARTNERSHIP_STEERING,
            name="PSG",
            formed_on=dt.date(2014, 1, 1),
            ended_on=dt.date(2013, 1, 1),
        )
    assert "ended_on" in refused.value.message_dict


def test_an_interim_partnership_is_constituted_by_an_update(site, facilitator):
    group = services.group_create(
        actor=facilitator, site=site, kind=GroupKind.INTERIM_PARTNERSHIP, name="Southchurch Together"
    )
    services.group_update(
        actor=facilitator,
        group=group,
        kind=GroupKind.CONSTITUTED_PARTNERSHIP,
        legal_form=LegalForm.UNINCORPORATED,
    )
    group.refresh_from_db()
    assert group.kind == GroupKind.CONSTITUTED_PARTNERSHIP


# Memberships ------------------------------------------------------------------------------------
def test_a_member_must_take_part_in_the_groups_site(site, other_site, facilitator, steering):
    stranger = services.person_create(actor=None, site=other_site, name="Stranger")
    with pytest.raises(ValidationError) as refused:
        services.membership_add(actor=facilitator, group=steering, person=stranger)
    assert "person" in refused.value.message_dict


def test_an_organisation_sits_on_a_group_without_a_named_person(site, facilitator, council):
    group = services.group_create(actor=facilitator, site=site, kind=GroupKind.STRATEGIC_STEERING, name="Network")
    membership = services.membership_add(
        actor=facilitator,
        group=group,
        organisation=council,
        role=MembershipRole.AGENCY_LEAD,
        started_on=dt.date(2013, 6, 20),
    )
    assert membership.person is None and membership.organisation == council
    assert log_entries_for(membership)[0].actor == facilitator


def test_a_membership_needs_a_person_or_an_organisation(site, facilitator, steering):
    with pytest.raises(ValidationError) as refused:
        services.membership_add(actor=facilitator, group=steering)
    assert "person" in refused.value.message_dict


def test_a_person_is_not_added_twice_in_the_same_role(site, facilitator, steering, resident):
    with pytest.raises(ValidationError) as refused:
        services.membership_add(actor=facilitator, group=steering, person=resident, role=MembershipRole.KEY_RESIDENT)
    assert "person" in refused.value.message_dict
    services.membership_add(actor=facilitator, group=steering, person=resident, role=MembershipRole.CHAIR)


def test_a_membership_ends_on_a_date_and_only_once(site, facilitator, steering, resident):
    membership = GroupMembership.objects.get(group=steering, person=resident)
    with pytest.raises(ValidationError):
        services.membership_end(actor=facilitator, membership=membership, ended_on=dt.date(2012, 1, 1))
    services.membership_end(actor=facilitator, membership=membership, ended_on=dt.date(2015, 3, 31))
    membership.refresh_from_db()
    assert membership.ended_on == dt.date(2015, 3, 31) and not membership.is_current()
    with pytest.raises(ValidationError):
        services.membership_end(actor=facilitator, membership=membership)


def test_a_commissioner_cannot_add_or_end_memberships(site, commissioner, steering, resident):
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=commissioner, group=steering, person=resident, role="chair")
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=commissioner, membership=steering.memberships.first())


def test_a_group_in_another_site_is_refused_to_this_sites_facilitator(other_site, facilitator):
    group = services.group_create(actor=None, site=other_site, kind=GroupKind.PARTNERSHIP_STEERING, name="Beacon PSG")
    with pytest.raises(PermissionDenied):
        services.group_update(actor=facilitator, group=group, name="Mine now")


def test_the_system_can_write_without_an_actor(programme):
    site = make_site(programme=programme, name="Camborne")
    person = services.person_create(actor=None, site=site, name="TR14er")
    assert log_entries_for(person)[0].actor is None
