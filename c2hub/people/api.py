"""API for a site's people, organisations and groups (read-only; mounted at /api/v1/sites).

Every person leaves through ``selectors.person_rows`` with the viewer's ``Visibility``:
researchers get pseudonyms, commissioners and researchers never get residents' contact details,
and only this site's groups appear in a person's memberships.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, SiteSlug, Text
from c2hub.people import selectors
from c2hub.people.models import AgeBand, GroupKind, OrganisationKind, PersonKind
from c2hub.people.selectors import PersonRow, Visibility, person_rows
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["people"])


# Output ---------------------------------------------------------------------------------------


class PersonMembershipOut(Schema):
    """A person's membership of one of this site's groups."""

    group_id: int
    group: str = Field(..., examples=["Southchurch Strategic Steering Network"])
    group_kind: str = Field(..., examples=["strategic_steering"])
    role: str = Field(..., examples=["key_resident"])
    role_label: str = Field(..., examples=["Key resident"])
    started_on: dt.date | None
    ended_on: dt.date | None


class PersonOut(Schema):
    """A person as the viewer may see them. Contact details and notes are null for viewers who
    may not see them (commissioners, researchers); researchers see a pseudonym for the name."""

    id: int
    name: str = Field(
        ..., examples=["Jo Resident"], description="Or a pseudonym: 'Person 3F2A91C0'."
    )
    pseudonymised: bool
    kind: str = Field(..., description="resident or worker")
    kind_label: str
    age_band: str = Field(..., examples=["26-64"], description="Empty when not known.")
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
    memberships: list[PersonMembershipOut]


class PeoplePageOut(Schema):
    count: int = Field(..., description="How many people match, on every page.")
    limit: int
    offset: int
    items: list[PersonOut]


class OrganisationOut(Schema):
    id: int
    name: str = Field(..., examples=["Essex Police"])
    short_name: str
    kind: str = Field(..., examples=["police"])
    kind_label: str = Field(..., examples=["Police"])
    website: str
    notes: str


class MemberPersonOut(Schema):
    """The person in a membership, as the viewer may see them (never contact details here)."""

    id: int
    name: str
    pseudonymised: bool
    kind: str
    job_title: str


class MemberOrganisationOut(Schema):
    """The organisation a member represents: the one named on the membership, else the person's."""

    id: int
    name: str
    kind: str = Field(..., examples=["council"])
    kind_label: str = Field(..., examples=["Council"])


class MemberOut(Schema):
    id: int
    person: MemberPersonOut | None = Field(
        ..., description="Null when an organisation sits on the group without a named person."
    )
    organisation: MemberOrganisationOut | None
    role: str = Field(..., examples=["agency_lead"])
    role_label: str = Field(..., examples=["Agency lead"])
    started_on: dt.date | None
    ended_on: dt.date | None
    current: bool


class GroupOut(Schema):
    id: int
    name: str = Field(..., examples=["Southchurch Strategic Steering Network"])
    kind: str = Field(..., examples=["strategic_steering"])
    kind_label: str
    purpose: str
    formed_on: dt.date | None
    ended_on: dt.date | None
    legal_form: str = Field(..., description="For a constituted partnership; empty otherwise.")
    charity_number: str
    company_number: str
    hub_address: str
    opening_times: str
    wave: int | None = Field(..., description="For a learning-programme cohort.")
    members: list[MemberOut]


# Input ----------------------------------------------------------------------------------------


class PeopleFilter(Schema):
    q: Text = Field(
        "",
        max_length=100,
        description="Part of a name, e-mail, postcode start, organisation or job title (names and "
        "contact details are searched only for viewers who may see them).",
    )
    kind: PersonKind | None = Field(None, description="resident or worker")
    age_band: AgeBand | None = Field(None, description="An age band, e.g. 26-64")
    organisation_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_ID)


class OrganisationFilter(Schema):
    q: Text = Field("", max_length=100, description="Part of the name or short name.")
    kind: OrganisationKind | None = None


class GroupFilter(Schema):
    q: Text = Field("", max_length=100, description="Part of the name or purpose.")
    kind: GroupKind | None = None


# Endpoints ------------------------------------------------------------------------------------


def _person(row: PersonRow) -> PersonOut:
    return PersonOut(
        id=row.id,
        name=row.name,
        pseudonymised=row.pseudonymised,
        kind=row.kind,
        kind_label=row.kind_label,
        age_band=row.age_band,
        is_child=row.is_child,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation_name,
        organisation_kind=row.organisation_kind,
        job_title=row.job_title,
        email=row.email,
        phone=row.phone,
        address=row.address,
        postcode=row.postcode,
        notes=row.notes,
        memberships=[PersonMembershipOut(**m) for m in row.memberships],
    )


@router.get("/{slug}/people", response={200: PeoplePageOut, **COMMON_ERRORS}, summary="People")
def people(request: HttpRequest, slug: SiteSlug, filters: Query[PeopleFilter]) -> PeoplePageOut:
    """The people taking part in the site, a page at a time, with their memberships of the
    site's groups."""
    site = site_get_for_user(request.user, slug)
    visibility = Visibility.for_user(request.user, site)
    found = selectors.people_for_site(
        site,
        q=filters.q.strip(),
        kind=filters.kind or "",
        age_band=filters.age_band or "",
        organisation_id=filters.organisation_id,
        visibility=visibility,
    )
    page = found[filters.offset : filters.offset + filters.limit]
    rows = person_rows(page, site=site, visibility=visibility, with_memberships=True)
    return PeoplePageOut(
        count=found.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_person(row) for row in rows],
    )


@router.get(
    "/{slug}/organisations",
    response={200: list[OrganisationOut], **COMMON_ERRORS},
    summary="Organisations",
)
def organisations(
    request: HttpRequest, slug: SiteSlug, filters: Query[OrganisationFilter]
) -> list[OrganisationOut]:
    """The agencies and groups taking part in the site."""
    site = site_get_for_user(request.user, slug)
    return [
        OrganisationOut(
            id=org.pk,
            name=org.name,
            short_name=org.short_name,
            kind=org.kind,
            kind_label=org.get_kind_display(),
            website=org.website,
            notes=org.notes,
        )
        for org in selectors.organisations_for_site(
            site, q=filters.q.strip(), kind=filters.kind or ""
        )
    ]


@router.get("/{slug}/groups", response={200: list[GroupOut], **COMMON_ERRORS}, summary="Groups")
def groups(request: HttpRequest, slug: SiteSlug, filters: Query[GroupFilter]) -> list[GroupOut]:
    """The site's groups (steering groups, partnerships, cohorts) with their members: each
    member's person, the organisation they represent and its type, role and dates."""
    site = site_get_for_user(request.user, slug)
    visibility = Visibility.for_user(request.user, site)
    group_list = list(selectors.groups_for_site(site, q=filters.q.strip(), kind=filters.kind or ""))
    members = {m.person.pk: m.person for g in group_list for m in g.memberships.all() if m.person}
    seen = {
        row.id: row for row in person_rows(list(members.values()), site=site, visibility=visibility)
    }
    out = []
    for group in group_list:
        member_out = []
        for m in group.memberships.all():
            row = seen.get(m.person_id) if m.person_id else None
            org = selectors.membership_represents(m)
            member_out.append(
                MemberOut(
                    id=m.pk,
                    person=(
                        MemberPersonOut(
                            id=row.id,
                            name=row.name,
                            pseudonymised=row.pseudonymised,
                            kind=row.kind,
                            job_title=row.job_title,
                        )
                        if row
                        else None
                    ),
                    organisation=(
                        MemberOrganisationOut(
                            id=org.pk,
                            name=org.name,
                            kind=org.kind,
                            kind_label=org.get_kind_display(),
                        )
                        if org
                        else None
                    ),
                    role=m.role,
                    role_label=m.get_role_display(),
                    started_on=m.started_on,
                    ended_on=m.ended_on,
                    current=m.is_current(),
                )
            )
        out.append(
            GroupOut(
                id=group.pk,
                name=group.name,
                kind=group.kind,
                kind_label=group.get_kind_display(),
                purpose=group.purpose,
                formed_on=group.formed_on,
                ended_on=group.ended_on,
                legal_form=group.legal_form,
                charity_number=group.charity_number,
                company_number=group.company_number,
                hub_address=group.hub_address,
                opening_times=group.opening_times,
                wave=group.wave,
                members=member_out,
            )
        )
    return out
