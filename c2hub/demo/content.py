"""What the demo programme contains, as data, each fact with its source.

Sources (see docs/demo.md):
- REPORT: the report to Southend's Health and Wellbeing Board on the C2 Connecting Communities
  Programme in Southchurch (late 2013), cited by paragraph ("report 4.3") and appendix.
- SUMMARY: the research-programme summary "C2 - Connecting Communities" (South West Peninsula,
  start date 1 January 2013).
- PUBLIC: other public C2 material, as summarised in the project's design notes.

Nobody in the sources is named, and the demo names no one: residents are "Resident A", "Resident
B"…, workers are described by their post. Where a source gives only a month, ``occurred_on`` is
the first of that month and the text says so; where it gives no date, there is none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from c2hub.people.models import GroupKind, MembershipRole, OrganisationKind, PersonKind
from c2hub.programmes.models import FundingLine, Site

PROGRAMME_SLUG = "c2"
PROGRAMME_NAME = "C2 Connecting Communities"
PROGRAMME_DESCRIPTION = (
    "Resident-led, multi-agency neighbourhood partnerships following the C2 seven-step model, "
    "developed and delivered with the University of Exeter. The demo shows the programme as it "
    "stood in late 2013: Southchurch (Southend-on-Sea) between steps 1 and 2, the Kent site in "
    "Cliftonville mid-pathway, and the established Cornish sites whose experience the model "
    "draws on (Beacon, Redruth, Camborne)."
)

CLAIM = "A claim quoted from the source, not a figure checked by C2 Hub."


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    short_name: str
    kind: str
    notes: str


@dataclass(frozen=True)
class PersonSpec:
    name: str
    kind: str
    notes: str
    organisation: str = ""
    job_title: str = ""


@dataclass(frozen=True)
class MembershipSpec:
    """A group member: an organisation without a named person, or a person."""

    organisation: str = ""
    person: str = ""
    role: str = MembershipRole.MEMBER
    started_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str
    purpose: str
    formed_on: dt.date | None = None
    wave: int | None = None
    members: tuple[MembershipSpec, ...] = ()


@dataclass(frozen=True)
class FundingSpec:
    description: str
    status: str
    steps_covered: tuple[int, ...]
    notes: str
    funder: str = ""
    funder_name: str = ""


@dataclass(frozen=True)
class EvidenceSpec:
    """A note on one criterion; with ``record`` set, a link to the named group or organisation."""

    step: int
    criterion: str
    summary: str
    note: str
    occurred_on: dt.date | None = None
    record: str = ""
    verified: bool = False


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    name: str
    description: str
    status: str
    pathway_version: str
    start_date: dt.date
    ward_codes: tuple[str, ...]
    organisations: tuple[str, ...]
    lead_agency: str = ""
    commissioner: str = ""
    people: tuple[PersonSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()
    funding: tuple[FundingSpec, ...] = ()
    evidence: tuple[EvidenceSpec, ...] = ()
    #: Steps completed, in order. Their criteria without an EvidenceSpec get ``unsourced_note``.
    complete_steps: tuple[int, ...] = ()
    unsourced_note: str = ""
    due_dates: dict[int, dt.date] = field(default_factory=dict)


# Organisations (programme-wide; each takes part in the sites that list it) ----------------------
SOUTHEND_CCG = "Southend Clinical Commissioning Group"
SOUTHEND_COUNCIL = "Southend Borough Council"
C2_TEAM = "University of Exeter (C2 team)"
POLICE = "Police (Southend)"
EDUCATION = "Education (Southend)"
HOUSING = "Housing (Southend)"
FIRE = "Fire Service (Southend)"
SOUTHCHURCH_RESIDENTS = "Southchurch ward residents"
NEIGHBOURHOOD_BEAT = "Camborne Neighbourhood Beat team"
TR14ERS = "TR14ers"
WEST_CORNWALL_PCT = "West Cornwall Primary Care Trust"
KENT_PUBLIC_HEALTH = "Public health (Kent)"

_APPENDIX_2 = "Listed as '{label}' in Appendix 2 of the report; the report names no organisation."

ORGANISATIONS = (
    OrganisationSpec(
        SOUTHEND_CCG, "Southend CCG", OrganisationKind.ICB,
        "Lead agency for C2 in Southchurch. Bid successfully for grant funding in November 2012 "
        "(report 3.1); its governance is considering the business case for steps 3–7 (3.4, 6.2).",
    ),
    OrganisationSpec(
        SOUTHEND_COUNCIL, "SBC", OrganisationKind.COUNCIL,
        "On the Southchurch C2 Strategic Steering Network (Appendix 2) and in the team working "
        "towards step one (report 4.3).",
    ),
    OrganisationSpec(
        C2_TEAM, "C2 team", OrganisationKind.UNIVERSITY,
        "External specialists based at the University of Exeter who support the two-year "
        "programme and oversee its development (report 3.4, 5.1). C2 was developed and is "
        "delivered by a team including health care professionals, academics from the University "
        "of Exeter Medical School and Politics Department, and residents (summary).",
    ),
    OrganisationSpec(POLICE, "Police", OrganisationKind.POLICE, _APPENDIX_2.format(label="Police")),
    OrganisationSpec(
        EDUCATION, "Education", OrganisationKind.EDUCATION, _APPENDIX_2.format(label="Education")
    ),
    OrganisationSpec(
        HOUSING, "Housing", OrganisationKind.HOUSING, _APPENDIX_2.format(label="Housing")
    ),
    OrganisationSpec(
        FIRE, "Fire Service", OrganisationKind.FIRE, _APPENDIX_2.format(label="Fire Service")
    ),
    OrganisationSpec(
        SOUTHCHURCH_RESIDENTS, "Residents", OrganisationKind.COMMUNITY_GROUP,
        "Stands for 'Representatives from Southchurch ward' (Appendix 2) and the residents in "
        "the team working towards step one (report 4.3). The report names no one.",
    ),
    OrganisationSpec(
        NEIGHBOURHOOD_BEAT, "Neighbourhood Beat", OrganisationKind.POLICE,
        "The police team that attended a C2 Programme, asked young people what it is like to "
        "live in Camborne, and started the dance workshops that became the TR14ers (summary).",
    ),
    OrganisationSpec(
        TR14ERS, "TR14ers", OrganisationKind.COMMUNITY_GROUP,
        "Young people's dance group named after Camborne's TR14 postcode; Queen's Award for "
        "Voluntary Service 2011; now performs and mentors in neighbourhoods where C2 is being "
        "implemented (summary). Its members are children and young people (5–18): their records "
        "need extra care.",
    ),
    OrganisationSpec(
        WEST_CORNWALL_PCT, "West Cornwall PCT", OrganisationKind.ICB,
        "Funded the TR14ers' dance leaders group to work with other youth groups and schools "
        "(summary).",
    ),
    OrganisationSpec(
        KENT_PUBLIC_HEALTH, "Public health", OrganisationKind.COUNCIL,
        "The report mentions the 'public health lead for the C2 programme in Kent' (4.4) and no "
        "organisation; public health has been a council responsibility in England since April "
        "2013.",
    ),
)


# Southchurch, late 2013 -------------------------------------------------------------------------
STEERING_NETWORK = "Southchurch C2 Strategic Steering Network"
C2_TEAM_GROUP = "Southchurch C2 team (first learning wave)"
NETWORK_FORMED = dt.date(2013, 11, 1)  # "early November" 2013 (report 4.4): no day is given
ENGAGEMENT_WORKSHOP = dt.date(2013, 6, 14)  # "14th June" (report 4.2)
RESIDENTIAL = dt.date(2013, 9, 1)  # "September 2013" (report 4.3): no day is given

STEERING_NETWORK_PURPOSES = (
    "Support the C2 team to join up and build upon resident led work already happening in "
    "Southchurch",
    "Support and enable service providers to embrace new learning, leading to new ways of working",
    "'Unblock' barriers, whether perceived or actual, to resident led governance",
    "Support the creation of a partnership steering group at the local level in Southchurch",
)

SOUTHCHURCH = SiteSpec(
    slug="southchurch",
    name="Southchurch",
    status=Site.Status.ACTIVE,
    pathway_version="1.0",
    # The first dated event in the report (the engagement workshop): the report gives no formal
    # start. Two years from it matches "a two year initiative" (report 3.4).
    start_date=ENGAGEMENT_WORKSHOP,
    ward_codes=("E05002223",),
    description=(
        "Southchurch ward, Southend-on-Sea, as reported to Southend's Health and Wellbeing Board "
        "in late 2013. A two-year C2 Connecting Communities programme, led and commissioned by "
        "Southend Clinical Commissioning Group, with support from C2 specialists at the "
        "University of Exeter (report 3.1, 3.4). Next: a C2 connecting event planned for "
        "December 2013, with local service providers, public agencies and residents, to find "
        "residents and frontline providers for a Southchurch interim partnership; that "
        "partnership will plan step 3, a listening event for local residents, scheduled for "
        "January 2014 (report 4.5). The site's start date is the engagement workshop of 14 June "
        "2013: the report gives no formal start."
    ),
    organisations=(
        SOUTHEND_CCG, SOUTHEND_COUNCIL, C2_TEAM, POLICE, EDUCATION, HOUSING, FIRE,
        SOUTHCHURCH_RESIDENTS,
    ),
    lead_agency=SOUTHEND_CCG,
    commissioner=SOUTHEND_CCG,
    people=(
        PersonSpec(
            "Resident A", PersonKind.RESIDENT,
            "One of the two local residents identified by the Streets Ahead co-ordinator for "
            "Southchurch ward, who had expressed an interest in community development in the "
            "area (report 4.1). A fictional label: the report names no one.",
        ),
        PersonSpec(
            "Resident B", PersonKind.RESIDENT,
            "The other of the two local residents identified by the Streets Ahead co-ordinator "
            "(report 4.1). A fictional label: the report names no one.",
        ),
    ),
    groups=(
        GroupSpec(
            name=STEERING_NETWORK,
            kind=GroupKind.STRATEGIC_STEERING,
            formed_on=NETWORK_FORMED,
            purpose="\n".join(f"- {p}" for p in STEERING_NETWORK_PURPOSES)
            + "\n\nEstablished in early November 2013 (report 4.4); membership as in Appendix 2.",
            members=(
                MembershipSpec(SOUTHEND_CCG, started_on=NETWORK_FORMED, notes="Lead agency"),
                MembershipSpec(SOUTHEND_COUNCIL, started_on=NETWORK_FORMED),
                MembershipSpec(C2_TEAM, started_on=NETWORK_FORMED, notes="C2 representatives"),
                MembershipSpec(POLICE, started_on=NETWORK_FORMED),
                MembershipSpec(EDUCATION, started_on=NETWORK_FORMED),
                MembershipSpec(HOUSING, started_on=NETWORK_FORMED),
                MembershipSpec(FIRE, started_on=NETWORK_FORMED),
                MembershipSpec(
                    SOUTHCHURCH_RESIDENTS, started_on=NETWORK_FORMED,
                    notes="Representatives from Southchurch ward",
                ),
            ),
        ),
        GroupSpec(
            name=C2_TEAM_GROUP,
            kind=GroupKind.LEARNING_COHORT,
            wave=1,
            purpose=(
                "A small team of residents and representatives from local service providers and "
                "public agencies (including fire, police, housing, Southend CCG and Southend "
                "Council) working towards commencing step one. It attended the three-day "
                "residential C2 training course in September 2013, visiting Beacon and Redruth, "
                "and has since met on a number of occasions and walked the local area (report "
                "4.3). The report does not say who, or how many."
            ),
            members=tuple(
                MembershipSpec(org, role=MembershipRole.LEARNER)
                for org in (
                    FIRE, POLICE, HOUSING, SOUTHEND_CCG, SOUTHEND_COUNCIL, SOUTHCHURCH_RESIDENTS
                )
            ),
        ),
    ),
    funding=(
        FundingSpec(
            description="Grant for the first 7.5 months of the intervention (steps 1 and 2)",
            status=FundingLine.Status.AWARDED,
            steps_covered=(1, 2),
            funder_name="Grant funder not named in the report",
            notes=(
                "In November 2012 Southend CCG successfully bid for grant funding for the C2 "
                "Connecting Communities programme in Southchurch (report 3.1). The grant finances "
                "the support for the first 7.5 months of the intervention and the completion of "
                "steps 1 and 2 (3.4). The report gives neither the amount nor the funder, so both "
                "are left empty, and no dates."
            ),
        ),
        FundingSpec(
            description="Business case for the funding to complete all seven steps (steps 3–7)",
            status=FundingLine.Status.PENDING,
            steps_covered=(3, 4, 5, 6, 7),
            funder=SOUTHEND_CCG,
            notes=(
                "A business case has been prepared and is being taken through Southend CCG's "
                "governance processes to provide the additional funding to complete all seven "
                "steps of the model; the CCG expects QIPP savings (report 3.4, 6.2). The amount "
                "is not stated."
            ),
        ),
    ),
    evidence=(
        EvidenceSpec(
            1, "neighbourhood-targeted",
            "Southchurch ward chosen for C2 (grant bid won, November 2012)",
            "In November 2012 Southend Clinical Commissioning Group successfully bid for grant "
            "funding to introduce an asset based community development project, the C2 "
            "Connecting Communities programme, in Southchurch ward (report 3.1). The ward "
            "(E05002223) and its six LSOAs are recorded on the site. The report gives the month "
            "only.",
            occurred_on=dt.date(2012, 11, 1), verified=True,
        ),
        EvidenceSpec(
            1, "key-residents-identified",
            "Two local residents identified by the Streets Ahead co-ordinator",
            "The Streets Ahead Co-ordinator for Southchurch ward identified two local residents "
            "who had expressed an interest in being involved in community development "
            "initiatives in the area (report 4.1). They are Resident A and Resident B here: the "
            "report names no one, and gives no date.",
            verified=True,
        ),
        EvidenceSpec(
            1, "steering-group-established",
            "A team of residents, providers and agencies working towards step one",
            "Following the engagement workshop, a small team of residents and representatives "
            "from local service providers and public agencies (including fire, police, housing, "
            "Southend CCG and Southend Council) has been working towards commencing step one "
            "(report 4.3).",
            record=C2_TEAM_GROUP, verified=True,
        ),
        EvidenceSpec(
            1, "steering-group-established",
            "C2 Strategic Steering Network established (early November 2013)",
            "A C2 Strategic Steering Network group was established in early November 2013, with "
            "a broad membership: Southend CCG, Southend Borough Council, C2 representatives, "
            "Police, Education, Housing, Fire Service and representatives from Southchurch ward "
            "(report 4.4, Appendix 2). The report gives the month only.",
            occurred_on=NETWORK_FORMED, record=STEERING_NETWORK, verified=True,
        ),
        EvidenceSpec(
            1, "steering-group-established",
            "Kent's resident representative and public health lead at the first meeting",
            "A resident representative and the public health lead for the C2 programme in Kent, "
            "which has been in place for 18 months, attended the first meeting of the Strategic "
            "Steering Network to share their experience to date (report 4.4).",
            occurred_on=NETWORK_FORMED, verified=True,
        ),
        EvidenceSpec(
            1, "commitment-to-seven-steps",
            "Engagement workshop, 14 June 2013, with visitors from Beacon and Redruth",
            "A range of stakeholders and local residents came to hear about C2 and the theory "
            "behind the approach. The C2 team brought representatives from two of the original "
            "C2 sites, Beacon and Redruth, which underwent transformation 15 and 10 years ago, "
            "to share their experiences (report 4.2).",
            occurred_on=ENGAGEMENT_WORKSHOP, verified=True,
        ),
        EvidenceSpec(
            1, "commitment-to-seven-steps",
            "The Strategic Steering Network's four purposes",
            "The network will: " + "; ".join(STEERING_NETWORK_PURPOSES) + " (report 4.4).",
            occurred_on=NETWORK_FORMED, verified=True,
        ),
        EvidenceSpec(
            2, "skills-and-mindset",
            "Three-day residential C2 training, September 2013, with visits to Beacon and Redruth",
            "The team attended a three-day residential C2 training course, where they visited "
            "the Beacon and Redruth sites and started to explore how they could work together "
            "locally (report 4.3). The report gives the month only.",
            occurred_on=RESIDENTIAL,
        ),
        EvidenceSpec(
            2, "workshops-held",
            "Team meetings and a walkabout: assets, strengths and local issues",
            "Since the residential the group has met on a number of occasions and completed a "
            "walk around the local area to help service providers and C2 leads to identify "
            "assets and strengths within the community and gain some intelligence on local "
            "issues affecting residents (report 4.3). The report gives no dates.",
        ),
    ),
    complete_steps=(1,),
    due_dates={
        # "A C2 connecting event is planned for December 2013" (report 4.5).
        2: dt.date(2013, 12, 31),
        # The listening event "is currently scheduled for January 2014" (report 4.5).
        3: dt.date(2014, 1, 31),
    },
)


# The established Cornish sites ------------------------------------------------------------------
def _established_note(name: str) -> str:
    return (
        f"{name} is one of the established C2 sites that the demo shows at step 7. The demo's "
        "sources do not describe this criterion for it: this note stands in for the site's own "
        "evidence."
    )


UNSOURCED_SUMMARY = "Not described in the demo's sources"


def _hosted_southchurch(name: str, years: int) -> EvidenceSpec:
    return EvidenceSpec(
        7, "partnership-established",
        "Inspiring newer sites: Southchurch, 2013",
        f"Representatives from {name}, one of the original C2 community sites, which underwent "
        f"transformation about {years} years before 2013, shared their experience at "
        "Southchurch's engagement workshop on 14 June 2013; the Southchurch team visited "
        f"{name} during its residential C2 training in September 2013 (report 4.2, 4.3).",
        occurred_on=ENGAGEMENT_WORKSHOP,
    )


BEACON = SiteSpec(
    slug="beacon",
    name="Beacon",
    status=Site.Status.ESTABLISHED,
    pathway_version="1.0",
    start_date=dt.date(1998, 1, 1),
    ward_codes=("E05013286", "E05013284"),
    description=(
        "The Beacon estate, Falmouth, one of the original C2 sites: it 'underwent transformation "
        "in the south west 15 … years ago' (Southchurch report 4.2), so the demo starts it in "
        "1998; the sources give no exact date. Wards Falmouth Penwerris and Falmouth Arwenack "
        "(2024 boundaries, best fit): confirm the estate's LSOAs with the partnership."
    ),
    organisations=(C2_TEAM,),
    evidence=(
        EvidenceSpec(
            4, "partnership-constituted",
            "The Beacon Partnership",
            "The research summary names the Beacon Partnership as the resident-led partnership "
            "behind the regeneration of the estate's housing stock. Its legal form and "
            "constitution are not in the demo's sources.",
        ),
        _hosted_southchurch("Beacon", 15),
        EvidenceSpec(
            7, "visible-change",
            "Regeneration of the housing stock",
            "'The processes leading up to and during the regeneration of the housing stock, by "
            f"the Beacon Partnership' (summary). {CLAIM}",
        ),
        EvidenceSpec(
            7, "measurable-outcomes",
            "Claimed: boys' KS2 results up 100%, child protection issues down 40%, employment "
            "up 71%, crime down 52%",
            "The research summary: the processes leading up to and during the regeneration of "
            "the housing stock, by the Beacon Partnership, 'led to an increase of 100% "
            "educational attainment of KS2 SATS for boys, a 40% decrease in child protection "
            f"issues, 71% increase in employment and a 52% reduction in overall crime'. {CLAIM}",
        ),
        EvidenceSpec(
            7, "health-and-service-gains",
            "Claimed: child protection register 23 to 4, burglary down 40%, child accidents "
            "down 50%, post-natal depression cases 18 to 4",
            "As cited in public C2 material. These came alongside about £2.2m of housing "
            "investment: other changes at the same time must be recorded beside the claims, or "
            f"an evaluation is not honest. {CLAIM}",
        ),
    ),
    complete_steps=(1, 2, 3, 4, 5, 6, 7),
    unsourced_note=_established_note("Beacon"),
)

REDRUTH = SiteSpec(
    slug="redruth",
    name="Redruth",
    status=Site.Status.ESTABLISHED,
    pathway_version="1.0",
    start_date=dt.date(2003, 1, 1),
    ward_codes=("E05013329", "E05013330"),
    description=(
        "Redruth, one of the original C2 sites: it underwent transformation about 10 years "
        "before 2013 (Southchurch report 4.2), so the demo starts it in 2003; the sources give "
        "no exact date. Wards Redruth North and Redruth South (2024 boundaries, best fit)."
    ),
    organisations=(C2_TEAM,),
    evidence=(_hosted_southchurch("Redruth", 10),),
    complete_steps=(1, 2, 3, 4, 5, 6, 7),
    unsourced_note=_established_note("Redruth"),
)

CAMBORNE = SiteSpec(
    slug="camborne",
    name="Camborne",
    status=Site.Status.ESTABLISHED,
    pathway_version="1.0",
    start_date=dt.date(2008, 1, 1),
    ward_codes=("E05013278", "E05013279"),
    description=(
        "Camborne, Cornwall: 'one of the most deprived towns in the UK with high levels of "
        "antisocial youth behaviour, truancy and low levels of educational attainment' "
        "(summary), home of the TR14ers. The sources give no start date: the demo uses 1 January "
        "2008, some years before the TR14ers' 2011 Queen's Award; replace it with the real date. "
        "Wards Camborne Roskear & Tuckingmill and Camborne Trelowarren (2024 boundaries, best "
        "fit)."
    ),
    organisations=(C2_TEAM, NEIGHBOURHOOD_BEAT, TR14ERS, WEST_CORNWALL_PCT),
    evidence=(
        EvidenceSpec(
            3, "listening-event-held",
            "Asking young people: 'what is it like to live around here?'",
            "Having attended a C2 Programme, the Camborne Neighbourhood Beat team started by "
            "asking young people 'what is it like to live around here?'. The answers revealed a "
            "deep seated sense of shame about where they lived and very little for them to do "
            "(summary).",
        ),
        EvidenceSpec(
            5, "wins-celebrated",
            "Queen's Award for Voluntary Service, 2011",
            "In 2011 the TR14ers were awarded the Queen's Award for Voluntary Service; their "
            "health and wellbeing effects were acknowledged by the NHS Live awards (summary).",
        ),
        EvidenceSpec(
            6, "new-groups-all-ages",
            "The TR14ers dance group",
            "After a chance encounter with a choreographer, the police hosted dance workshops in "
            "the school holidays. Over one hundred young people came to the first; by the second "
            "they had named themselves the TR14ers, after Camborne's postcode. Over 1000 children "
            "have attended the workshops (summary).",
            record=TR14ERS,
        ),
        EvidenceSpec(
            6, "health-priorities-targeted",
            "West Cornwall PCT funds the dance leaders group",
            "West Cornwall PCT funded the TR14ers' dance leaders group to work with other youth "
            "groups and schools, engaging young people in activity and building their "
            "self-esteem (summary).",
        ),
        EvidenceSpec(
            6, "accelerated-responses",
            "The police find new ways of tackling youth anti-social behaviour",
            "After attending a C2 Programme, the Camborne Neighbourhood Beat team realised that "
            "new ways of tackling youth antisocial behaviour were required, and started by "
            "listening to young people (summary).",
        ),
        EvidenceSpec(
            7, "measurable-outcomes",
            "Claimed: truancy down 90%, less anti-social behaviour, ten young people a year kept "
            "from persistent offending",
            "The TR14ers are credited with a drop in antisocial behaviour, a 90% reduction in "
            "truancy and increased educational attainment; police estimate that ten young people "
            "a year have been prevented from being labelled a persistent young offender "
            "(summary). Public C2 material gives a baseline of about 1,500 anti-social behaviour "
            f"reports a year. {CLAIM}",
        ),
        EvidenceSpec(
            7, "partnership-established",
            "The TR14ers mentor other C2 neighbourhoods",
            "The TR14ers are now engaged in the delivery of C2, performing and mentoring in "
            "neighbourhoods where C2 is being implemented (summary).",
        ),
    ),
    complete_steps=(1, 2, 3, 4, 5, 6, 7),
    unsourced_note=_established_note("Camborne"),
)


# Kent: Cliftonville, Thanet, "in place for 18 months" by November 2013 -------------------------
CLIFTONVILLE = SiteSpec(
    slug="cliftonville",
    name="Cliftonville",
    status=Site.Status.ACTIVE,
    pathway_version="2.0",
    # "in place for 18 months" at the network's first meeting in early November 2013 (report 4.4)
    start_date=dt.date(2012, 5, 1),
    ward_codes=("E05005087", "E05005088"),
    description=(
        "The C2 programme in Kent, 'in place for 18 months' by November 2013 (Southchurch report "
        "4.4), so the demo starts it in May 2012, in Cliftonville (Thanet), wards Cliftonville "
        "East and Cliftonville West. The report does not name the Kent neighbourhood or say how "
        "far along the pathway it was: the demo shows it mid-pathway, on the newer wording of "
        "the model (version 2.0)."
    ),
    organisations=(C2_TEAM, KENT_PUBLIC_HEALTH),
    people=(
        PersonSpec(
            "Resident C", PersonKind.RESIDENT,
            "The resident representative of the C2 programme in Kent who attended the first "
            "meeting of Southchurch's Strategic Steering Network (report 4.4). A fictional label: "
            "the report names no one.",
        ),
        PersonSpec(
            "Public health lead (Kent)", PersonKind.WORKER,
            "Attended the first meeting of Southchurch's Strategic Steering Network with a "
            "resident representative (report 4.4). Described by post: the report names no one.",
            organisation=KENT_PUBLIC_HEALTH,
            job_title="Public health lead for the C2 programme in Kent",
        ),
    ),
    evidence=(
        EvidenceSpec(
            4, "exchange-visits",
            "Sharing experience with Southchurch (early November 2013)",
            "A resident representative and the public health lead for the C2 programme in Kent "
            "attended the first meeting of Southchurch's C2 Strategic Steering Network to share "
            "their experience to date (Southchurch report 4.4). Towards this criterion only: it "
            "asks for visits to established sites and a hosted return visit.",
            occurred_on=NETWORK_FORMED,
        ),
    ),
    complete_steps=(1, 2, 3),
    unsourced_note=(
        "The Southchurch report (November 2013) says the C2 programme in Kent had been in place "
        "for 18 months. The demo's sources do not describe this criterion: this note stands in "
        "for the site's own evidence."
    ),
)

SITES = (SOUTHCHURCH, BEACON, REDRUTH, CAMBORNE, CLIFTONVILLE)


# Demo users -------------------------------------------------------------------------------------
#: Shown by `c2hub demo`; only for a demo on a laptop.
DEMO_PASSWORD = "c2hub-demo-2013"


@dataclass(frozen=True)
class DemoUserSpec:
    email: str
    full_name: str
    role: str
    sites: tuple[str, ...]  # site slugs; empty for a programme admin
    #: A fixed base32 TOTP secret (printed by the demo) for roles that must use 2FA.
    totp_secret: str = ""


DEMO_USERS = (
    DemoUserSpec(
        "admin@example.org", "Demo programme admin", "programme_admin", (),
        totp_secret="C2HUBDEMOADMINTOTPSECRETFORTESTS",
    ),
    DemoUserSpec(
        "facilitator.southchurch@example.org", "Demo facilitator (Southchurch)", "facilitator",
        ("southchurch",), totp_secret="C2HUBDEMOFACILITATORTOTPSECRETXX",
    ),
    DemoUserSpec(
        "commissioner.southend@example.org", "Demo commissioner (Southend CCG)", "commissioner",
        ("southchurch",),
    ),
    DemoUserSpec(
        "member.southchurch@example.org", "Demo partnership member (Southchurch)",
        "partnership_member", ("southchurch",),
    ),
    DemoUserSpec(
        "researcher@example.org", "Demo researcher", "researcher",
        tuple(site.slug for site in SITES),
    ),
)
