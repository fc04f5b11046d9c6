"""Case studies: consent rules for quotes and photos, linked records of the same site only,
publishing, and what each audience is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from c2hub.casestudies import selectors, services
from c2hub.casestudies.models import Audience, CaseStudyStatus
from c2hub.events import services as event_services
from c2hub.events.models import EventKind
from tests.casestudies.conftest import CONSENT, png_upload

pytestmark = pytest.mark.django_db


def test_create_needs_a_title_and_links_only_its_own_sites_records(site, other_site, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.case_study_create(actor=facilitator, site=site, title="  ")
    assert "title" in caught.value.message_dict
    theirs = event_services.event_create(
        actor=None,
        site=other_site,
        kind=EventKind.CELEBRATION,
        title="Theirs",
        starts_at=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError) as caught:
        services.case_study_create(actor=facilitator, site=site, title="Ours", events=[theirs.pk])
    assert caught.value.message_dict["events"] == ["Choose only records of this site."]
    ours = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.CELEBRATION,
        title="Ours",
        starts_at=dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
    )
    case_study = services.case_study_create(actor=facilitator, site=site, title="Ours", events=[ours.pk])
    assert list(case_study.events.all()) == [ours]
    assert case_study.created_by == facilitator


def test_commissioners_and_researchers_cannot_write(site, commissioner, researcher, case_study):
    for user in (commissioner, researcher):
        with pytest.raises(PermissionDenied):
            services.case_study_create(actor=user, site=site, title="No")
        with pytest.raises(PermissionDenied):
            services.quote_add(
                actor=user, case_study=case_study, text="x", attribution="y", consent_scope="team", **CONSENT
            )


def test_a_childs_words_need_a_parents_consent(case_study, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.quote_add(
            actor=facilitator,
            case_study=case_study,
            text="Dancing is great",
            attribution="Aged 9",
            consent_scope="publication",
            about_a_child=True,
            **CONSENT,
        )
    assert "parental_consent" in caught.value.message_dict
    quote = services.quote_add(
        actor=facilitator,
        case_study=case_study,
        text="Dancing is great",
        attribution="Aged 9",
        consent_scope="publication",
        about_a_child=True,
        parental_consent=True,
        **CONSENT,
    )
    assert quote.usable_for(Audience.PUBLIC)


def test_consent_fields_are_required_and_not_in_the_future(case_study, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.quote_add(
            actor=facilitator,
            case_study=case_study,
            text="",
            attribution="",
            consent_from="",
            consent_given_on=dt.date.today() + dt.timedelta(days=2),
            consent_scope="everywhere",
        )
    assert set(caught.value.message_dict) == {
        "text",
        "attribution",
        "consent_from",
        "consent_given_on",
        "consent_scope",
    }


def test_what_each_audience_is_shown(case_study, quotes):
    team = selectors.shown_items(case_study, Audience.TEAM)
    public = selectors.shown_items(case_study, Audience.PUBLIC)
    assert team.quotes == [quotes["public"], quotes["team"]]
    assert public.quotes == [quotes["public"]]
    reasons = {lo.item.pk: lo.reason for lo in public.left_out}
    assert reasons[quotes["team"].pk] == "its consent covers the programme team only, not publication"
    assert reasons[quotes["child"].pk] == "a child, without a parent's or guardian's consent"
    assert reasons[quotes["withdrawn"].pk] == "consent withdrawn on 1 June 2024"


def test_withdrawal_cannot_precede_consent(quotes, facilitator):
    with pytest.raises(ValidationError):
        services.consent_withdraw(actor=facilitator, item=quotes["team"], on=dt.date(2020, 1, 1))


def test_photos_are_checked_by_content_and_need_alt_text(case_study, facilitator):
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        services.photo_add(
            actor=facilitator, case_study=case_study, image=fake, alt_text="", consent_scope="publication", **CONSENT
        )
    assert caught.value.message_dict["image"] == ["The photo must be a JPEG, PNG, WebP or GIF image."]
    assert "alt_text" in caught.value.message_dict
    big = SimpleUploadedFile("big.png", b"x" * (services.PHOTO_MAX_BYTES + 1), content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        services.photo_add(
            actor=facilitator,
            case_study=case_study,
            image=big,
            alt_text="Dancers",
            consent_scope="publication",
            **CONSENT,
        )
    assert "smaller than 8 MB" in caught.value.message_dict["image"][0]
    photo = services.photo_add(
        actor=facilitator,
        case_study=case_study,
        image=png_upload(),
        alt_text="Dancers",
        consent_scope="publication",
        **CONSENT,
    )
    assert photo.image.name.startswith(f"case-studies/{case_study.site_id}/{case_study.pk}/")


def test_publishing(case_study, facilitator, member):
    with pytest.raises(PermissionDenied):
        services.case_study_publish(actor=member, case_study=case_study, audience="public")
    services.case_study_publish(actor=facilitator, case_study=case_study, audience="public")
    case_study.refresh_from_db()
    assert case_study.status == CaseStudyStatus.PUBLISHED and case_study.published_at is not None
    assert selectors.shown_items(case_study).audience == "public"
    empty = services.case_study_create(actor=facilitator, site=case_study.site, title="Empty")
    with pytest.raises(ValidationError) as caught:
        services.case_study_publish(actor=facilitator, case_study=empty, audience="team")
    assert "narrative" in caught.value.message_dict


def test_drafts_only_for_the_sites_team(site, case_study, facilitator, commissioner, researcher):
    assert selectors.case_studies_for_site(facilitator, site) == [case_study]
    assert selectors.case_studies_for_site(commissioner, site) == []
    assert selectors.library(researcher) == []
    services.case_study_publish(actor=facilitator, case_study=case_study, audience="team")
    assert selectors.case_studies_for_site(commissioner, site) == [case_study]
    assert selectors.library(researcher, q="postcode") == [case_study]
    assert selectors.library(researcher, q="nothing like this") == []


def test_the_library_never_crosses_into_sites_the_user_is_not_in(site, other_site, case_study, facilitator):
    from c2hub.accounts.models import Role
    from tests.factories import user_with_role

    theirs = services.case_study_create(actor=None, site=other_site, title="Beacon's story", narrative="Told.")
    services.case_study_publish(actor=None, case_study=theirs, audience="public")
    assert selectors.library(facilitator) == [case_study]
    outsider = user_with_role(Role.FACILITATOR, other_site)
    assert selectors.library(outsider) == [theirs]
