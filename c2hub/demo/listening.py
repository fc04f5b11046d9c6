"""The demo's listening events, through the listening services, idempotently.

Camborne: a held listening event with about 120 comments from residents (many of them young
people) and providers — some paper tallies, a few in Polish and in Cornish dialect, one with a
``<script>`` to show that what residents type is escaped everywhere — grouped into themes, with
dot votes and a feedback event held within the deadline (which evidences step 3's feedback
criterion). The sources say Camborne's Neighbourhood Beat team began by asking young people "what
is it like to live around here?"; the comments themselves are illustrative.

Southchurch: the listening event planned for January 2014 (report 4.5). The events demo creates
its event; it is set up here for comments (or created, if the events demo has not run).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from c2hub.events.models import Event, EventKind, EventStatus, HeadCount
from c2hub.listening import services
from c2hub.listening.models import Comment, CommentSource, ListeningEvent, Theme, VoteSource
from c2hub.programmes.models import Site

CAMBORNE_TITLE = "Camborne listening event: what is it like to live around here?"
CAMBORNE_HELD_ON = dt.date(2008, 5, 17)
CAMBORNE_FEEDBACK_ON = dt.date(2008, 5, 24)
ILLUSTRATIVE = (
    "Illustrative: the sources say the Neighbourhood Beat team asked young people 'what is it like to live "
    "around here?'; these comments, themes and dots show how C2 Hub records a listening event."
)
NEXT_STEPS = (
    "The interim partnership will take the residents' top priorities to its next meeting and agree, with the "
    "police, the council and the youth service, who does what first.\n\n"
    "Young people asked for somewhere to go and something to do: the Neighbourhood Beat team will talk to the "
    "school and local dance teachers about holiday workshops.\n\n"
    "Everyone who came is invited to the feedback event, where we will report back on what was heard and what "
    "the partnership has agreed to do."
)

# (theme, [(text, participant, age_band, count, language, postcode district)])
R, P = "resident", "provider"
THEMES: list[tuple[str, list[tuple[str, str, str, int, str, str]]]] = [
    (
        "Nothing for young people to do",
        [
            ("A youth worker who actually knows our names", R, "11-15", 1, "en", "TR14"),
            ("Something on Friday nights so we're not out on the streets", R, "11-15", 4, "en", "TR14"),
            ("Cheap cinema nights at the community centre", R, "16-18", 1, "en", "TR14"),
            ("Bring back the football coaching on the rec", R, "11-15", 1, "en", "TR14"),
            ("There's no money for youth provision in this year's budget", P, "26-64", 1, "en", ""),
            ("My daughter wants to learn to dance but the nearest class is in Penzance", R, "26-64", 1, "en", "TR14"),
            ("There's nothing to do round here, we just hang about by the shops", R, "11-15", 14, "en", "TR14"),
            ("Nowhere to go in the evenings unless you've got money", R, "16-18", 1, "en", "TR14"),
            ("The youth club shut two years ago and nothing replaced it", R, "26-64", 1, "en", "TR14"),
            ("Bored. Proper bored. Every single day of the holidays", R, "11-15", 6, "en", "TR14"),
            ("We'd do dancing or music if there was somewhere to do it", R, "11-15", 1, "en", "TR14"),
            ("The skate park is broken and no one fixes it", R, "11-15", 1, "en", "TR14"),
            ("My kids have nowhere safe to play after school", R, "26-64", 1, "en", "TR14"),
            ("Sports hall costs too much for us to hire", R, "16-18", 1, "en", "TR15"),
            ("Young people tell us again and again there is nowhere for them to go", P, "26-64", 1, "en", ""),
            ("Holiday activities stopped when the funding ran out", P, "26-64", 1, "en", ""),
            ("Nic tu nie ma dla dzieci, muszą jechać do Truro", R, "26-64", 1, "pl", "TR14"),
            (
                "Give us somewhere to go dreckly and we'll stop hanging round the precinct",
                R,
                "16-18",
                1,
                "en-GB",
                "TR14",
            ),
            ("More clubs that don't cost anything", R, "11-15", 1, "en", "TR14"),
            ("The park is for little kids, there's nothing for teenagers", R, "11-15", 1, "en", "TR14"),
            ("If there was a place to go we wouldn't get moved on by the police", R, "16-18", 1, "en", "TR14"),
            ("Summer holidays are six weeks of nothing", R, "11-15", 1, "en", "TR14"),
            ("Could the school be open in the evenings for clubs?", R, "26-64", 1, "en", "TR14"),
        ],
    ),
    (
        "Ashamed of where we live",
        [
            ("Nobody from outside comes here unless they have to", R, "26-64", 1, "en", "TR14"),
            ("I'd like to be proud to say I'm from Camborne", R, "11-15", 1, "en", "TR14"),
            ("The town centre looks like it's given up", R, "26-64", 1, "en", "TR14"),
            ("Celebrate Trevithick and the mining history, people would come", R, "65+", 1, "en", "TR14"),
            ("Children pick up that adults think this is a rubbish place", P, "26-64", 1, "en", ""),
            ("People in Truro look down on you when you say you're from Camborne", R, "16-18", 9, "en", "TR14"),
            ("I don't tell people where I live", R, "16-18", 1, "en", "TR14"),
            ("Camborne has a bad name and it's not fair on the rest of us", R, "65+", 1, "en", "TR14"),
            ("The papers only ever write about us when something bad happens", R, "26-64", 1, "en", "TR14"),
            ("I'm embarrassed to bring friends here", R, "11-15", 1, "en", "TR14"),
            ("It used to be a proud mining town, now nobody cares", R, "65+", 1, "en", "TR14"),
            ("Young people feel written off because of their postcode", P, "26-64", 1, "en", ""),
            ("Tis a 'ansum place really, just nobody sees it", R, "65+", 1, "en-GB", "TR14"),
            ("Wstyd mi mówić, gdzie mieszkam", R, "16-18", 1, "pl", "TR14"),
            ("When you apply for jobs and put TR14 they think the worst", R, "19-25", 1, "en", "TR14"),
            ("We want people to see the good things about Camborne", R, "11-15", 1, "en", "TR14"),
            ("Kids grow up thinking they'll never amount to anything here", R, "26-64", 1, "en", "TR15"),
            ("Pride in the town has gone", R, "65+", 3, "en", "TR14"),
        ],
    ),
    (
        "Anti-social behaviour and feeling unsafe",
        [
            ("Youths on bikes riding at people on the pavement", R, "65+", 1, "en", "TR14"),
            ("Noise from the flats all night", R, "26-64", 1, "en", "TR14"),
            ("The alley behind the chip shop needs a light", R, "26-64", 1, "en", "TR14"),
            ("We get blamed for everything even when it wasn't us", R, "16-18", 3, "en", "TR14"),
            ("Door-to-door reassurance visits would help older residents", P, "26-64", 1, "en", ""),
            ("Tidden safe up the top of town after the pubs shut", R, "26-64", 1, "en-GB", "TR14"),
            ("Gangs on the corner at night make me scared to go out", R, "65+", 7, "en", "TR14"),
            ("Cars racing up and down Trelowarren Street late at night", R, "26-64", 1, "en", "TR14"),
            ("Windows smashed on our road twice this month", R, "26-64", 1, "en", "TR14"),
            ("Drinking in the park every weekend", R, "26-64", 1, "en", "TR14"),
            ("I don't walk through the precinct after dark", R, "65+", 1, "en", "TR14"),
            ("Fireworks thrown at the bus shelter", R, "26-64", 1, "en", "TR14"),
            ("Most calls we get are about young people gathering, not crime", P, "26-64", 1, "en", ""),
            ("Nie czuję się bezpiecznie wieczorem na ulicy", R, "26-64", 1, "pl", "TR14"),
            ("Bullying on the way home from school", R, "11-15", 1, "en", "TR14"),
            ("People shouting and fighting outside the takeaway", R, "26-64", 1, "en", "TR14"),
            ("Older people are frightened of teenagers who are only bored", P, "26-64", 1, "en", ""),
            ("Dealing going on openly by the car park", R, "26-64", 1, "en", "TR14"),
            ("Motorbikes on the footpath by the old railway line", R, "26-64", 1, "en", "TR27"),
            ("It's not safe for girls walking home", R, "16-18", 1, "en", "TR14"),
            ("<script>alert('hello')</script> more street lights please", R, "16-18", 1, "en", "TR14"),
        ],
    ),
    (
        "Litter, dog mess and empty buildings",
        [
            ("More bins on the way to school", R, "11-15", 1, "en", "TR14"),
            ("Overgrown hedges block the pavement on our road", R, "65+", 1, "en", "TR14"),
            ("Needles found in the bushes by the park", R, "26-64", 1, "en", "TR14"),
            ("The council should fine people who don't pick up after their dogs", R, "65+", 2, "en", "TR14"),
            ("Derelict land could be a community garden", R, "26-64", 1, "en", "TR15"),
            ("Dog mess everywhere on the paths", R, "26-64", 11, "en", "TR14"),
            ("Rubbish piled up behind the flats for weeks", R, "26-64", 1, "en", "TR14"),
            ("Empty shops in the town centre look awful", R, "65+", 1, "en", "TR14"),
            ("The old mine buildings are falling down and dangerous", R, "26-64", 1, "en", "TR14"),
            ("Fly-tipping in the lane by the allotments", R, "65+", 1, "en", "TR15"),
            ("Graffiti on the underpass never gets cleaned", R, "26-64", 1, "en", "TR14"),
            ("Bins get ripped open by gulls and nobody clears it up", R, "26-64", 1, "en", "TR14"),
            ("Śmieci na chodnikach, nikt nie sprząta", R, "26-64", 1, "pl", "TR14"),
            ("Street cleaning was cut back last year", P, "26-64", 1, "en", ""),
            ("Boarded up houses on our estate attract trouble", R, "26-64", 1, "en", "TR14"),
            ("Broken glass in the play area", R, "26-64", 1, "en", "TR14"),
            ("We could clean up the park ourselves if someone gave us the kit", R, "11-15", 1, "en", "TR14"),
        ],
    ),
    (
        "Getting on with the police",
        [
            ("Officers should come into school and talk to us properly", R, "11-15", 1, "en", "TR14"),
            ("I don't call the police because nothing changes", R, "26-64", 1, "en", "TR14"),
            ("We'd like to meet residents away from incidents, on their terms", P, "26-64", 1, "en", ""),
            ("The police station closing at weekends was a mistake", R, "65+", 1, "en", "TR14"),
            ("When they took the time to talk to us it was actually alright", R, "16-18", 1, "en", "TR14"),
            ("The police only come to move us on", R, "16-18", 8, "en", "TR14"),
            ("We never see a police officer just walking about", R, "65+", 1, "en", "TR14"),
            ("Reported things but nothing ever happens", R, "26-64", 1, "en", "TR14"),
            ("The PCSOs are alright when you talk to them", R, "11-15", 1, "en", "TR14"),
            ("Young people don't trust us and we need to change that", P, "26-64", 1, "en", ""),
            ("It would help if the police actually listened to kids", R, "11-15", 1, "en", "TR14"),
            ("We need a regular beat meeting people can come to", P, "26-64", 1, "en", ""),
            ("The 101 number takes forever", R, "26-64", 1, "en", "TR14"),
            ("Coppers are 'andsome when they stop and have a chat, proper job", R, "65+", 1, "en-GB", "TR14"),
            ("Policja powinna częściej patrolować wieczorem", R, "26-64", 1, "pl", "TR14"),
        ],
    ),
    (
        "Jobs, training and the future",
        [
            ("Work experience placements that aren't just stacking shelves", R, "16-18", 1, "en", "TR14"),
            ("Help with CVs and interviews at the library", R, "19-25", 1, "en", "TR14"),
            ("Local firms should take on local young people", R, "26-64", 1, "en", "TR14"),
            ("Careers advice at school was one meeting in five years", R, "19-25", 1, "en", "TR14"),
            ("Volunteering could lead to jobs if it was recognised", P, "26-64", 1, "en", ""),
            ("No jobs for young people round here since the mines closed", R, "19-25", 6, "en", "TR14"),
            ("You have to leave Cornwall to get a decent job", R, "19-25", 1, "en", "TR14"),
            ("Apprenticeships are all in Truro or Plymouth", R, "16-18", 1, "en", "TR15"),
            ("Summer work is all there is and it doesn't pay", R, "19-25", 1, "en", "TR14"),
            ("Truancy is high because pupils can't see the point", P, "26-64", 1, "en", ""),
            ("Kids need someone to show them what they could do", R, "26-64", 1, "en", "TR14"),
            ("Adult learning classes closed at the library", R, "26-64", 1, "en", "TR14"),
            ("Pracuję na dwie zmiany i nadal ledwo starcza", R, "26-64", 1, "pl", "TR14"),
            ("Young people leave school with no qualifications and no plan", P, "26-64", 1, "en", ""),
            ("I'd like to learn a trade but the college is too far", R, "16-18", 1, "en", "TR27"),
        ],
    ),
    (
        "Buses and getting about",
        [
            ("Bus timetables at the stops are years out of date", R, "65+", 1, "en", "TR14"),
            ("Community minibus for the estates", R, "65+", 1, "en", "TR14"),
            ("Walking to Pool at night along the main road isn't safe", R, "16-18", 1, "en", "TR15"),
            ("Autobus do Truro jest za drogi", R, "26-64", 1, "pl", "TR14"),
            ("Last bus back from Redruth is far too early", R, "16-18", 5, "en", "TR14"),
            ("Buses cost too much for families", R, "26-64", 1, "en", "TR14"),
            ("Can't get to the hospital without a car", R, "65+", 1, "en", "TR14"),
            ("No bus on Sundays at all", R, "65+", 1, "en", "TR14"),
            ("Cycle paths just stop in the middle of nowhere", R, "26-64", 1, "en", "TR14"),
            ("Pavements are too broken for my mobility scooter", R, "65+", 1, "en", "TR15"),
            ("Rural bus cuts mean young people can't get to college", P, "26-64", 1, "en", ""),
        ],
    ),
]

# Dots (residents had 3 each, providers 3 each), counted on the boards after the event.
RESIDENT_DOTS = {
    "Nothing for young people to do": 61,
    "Anti-social behaviour and feeling unsafe": 38,
    "Ashamed of where we live": 38,
    "Litter, dog mess and empty buildings": 27,
    "Jobs, training and the future": 24,
    "Getting on with the police": 19,
    "Buses and getting about": 12,
}
PROVIDER_DOTS = {
    "Nothing for young people to do": 14,
    "Getting on with the police": 9,
    "Jobs, training and the future": 9,
    "Anti-social behaviour and feeling unsafe": 5,
    "Ashamed of where we live": 3,
    "Litter, dog mess and empty buildings": 2,
    "Buses and getting about": 0,
}
HEAD_COUNTS = [
    ("resident", "11-15", 34),
    ("resident", "16-18", 21),
    ("resident", "19-25", 6),
    ("resident", "26-64", 27),
    ("resident", "65+", 12),
    ("provider", "26-64", 13),
]


def _camborne(site: Site, actor: Any) -> int:
    found = ListeningEvent.objects.filter(event__site=site, event__title=CAMBORNE_TITLE).first()
    if found is not None:
        return 0
    created = 0
    listening = services.listening_event_create(
        actor=actor,
        site=site,
        title=CAMBORNE_TITLE,
        held_on=CAMBORNE_HELD_ON,
        starts_at_time=dt.time(11, 0),
        venue="Camborne Community Centre",
        description=ILLUSTRATIVE,
        status=EventStatus.HELD,
    )
    services.listening_event_update(actor=actor, listening=listening, next_steps=NEXT_STEPS)
    created += 2
    for participant, age_band, count in HEAD_COUNTS:
        HeadCount.objects.get_or_create(
            event=listening.event, participant=participant, age_band=age_band, defaults={"count": count}
        )
        created += 1
    sources = [CommentSource.FACILITATOR, CommentSource.PUBLIC, CommentSource.PAPER]
    n = 0
    for order, (theme_name, comments) in enumerate(THEMES, start=1):
        theme = Theme.objects.create(listening_event=listening, name=theme_name, order=order, suggested=False)
        ids, counts = [], []
        for text, participant, age_band, count, language, district in comments:
            comment, _ = services.comment_add(
                actor=actor,
                listening=listening,
                text=text,
                participant=participant,
                age_band=age_band,
                language=language,
                postcode_district=district,
                count=count,
                source=CommentSource.PAPER if count > 1 else sources[n % len(sources)],
            )
            ids.append(comment.pk)
            counts.append(count)
            n += 1
        Comment.objects.filter(pk__in=ids).update(theme=theme)
        # The quotes: the comments most people made, as a facilitator would choose them.
        theme.representatives = [pk for _, pk in sorted(zip(counts, ids, strict=True), key=lambda p: (-p[0], p[1]))][:3]
        theme.save(update_fields=["representatives"])
        for participant, table in (("resident", RESIDENT_DOTS), ("provider", PROVIDER_DOTS)):
            if table.get(theme_name):
                services.vote_add(
                    actor=actor, theme=theme, participant=participant, dots=table[theme_name], source=VoteSource.PAPER
                )
        created += len(ids) + 1
    services.feedback_event_plan(
        actor=actor, listening=listening, held_on=CAMBORNE_FEEDBACK_ON, title="Camborne feedback event: what we heard"
    )
    services.feedback_event_mark_held(actor=actor, listening=listening)
    return created + 2


def _southchurch(site: Site, actor: Any) -> int:
    if ListeningEvent.objects.filter(event__site=site).exists():
        return 0
    event = Event.objects.filter(site=site, kind=EventKind.LISTENING_EVENT).order_by("starts_at").first()
    if event is not None:
        services.listening_event_create(actor=actor, site=site, title=event.title, held_on=event.held_on, event=event)
        return 1
    services.listening_event_create(
        actor=actor,
        site=site,
        title="Listening event for local residents",
        held_on=dt.date(2014, 1, 1),
        status=EventStatus.PLANNED,
        description="Step 3: planned for January 2014 (report 4.5); the report gives the month only.",
    )
    return 2


def demo_listening_ensure(sites: dict[str, Site], actor: Any) -> int:
    """Create the demo's listening events; returns how many rows were created (0 on a second run)."""
    created = 0
    if "camborne" in sites:
        created += _camborne(sites["camborne"], actor)
    if "southchurch" in sites:
        created += _southchurch(sites["southchurch"], actor)
    return created
