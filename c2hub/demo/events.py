"""The demo's events, meetings, walkabouts and learning programme, idempotently.

Southchurch's events are the ones the Southend report (late 2013) describes, with its dates: where
the report gives only a month, the event is on the first of that month and says so, as the rest
of the demo does. Nothing is invented for Southchurch: no head-counts, no findings, no minutes.

The established Cornish sites (Beacon, Redruth, Camborne) get an illustrative history — monthly
partnership meetings with minutes (some approved and published), a walkabout with findings, a
learning cohort with learners — so that every page has something to show. Each of those records
says it is illustrative: the demo's sources do not describe them. People are fictional labels
("Resident D"), never invented names.

Every row has a natural key (an event's site, kind and title; a finding's event and title…), so a
second run writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.demo import content
from c2hub.events import services
from c2hub.events.models import (
    Attendance,
    Decision,
    Event,
    EventKind,
    EventStatus,
    ExchangeDirection,
    LearnerCompletion,
    Minutes,
    VenueKind,
    WalkaboutFinding,
)
from c2hub.people import services as people_services
from c2hub.people.models import Group, GroupKind, GroupMembership, MembershipRole, Organisation, Person, PersonKind
from c2hub.programmes.models import Evidence, EvidenceKind, Site

ILLUSTRATIVE = "Illustrative: the demo's sources do not describe this {what}; it shows how C2 Hub records one."


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@dataclass
class _Counter:
    created: int = 0


class _Events:
    def __init__(self, sites: dict[str, Site], actor: Any) -> None:
        self.sites = sites
        self.actor = actor
        self.count = _Counter()

    # Building blocks ------------------------------------------------------------------------------
    def event(self, site: Site, kind: str, title: str, starts_at: dt.datetime, **values: Any) -> Event:
        event = Event.objects.filter(site=site, kind=kind, title=title).first()
        if event is None:
            event = services.event_create(actor=None, site=site, kind=kind, title=title, starts_at=starts_at, **values)
            self.count.created += 1
        return event

    def organisations_attend(self, event: Event, names: tuple[str, ...]) -> None:
        for org in Organisation.objects.filter(sites=event.site, name__in=names).order_by("name"):
            if not Attendance.objects.filter(event=event, organisation=org, person=None).exists():
                services.attendance_add(actor=None, event=event, organisation=org)
                self.count.created += 1

    def people_attend(self, event: Event, people: list[Person]) -> None:
        for person in people:
            if not Attendance.objects.filter(event=event, person=person).exists():
                services.attendance_add(actor=None, event=event, person=person)
                self.count.created += 1

    def head_counts(self, event: Event, counts: dict[tuple[str, str], int]) -> None:
        if not event.head_counts.exists():
            services.head_counts_set(actor=None, event=event, counts=counts)
            self.count.created += 1

    def person(
        self, site: Site, name: str, notes: str, *, organisation: Organisation | None = None, job_title: str = ""
    ) -> Person:
        person = Person.objects.filter(programme_id=site.programme_id, name=name, sites=site).first()
        if person is None:
            person = people_services.person_create(
                actor=None,
                site=site,
                name=name,
                kind=PersonKind.WORKER if organisation else PersonKind.RESIDENT,
                organisation=organisation,
                job_title=job_title,
                notes=notes,
            )
            self.count.created += 1
        return person

    def link_note(self, site: Site, summary: str, event: Event) -> None:
        """The demo's note standing for an event becomes a link to the event (keeping its words)."""
        evidence = Evidence.objects.filter(site=site, summary=summary, kind=EvidenceKind.NOTE).first()
        if evidence is None:
            return
        with acting_as(self.actor):
            evidence.kind = EvidenceKind.RECORD
            evidence.record_type = ContentType.objects.get_for_model(Event)
            evidence.record_id = event.pk
            evidence.full_clean()
            evidence.save()
        self.count.created += 1

    # Southchurch ----------------------------------------------------------------------------------
    def southchurch(self) -> None:
        site = self.sites["southchurch"]
        beacon, redruth = self.sites["beacon"], self.sites["redruth"]
        workshop = self.event(
            site,
            EventKind.ENGAGEMENT_WORKSHOP,
            "Engagement workshop: hearing about C2",
            _at(content.ENGAGEMENT_WORKSHOP),
            status=EventStatus.HELD,
            steps=[1],
            description=(
                "A range of stakeholders and local residents attended to hear about C2 and the theory "
                "behind the approach. The C2 team brought representatives from two of the original C2 "
                "community sites, Beacon and Redruth, which underwent transformation 15 and 10 years "
                "ago, to share their experiences (report 4.2). The report gives the date, not the time "
                "or the venue, nor who or how many came."
            ),
            organiser_organisations=list(Organisation.objects.filter(name=content.C2_TEAM)),
        )
        self.organisations_attend(workshop, (content.C2_TEAM,))
        for other, years in ((beacon, 15), (redruth, 10)):
            self.event(
                site,
                EventKind.EXCHANGE_VISIT,
                f"Visitors from {other.name} at the engagement workshop",
                _at(content.ENGAGEMENT_WORKSHOP),
                status=EventStatus.HELD,
                steps=[1],
                exchange_direction=ExchangeDirection.HOSTED,
                exchange_site=other,
                description=(
                    f"Representatives from {other.name}, one of the original C2 community sites, which "
                    f"underwent transformation about {years} years ago, shared their experience of C2 "
                    "at the engagement workshop (report 4.2)."
                ),
            )
        self.link_note(site, "Engagement workshop, 14 June 2013, with visitors from Beacon and Redruth", workshop)

        cohort = Group.objects.get(site=site, name=content.C2_TEAM_GROUP)
        residential = self.event(
            site,
            EventKind.RESIDENTIAL,
            "Three-day residential C2 training course",
            _at(content.RESIDENTIAL, 9),
            ends_at=_at(content.RESIDENTIAL + dt.timedelta(days=2), 16),
            status=EventStatus.HELD,
            steps=[1, 2],
            cohort=cohort,
            venue_kind=VenueKind.ELSEWHERE,
            venue="Cornwall (the report does not name the venue)",
            description=(
                "The team of residents and representatives of local providers and agencies (including "
                "fire, police, housing, Southend CCG and Southend Council) attended a three-day "
                "residential C2 training course, visited the Beacon and Redruth sites and started to "
                "explore how they could work together locally (report 4.3). The report gives the month "
                "only: the demo shows 1–3 September 2013."
            ),
        )
        self.organisations_attend(
            residential,
            (
                content.FIRE,
                content.POLICE,
                content.HOUSING,
                content.SOUTHEND_CCG,
                content.SOUTHEND_COUNCIL,
                content.SOUTHCHURCH_RESIDENTS,
            ),
        )
        for day, other in ((1, beacon), (2, redruth)):
            self.event(
                site,
                EventKind.SITE_VISIT,
                f"Site visit to {other.name}",
                _at(content.RESIDENTIAL + dt.timedelta(days=day), 10),
                status=EventStatus.HELD,
                steps=[2],
                parent=residential,
                venue_kind=VenueKind.ELSEWHERE,
                venue=f"{other.name}, Cornwall",
                description=f"During the residential the team visited {other.name} (report 4.3). The day is not given.",
            )
        self.link_note(
            site, "Three-day residential C2 training, September 2013, with visits to Beacon and Redruth", residential
        )

        walkabout = self.event(
            site,
            EventKind.WALKABOUT,
            "Walk around the local area",
            _at(dt.date(2013, 10, 1)),
            status=EventStatus.HELD,
            steps=[2],
            route_description="The local area of Southchurch ward. The report gives no route.",
            description=(
                "The group walked around the local area to help service providers and C2 leads identify "
                "assets and strengths within the community and gain some intelligence on local issues "
                "affecting residents (report 4.3). The report gives no date: between the residential "
                "(September 2013) and the report (November 2013); the demo shows 1 October. It lists "
                "no findings, so none are recorded."
            ),
        )
        self.link_note(site, "Team meetings and a walkabout: assets, strengths and local issues", walkabout)

        network_meeting = self.event(
            site,
            EventKind.PARTNERSHIP_MEETING,
            "First meeting of the C2 Strategic Steering Network",
            _at(content.NETWORK_FORMED, 14),
            status=EventStatus.HELD,
            steps=[1],
            description=(
                "The C2 Strategic Steering Network was established in early November 2013 (report 4.4); "
                "its members are listed in Appendix 2. It will: "
                + "; ".join(content.STEERING_NETWORK_PURPOSES)
                + ". The report gives the month only. It records no minutes."
            ),
        )
        self.organisations_attend(
            network_meeting,
            tuple(
                m.organisation.name
                for m in GroupMembership.objects.filter(
                    group__site=site, group__name=content.STEERING_NETWORK
                ).select_related("organisation")
                if m.organisation
            ),
        )
        kent_visit = self.event(
            site,
            EventKind.EXCHANGE_VISIT,
            "Kent shares its experience with the Steering Network",
            _at(content.NETWORK_FORMED, 14),
            status=EventStatus.HELD,
            steps=[1],
            exchange_direction=ExchangeDirection.HOSTED,
            exchange_site=self.sites["cliftonville"],
            description=(
                "A resident representative and the public health lead for the C2 programme in Kent, in "
                "place for 18 months, attended the first meeting of the Strategic Steering Network to "
                "share their experience to date (report 4.4)."
            ),
        )
        self.link_note(site, "Kent's resident representative and public health lead at the first meeting", kent_visit)

        self.event(
            site,
            EventKind.CONNECTING_EVENT,
            "C2 connecting event",
            _at(dt.date(2013, 12, 1)),
            status=EventStatus.PLANNED,
            steps=[2],
            description=(
                "Planned for December 2013 (report 4.5): local service providers, public agencies and "
                "residents who can support the first steps, to identify local residents and frontline "
                "providers for a Southchurch interim partnership. The report gives the month only."
            ),
        )
        self.event(
            site,
            EventKind.LISTENING_EVENT,
            "Listening event for local residents",
            _at(dt.date(2014, 1, 1)),
            status=EventStatus.PLANNED,
            steps=[3],
            description=(
                "Step 3: a 'listening event' for local residents, planned by the interim partnership and "
                "currently scheduled for January 2014 (report 4.5). The report gives the month only; no "
                "venue has been agreed, so it is not yet evidence that the event is planned."
            ),
        )

    # The established sites --------------------------------------------------------------------------
    def established(self, slug: str, first_year: int, centre: tuple[str, str], letters: str) -> None:
        site = self.sites[slug]
        c2_team = Organisation.objects.filter(name=content.C2_TEAM).first()
        learners = [
            self.person(
                site,
                f"Resident {letter}",
                f"A learner of {site.name}'s first learning wave. " + ILLUSTRATIVE.format(what="person"),
            )
            for letter in letters
        ]
        cohort = Group.objects.filter(site=site, name=f"{site.name} learning programme, first wave").first()
        if cohort is None:
            cohort = people_services.group_create(
                actor=None,
                site=site,
                kind=GroupKind.LEARNING_COHORT,
                wave=1,
                name=f"{site.name} learning programme, first wave",
                purpose=ILLUSTRATIVE.format(what="cohort"),
                formed_on=dt.date(first_year, 3, 1),
            )
            self.count.created += 1
        for person in learners:
            membership = GroupMembership.objects.filter(group=cohort, person=person).first()
            if membership is None:
                membership = people_services.membership_add(
                    actor=None,
                    group=cohort,
                    person=person,
                    role=MembershipRole.LEARNER,
                    started_on=dt.date(first_year, 3, 1),
                )
                self.count.created += 1
            if not LearnerCompletion.objects.filter(membership=membership).exists():
                services.learner_complete(
                    actor=None, site=site, membership=membership, completed_on=dt.date(first_year, 5, 31)
                )
                self.count.created += 1
        residential = self.event(
            site,
            EventKind.RESIDENTIAL,
            "Learning programme residential, first wave",
            _at(dt.date(first_year, 4, 14), 9),
            ends_at=_at(dt.date(first_year, 4, 16), 16),
            status=EventStatus.HELD,
            steps=[2],
            cohort=cohort,
            venue_kind=VenueKind.ELSEWHERE,
            venue="Residential centre (illustrative)",
            description=ILLUSTRATIVE.format(what="residential"),
        )
        self.people_attend(residential, learners)
        self.event(
            site,
            EventKind.SITE_VISIT,
            "Site visit to an established C2 community",
            _at(dt.date(first_year, 4, 15), 10),
            status=EventStatus.HELD,
            steps=[2],
            parent=residential,
            venue_kind=VenueKind.ELSEWHERE,
            venue="Another C2 community (illustrative)",
            description=ILLUSTRATIVE.format(what="site visit"),
        )

        walkabout = self.event(
            site,
            EventKind.WALKABOUT,
            "Estate walkabout with the partnership",
            _at(dt.date(first_year, 9, 12), 10),
            status=EventStatus.HELD,
            steps=[4],
            route_description="From the community hub round the estate's main streets, the play area and "
            "the shops, back to the hub (illustrative).",
            description=ILLUSTRATIVE.format(what="walkabout"),
        )
        self.people_attend(walkabout, learners[:3])
        self.head_counts(walkabout, {("resident", "26-64"): 5, ("resident", "11-15"): 3, ("provider", "26-64"): 2})
        lat, lon = (Decimal(c) for c in centre)
        for kind, title, text, dlat, dlon in (
            (
                "asset",
                "Community garden looked after by residents",
                "Well used; volunteers want more tools.",
                "0.0008",
                "-0.0012",
            ),
            (
                "asset",
                "The community hub's open mornings",
                "Residents drop in; a good place for notices.",
                "0.0000",
                "0.0000",
            ),
            (
                "issue",
                "Broken lighting on the footpath to the shops",
                "Residents avoid it after dark.",
                "-0.0010",
                "0.0015",
            ),
            ("issue", "Fly-tipping behind the garages", "Reported several times, still there.", "0.0014", "0.0006"),
        ):
            if not WalkaboutFinding.objects.filter(event=walkabout, title=title).exists():
                services.finding_add(
                    actor=None,
                    event=walkabout,
                    kind=kind,
                    title=title,
                    description=f"{text} " + ILLUSTRATIVE.format(what="finding"),
                    latitude=lat + Decimal(dlat),
                    longitude=lon + Decimal(dlon),
                )
                self.count.created += 1

        meetings = []
        for month in range(1, 7):
            day = dt.date(first_year + 1, month, 10)
            meeting = self.event(
                site,
                EventKind.PARTNERSHIP_MEETING,
                f"Partnership meeting, {day:%B %Y}",
                _at(day, 18, 30),
                status=EventStatus.HELD,
                steps=[5],
                description=ILLUSTRATIVE.format(what="meeting"),
            )
            if c2_team is not None and c2_team.sites.filter(pk=site.pk).exists():
                self.organisations_attend(meeting, (content.C2_TEAM,))
            self.people_attend(meeting, learners[month % 3 : month % 3 + 3])
            self.head_counts(meeting, {("resident", ""): 4 + month, ("provider", "26-64"): 2})
            meetings.append(meeting)
        for index, meeting in enumerate(meetings):
            minutes = Minutes.objects.filter(event=meeting).first()
            if minutes is None or not (minutes.text or minutes.agenda):
                chair = learners[index % len(learners)]
                services.minutes_save(
                    actor=None,
                    event=meeting,
                    agenda="1. Welcome and apologies\n2. Minutes of the last meeting\n3. The action plan\n"
                    "4. Feedback from residents\n5. Any other business",
                    text=(
                        f"{chair.name} chaired. The minutes of the last meeting were agreed.\n"
                        "The action plan: the community garden group reported progress; the council "
                        "will look at the footpath lighting.\n"
                        "Residents' feedback from the hub's open mornings was shared.\n"
                        + ILLUSTRATIVE.format(what="meeting")
                    ),
                )
                if not Decision.objects.filter(event=meeting).exists():
                    services.decision_add(
                        actor=None,
                        event=meeting,
                        text=f"{chair.name} to write to the council about the footpath lighting.",
                    )
                self.count.created += 1
        # Each meeting's minutes are approved at the next; the first three are published.
        for index, (meeting, following) in enumerate(zip(meetings, meetings[1:], strict=False)):
            minutes = Minutes.objects.get(event=meeting)
            if not minutes.is_approved:
                services.minutes_approve(actor=None, event=meeting, at_meeting=following)
                self.count.created += 1
            if index < 3 and not Minutes.objects.get(event=meeting).is_published:
                services.minutes_publish(actor=None, event=meeting)
                self.count.created += 1


#: Each established site: its first year of C2, a map point near its centre, its learners' labels.
ESTABLISHED = (
    ("beacon", 1998, ("50.154500", "-5.083600"), "DEFGHI"),
    ("redruth", 2003, ("50.233300", "-5.225300"), "JKLMNO"),
    ("camborne", 2008, ("50.213300", "-5.297700"), "PQRSTU"),
)


def demo_events_ensure(sites: dict[str, Site], actor: Any) -> int:
    """Create the demo's events (see the module's docstring). Returns how many rows were created
    or changed (0 on a second run)."""
    loader = _Events(sites, actor)
    loader.southchurch()
    for slug, first_year, centre, letters in ESTABLISHED:
        if slug in sites:
            loader.established(slug, first_year, centre, letters)
    return loader.count.created
