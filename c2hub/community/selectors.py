"""Reads for community groups, activities, participation and volunteering — always through a site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone

from c2hub.community.models import AGE_GROUPS, CommunityGroup, HealthPriority, Participation, VolunteeringValue
from c2hub.people.models import AgeBand
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.suggestions import Suggestion


def running_groups(site: Site) -> list[CommunityGroup]:
    """Groups founded (or with no founding date) and not ended, as of today, by name."""
    today = timezone.localdate()
    return list(
        CommunityGroup.objects.filter(site=site)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=today))
        .order_by("name", "id")
    )


def public_groups(site: Site) -> list[CommunityGroup]:
    """The site's public, running groups and activities by name, each with its ``age_groups``
    (youngest first) and ``health_priorities`` — for the public page and newsletters. No personal
    data: name, kind, description, schedule, venue, ages and priorities only."""
    return [group for group in running_groups(site) if group.public]


def age_labels(values: list[str]) -> list[str]:
    labels = dict(AgeBand.choices)
    return [labels.get(v, v) for v in values]


def health_priority_labels(values: list[str]) -> list[str]:
    labels = dict(HealthPriority.choices)
    return [labels.get(v, v) for v in values]


# The register ------------------------------------------------------------------------------------
def groups_for_site(
    site: Site, *, q: str = "", kind: str = "", age_group: str = "", health_priority: str = "", state: str = ""
) -> list[CommunityGroup]:
    """A site's groups and activities by name, filtered (``state``: running or ended)."""
    groups = CommunityGroup.objects.filter(site=site)
    if q:
        groups = groups.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(venue__icontains=q))
    if kind:
        groups = groups.filter(kind=kind)
    result = list(groups.order_by("name", "id"))
    if age_group:
        result = [g for g in result if age_group in (g.age_groups or [])]
    if health_priority:
        result = [g for g in result if health_priority in (g.health_priorities or [])]
    if state == "running":
        result = [g for g in result if g.is_running]
    elif state == "ended":
        result = [g for g in result if not g.is_running]
    return result


def group_in_site(site: Site, group_id: int) -> CommunityGroup:
    group = CommunityGroup.objects.filter(site=site, pk=group_id).select_related("site").first()
    if group is None:
        raise Http404("No such group or activity in this site")
    return group


def latest_participation(groups: list[CommunityGroup]) -> dict[int, Participation]:
    """Each group's most recent month of participation (one query)."""
    latest: dict[int, Participation] = {}
    for row in Participation.objects.filter(group__in=groups).order_by("group_id", "-month"):
        latest.setdefault(row.group_id, row)
    return latest


def participation_for_group(group: CommunityGroup) -> list[Participation]:
    """A group's months, newest first."""
    return list(Participation.objects.filter(group=group).order_by("-month"))


# Coverage: age groups × groups and activities ---------------------------------------------------------
@dataclass(frozen=True)
class CoverageRow:
    group: CommunityGroup
    served: frozenset[str]


@dataclass(frozen=True)
class Coverage:
    #: (value, label) of every age group, youngest first.
    bands: list[tuple[str, str]]
    rows: list[CoverageRow]
    #: age group → how many running groups serve it
    counts: dict[str, int]

    @property
    def covered(self) -> list[str]:
        return [b for b, _ in self.bands if self.counts.get(b)]

    @property
    def gaps(self) -> list[tuple[str, str]]:
        """The age groups no running group serves."""
        return [(b, label) for b, label in self.bands if not self.counts.get(b)]

    @property
    def summary(self) -> str:
        text = (
            f"{len(self.rows)} running group{'s' if len(self.rows) != 1 else ''} and activities serve "
            f"{len(self.covered)} of {len(self.bands)} age groups"
        )
        if self.gaps:
            text += "; no group serves " + ", ".join(label for _, label in self.gaps)
        return text + "."


def coverage(site: Site) -> Coverage:
    """Which age groups the site's running groups and activities serve, and the gaps."""
    labels = dict(AgeBand.choices)
    bands = [(b, labels[b]) for b in AGE_GROUPS]
    rows = [CoverageRow(group=g, served=frozenset(g.age_groups or [])) for g in running_groups(site)]
    counts = {b: sum(1 for r in rows if b in r.served) for b in AGE_GROUPS}
    return Coverage(bands=bands, rows=rows, counts=counts)


# Participation and volunteering trends -------------------------------------------------------------
@dataclass(frozen=True)
class MonthTotals:
    month: date
    groups: int
    participants: int
    volunteers: int
    volunteer_hours: Decimal


def monthly_totals(site: Site, *, months: int | None = 24) -> list[MonthTotals]:
    """Per month (oldest first), over the site's groups: groups reporting, participants,
    volunteers and volunteer hours. ``months``: only the last so many months with any record."""
    rows = (
        Participation.objects.filter(group__site=site)
        .values("month")
        .annotate(
            groups=Count("group", distinct=True),
            participants=Sum("participants"),
            volunteers=Sum("volunteers"),
            hours=Sum("volunteer_hours"),
        )
        .order_by("month")
    )
    totals = [
        MonthTotals(
            month=r["month"],
            groups=r["groups"],
            participants=r["participants"] or 0,
            volunteers=r["volunteers"] or 0,
            volunteer_hours=Decimal(r["hours"] or 0),
        )
        for r in rows
    ]
    return totals[-months:] if months else totals


@dataclass(frozen=True)
class VolunteeringYear:
    year: int
    volunteer_hours: Decimal
    #: None when the site has not set a value per hour (never a silent zero).
    value: Decimal | None


@dataclass(frozen=True)
class Volunteering:
    per_hour: Decimal | None
    basis: str
    years: list[VolunteeringYear]

    @property
    def is_valued(self) -> bool:
        return self.per_hour is not None

    @property
    def total_hours(self) -> Decimal:
        return sum((y.volunteer_hours for y in self.years), Decimal("0"))

    @property
    def total_value(self) -> Decimal | None:
        return None if self.per_hour is None else (self.total_hours * self.per_hour).quantize(Decimal("0.01"))


def volunteering(site: Site) -> Volunteering:
    """Volunteer hours per calendar year and, when the site has set one, their value at its rate."""
    value = VolunteeringValue.objects.filter(site=site).first()
    per_hour = value.per_hour if value else None
    hours: dict[int, Decimal] = {}
    for month, h in Participation.objects.filter(group__site=site).values_list("month", "volunteer_hours"):
        hours[month.year] = hours.get(month.year, Decimal("0")) + h
    years = [
        VolunteeringYear(
            year=y,
            volunteer_hours=h,
            value=None if per_hour is None else (h * per_hour).quantize(Decimal("0.01")),
        )
        for y, h in sorted(hours.items())
    ]
    return Volunteering(per_hour=per_hour, basis=value.basis if value else "", years=years)


def volunteering_value(site: Site) -> VolunteeringValue | None:
    return VolunteeringValue.objects.filter(site=site).first()


# Pathway suggestions ---------------------------------------------------------------------------------
#: Criterion keys (both versions of the pathway) → what groups evidence them.
CRITERION_GROUPS: dict[str, str] = {
    "new-groups-all-ages": "ages",
    "health-priorities-targeted": "health",
    "confidence-and-volunteering": "volunteering",
    "momentum": "volunteering",
}


def suggested_groups_by_criterion(
    site: Site, criteria: list[StepCriterion], *, limit: int = 15
) -> dict[int, list[CommunityGroup]]:
    """Groups with ages recorded for "new groups for all ages" (those serving the most age groups
    first); groups with health priorities for "health priorities targeted"; groups with volunteers
    for "confidence and volunteering" (most volunteer hours first)."""
    wanted = [c for c in criteria if c.key in CRITERION_GROUPS]
    if not wanted:
        return {}
    groups = list(CommunityGroup.objects.filter(site=site).order_by("-founded_on", "name"))
    hours = dict(
        Participation.objects.filter(group__site=site)
        .values("group_id")
        .annotate(h=Sum("volunteer_hours"))
        .values_list("group_id", "h")
    )
    found: dict[int, list[CommunityGroup]] = {}
    for criterion in wanted:
        need = CRITERION_GROUPS[criterion.key]
        if need == "ages":
            matching = sorted((g for g in groups if g.age_groups), key=lambda g: -len(g.age_groups))
        elif need == "health":
            matching = [g for g in groups if g.health_priorities]
        else:
            matching = sorted((g for g in groups if hours.get(g.pk)), key=lambda g: -hours[g.pk])
        if matching:
            found[criterion.pk] = matching[:limit]
    return found


def group_suggestions(site: Site, criteria: list[StepCriterion]) -> dict[int, list[Suggestion]]:
    """``suggested_groups_by_criterion`` as pathway suggestions (registered in apps.py)."""
    from django.urls import reverse

    def meta(group: CommunityGroup) -> str:
        ages = ", ".join(age_labels(group.age_groups)) or "ages not recorded"
        return f"{group.get_kind_display()}, ages {ages}" + ("" if group.is_running else ", ended")

    found: dict[int, list[Suggestion]] = {
        criterion_id: [
            Suggestion(
                record=g,
                title=g.name,
                url=reverse("community_group_detail", args=[site.slug, g.pk]),
                attach_url=reverse("community_group_evidence", args=[site.slug, g.pk]),
                meta=meta(g),
            )
            for g in groups
        ]
        for criterion_id, groups in suggested_groups_by_criterion(site, criteria).items()
    }
    # The best evidence of groups for all ages is the coverage itself: offered first, as a dated
    # note of today's summary, until a note with that same summary is attached.
    ages = [c for c in criteria if CRITERION_GROUPS.get(c.key) == "ages"]
    if ages:
        grid = coverage(site)
        if grid.rows:
            noted = set(
                Evidence.objects.filter(
                    site=site, criterion__in=ages, kind=EvidenceKind.NOTE, summary=grid.summary[:300]
                ).values_list("criterion_id", flat=True)
            )
            for criterion in ages:
                if criterion.pk in noted:
                    continue
                found.setdefault(criterion.pk, []).insert(
                    0,
                    Suggestion(
                        record=site,
                        title=f"Coverage of age groups: {grid.summary}",
                        url=reverse("community_coverage", args=[site.slug]),
                        attach_url=reverse("community_coverage_evidence", args=[site.slug]),
                        meta="Attached as a dated note of today's coverage",
                    ),
                )
    return found
