"""Reads for people, organisations and groups — always through a site.

``person_rows`` is the one way a person leaves the database for display, export or the API: it
applies the viewer's role (researchers see a pseudonym; commissioners and researchers see no
contact details) and shows only the given site's groups, never another site's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from c2hub.people.models import Consent, Group, GroupMembership, Organisation, Person, PersonSiteNotes
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import sites_for_user


@dataclass(frozen=True)
class Visibility:
    """What a viewer may see of people in one site."""

    identity: bool
    contact_details: bool

    @classmethod
    def for_user(cls, user: Any, site: Site) -> Visibility:
        return cls(
            identity=user.has_perm("people.view_identity", site),
            contact_details=user.has_perm("people.view_contact_details", site),
        )


@dataclass
class PersonRow:
    """A person as one viewer may see them in one site."""

    id: int
    name: str
    kind: str
    kind_label: str
    age_band: str
    is_child: bool
    organisation_id: int | None
    organisation_name: str
    organisation_kind: str
    job_title: str
    email: str | None
    phone: str | None
    address: str | None
    postcode: str | None
    notes: str | None
    pseudonymised: bool
    memberships: list[dict[str, Any]] = field(default_factory=list)


def people_for_site(
    site: Site,
    *,
    q: str = "",
    kind: str = "",
    age_band: str = "",
    organisation_id: int | None = None,
    visibility: Visibility | None = None,
) -> QuerySet[Person]:
    """People taking part in a site, filtered. Searching by name or e-mail is only possible for
    viewers allowed to see names and contact details."""
    people = Person.objects.filter(sites=site).select_related("organisation")
    if q:
        condition = Q(organisation__name__icontains=q) | Q(job_title__icontains=q)
        if visibility is None or visibility.identity:
            condition |= Q(name__icontains=q)
        if visibility is None or visibility.contact_details:
            condition |= Q(email__icontains=q) | Q(postcode__istartswith=q)
        people = people.filter(condition)
    if kind:
        people = people.filter(kind=kind)
    if age_band:
        people = people.filter(age_band=age_band)
    if organisation_id:
        people = people.filter(organisation_id=organisation_id)
    return people.order_by("name", "id")


def person_rows(
    people: QuerySet[Person] | list[Person],
    *,
    site: Site,
    visibility: Visibility,
    with_memberships: bool = False,
    with_notes: bool = True,
) -> list[PersonRow]:
    """Turn people into rows for one viewer in one site (one extra query for memberships)."""
    people = list(people)
    notes_here: dict[int, str] = {}
    if with_notes and people and visibility.contact_details and visibility.identity:
        notes_here = dict(
            PersonSiteNotes.objects.filter(site=site, person__in=people).values_list("person_id", "notes")
        )
    memberships: dict[int, list[dict[str, Any]]] = {}
    if with_memberships and people:
        for m in (
            GroupMembership.objects.filter(group__site=site, person__in=people)
            .select_related("group", "organisation")
            .order_by("group__name", "started_on")
        ):
            memberships.setdefault(m.person_id, []).append(
                {
                    "group_id": m.group_id,
                    "group": m.group.name,
                    "group_kind": m.group.kind,
                    "role": m.role,
                    "role_label": m.get_role_display(),
                    "started_on": m.started_on,
                    "ended_on": m.ended_on,
                }
            )
    rows = []
    for p in people:
        contact = visibility.contact_details
        rows.append(
            PersonRow(
                id=p.pk,
                name=p.name if visibility.identity else p.pseudonym,
                kind=p.kind,
                kind_label=p.get_kind_display(),
                age_band=p.age_band,
                is_child=p.is_child,
                organisation_id=p.organisation_id,
                organisation_name=p.organisation.name if p.organisation else "",
                organisation_kind=p.organisation.kind if p.organisation else "",
                job_title=p.job_title,
                email=p.email if contact else None,
                phone=p.phone if contact else None,
                address=p.address if contact else None,
                postcode=p.postcode if contact else None,
                notes=notes_here.get(p.pk, "") if with_notes and contact and visibility.identity else None,
                pseudonymised=not visibility.identity,
                memberships=memberships.get(p.pk, []),
            )
        )
    return rows


def person_in_site(site: Site, person_id: int) -> Person:
    """A person of this site, or 404 (a person of another site does not exist here)."""
    person = Person.objects.filter(pk=person_id, sites=site).select_related("organisation").first()
    if person is None:
        raise Http404("No such person in this site")
    return person


def organisations_for_site(site: Site, *, q: str = "", kind: str = "") -> QuerySet[Organisation]:
    orgs = Organisation.objects.filter(sites=site)
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if kind:
        orgs = orgs.filter(kind=kind)
    return orgs.order_by("name")


def organisation_in_site(site: Site, organisation_id: int) -> Organisation:
    org = Organisation.objects.filter(pk=organisation_id, sites=site).first()
    if org is None:
        raise Http404("No such organisation in this site")
    return org


def groups_for_site(site: Site, *, q: str = "", kind: str = "") -> QuerySet[Group]:
    """A site's groups with their memberships, each member's person and organisation: 3 queries."""
    groups = Group.objects.filter(site=site).prefetch_related(
        Prefetch(
            "memberships",
            queryset=GroupMembership.objects.select_related(
                "person__organisation", "organisation"
            ).order_by("started_on", "id"),
        )
    )
    if q:
        groups = groups.filter(Q(name__icontains=q) | Q(purpose__icontains=q))
    if kind:
        groups = groups.filter(kind=kind)
    return groups.order_by("kind", "name")


def group_in_site(site: Site, group_id: int) -> Group:
    group = groups_for_site(site).filter(pk=group_id).first()
    if group is None:
        raise Http404("No such group in this site")
    return group


def membership_represents(membership: GroupMembership) -> Organisation | None:
    """The organisation a member represents: the one named, else the person's own."""
    if membership.organisation_id:
        return membership.organisation
    return membership.person.organisation if membership.person else None


def organisations_with_worker_counts(
    site: Site, *, q: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    """The site's organisations, each with ``workers_here``: its workers in this site."""
    return organisations_for_site(site, q=q, kind=kind).annotate(
        workers_here=Count("workers", filter=Q(workers__sites=site), distinct=True)
    )


def organisation_memberships(site: Site, organisation: Organisation) -> list[GroupMembership]:
    """Where an organisation sits on this site's groups: named on the membership, or through a
    member who works for it and represents no other organisation."""
    return list(
        GroupMembership.objects.filter(group__site=site)
        .filter(
            Q(organisation=organisation)
            | Q(organisation__isnull=True, person__organisation=organisation)
        )
        .select_related("group", "person__organisation", "organisation")
        .order_by("group__name", "started_on", "id")
    )


def current_memberships(group: Group, on: date | None = None) -> list[GroupMembership]:
    """A group's current memberships (from the prefetch ``groups_for_site`` makes)."""
    return [m for m in group.memberships.all() if m.is_current(on)]


def consent_of_person(person: Person, consent_id: int) -> Consent:
    consent = Consent.objects.filter(pk=consent_id, person=person).select_related("person").first()
    if consent is None:
        raise Http404("No such consent for this person")
    return consent


def membership_in_site(site: Site, membership_id: int) -> GroupMembership:
    membership = (
        GroupMembership.objects.filter(pk=membership_id, group__site=site)
        .select_related("group__site", "person__organisation", "organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such membership in this site")
    return membership


def people_addable_to_site(user: Any, site: Site) -> list[Person]:
    """People of the programme not yet in this site, from the other sites where the user may
    change people (nobody else's people are offered)."""
    allowed = [
        s.pk
        for s in sites_for_user(user).filter(programme_id=site.programme_id).exclude(pk=site.pk)
        if user.has_perm("people.change_people", s)
    ]
    if not allowed:
        return []
    return list(
        Person.objects.filter(programme_id=site.programme_id, sites__in=allowed)
        .exclude(sites=site)
        .select_related("organisation")
        .distinct()
        .order_by("name", "id")
    )


def organisations_addable_to_site(site: Site) -> QuerySet[Organisation]:
    """The programme's organisations not yet taking part in this site."""
    return (
        Organisation.objects.filter(programme_id=site.programme_id)
        .exclude(sites=site)
        .order_by("name")
    )


def person_notes_in_site(site: Site, person: Person) -> str:
    """What this site has written about the person (never another site's notes)."""
    found = PersonSiteNotes.objects.filter(site=site, person=person).values_list("notes", flat=True).first()
    return found or ""
