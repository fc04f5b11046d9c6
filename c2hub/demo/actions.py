"""The demo's action plans, through the action plan's services, idempotently.

Beacon, Redruth and Camborne: from the autumn after each site's walkabout, a little over two
years of actions led by agencies (police, the council, housing, the fire service, schools, the
NHS), each with the dates the agency was asked, acknowledged, first responded and completed, a
dated history (updates made at the site's partnership meetings appear in their minutes) and, by
now, done or dropped with a reason. Agencies respond faster as the partnership matures, which the
responsiveness page shows. Camborne's objectives and actions answer its listening event's themes
(17 May 2008); two actions come from its walkabout's findings.

Southchurch: the listening event the report says was planned for January 2014 is shown held on
Saturday 18 January 2014 with a small set of comments, themes and dot votes, and its feedback
event held a week later (within the pathway's 10 days); then its first actions (February–March
2014).

Everything here is illustrative: the sources describe none of these actions, and name no one —
residents are the demo's "Resident D"…, officers are described by their post.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from c2hub.actions import services
from c2hub.actions.models import Action, ActionStatus, Objective
from c2hub.demo import content
from c2hub.events import services as event_services
from c2hub.events.models import Event, EventKind, EventStatus, WalkaboutFinding
from c2hub.listening import services as listening_services
from c2hub.listening.models import Comment, CommentSource, ListeningEvent, Theme, VoteSource
from c2hub.people import services as people_services
from c2hub.people.models import Organisation, OrganisationKind, Person, PersonKind
from c2hub.programmes.models import Site

ILLUSTRATIVE = "Illustrative: the sources describe no action plan; this {what} shows how C2 Hub records one."

# Agencies ------------------------------------------------------------------------------------------
CORNWALL_AGENCIES = {
    "council": ("Cornwall Council", "Council", OrganisationKind.COUNCIL, "Neighbourhoods officer (Cornwall Council)"),
    "police": ("Police (Cornwall)", "Police", OrganisationKind.POLICE, "Neighbourhood beat sergeant (Cornwall)"),
    "housing": ("Housing (Cornwall)", "Housing", OrganisationKind.HOUSING, "Estate housing officer (Cornwall)"),
    "fire": ("Fire Service (Cornwall)", "Fire", OrganisationKind.FIRE, "Community safety officer (Fire, Cornwall)"),
    "schools": (
        "Schools (Cornwall)",
        "Schools",
        OrganisationKind.EDUCATION,
        "Extended schools co-ordinator (Cornwall)",
    ),
    "nhs": ("NHS (Cornwall)", "NHS", OrganisationKind.NHS_PROVIDER, "Community health team lead (Cornwall)"),
}
#: Camborne's own police team and primary care trust stand in for the generic ones there.
CAMBORNE_AGENCIES = {"police": content.NEIGHBOURHOOD_BEAT, "nhs": content.WEST_CORNWALL_PCT}
SOUTHEND_AGENCIES = {
    "council": (content.SOUTHEND_COUNCIL, "Neighbourhood services officer (Southend Borough Council)"),
    "police": (content.POLICE, "Police community support officer (Southend)"),
    "housing": (content.HOUSING, "Housing officer (Southend)"),
    "fire": (content.FIRE, "Community fire safety officer (Southend)"),
    "schools": (content.EDUCATION, "Education welfare officer (Southend)"),
    "nhs": (content.SOUTHEND_CCG, "Locality lead (Southend CCG)"),
}
#: How quickly each kind of agency answers, against the average (the police fastest, the NHS slowest).
PACE = {"police": 0.8, "fire": 0.6, "council": 1.2, "housing": 1.0, "schools": 0.9, "nhs": 1.3}

# Objectives: their title at Beacon and Redruth, and the Camborne theme they answer ---------------------
OBJECTIVES = {
    "young": ("More for young people to do", "Nothing for young people to do"),
    "safe": ("Feeling safe on the estate", "Anti-social behaviour and feeling unsafe"),
    "clean": ("A cleaner, cared-for neighbourhood", "Litter, dog mess and empty buildings"),
    "pride": ("Pride in where we live", "Ashamed of where we live"),
    "jobs": ("Jobs, training and skills", "Jobs, training and the future"),
    "police": ("Residents and police working together", "Getting on with the police"),
    "buses": ("Getting about", "Buses and getting about"),
    "health": ("Health and wellbeing", None),
}


@dataclass(frozen=True)
class ActionSpec:
    title: str
    objective: str
    agency: str
    what_changed: str
    dropped_reason: str = ""
    #: The walkabout finding it comes from (the events demo's findings), if any.
    finding: str = ""


ACTIONS = (
    ActionSpec(
        "Fix the broken lighting on the footpath to the shops",
        "safe",
        "council",
        "New lights on the footpath; residents say they use it again after dark.",
        finding="Broken lighting on the footpath to the shops",
    ),
    ActionSpec(
        "Clear the fly-tipping behind the garages",
        "clean",
        "council",
        "Cleared, and a camera put up; no new dumping reported since.",
        finding="Fly-tipping behind the garages",
    ),
    ActionSpec(
        "Open the community centre for a Friday youth night",
        "young",
        "council",
        "A youth night runs every Friday; about thirty young people come.",
    ),
    ActionSpec(
        "Monthly police surgery at the hub",
        "police",
        "police",
        "The beat team holds a surgery at the hub on the first Tuesday of each month.",
    ),
    ActionSpec(
        "Home fire safety visits for older residents",
        "safe",
        "fire",
        "Smoke alarms fitted in 46 homes after visits arranged through the hub.",
    ),
    ActionSpec(
        "After-school sports sessions at the secondary school",
        "young",
        "schools",
        "Two sessions a week in the school sports hall, free for local young people.",
    ),
    ActionSpec(
        "Secure the communal doors in the flats", "safe", "housing", "New door entry system in all three blocks."
    ),
    ActionSpec(
        "Board up and re-let the empty houses on the estate",
        "clean",
        "housing",
        "Four of the five empty houses re-let; the fifth is being repaired.",
    ),
    ActionSpec(
        "Health drop-in with the practice nurse at the hub",
        "health",
        "nhs",
        "A fortnightly drop-in: blood pressure checks and advice, no appointment needed.",
    ),
    ActionSpec(
        "Dance workshops with young people",
        "young",
        "police",
        "Weekly dance workshops; the young people now run a group of their own.",
    ),
    ActionSpec(
        "Dog-mess bins along the main footpaths",
        "clean",
        "council",
        "Eight new bins; a residents' count found far less mess.",
    ),
    ActionSpec(
        "Community clean-up day with skips",
        "pride",
        "council",
        "Sixty residents filled six skips; it is now held every spring.",
    ),
    ActionSpec(
        "Job club at the hub",
        "jobs",
        "council",
        "A weekly job club with advisers; eleven people found work in its first year.",
    ),
    ActionSpec(
        "Young people and police football match",
        "police",
        "police",
        "The match became a summer league with the beat team.",
    ),
    ActionSpec(
        "Ask for an evening bus to the college",
        "buses",
        "council",
        "",
        dropped_reason="The bus company would not run an evening service without a subsidy; the "
        "partnership is looking at a community minibus instead.",
    ),
    ActionSpec(
        "Fire cadets taster evenings",
        "young",
        "fire",
        "Twelve young people joined the fire cadets after the taster evenings.",
    ),
    ActionSpec(
        "Adult learning courses at the primary school",
        "jobs",
        "schools",
        "Computer and English courses in the school's community room, with a crèche.",
    ),
    ActionSpec(
        "Named beat officer's contact card to every home",
        "police",
        "police",
        "Every home has the beat officer's card; residents say they know who to call.",
    ),
    ActionSpec(
        "Tackle noise and nuisance at two addresses",
        "safe",
        "housing",
        "",
        dropped_reason="Resolved between the neighbours with the mediation service before the "
        "housing team needed to act.",
    ),
    ActionSpec(
        "Remove abandoned cars from the estate", "clean", "fire", "Seven abandoned cars removed; no car fires since."
    ),
    ActionSpec(
        "Stop-smoking sessions at the hub",
        "health",
        "nhs",
        "Weekly sessions at the hub; twenty residents set a quit date.",
    ),
    ActionSpec(
        "Dropped kerbs for buggies and mobility scooters",
        "buses",
        "council",
        "Dropped kerbs at the four crossings residents named.",
    ),
    ActionSpec(
        "Residents' gardens competition",
        "pride",
        "housing",
        "Thirty gardens entered; the prize-giving was at the summer fun day.",
    ),
    ActionSpec(
        "Homework club at the library",
        "young",
        "schools",
        "",
        dropped_reason="The library's opening hours were cut; the homework club moved into the "
        "Friday youth night instead.",
    ),
)


def _day(start: dt.date, days: float) -> dt.date:
    return start + dt.timedelta(days=round(days))


class _Plan:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.created = 0

    # Agencies and officers ------------------------------------------------------------------------
    def organisation(self, site: Site, name: str, short_name: str = "", kind: str = "") -> Organisation:
        organisation = Organisation.objects.filter(programme=site.programme, name=name).first()
        if organisation is None:
            organisation = people_services.organisation_create(
                actor=self.actor,
                site=site,
                name=name,
                short_name=short_name,
                kind=kind,
                notes=ILLUSTRATIVE.format(what="agency"),
            )
            self.created += 1
        elif not organisation.sites.filter(pk=site.pk).exists():
            people_services.organisation_add_to_site(actor=self.actor, site=site, organisation=organisation)
            self.created += 1
        return organisation

    def officer(self, site: Site, organisation: Organisation, post: str) -> Person:
        person = Person.objects.filter(programme=site.programme, name=post, organisation=organisation).first()
        if person is None:
            person = people_services.person_create(
                actor=self.actor,
                site=site,
                name=post,
                kind=PersonKind.WORKER,
                organisation=organisation,
                job_title=post.split(" (")[0],
                notes="Described by post. " + ILLUSTRATIVE.format(what="officer"),
            )
            self.created += 1
        elif not person.sites.filter(pk=site.pk).exists():
            people_services.person_add_to_site(actor=self.actor, site=site, person=person)
            self.created += 1
        return person

    def cornwall_agencies(self, site: Site) -> dict[str, tuple[Organisation, Person]]:
        found = {}
        for key, (name, short, kind, post) in CORNWALL_AGENCIES.items():
            if site.slug == "camborne" and key in CAMBORNE_AGENCIES:
                organisation = self.organisation(site, CAMBORNE_AGENCIES[key])
            else:
                organisation = self.organisation(site, name, short, kind)
            found[key] = (organisation, self.officer(site, organisation, post))
        return found

    # Objectives ---------------------------------------------------------------------------------------
    def objectives(self, site: Site, themes: dict[str, Theme]) -> dict[str, Objective]:
        found = {}
        for key, (title, theme_name) in OBJECTIVES.items():
            theme = themes.get(theme_name) if theme_name else None
            objective = Objective.objects.filter(site=site, title=title).first()
            if objective is None:
                objective = services.objective_create(
                    actor=self.actor,
                    site=site,
                    title=title,
                    theme=theme,
                    description=ILLUSTRATIVE.format(what="objective"),
                )
                self.created += 1
            found[key] = objective
        return found

    # One action with its history ---------------------------------------------------------------------
    def action(
        self,
        site: Site,
        spec: ActionSpec,
        *,
        objective: Objective,
        agency: tuple[Organisation, Person],
        resident: Person | None,
        asked_on: dt.date,
        maturity: float,
        rng: random.Random,
        meetings: list[Event],
        close: bool = True,
        today: dt.date,
    ) -> None:
        if Action.objects.filter(site=site, title=spec.title).exists():
            return
        organisation, officer = agency
        pace = PACE[spec.agency] * rng.uniform(0.8, 1.25)
        first_days = max(1, round((26 - 19 * maturity) * pace))
        acknowledged = _day(asked_on, max(1, first_days // 3))
        first = _day(asked_on, first_days)
        completed = _day(first, (55 - 30 * maturity) * rng.uniform(0.7, 1.4))
        due = _day(asked_on, 75 + 15 * rng.randint(0, 2))
        finding = (
            WalkaboutFinding.objects.filter(event__site=site, title=spec.finding).first() if spec.finding else None
        )
        action = services.action_create(
            actor=self.actor,
            site=site,
            title=spec.title,
            objective=objective,
            source_finding=finding,
            description=ILLUSTRATIVE.format(what="action"),
            lead_resident=resident,
            lead_organisation=organisation,
            lead_officer=officer,
            due_on=due,
            asked_on=asked_on,
            acknowledged_on=acknowledged if acknowledged <= today else None,
            first_response_on=first if first <= today else None,
        )
        self.created += 1
        steps: list[tuple[dt.date, str, str]] = [
            (asked_on, ActionStatus.WAITING_ON_AGENCY, f"Asked {organisation.short_name or organisation.name}."),
        ]
        if first <= today:
            steps.append(
                (
                    first,
                    ActionStatus.IN_PROGRESS,
                    f"{organisation.short_name or organisation.name} replied with a plan and a date.",
                )
            )
        if close and completed <= today:
            if spec.dropped_reason:
                steps.append((completed, ActionStatus.DROPPED, spec.dropped_reason))
            else:
                steps.append((completed, ActionStatus.DONE, "Done and checked by residents."))
        for on, status, note in steps:
            # Reported at the next partnership meeting within a month, if there is one: it is then
            # in that meeting's minutes.
            meeting = None
            if status != ActionStatus.WAITING_ON_AGENCY:
                meeting = next(
                    (m for m in meetings if 0 <= (timezone.localtime(m.starts_at).date() - on).days <= 31), None
                )
            services.action_update_add(
                actor=self.actor,
                action=action,
                status=status,
                note=note,
                on=on,
                meeting=meeting,
                dropped_reason=spec.dropped_reason if status == ActionStatus.DROPPED else "",
                what_changed=spec.what_changed if status == ActionStatus.DONE else None,
            )
            self.created += 1

    # The established sites ---------------------------------------------------------------------------
    def established(self, site: Site, first_year: int, letters: str, themes: dict[str, Theme]) -> None:
        agencies = self.cornwall_agencies(site)
        objectives = self.objectives(site, themes)
        residents = [
            p for p in (Person.objects.filter(sites=site, name=f"Resident {letter}").first() for letter in letters) if p
        ]
        meetings = list(
            Event.objects.filter(site=site, kind=EventKind.PARTNERSHIP_MEETING, status=EventStatus.HELD).order_by(
                "starts_at"
            )
        )
        rng = random.Random(f"c2-demo-actions-{site.slug}")
        start = dt.date(first_year, 10, 6)  # after the September walkabout
        span = 27 * 30.4  # a little over two years
        today = timezone.localdate()
        for index, spec in enumerate(ACTIONS):
            maturity = index / (len(ACTIONS) - 1)
            asked_on = _day(start, span * maturity + rng.randint(0, 9))
            self.action(
                site,
                spec,
                objective=objectives[spec.objective],
                agency=agencies[spec.agency],
                resident=residents[index % len(residents)] if residents else None,
                asked_on=asked_on,
                maturity=maturity,
                rng=rng,
                meetings=meetings,
                today=today,
            )

    # Southchurch ------------------------------------------------------------------------------------------
    def southchurch_listening(self, site: Site) -> dict[str, Theme]:
        listening = ListeningEvent.objects.filter(event__site=site).select_related("event").first()
        if listening is None:
            return {}
        if (
            listening.event.status != EventStatus.HELD
            and not Comment.objects.filter(listening_event=listening).exists()
        ):
            held_on = SOUTHCHURCH_HELD_ON
            event_services.event_update(
                actor=self.actor,
                event=listening.event,
                starts_at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(10, 30))),
                ends_at=timezone.make_aware(dt.datetime.combine(held_on, dt.time(14, 0))),
                venue_kind="elsewhere",
                venue="A church hall in Southchurch (illustrative)",
                description=(
                    "Step 3: the listening event the report (4.5) says was scheduled for January 2014. "
                    "Illustrative: the report ends in November 2013, so the day, the venue, the comments, "
                    "themes and votes here are the demo's."
                ),
            )
            event_services.event_set_status(actor=self.actor, event=listening.event, status=EventStatus.HELD)
            ListeningEvent.objects.filter(pk=listening.pk).update(
                feedback_due=listening_services.feedback_due_for(site, held_on)
            )
            listening.refresh_from_db()
            self.created += 2
            for order, (theme_name, said, resident_dots, provider_dots) in enumerate(SOUTHCHURCH_THEMES, start=1):
                theme = Theme.objects.create(listening_event=listening, name=theme_name, order=order)
                ids = []
                for text, participant, age_band, count in said:
                    comment, _ = listening_services.comment_add(
                        actor=self.actor,
                        listening=listening,
                        text=text,
                        participant=participant,
                        age_band=age_band,
                        postcode_district="SS1",
                        count=count,
                        source=CommentSource.PAPER if count > 1 else CommentSource.FACILITATOR,
                    )
                    ids.append(comment.pk)
                Comment.objects.filter(pk__in=ids).update(theme=theme)
                theme.representatives = ids[:2]
                theme.save(update_fields=["representatives"])
                for participant, dots in (("resident", resident_dots), ("provider", provider_dots)):
                    if dots:
                        listening_services.vote_add(
                            actor=self.actor,
                            theme=theme,
                            participant=participant,
                            dots=dots,
                            source=VoteSource.PAPER,
                        )
                self.created += len(ids) + 1
            listening_services.feedback_event_plan(
                actor=self.actor,
                listening=listening,
                held_on=SOUTHCHURCH_FEEDBACK_ON,
                title="Southchurch feedback event: what we heard",
            )
            listening_services.feedback_event_mark_held(actor=self.actor, listening=listening)
            self.created += 2
        return {t.name: t for t in Theme.objects.filter(listening_event=listening)}

    def southchurch(self, site: Site) -> None:
        themes = self.southchurch_listening(site)
        if not themes:
            return
        agencies = {}
        for key, (name, post) in SOUTHEND_AGENCIES.items():
            organisation = self.organisation(site, name)
            agencies[key] = (organisation, self.officer(site, organisation, post))
        residents = list(Person.objects.filter(sites=site, kind=PersonKind.RESIDENT).order_by("name")[:4])
        today = timezone.localdate()
        rng = random.Random("c2-demo-actions-southchurch")
        for index, (theme_name, title, agency, what_changed, asked_on, done) in enumerate(SOUTHCHURCH_ACTIONS):
            theme = themes.get(theme_name)
            objective = Objective.objects.filter(site=site, title=theme_name).first()
            if objective is None:
                objective = services.objective_create(
                    actor=self.actor,
                    site=site,
                    title=theme_name,
                    theme=theme,
                    description=ILLUSTRATIVE.format(what="objective"),
                )
                self.created += 1
            spec = ActionSpec(title, "", agency, what_changed)
            self.action(
                site,
                spec,
                objective=objective,
                agency=agencies[agency],
                resident=residents[index % len(residents)] if residents else None,
                asked_on=asked_on,
                maturity=0.0,
                rng=rng,
                meetings=[],
                close=done,
                today=today,
            )


SOUTHCHURCH_HELD_ON = dt.date(2014, 1, 18)
SOUTHCHURCH_FEEDBACK_ON = dt.date(2014, 1, 25)
R, P = "resident", "provider"
SOUTHCHURCH_THEMES = (
    (
        "Parking and traffic on residential streets",
        (
            ("Vans parked on the pavement so you can't get a buggy past", R, "26-64", 4),
            ("Cars speed down the side roads to dodge the lights", R, "65+", 2),
            ("Nowhere to park near the shops", R, "26-64", 1),
        ),
        31,
        4,
    ),
    (
        "Somewhere for young people to go",
        (
            ("There's nothing to do round here after school", R, "11-15", 5),
            ("The youth club closed and nothing replaced it", R, "16-18", 2),
            ("Young people hang about the shops because there is nowhere else", P, "26-64", 1),
        ),
        27,
        7,
    ),
    (
        "Feeling safe at night",
        (
            ("The alley by the station is dark and I won't use it", R, "26-64", 3),
            ("I don't know who our police officer is", R, "65+", 2),
        ),
        18,
        3,
    ),
    (
        "Lonely older neighbours",
        (
            ("Lots of older people on my road never see anyone", R, "65+", 2),
            ("A lunch club would get people out", R, "65+", 1),
            ("We visit people who have no one else", P, "26-64", 1),
        ),
        14,
        6,
    ),
)
SOUTHCHURCH_ACTIONS = (
    (
        "Parking and traffic on residential streets",
        "Ask the council for pavement-parking signs and checks",
        "council",
        "",
        dt.date(2014, 2, 12),
        False,
    ),
    (
        "Somewhere for young people to go",
        "Re-open the youth club on two evenings a week",
        "schools",
        "The school's hall is open to young people on Tuesday and Thursday evenings.",
        dt.date(2014, 2, 12),
        True,
    ),
    (
        "Feeling safe at night",
        "Better lighting in the alley by the station",
        "council",
        "",
        dt.date(2014, 2, 19),
        False,
    ),
    (
        "Feeling safe at night",
        "Meet the neighbourhood police team at the hub",
        "police",
        "The police team now holds a monthly drop-in at the hub.",
        dt.date(2014, 2, 19),
        True,
    ),
    ("Lonely older neighbours", "Start a weekly lunch club for older residents", "nhs", "", dt.date(2014, 3, 5), False),
    (
        "Lonely older neighbours",
        "Fire safety and well-being visits for older people living alone",
        "fire",
        "",
        dt.date(2014, 3, 12),
        False,
    ),
)


def demo_actions_ensure(sites: dict[str, Site], actor: Any) -> int:
    """Create the demo's action plans; returns how many rows were created (0 on a second run)."""
    plan = _Plan(actor)
    for slug, first_year, letters in (
        ("beacon", 1998, "DEFGHI"),
        ("redruth", 2003, "JKLMNO"),
        ("camborne", 2008, "PQRSTU"),
    ):
        if slug not in sites:
            continue
        site = sites[slug]
        listening = ListeningEvent.objects.filter(event__site=site).first()
        themes = {t.name: t for t in Theme.objects.filter(listening_event=listening)} if listening else {}
        plan.established(site, first_year, letters, themes)
    if "southchurch" in sites:
        plan.southchurch(sites["southchurch"])
    return plan.created
