"""The demo's case study: the TR14ers at Camborne, idempotently (keyed by site and title).

The story and its figures are the sources' own (seed 000: "Over one hundred young people attended
the first workshop…"), each figure with its source. The two quotes are illustrative — the sources
quote no one — and say so in their attribution; their consent is recorded as the demo's, to show
how consent governs what each reader sees (one cleared for publication, one for the team only).
There are no photos: the demo has none it could use with consent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from c2hub.casestudies import services
from c2hub.casestudies.models import CaseStudy
from c2hub.community.models import CommunityGroup
from c2hub.programmes.models import Site
from c2hub.wins.models import Win

TITLE = "The TR14ers: young people dancing their way to a safer Camborne"
NARRATIVE = "\n\n".join(
    (
        (
            "Camborne's Neighbourhood Beat team began by asking young people \"what is it like to live around "
            'here?". Over one hundred young people attended the first workshop, and by the second workshop they '
            "had decided to call themselves the TR14ers, after the postcode for Camborne. Over 1,000 children "
            "have attended these workshops."
        ),
        (
            "The TR14ers are credited with a drop in antisocial behaviour, a 90% reduction in truancy and "
            "increased educational attainment; police estimate that ten young people a year have been prevented "
            "from being labelled a persistent young offender."
        ),
        (
            "The health and wellbeing effects of the TR14ers have been acknowledged by the NHS Live awards, and "
            "locally by West Cornwall PCT, who funded the dance leaders group to work with other youth groups and"
            " schools, engaging young people in activity and building their self-esteem. In 2011 the TR14ers were"
            " awarded the Queen's Award for Voluntary Service."
        ),
        (
            "The TR14ers are now engaged in the delivery of C2, performing and mentoring in neighbourhoods where "
            "C2 is being implemented."
        ),
    )
)
FIGURES = """Over 1,000 children have attended the workshops (C2 programme summary, seed 000)
Truancy down 90% (C2 programme summary, seed 000)
About ten young people a year not labelled persistent young offenders (police estimate, C2 programme summary, seed 000)
Queen's Award for Voluntary Service, 2011 (C2 programme summary, seed 000)"""
QUOTES = (
    (
        "Before the TR14ers there was nothing to do round here but hang about.",
        "Illustrative: a young dancer, aged 15",
        "publication",
    ),
    (
        "The police actually came and asked us what we thought. Nobody had done that before.",
        "Illustrative: a young resident, aged 17",
        "team",
    ),
)


def demo_case_studies_ensure(sites: dict[str, Site], actor: Any) -> int:
    site = sites.get("camborne")
    if site is None or CaseStudy.objects.filter(site=site, title=TITLE).exists():
        return 0
    case_study = services.case_study_create(
        actor=None,
        site=site,
        title=TITLE,
        summary="Over a hundred young people came to the first workshop; the dance group they named after "
        "their postcode is credited with less anti-social behaviour and 90% less truancy.",
        narrative=NARRATIVE,
        figures=FIGURES,
        wins=list(Win.objects.filter(site=site, title__icontains="TR14ers").values_list("pk", flat=True)),
        community_groups=list(
            CommunityGroup.objects.filter(site=site, name__icontains="TR14ers").values_list("pk", flat=True)
        ),
    )
    for text, attribution, scope in QUOTES:
        services.quote_add(
            actor=None,
            case_study=case_study,
            text=text,
            attribution=attribution,
            consent_from="the demo (illustrative quote)",
            consent_given_on=dt.date(2011, 9, 1),
            consent_scope=scope,
            about_a_child=True,
            parental_consent=True,
        )
    services.case_study_publish(actor=None, case_study=case_study, audience="public")
    return 1 + len(QUOTES)
