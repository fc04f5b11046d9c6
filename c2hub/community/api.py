"""API for a site's community groups and activities and the coverage of age groups.

Same rules as the pages (404 for others' sites, 403 for a missing permission); no personal data:
groups, their ages and priorities, and monthly counts only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, SiteSlug
from c2hub.community import selectors
from c2hub.community.models import AGE_GROUPS, CommunityGroup, CommunityGroupKind, HealthPriority, Participation
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Community groups and volunteering"])

VIEW = "community.view_groups"


class CommunityParticipationOut(Schema):
    month: dt.date = Field(..., description="The first day of the month.")
    participants: int
    volunteers: int
    volunteer_hours: Decimal


class CommunityGroupOut(Schema):
    id: int
    site: str
    name: str
    kind: str = Field(..., examples=["group"])
    involvement: str = Field(..., examples=["started"])
    description: str
    founded_on: dt.date | None
    ended_on: dt.date | None
    running: bool
    age_groups: list[str] = Field(..., examples=[["11-15", "16-18"]])
    health_priorities: list[str] = Field(..., examples=[["physical_activity"]])
    schedule: str
    venue: str
    public: bool
    latest_participation: CommunityParticipationOut | None


class CommunityGroupFilter(Schema):
    kind: Literal[tuple(["", *CommunityGroupKind.values])] = ""  # type: ignore[valid-type]
    age_group: Literal[tuple(["", *AGE_GROUPS])] = ""  # type: ignore[valid-type]
    health_priority: Literal[tuple(["", *HealthPriority.values])] = ""  # type: ignore[valid-type]
    state: Literal["", "running", "ended"] = ""


class AgeGroupCoverageOut(Schema):
    age_group: str = Field(..., examples=["0-4"])
    label: str
    groups: int = Field(..., description="Running groups and activities serving it.")
    group_ids: list[int]


class VolunteeringYearOut(Schema):
    year: int
    volunteer_hours: Decimal
    value: Decimal | None = Field(None, description="Null when the site has not set a value per hour.")


class AgeCoverageOut(Schema):
    summary: str
    age_groups_covered: int
    age_groups: int
    gaps: list[str] = Field(..., description="Age groups no running group serves.")
    by_age_group: list[AgeGroupCoverageOut]
    value_per_hour: Decimal | None = Field(None, description="The site's value of an hour of volunteering, if set.")
    value_basis: str
    volunteering_by_year: list[VolunteeringYearOut]


def _participation_out(row: Participation | None) -> CommunityParticipationOut | None:
    if row is None:
        return None
    return CommunityParticipationOut(
        month=row.month, participants=row.participants, volunteers=row.volunteers, volunteer_hours=row.volunteer_hours
    )


def _group_out(group: CommunityGroup, latest: Participation | None) -> CommunityGroupOut:
    return CommunityGroupOut(
        id=group.pk,
        site=group.site.slug,
        name=group.name,
        kind=group.kind,
        involvement=group.involvement,
        description=group.description,
        founded_on=group.founded_on,
        ended_on=group.ended_on,
        running=group.is_running,
        age_groups=list(group.age_groups),
        health_priorities=list(group.health_priorities),
        schedule=group.schedule,
        venue=group.venue,
        public=group.public,
        latest_participation=_participation_out(latest),
    )


@router.get(
    "/sites/{slug}/community-groups",
    response={200: list[CommunityGroupOut], **COMMON_ERRORS},
    summary="A site's community groups and activities",
)
def group_list(request: HttpRequest, slug: SiteSlug, filters: Query[CommunityGroupFilter]) -> list[CommunityGroupOut]:
    """By name, with the age groups served, health priorities and the latest month of participation."""
    site = site_get_for_user(request.user, slug, VIEW)
    groups = selectors.groups_for_site(
        site,
        kind=filters.kind,
        age_group=filters.age_group,
        health_priority=filters.health_priority,
        state=filters.state,
    )
    latest = selectors.latest_participation(groups)
    return [_group_out(g, latest.get(g.pk)) for g in groups]


@router.get("/sites/{slug}/coverage", response={200: AgeCoverageOut, **COMMON_ERRORS}, summary="Coverage of age groups")
def coverage(request: HttpRequest, slug: SiteSlug) -> AgeCoverageOut:
    """Which age groups the site's running groups serve, the gaps, and volunteer hours per year
    with their value when the site has set a value per hour (null otherwise, never zero)."""
    site = site_get_for_user(request.user, slug, VIEW)
    grid = selectors.coverage(site)
    volunteering = selectors.volunteering(site)
    value = selectors.volunteering_value(site)
    return AgeCoverageOut(
        summary=grid.summary,
        age_groups_covered=len(grid.covered),
        age_groups=len(grid.bands),
        gaps=[b for b, _ in grid.gaps],
        by_age_group=[
            AgeGroupCoverageOut(
                age_group=b,
                label=label,
                groups=grid.counts[b],
                group_ids=[r.group.pk for r in grid.rows if b in r.served],
            )
            for b, label in grid.bands
        ],
        value_per_hour=volunteering.per_hour,
        value_basis=value.basis if value else "",
        volunteering_by_year=[
            VolunteeringYearOut(year=y.year, volunteer_hours=y.volunteer_hours, value=y.value)
            for y in volunteering.years
        ],
    )
