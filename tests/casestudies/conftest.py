from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from c2hub.casestudies import services


def png_upload(name: str = "dancers.png", size: tuple[int, int] = (8, 6)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 90)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


CONSENT = {"consent_from": "the speaker", "consent_given_on": dt.date(2024, 5, 1)}


@pytest.fixture
def case_study(site):
    return services.case_study_create(
        actor=None,
        site=site,
        title="The TR14ers",
        summary="Young people who danced their way to a safer neighbourhood.",
        narrative=(
            "Over a hundred young people came to the first workshop.\n\nThey named themselves after the postcode."
        ),
        figures="Truancy down 90% (school records)\nOver 1,000 children attended (C2 evaluation)",
    )


@pytest.fixture
def quotes(case_study):
    """One quote cleared for publication, one for the team only, one of a child without a parent's consent
    (refused by the service, so made directly), one withdrawn."""
    from c2hub.casestudies.models import Quote

    public = services.quote_add(
        actor=None,
        case_study=case_study,
        text="We have somewhere to go now.",
        attribution="A resident, aged 15",
        about_a_child=True,
        parental_consent=True,
        consent_scope="publication",
        **CONSENT,
    )
    team = services.quote_add(
        actor=None,
        case_study=case_study,
        text="The police listen to us.",
        attribution="A resident",
        consent_scope="team",
        **CONSENT,
    )
    child = Quote.objects.create(
        case_study=case_study,
        text="I love dancing.",
        attribution="A child, aged 9",
        about_a_child=True,
        parental_consent=False,
        consent_scope="publication",
        **CONSENT,
    )
    withdrawn = services.quote_add(
        actor=None,
        case_study=case_study,
        text="I changed my mind about this.",
        attribution="A resident",
        consent_scope="publication",
        **CONSENT,
    )
    services.consent_withdraw(actor=None, item=withdrawn, on=dt.date(2024, 6, 1))
    return {"public": public, "team": team, "child": child, "withdrawn": withdrawn}
