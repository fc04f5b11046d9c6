"""Every write to people, organisations, consent, groups and memberships goes through these.

Each function takes keyword-only arguments, checks the actor's permission on the site with the
rules in ``c2hub/accounts/rules.py``, validates (``full_clean``), saves in one transaction, is
attributed to the actor in the audit log, and marks the site as active. ``actor=None`` means the
system itself (imports, the demo loader) and skips the permission check.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.people.models import (
    Consent,
    Group,
    GroupKind,
    GroupMembership,
    LegalForm,
    MembershipRole,
    Organisation,
    Person,
    PersonKind,
    PersonSiteNotes,
)
from c2hub.programmes.models import Site
from c2hub.programmes.services import _touch

PERSON_EDITABLE_FIELDS = (
    "kind", "name", "organisation", "job_title", "email", "phone", "address", "postcode",
    "age_band", "notes",
)
ORGANISATION_EDITABLE_FIELDS = ("name", "short_name", "kind", "website", "notes")
GROUP_EDITABLE_FIELDS = (
    "kind", "name", "purpose", "formed_on", "ended_on", "legal_form", "charity_number",
    "company_number", "hub_address", "opening_times", "wave",
)
#: Fields that only a constituted partnership has.
CONSTITUTED_FIELDS = (
    "legal_form", "charity_number", "company_number", "hub_address", "opening_times",
)

# A UK postcode: outward code, a space, inward code (e.g. "SS1 2AB", "EC1A 1BB", "GIR 0AA").
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")
# England and Wales: 6–7 digits, optionally "-N" for a linked charity; Scotland SC0…; NI NIC1….
_CHARITY_NUMBER = re.compile(r"^([0-9]{6,7}(-[0-9]{1,2})?|SC0[0-9]{5}|NIC1[0-9]{5})$")
# Companies House: eight characters, digits or a two-letter prefix (SC, NI, OC…) and six digits.
_COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


def _unknown_fields(changes: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_or_raise(record: Any, errors: dict[str, str]) -> None:
    """Run the model's own validation on the fields our rules have not already refused, and
    raise every error at once, one message per field."""
    try:
        record.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages[0])
    _raise_if(errors)


def _normalise_postcode(raw: str) -> str:
    """"ss12ab" → "SS1 2AB". A postcode that is not one is refused rather than stored wrongly."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        return ""
    formatted = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
    if not _POSTCODE.match(formatted):
        raise ValidationError({"postcode": "Enter a real postcode, like SS1 2AB."})
    return formatted


def _check_in_site(person: Person, site: Site) -> None:
    if not person.sites.filter(pk=site.pk).exists():
        raise ValidationError({"person": "This person does not take part in this site."})


# People -----------------------------------------------------------------------------------------
def _validate_person(person: Person) -> None:
    errors: dict[str, str] = {}
    person.name = person.name.strip()
    person.email = person.email.strip()
    person.phone = person.phone.strip()
    try:
        person.postcode = _normalise_postcode(person.postcode)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if person.kind == PersonKind.WORKER and person.organisation_id is None:
        errors["organisation"] = "Choose the organisation this worker works for."
    if person.organisation is not None and person.organisation.programme_id != person.programme_id:
        errors["organisation"] = "This organisation is not part of the person's programme."
    _clean_or_raise(person, errors)


def person_create(
    *,
    actor: Any,
    site: Site,
    name: str,
    kind: str = PersonKind.RESIDENT,
    organisation: Organisation | None = None,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    postcode: str = "",
    age_band: str = "",
    notes: str = "",
) -> Person:
    """Add a resident or worker to a site. The person belongs to the site's programme, so they
    can later take part in its other sites too. A worker must have an organisation."""
    require(actor, "people.change_people", site)
    with transaction.atomic(), acting_as(actor):
        person = Person(
            programme_id=site.programme_id, kind=kind, name=name, organisation=organisation,
            job_title=job_title, email=email, phone=phone, address=address, postcode=postcode,
            age_band=age_band,
        )
        _validate_person(person)
        person.save()
        _save_site_notes(person, site, notes)
        person.sites.add(site)
        _touch(site)
    return person


def person_update(*, actor: Any, site: Site, person: Person, **changes: Any) -> Person:
    """Change a person's details, from one of the sites they take part in."""
    require(actor, "people.change_people", site)
    _unknown_fields(changes, PERSON_EDITABLE_FIELDS)
    _check_in_site(person, site)
    notes = changes.pop("notes", None)
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(person, name, value)
        _validate_person(person)
        person.save()
        if notes is not None:
            _save_site_notes(person, site, notes)
        _touch(site)
    return person


def _save_site_notes(person: Person, site: Site, notes: str) -> None:
    """Notes are kept per site: what one site writes about a person is never shown in another."""
    notes = notes.strip()
    existing = PersonSiteNotes.objects.filter(person=person, site=site).first()
    if existing is None:
        if notes:
            PersonSiteNotes.objects.create(person=person, site=site, notes=notes)
    elif existing.notes != notes:
        existing.notes = notes
        existing.updated_at = timezone.now()
        existing.save(update_fields=["notes", "updated_at"])


def person_add_to_site(*, actor: Any, site: Site, person: Person) -> Person:
    """Let someone already known in another of the programme's sites take part in this one too.

    The actor must be able to change people both here and in one of the person's current sites:
    otherwise anyone could pull a stranger's record, contact details and all, into their site."""
    require(actor, "people.change_people", site)
    if person.programme_id != site.programme_id:
        raise ValidationError({"person": "This person belongs to another programme."})
    current_sites = list(person.sites.all())
    if any(s.pk == site.pk for s in current_sites):
        raise ValidationError({"person": f"{person.name} already takes part in {site.name}."})
    if actor is not None and current_sites and not any(
        actor.has_perm("people.change_people", s) for s in current_sites
    ):
        raise PermissionDenied("You cannot add people from sites you do not work in.")
    with transaction.atomic(), acting_as(actor):
        person.sites.add(site)
        _touch(site)
    return person


# Consent ----------------------------------------------------------------------------------------
def consent_record(
    *,
    actor: Any,
    site: Site,
    person: Person,
    purpose: str,
    lawful_basis: str,
    source: str,
    given_on: dt.date,
    expires_on: dt.date | None = None,
) -> Consent:
    """Record what a person agreed to, on what lawful basis, where and until when. A child's
    consent (judged from the age band today) is flagged so that it is handled with extra care."""
    require(actor, "people.change_people", site)
    _check_in_site(person, site)
    errors: dict[str, str] = {}
    if given_on and given_on > timezone.localdate():
        errors["given_on"] = "The date consent was given must be today or in the past."
    if given_on and expires_on and expires_on <= given_on:
        errors["expires_on"] = "The expiry date must be after the date consent was given."
    with transaction.atomic(), acting_as(actor):
        consent = Consent(
            person=person,
            purpose=purpose.strip(),
            lawful_basis=lawful_basis,
            source=source.strip(),
            given_on=given_on,
            expires_on=expires_on,
            is_child=person.is_child,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _clean_or_raise(consent, errors)
        consent.save()
        _touch(site)
    return consent


def consent_withdraw(
    *, actor: Any, site: Site, consent: Consent, withdrawn_on: dt.date | None = None
) -> Consent:
    """Record that a person withdrew a consent. The record stays, so that it is known when."""
    require(actor, "people.change_people", site)
    _check_in_site(consent.person, site)
    withdrawn_on = withdrawn_on or timezone.localdate()
    errors: dict[str, str] = {}
    if consent.withdrawn_on:
        errors["withdrawn_on"] = (
            f"This consent was already withdrawn on {consent.withdrawn_on:%d/%m/%Y}."
        )
    elif withdrawn_on < consent.given_on:
        errors["withdrawn_on"] = "The withdrawal date must be on or after the date of consent."
    elif withdrawn_on > timezone.localdate():
        errors["withdrawn_on"] = "The withdrawal date must be today or in the past."
    _raise_if(errors)
    with transaction.atomic(), acting_as(actor):
        consent.withdrawn_on = withdrawn_on
        consent.full_clean()
        consent.save(update_fields=["withdrawn_on"])
        _touch(site)
    return consent


# Organisations ----------------------------------------------------------------------------------
def _validate_organisation(organisation: Organisation) -> None:
    organisation.name = organisation.name.strip()
    organisation.short_name = organisation.short_name.strip()
    errors: dict[str, str] = {}
    duplicate = Organisation.objects.filter(
        programme_id=organisation.programme_id, name__iexact=organisation.name
    ).exclude(pk=organisation.pk)
    if organisation.name and duplicate.exists():
        errors["name"] = (
            "An organisation with this name is already in the programme. "
            "Add it to this site from the organisations page instead."
        )
    try:
        organisation.full_clean(exclude=list(errors), validate_constraints=not errors)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages[0])
    _raise_if(errors)


def organisation_create(
    *,
    actor: Any,
    site: Site,
    name: str,
    kind: str,
    short_name: str = "",
    website: str = "",
    notes: str = "",
) -> Organisation:
    """Add an agency or group to the site's programme, taking part in this site."""
    require(actor, "people.change_organisations", site)
    with transaction.atomic(), acting_as(actor):
        organisation = Organisation(
            programme_id=site.programme_id, name=name, short_name=short_name, kind=kind,
            website=website, notes=notes,
        )
        _validate_organisation(organisation)
        organisation.save()
        organisation.sites.add(site)
        _touch(site)
    return organisation


def _check_organisation_in_site(organisation: Organisation, site: Site, key: str) -> None:
    if not organisation.sites.filter(pk=site.pk).exists():
        raise ValidationError({key: "This organisation does not take part in this site."})


def organisation_update(
    *, actor: Any, site: Site, organisation: Organisation, **changes: Any
) -> Organisation:
    """Change an organisation's details, from one of the sites it takes part in."""
    require(actor, "people.change_organisations", site)
    _unknown_fields(changes, ORGANISATION_EDITABLE_FIELDS)
    _check_organisation_in_site(organisation, site, "organisation")
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(organisation, name, value)
        _validate_organisation(organisation)
        organisation.save()
        _touch(site)
    return organisation


def organisation_add_to_site(*, actor: Any, site: Site, organisation: Organisation) -> Organisation:
    """Let an organisation already in the programme take part in this site too."""
    require(actor, "people.change_organisations", site)
    if organisation.programme_id != site.programme_id:
        raise ValidationError({"organisation": "This organisation belongs to another programme."})
    if organisation.sites.filter(pk=site.pk).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} already takes part in {site.name}."}
        )
    with transaction.atomic(), acting_as(actor):
        organisation.sites.add(site)
        _touch(site)
    return organisation


# Groups -----------------------------------------------------------------------------------------
def _validate_group(group: Group) -> None:
    group.name = group.name.strip()
    group.charity_number = group.charity_number.strip().upper()
    group.company_number = group.company_number.strip().upper()
    errors: dict[str, str] = {}
    if group.formed_on and group.ended_on and group.ended_on < group.formed_on:
        errors["ended_on"] = "The end date must be on or after the date the group was formed."
    if group.kind == GroupKind.CONSTITUTED_PARTNERSHIP:
        if not group.legal_form:
            errors["legal_form"] = "Choose the partnership's legal form."
    else:
        for name in CONSTITUTED_FIELDS:
            if getattr(group, name):
                errors[name] = "Only a constituted partnership has this. Leave it blank."
    if group.charity_number and not _CHARITY_NUMBER.match(group.charity_number):
        errors.setdefault("charity_number", "Enter a charity number, like 1234567 or SC012345.")
    if group.company_number and not _COMPANY_NUMBER.match(group.company_number):
        errors.setdefault("company_number", "Enter a company number, like 01234567.")
    if group.legal_form == LegalForm.UNINCORPORATED and group.company_number:
        errors.setdefault("company_number", "An unincorporated association has no company number.")
    if group.kind == GroupKind.LEARNING_COHORT:
        if not group.wave:
            errors["wave"] = "Enter the learning-programme wave, like 1 for the first wave."
    elif group.wave is not None:
        errors["wave"] = "Only a learning-programme cohort has a wave. Leave it blank."
    _clean_or_raise(group, errors)


def group_create(
    *,
    actor: Any,
    site: Site,
    kind: str,
    name: str,
    purpose: str = "",
    formed_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    legal_form: str = "",
    charity_number: str = "",
    company_number: str = "",
    hub_address: str = "",
    opening_times: str = "",
    wave: int | None = None,
) -> Group:
    """Set up a group in a site: a steering group or network, an interim or constituted
    partnership (with its legal form, registration numbers and hub), or a learning cohort."""
    require(actor, "people.change_groups", site)
    with transaction.atomic(), acting_as(actor):
        group = Group(
            site=site, kind=kind, name=name, purpose=purpose, formed_on=formed_on,
            ended_on=ended_on, legal_form=legal_form, charity_number=charity_number,
            company_number=company_number, hub_address=hub_address, opening_times=opening_times,
            wave=wave,
        )
        _validate_group(group)
        group.save()
        _touch(site)
    return group


def group_update(*, actor: Any, group: Group, **changes: Any) -> Group:
    """Change a group's details, e.g. when the interim partnership is constituted."""
    require(actor, "people.change_groups", group.site)
    _unknown_fields(changes, GROUP_EDITABLE_FIELDS)
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(group, name, value)
        _validate_group(group)
        group.save()
        _touch(group.site)
    return group


# Memberships ------------------------------------------------------------------------------------
def membership_add(
    *,
    actor: Any,
    group: Group,
    person: Person | None = None,
    organisation: Organisation | None = None,
    role: str = MembershipRole.MEMBER,
    started_on: dt.date | None = None,
    ended_on: dt.date | None = None,
    notes: str = "",
) -> GroupMembership:
    """Add a member to a group, in a role, from a date. The member is a person taking part in the
    group's site, an organisation sitting on the group without a named person ("Police" on a
    steering network), or a person representing an organisation other than their own."""
    site = group.site
    require(actor, "people.change_groups", site)
    errors: dict[str, str] = {}
    if person is None and organisation is None:
        errors["person"] = "Choose a person, an organisation, or both."
    if person is not None and not person.sites.filter(pk=site.pk).exists():
        errors["person"] = "This person does not take part in this group's site."
    if organisation is not None and not organisation.sites.filter(pk=site.pk).exists():
        errors["organisation"] = "This organisation does not take part in this group's site."
    if started_on and ended_on and ended_on < started_on:
        errors["ended_on"] = "The end date must be on or after the start date."
    if person is not None and "person" not in errors:
        same = GroupMembership.objects.filter(
            group=group, person=person, role=role, ended_on__isnull=True
        )
        if same.exists():
            errors["person"] = "This person is already a current member of the group in this role."
    elif person is None and organisation is not None and "organisation" not in errors:
        same = GroupMembership.objects.filter(
            group=group, person__isnull=True, organisation=organisation, role=role,
            ended_on__isnull=True,
        )
        if same.exists():
            errors["organisation"] = "This organisation already sits on the group in this role."
    with transaction.atomic(), acting_as(actor):
        membership = GroupMembership(
            group=group, person=person, organisation=organisation, role=role,
            started_on=started_on, ended_on=ended_on, notes=notes.strip(),
        )
        try:
            membership.full_clean(exclude=list(errors), validate_constraints=not errors)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, messages[0])
        _raise_if(errors)
        membership.save()
        _touch(site)
    return membership


def membership_end(
    *, actor: Any, membership: GroupMembership, ended_on: dt.date | None = None
) -> GroupMembership:
    """End a membership on a date (today by default); it stays in the group's history."""
    site = membership.group.site
    require(actor, "people.change_groups", site)
    ended_on = ended_on or timezone.localdate()
    errors: dict[str, str] = {}
    if membership.ended_on:
        errors["ended_on"] = f"This membership already ended on {membership.ended_on:%d/%m/%Y}."
    elif membership.started_on and ended_on < membership.started_on:
        errors["ended_on"] = "The end date must be on or after the start date."
    _raise_if(errors)
    with transaction.atomic(), acting_as(actor):
        membership.ended_on = ended_on
        membership.full_clean()
        membership.save(update_fields=["ended_on"])
        _touch(site)
    return membership
