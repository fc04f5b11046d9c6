"""Every write to case studies, their quotes and photos.

Keyword-only arguments; the actor's permission on the site (``casestudies.change_case_studies``,
``casestudies.publish_case_studies``) checked first; one transaction attributed to the actor in
the audit log. Linked events, wins and groups must be the case study's own site's. A child's
quote or photo needs a parent's or guardian's consent; publishing to the public needs every shown
item's consent to reach publication (items whose consent does not are left out, and the page
says which).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require, signed_in_user
from c2hub.casestudies.models import Audience, CaseStudy, CaseStudyStatus, ConsentedItem, ConsentScope, Photo, Quote
from c2hub.community.models import CommunityGroup
from c2hub.events.models import Event
from c2hub.images import check_image
from c2hub.programmes.models import Site
from c2hub.programmes.services import _touch
from c2hub.wins.models import Win

CHANGE = "casestudies.change_case_studies"
PUBLISH = "casestudies.publish_case_studies"
PHOTO_MAX_BYTES = 8 * 1024 * 1024


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _linked(site: Site, model: Any, ids: Iterable[int] | None, field: str, errors: dict[str, str]) -> list[Any]:
    wanted = {int(i) for i in ids or ()}
    found = list(model.objects.filter(site=site, pk__in=wanted))
    if len(found) != len(wanted):
        errors[field] = "Choose only records of this site."
    return found


def _fill(case_study: CaseStudy, values: dict[str, Any], errors: dict[str, str]) -> None:
    for name in ("title", "summary", "narrative", "figures"):
        if name in values:
            setattr(case_study, name, (values[name] or "").strip())
    if not case_study.title:
        errors["title"] = "Enter the case study's title."
    elif len(case_study.title) > 200:
        errors["title"] = "The title must be 200 characters or fewer."
    if len(case_study.summary) > 400:
        errors["summary"] = "The summary must be 400 characters or fewer."


@transaction.atomic
def case_study_create(
    *,
    actor: Any,
    site: Site,
    title: str,
    summary: str = "",
    narrative: str = "",
    figures: str = "",
    events: Iterable[int] | None = None,
    wins: Iterable[int] | None = None,
    community_groups: Iterable[int] | None = None,
) -> CaseStudy:
    require(actor, CHANGE, site)
    errors: dict[str, str] = {}
    case_study = CaseStudy(site=site, created_by=signed_in_user(actor))
    _fill(case_study, {"title": title, "summary": summary, "narrative": narrative, "figures": figures}, errors)
    linked = {
        "events": _linked(site, Event, events, "events", errors),
        "wins": _linked(site, Win, wins, "wins", errors),
        "community_groups": _linked(site, CommunityGroup, community_groups, "community_groups", errors),
    }
    _raise_if(errors)
    with acting_as(actor):
        case_study.save()
        for name, records in linked.items():
            getattr(case_study, name).set(records)
        _touch(site)
    return case_study


@transaction.atomic
def case_study_update(*, actor: Any, case_study: CaseStudy, **values: Any) -> CaseStudy:
    """Change the text or the linked records. A published case study stays published."""
    site = case_study.site
    require(actor, CHANGE, site)
    errors: dict[str, str] = {}
    _fill(case_study, values, errors)
    linked = {
        name: _linked(site, model, values[name], name, errors)
        for name, model in (("events", Event), ("wins", Win), ("community_groups", CommunityGroup))
        if name in values
    }
    _raise_if(errors)
    with acting_as(actor):
        case_study.updated_at = timezone.now()
        case_study.save()
        for name, records in linked.items():
            getattr(case_study, name).set(records)
        _touch(site)
    return case_study


def _consent(
    item: ConsentedItem,
    *,
    consent_from: str,
    consent_given_on: dt.date | None,
    consent_scope: str,
    about_a_child: bool,
    parental_consent: bool,
    errors: dict[str, str],
) -> None:
    item.consent_from = consent_from.strip()
    if not item.consent_from:
        errors["consent_from"] = "Say who gave consent."
    if consent_given_on is None:
        errors["consent_given_on"] = "Enter the date consent was given."
    elif consent_given_on > timezone.localdate():
        errors["consent_given_on"] = "The date consent was given cannot be in the future."
    else:
        item.consent_given_on = consent_given_on
    if consent_scope not in ConsentScope.values:
        errors["consent_scope"] = "Choose what the consent covers."
    item.consent_scope = consent_scope
    item.about_a_child = about_a_child
    item.parental_consent = parental_consent
    if about_a_child and not parental_consent:
        errors["parental_consent"] = (
            "A child's words or picture need the consent of a parent or guardian: record it, or leave the item out."
        )


@transaction.atomic
def quote_add(
    *,
    actor: Any,
    case_study: CaseStudy,
    text: str,
    attribution: str,
    consent_from: str,
    consent_given_on: dt.date | None,
    consent_scope: str,
    about_a_child: bool = False,
    parental_consent: bool = False,
) -> Quote:
    require(actor, CHANGE, case_study.site)
    errors: dict[str, str] = {}
    quote = Quote(case_study=case_study, text=text.strip(), attribution=attribution.strip())
    if not quote.text:
        errors["text"] = "Enter the quote."
    elif len(quote.text) > 2000:
        errors["text"] = "The quote must be 2,000 characters or fewer."
    if not quote.attribution:
        errors["attribution"] = "Say who said it, e.g. 'A resident, aged 16'."
    _consent(
        quote,
        consent_from=consent_from,
        consent_given_on=consent_given_on,
        consent_scope=consent_scope,
        about_a_child=about_a_child,
        parental_consent=parental_consent,
        errors=errors,
    )
    _raise_if(errors)
    quote.order = case_study.quotes.count()
    with acting_as(actor):
        quote.save()
        CaseStudy.objects.filter(pk=case_study.pk).update(updated_at=timezone.now())
    return quote


@transaction.atomic
def photo_add(
    *,
    actor: Any,
    case_study: CaseStudy,
    image: UploadedFile | None,
    alt_text: str,
    caption: str = "",
    consent_from: str,
    consent_given_on: dt.date | None,
    consent_scope: str,
    about_a_child: bool = False,
    parental_consent: bool = False,
) -> Photo:
    require(actor, CHANGE, case_study.site)
    errors: dict[str, str] = {}
    photo = Photo(case_study=case_study, alt_text=alt_text.strip(), caption=caption.strip())
    if image is None:
        errors["image"] = "Choose the photo."
    else:
        try:
            check_image(image, field="image", max_bytes=PHOTO_MAX_BYTES)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if not photo.alt_text:
        errors["alt_text"] = "Describe what the photo shows, for people who cannot see it."
    _consent(
        photo,
        consent_from=consent_from,
        consent_given_on=consent_given_on,
        consent_scope=consent_scope,
        about_a_child=about_a_child,
        parental_consent=parental_consent,
        errors=errors,
    )
    _raise_if(errors)
    photo.image = image
    photo.order = case_study.photos.count()
    with acting_as(actor):
        photo.save()
        CaseStudy.objects.filter(pk=case_study.pk).update(updated_at=timezone.now())
    return photo


@transaction.atomic
def consent_withdraw(*, actor: Any, item: Quote | Photo, on: dt.date | None = None) -> Quote | Photo:
    """Record that consent was withdrawn: from that day the item is in no page or export."""
    require(actor, CHANGE, item.case_study.site)
    on = on or timezone.localdate()
    if on < item.consent_given_on:
        raise ValidationError({"on": "Consent cannot be withdrawn before it was given."})
    with acting_as(actor):
        item.consent_withdrawn_on = on
        item.save(update_fields=["consent_withdrawn_on"])
    return item


@transaction.atomic
def item_remove(*, actor: Any, item: Quote | Photo) -> None:
    require(actor, CHANGE, item.case_study.site)
    with acting_as(actor):
        if isinstance(item, Photo) and item.image:
            item.image.delete(save=False)
        item.delete()


@transaction.atomic
def case_study_publish(*, actor: Any, case_study: CaseStudy, audience: str) -> CaseStudy:
    """Publish to an audience. It needs a narrative; items whose consent does not reach the
    audience are simply not shown (``selectors.shown_items`` says which)."""
    require(actor, PUBLISH, case_study.site)
    errors: dict[str, str] = {}
    if audience not in Audience.values:
        errors["audience"] = "Choose who the case study is for."
    if not case_study.paragraphs():
        errors["narrative"] = "Write the story before publishing."
    _raise_if(errors)
    with acting_as(actor):
        case_study.status = CaseStudyStatus.PUBLISHED
        case_study.audience = audience
        case_study.published_at = timezone.now()
        case_study.save(update_fields=["status", "audience", "published_at"])
        _touch(case_study.site)
    return case_study


@transaction.atomic
def case_study_unpublish(*, actor: Any, case_study: CaseStudy) -> CaseStudy:
    require(actor, PUBLISH, case_study.site)
    with acting_as(actor):
        case_study.status = CaseStudyStatus.DRAFT
        case_study.save(update_fields=["status"])
    return case_study
