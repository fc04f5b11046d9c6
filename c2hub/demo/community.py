"""The demo's community groups and activities, their monthly participation and volunteering, and
each established site's value of an hour of volunteering, idempotently.

Camborne's TR14ers dance group is from the demo's sources: dance workshops the Neighbourhood Beat
team hosted in the school holidays after asking young people what it is like to live in Camborne
(the listening event, 17 May 2008); by the second workshop they had named themselves the TR14ers;
its members are 5–18; West Cornwall PCT funded its dance leaders group to work with other youth
groups and schools. The day it was founded and every other group, and all monthly numbers, are
illustrative (each says so): they show how the register, coverage and trends look for a site
whose groups serve every age. Southchurch (new in 2013) has no groups yet.

Every row has a natural key (a group's site and name; a month of a group), so a second run
writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from c2hub.community import services
from c2hub.community.models import CommunityGroup, CommunityGroupKind, Involvement, Participation, VolunteeringValue
from c2hub.programmes.models import Site

ILLUSTRATIVE = "Illustrative: the demo's sources do not describe this {what}; it shows how C2 Hub records one."
#: One value for every established site, in today's money.
VALUE_PER_HOUR = Decimal("12.21")
VALUE_BASIS = (
    "the National Living Wage from April 2025 (£12.21 an hour), valuing past hours in today's money "
    "(an illustrative choice for the demo)."
)
#: The last month of participation recorded at each site: every group reports from its founding
#: to then, so the site's trend is not a fall as groups stop reporting. Five years into each site.
LAST_MONTH: dict[str, dt.date] = {
    "beacon": dt.date(2002, 12, 1),
    "redruth": dt.date(2007, 12, 1),
    "camborne": dt.date(2012, 12, 1),
}


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str
    involvement: str
    founded_on: dt.date
    age_groups: tuple[str, ...]
    health_priorities: tuple[str, ...]
    schedule: str
    venue: str
    description: str
    #: Typical participants and volunteers a month once it is going.
    participants: int
    volunteers: int
    #: Hours one volunteer gives a month.
    hours_each: int
    sourced: bool = False


TR14ERS = "TR14ers dance group"

GROUPS: dict[str, tuple[GroupSpec, ...]] = {
    "camborne": (
        GroupSpec(
            TR14ERS,
            CommunityGroupKind.GROUP,
            Involvement.STARTED,
            dt.date(2008, 8, 1),
            ("5-10", "11-15", "16-18"),
            ("physical_activity", "mental_wellbeing", "community_safety"),
            "Saturdays 10am–1pm, and workshops in the school holidays",
            "Camborne",
            "Young people's dance group named after Camborne's TR14 postcode. After the Neighbourhood "
            "Beat team asked young people what it is like to live in Camborne, the police hosted dance "
            "workshops in the school holidays; over one hundred came to the first, and by the second "
            "they had named themselves the TR14ers (summary). The founding day (the first summer "
            "holiday after the listening event of 17 May 2008), the schedule and the monthly numbers "
            "are illustrative.",
            participants=85,
            volunteers=8,
            hours_each=12,
            sourced=True,
        ),
        GroupSpec(
            "TR14ers dance leaders",
            CommunityGroupKind.ACTIVITY,
            Involvement.SUPPORTED,
            dt.date(2010, 1, 1),
            ("16-18", "19-25"),
            ("physical_activity", "mental_wellbeing", "skills_employment"),
            "Wednesdays 6–8pm",
            "Camborne and visiting schools",
            "Older TR14ers leading dance with other youth groups and schools, funded by West Cornwall "
            "PCT to engage young people in activity and build their self-esteem (summary). The start "
            "date and numbers are illustrative.",
            participants=14,
            volunteers=4,
            hours_each=10,
            sourced=True,
        ),
        GroupSpec(
            "Stay and play",
            CommunityGroupKind.ACTIVITY,
            Involvement.STARTED,
            dt.date(2009, 3, 1),
            ("0-4", "19-25", "26-64"),
            ("early_years", "social_isolation"),
            "Tuesdays 9.30–11.30am, term time",
            "The community hub",
            "Parents, carers and under-fives. " + ILLUSTRATIVE.format(what="group"),
            participants=22,
            volunteers=3,
            hours_each=8,
        ),
        GroupSpec(
            "Friday lunch club",
            CommunityGroupKind.CLUB,
            Involvement.STARTED,
            dt.date(2009, 9, 1),
            ("65+",),
            ("social_isolation", "healthy_eating"),
            "Fridays 12–2pm",
            "The community hub",
            "A cooked lunch and company for older residents. " + ILLUSTRATIVE.format(what="club"),
            participants=28,
            volunteers=6,
            hours_each=9,
        ),
        GroupSpec(
            "Community allotment",
            CommunityGroupKind.GROUP,
            Involvement.SUPPORTED,
            dt.date(2010, 4, 1),
            ("26-64", "65+"),
            ("physical_activity", "healthy_eating", "mental_wellbeing"),
            "Sundays 10am–12pm",
            "Behind the community hub",
            "Residents growing food together. " + ILLUSTRATIVE.format(what="group"),
            participants=16,
            volunteers=5,
            hours_each=8,
        ),
    ),
    "beacon": (
        GroupSpec(
            "Parent and toddler group",
            CommunityGroupKind.GROUP,
            Involvement.STARTED,
            dt.date(1999, 2, 1),
            ("0-4", "19-25", "26-64"),
            ("early_years", "mental_wellbeing"),
            "Mondays and Thursdays 9.30–11.30am",
            "The Beacon community centre",
            "Parents and under-fives. " + ILLUSTRATIVE.format(what="group"),
            participants=26,
            volunteers=4,
            hours_each=10,
        ),
        GroupSpec(
            "After-school club",
            CommunityGroupKind.CLUB,
            Involvement.STARTED,
            dt.date(1999, 9, 1),
            ("5-10",),
            ("physical_activity", "healthy_eating"),
            "Weekdays 3.15–5.30pm, term time",
            "The Beacon community centre",
            ILLUSTRATIVE.format(what="club"),
            participants=32,
            volunteers=5,
            hours_each=14,
        ),
        GroupSpec(
            "Beacon youth club",
            CommunityGroupKind.CLUB,
            Involvement.STARTED,
            dt.date(1999, 5, 1),
            ("11-15", "16-18"),
            ("physical_activity", "community_safety", "alcohol_drugs"),
            "Tuesdays and Thursdays 6.30–9pm",
            "The Beacon community centre",
            ILLUSTRATIVE.format(what="club"),
            participants=40,
            volunteers=6,
            hours_each=12,
        ),
        GroupSpec(
            "Job club",
            CommunityGroupKind.ACTIVITY,
            Involvement.SUPPORTED,
            dt.date(2000, 1, 1),
            ("19-25", "26-64"),
            ("skills_employment", "mental_wellbeing"),
            "Wednesdays 10am–12pm",
            "The Beacon community centre",
            "CVs, applications and interview practice. " + ILLUSTRATIVE.format(what="activity"),
            participants=18,
            volunteers=3,
            hours_each=8,
        ),
        GroupSpec(
            "Over-60s friendship club",
            CommunityGroupKind.CLUB,
            Involvement.STARTED,
            dt.date(2000, 3, 1),
            ("65+",),
            ("social_isolation", "long_term_conditions"),
            "Thursdays 2–4pm",
            "The Beacon community centre",
            ILLUSTRATIVE.format(what="club"),
            participants=24,
            volunteers=4,
            hours_each=8,
        ),
    ),
    "redruth": (
        GroupSpec(
            "Baby and me",
            CommunityGroupKind.ACTIVITY,
            Involvement.STARTED,
            dt.date(2004, 2, 1),
            ("0-4", "19-25", "26-64"),
            ("early_years", "mental_wellbeing"),
            "Fridays 10–11.30am",
            "Redruth community hub",
            ILLUSTRATIVE.format(what="activity"),
            participants=15,
            volunteers=2,
            hours_each=6,
        ),
        GroupSpec(
            "Breakfast club",
            CommunityGroupKind.CLUB,
            Involvement.SUPPORTED,
            dt.date(2004, 4, 1),
            ("5-10",),
            ("healthy_eating",),
            "Weekdays 7.45–8.45am, term time",
            "The primary school hall",
            ILLUSTRATIVE.format(what="club"),
            participants=38,
            volunteers=4,
            hours_each=16,
        ),
        GroupSpec(
            "Skate park users group",
            CommunityGroupKind.GROUP,
            Involvement.STARTED,
            dt.date(2004, 6, 1),
            ("11-15", "16-18", "19-25"),
            ("physical_activity", "community_safety"),
            "Meets monthly; the park is open daily",
            "Redruth skate park",
            "Young people who campaigned for and now look after the skate park. " + ILLUSTRATIVE.format(what="group"),
            participants=30,
            volunteers=5,
            hours_each=6,
        ),
        GroupSpec(
            "Walking group",
            CommunityGroupKind.ACTIVITY,
            Involvement.STARTED,
            dt.date(2004, 9, 1),
            ("26-64", "65+"),
            ("physical_activity", "social_isolation", "long_term_conditions"),
            "Wednesdays 10am, from the hub",
            "Redruth community hub",
            ILLUSTRATIVE.format(what="activity"),
            participants=20,
            volunteers=3,
            hours_each=6,
        ),
    ),
}


def _month_add(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(spec: GroupSpec, last: dt.date) -> list[dict[str, Any]]:
    """Growing over the first year, a dip in August (holidays), then steady — deterministic."""
    rows = []
    first = spec.founded_on.replace(day=1)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    for n in range(count):
        month = _month_add(first, n)
        growth = min(1.0, 0.45 + n * 0.05)
        season = 0.7 if month.month == 8 else (0.85 if month.month in (12, 1) else 1.0)
        wobble = 1 + ((n * 7) % 5 - 2) / 40
        participants = max(1, round(spec.participants * growth * season * wobble))
        volunteers = max(1, round(spec.volunteers * min(1.0, 0.5 + n * 0.04)))
        rows.append(
            {
                "month": month,
                "participants": participants,
                "volunteers": volunteers,
                "volunteer_hours": Decimal(volunteers * spec.hours_each) * Decimal(str(season)),
            }
        )
    return rows


def demo_community_ensure(sites: dict[str, Site], actor: Any) -> int:
    """Create the demo's groups, months and values per hour (see the module's docstring). Returns
    how many rows were created (0 on a second run)."""
    created = 0
    for slug, specs in GROUPS.items():
        site = sites.get(slug)
        if site is None:
            continue
        for spec in specs:
            group = CommunityGroup.objects.filter(site=site, name=spec.name).first()
            if group is None:
                group = services.group_create(
                    actor=None,
                    site=site,
                    name=spec.name,
                    kind=spec.kind,
                    involvement=spec.involvement,
                    description=spec.description,
                    founded_on=spec.founded_on,
                    age_groups=spec.age_groups,
                    health_priorities=spec.health_priorities,
                    schedule=spec.schedule,
                    venue=spec.venue,
                )
                created += 1
            missing = [
                row
                for row in _months(spec, LAST_MONTH[slug])
                if not Participation.objects.filter(group=group, month=row["month"]).exists()
            ]
            if missing:
                services.participation_save_rows(actor=None, group=group, rows=missing)
                created += len(missing)
        if not VolunteeringValue.objects.filter(site=site).exists():
            services.volunteering_value_set(actor=None, site=site, per_hour=VALUE_PER_HOUR, basis=VALUE_BASIS)
            created += 1
    return created
