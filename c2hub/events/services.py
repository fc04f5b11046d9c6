"""Every write to events, attendance, minutes, the learning programme and walkabouts.

Each function takes keyword-only arguments, checks the actor's permission on the site with the
rules in ``c2hub/accounts/rules.py`` (``events.change_events``, ``events.approve_minutes``),
validates, saves in one transaction attributed to the actor in the audit log, and marks the site
as active. ``actor=None`` is the system itself (the demo loader) and skips the permission check.
People and organisations always come from the event's own site: another site's are refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.events.models import (
    MEETING_KINDS,
    Attendance,
    Decision,
    Event,
    EventKind,
    EventStatus,
    ExchangeDirection,
    FindingKind,
    HeadCount,
    LearnerCompletion,
    Minutes,
    MinutesPublication,
    MinutesStatus,
    ParticipantKind,
    VenueKind,
    WalkaboutFinding,
)
from c2hub.images import check_image
from c2hub.people.models import AgeBand, Group, GroupKind, GroupMembership, MembershipRole, Organisation, Person
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.services import _touch

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue_kind",
    "venue",
    "steps",
    "exchange_direction",
    "exchange_site",
    "exchange_site_name",
    "parent",
    "cohort",
    "route_description",
    "organisers",
    "organiser_organisations",
)
#: Kinds of event that may be for a learning-programme cohort.
COHORT_KINDS = frozenset({EventKind.RESIDENTIAL, EventKind.TRAINING})
#: The largest walkabout photo accepted (types: c2hub.images.IMAGE_FORMATS).
FINDING_PHOTO_MAX_BYTES = 10 * 1024 * 1024
#: The most people in one head-count cell (a typo guard, not a venue's capacity).
HEAD_COUNT_MAX = 10_000


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _clean_or_raise(record: Any, errors: dict[str, str], exclude: Iterable[str] = ()) -> None:
    try:
        record.full_clean(exclude=[*errors, *exclude])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages[0])
    _raise_if(errors)


# Events ------------------------------------------------------------------------------------------
def _validate_event(
    event: Event,
    organisers: list[Person] | None,
    organiser_organisations: list[Organisation] | None,
) -> None:
    """Every rule of an event, all errors at once."""
    site = event.site
    errors: dict[str, str] = {}
    event.title = (event.title or "").strip()
    event.venue = (event.venue or "").strip()
    event.exchange_site_name = (event.exchange_site_name or "").strip()
    if not event.title:
        errors["title"] = "Enter the event's title."
    if event.kind not in EventKind.values:
        errors["kind"] = "Choose the kind of event."
    if event.starts_at is None:
        errors["starts_at"] = "Enter the date and time the event starts."
    elif event.ends_at is not None and event.ends_at < event.starts_at:
        errors["ends_at"] = "The end must be after the start."
    if event.venue_kind == VenueKind.ELSEWHERE and not event.venue:
        errors["venue"] = "Enter where the event is, as it is not at the hub."
    steps = event.steps or []
    if not isinstance(steps, list) or not all(isinstance(n, int) for n in steps):
        errors["steps"] = "Steps must be a list of step numbers."
    else:
        numbers = set(site.pathway_model.steps.values_list("number", flat=True))
        bad = sorted(n for n in steps if n not in numbers)
        if bad:
            errors["steps"] = f"No such step in this site's pathway: {', '.join(map(str, bad))}."
        event.steps = sorted(set(steps))
    if event.status == EventStatus.HELD and event.starts_at and event.starts_at > timezone.now():
        errors["status"] = "An event cannot be marked held before it starts."
    # Kind-specific fields.
    if event.kind == EventKind.EXCHANGE_VISIT:
        if event.exchange_direction not in (ExchangeDirection.MADE, ExchangeDirection.HOSTED):
            errors["exchange_direction"] = "Say whether the visit was made to another site or hosted from one."
        if event.exchange_site_id is None and not event.exchange_site_name:
            errors["exchange_site"] = "Choose the other site, or type its name."
        elif event.exchange_site_id == site.pk:
            errors["exchange_site"] = "An exchange visit is with another site."
        elif event.exchange_site is not None and event.exchange_site.programme_id != site.programme_id:
            errors["exchange_site"] = "Choose a site of this programme, or type the site's name."
    elif event.exchange_direction or event.exchange_site_id or event.exchange_site_name:
        errors["exchange_direction"] = "Only an exchange visit is made to or hosted from another site."
    if event.parent_id is not None:
        if event.kind != EventKind.SITE_VISIT:
            errors["parent"] = "Only a site visit belongs to a residential."
        elif event.parent.site_id != site.pk or event.parent.kind != EventKind.RESIDENTIAL:
            errors["parent"] = "Choose a residential of this site."
    if event.cohort_id is not None:
        if event.kind not in COHORT_KINDS:
            errors["cohort"] = "Only a residential or a training is for a cohort."
        elif event.cohort.site_id != site.pk or event.cohort.kind != GroupKind.LEARNING_COHORT:
            errors["cohort"] = "Choose a learning-programme cohort of this site."
    if event.route_description.strip() and event.kind != EventKind.WALKABOUT:
        errors["route_description"] = "Only a walkabout has a route."
    if organisers is not None:
        outsiders = [p for p in organisers if not p.sites.filter(pk=site.pk).exists()]
        if outsiders:
            errors["organisers"] = "Organisers must be people taking part in this site."
    if organiser_organisations is not None:
        outsiders = [o for o in organiser_organisations if not o.sites.filter(pk=site.pk).exists()]
        if outsiders:
            errors["organiser_organisations"] = "Organisations must take part in this site."
    _clean_or_raise(event, errors, exclude=["organisers", "organiser_organisations", "created_by"])


def event_create(
    *,
    actor: Any,
    site: Site,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None = None,
    description: str = "",
    status: str = EventStatus.PLANNED,
    venue_kind: str = VenueKind.HUB,
    venue: str = "",
    steps: Iterable[int] = (),
    exchange_direction: str = "",
    exchange_site: Site | None = None,
    exchange_site_name: str = "",
    parent: Event | None = None,
    cohort: Group | None = None,
    route_description: str = "",
    organisers: Iterable[Person] = (),
    organiser_organisations: Iterable[Organisation] = (),
) -> Event:
    """Record an event of a site (planned by default)."""
    require(actor, "events.change_events", site)
    organisers, organiser_organisations = list(organisers), list(organiser_organisations)
    event = Event(
        site=site,
        kind=kind,
        title=title,
        description=description,
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_kind=venue_kind,
        venue=venue,
        steps=list(steps),
        exchange_direction=exchange_direction or "",
        exchange_site=exchange_site,
        exchange_site_name=exchange_site_name,
        parent=parent,
        cohort=cohort,
        route_description=route_description,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _validate_event(event, organisers, organiser_organisations)
    with transaction.atomic(), acting_as(actor):
        event.save()
        event.organisers.set(organisers)
        event.organiser_organisations.set(organiser_organisations)
        _touch(site)
    return event


def event_update(*, actor: Any, event: Event, **changes: Any) -> Event:
    """Change an event's details (``EVENT_FIELDS``); its status has its own function."""
    require(actor, "events.change_events", event.site)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in sorted(unknown)})
    organisers = changes.pop("organisers", None)
    organiser_organisations = changes.pop("organiser_organisations", None)
    organisers = list(organisers) if organisers is not None else None
    organiser_organisations = list(organiser_organisations) if organiser_organisations is not None else None
    for name, value in changes.items():
        if name == "steps":
            value = list(value)
        if name == "exchange_direction":
            value = value or ""
        setattr(event, name, value)
    _validate_event(event, organisers, organiser_organisations)
    with transaction.atomic(), acting_as(actor):
        event.save()
        if organisers is not None:
            event.organisers.set(organisers)
        if organiser_organisations is not None:
            event.organiser_organisations.set(organiser_organisations)
        _touch(event.site)
    return event


def event_set_status(*, actor: Any, event: Event, status: str) -> Event:
    """Mark an event held, cancelled, or planned again."""
    require(actor, "events.change_events", event.site)
    if status not in EventStatus.values:
        raise ValidationError({"status": "Choose planned, held or cancelled."})
    if status == EventStatus.HELD and event.starts_at > timezone.now():
        raise ValidationError({"status": "An event cannot be marked held before it starts."})
    from c2hub.listening.services import feedback_event_held  # listening builds on events

    with transaction.atomic(), acting_as(actor):
        event.status = status
        event.save(update_fields=["status"])
        _touch(event.site)
        # A feedback event held in time evidences the listening event's step-3 criterion.
        feedback_event_held(event, actor)
    return event


# Attendance ---------------------------------------------------------------------------------------
def attendance_add(
    *, actor: Any, event: Event, person: Person | None = None, organisation: Organisation | None = None
) -> Attendance:
    """A named person (of this site) or an organisation (taking part in this site) attended."""
    require(actor, "events.change_events", event.site)
    errors: dict[str, str] = {}
    if person is None and organisation is None:
        errors["person"] = "Choose a person or an organisation."
    if person is not None:
        if not person.sites.filter(pk=event.site_id).exists():
            errors["person"] = "This person does not take part in this site."
        elif Attendance.objects.filter(event=event, person=person).exists():
            errors["person"] = "This person is already recorded as attending."
    if organisation is not None:
        if not organisation.sites.filter(pk=event.site_id).exists():
            errors["organisation"] = "This organisation does not take part in this site."
        elif (
            person is None
            and Attendance.objects.filter(event=event, organisation=organisation, person__isnull=True).exists()
        ):
            errors["organisation"] = "This organisation is already recorded as represented."
    _raise_if(errors)
    with transaction.atomic(), acting_as(actor):
        attendance = Attendance.objects.create(event=event, person=person, organisation=organisation)
        _touch(event.site)
    return attendance


def attendance_remove(*, actor: Any, attendance: Attendance) -> None:
    require(actor, "events.change_events", attendance.event.site)
    with transaction.atomic(), acting_as(actor):
        attendance.delete()


def head_counts_set(*, actor: Any, event: Event, counts: Mapping[tuple[str, str], int]) -> list[HeadCount]:
    """Replace the event's anonymous head-count: ``{(participant, age_band): count}``. Zero
    counts are not stored."""
    require(actor, "events.change_events", event.site)
    errors: dict[str, str] = {}
    rows: list[HeadCount] = []
    for (participant, age_band), count in counts.items():
        where = f"{participant}:{age_band or 'unknown'}"
        if participant not in ParticipantKind.values:
            errors[where] = "Choose resident or provider."
        elif age_band not in AgeBand.values:
            errors[where] = "No such age band."
        elif not isinstance(count, int) or isinstance(count, bool) or count < 0:
            errors[where] = "A head-count is a whole number, 0 or more."
        elif count > HEAD_COUNT_MAX:
            errors[where] = f"A head-count must be at most {HEAD_COUNT_MAX}."
        elif count:
            rows.append(HeadCount(event=event, participant=participant, age_band=age_band, count=count))
    _raise_if(errors)
    with transaction.atomic(), acting_as(actor):
        # One by one, not bulk: every change is in the audit log.
        for old in HeadCount.objects.filter(event=event):
            old.delete()
        for row in rows:
            row.save()
        _touch(event.site)
    return rows


# Meetings: agenda, minutes, decisions -------------------------------------------------------------
def _require_meeting(event: Event) -> None:
    if event.kind not in MEETING_KINDS:
        raise ValidationError({"event": "Only a partnership meeting has an agenda, minutes and decisions."})


def _minutes(event: Event) -> Minutes:
    minutes, _ = Minutes.objects.get_or_create(event=event)
    return minutes


def minutes_save(*, actor: Any, event: Event, agenda: str, text: str) -> Minutes:
    """Save the agenda and the draft minutes. Approved minutes are no longer changed."""
    require(actor, "events.change_events", event.site)
    _require_meeting(event)
    with transaction.atomic(), acting_as(actor):
        minutes = _minutes(event)
        if minutes.is_approved and text != minutes.text:
            raise ValidationError({"text": "These minutes have been approved and can no longer be changed."})
        minutes.agenda = agenda
        minutes.text = text
        minutes.updated_at = timezone.now()
        _clean_or_raise(minutes, {})
        minutes.save()
        _touch(event.site)
    return minutes


def decision_add(*, actor: Any, event: Event, text: str) -> Decision:
    require(actor, "events.change_events", event.site)
    _require_meeting(event)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the decision."})
    with transaction.atomic(), acting_as(actor):
        if _minutes(event).is_approved:
            raise ValidationError({"text": "The minutes have been approved: decisions can no longer be added."})
        order = event.decisions.count() + 1
        decision = Decision(event=event, text=text, order=order)
        _clean_or_raise(decision, {})
        decision.save()
        _touch(event.site)
    return decision


def decision_remove(*, actor: Any, decision: Decision) -> None:
    require(actor, "events.change_events", decision.event.site)
    if _minutes(decision.event).is_approved:
        raise ValidationError({"decision": "The minutes have been approved: decisions can no longer be removed."})
    with transaction.atomic(), acting_as(actor):
        decision.delete()


def minutes_approve(*, actor: Any, event: Event, at_meeting: Event) -> Minutes:
    """Minutes are approved at a later meeting of the same site, which has been held."""
    require(actor, "events.approve_minutes", event.site)
    _require_meeting(event)
    errors: dict[str, str] = {}
    if at_meeting.site_id != event.site_id or at_meeting.kind not in MEETING_KINDS:
        errors["at_meeting"] = "Choose a meeting of this site."
    elif at_meeting.pk == event.pk or at_meeting.starts_at <= event.starts_at:
        errors["at_meeting"] = "Minutes are approved at a later meeting."
    elif at_meeting.status != EventStatus.HELD:
        errors["at_meeting"] = "Choose a meeting that has been held."
    with transaction.atomic(), acting_as(actor):
        minutes = _minutes(event)
        if minutes.is_approved:
            errors["at_meeting"] = "These minutes are already approved."
        elif not minutes.text.strip():
            errors["text"] = "Write the minutes before they are approved."
        _raise_if(errors)
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_at = at_meeting
        minutes.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        minutes.updated_at = timezone.now()
        minutes.save()
        _touch(event.site)
    return minutes


def minutes_publish(*, actor: Any, event: Event) -> Minutes:
    """Publish approved minutes: a copy without personal data is frozen and shown to everyone
    who may see the site's events."""
    require(actor, "events.approve_minutes", event.site)
    _require_meeting(event)
    with transaction.atomic(), acting_as(actor):
        minutes = _minutes(event)
        if not minutes.is_approved:
            raise ValidationError({"publication": "Minutes are published once they have been approved."})
        minutes.publication = MinutesPublication.PUBLISHED
        minutes.published_text = public_minutes_text(event, minutes)
        minutes.published_at = timezone.now()
        minutes.save()
        _touch(event.site)
    return minutes


def minutes_keep_internal(*, actor: Any, event: Event) -> Minutes:
    """Withdraw published minutes (or decide not to publish): only the site's team reads them."""
    require(actor, "events.approve_minutes", event.site)
    _require_meeting(event)
    with transaction.atomic(), acting_as(actor):
        minutes = _minutes(event)
        minutes.publication = MinutesPublication.INTERNAL
        minutes.published_text = ""
        minutes.published_at = None
        minutes.save()
    return minutes


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(\+44\s?|0)(\d[\s-]?){9,10}(?!\w)")
_FULL_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s?[0-9][A-Z]{2}\b")


def _name_patterns(site: Site) -> list[tuple[re.Pattern[str], str]]:
    """What replaces each name of the site's people: residents become "a resident", workers
    "someone from <their organisation>". Full names first, then each capitalised part of two letters or
    more (a first name alone is still a name)."""
    full: list[tuple[re.Pattern[str], str]] = []
    parts: list[tuple[re.Pattern[str], str]] = []
    for person in Person.objects.filter(sites=site).select_related("organisation"):
        if person.kind == "worker" and person.organisation:
            stand_in = f"someone from {person.organisation.short_name or person.organisation.name}"
        elif person.kind == "worker":
            stand_in = "a worker"
        else:
            stand_in = "a resident"
        name = person.name.strip()
        if not name:
            continue
        full.append((re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), stand_in))
        for part in name.split():
            if len(part) >= 2 and part[:1].isupper():
                parts.append((re.compile(rf"\b{re.escape(part)}\b"), stand_in))
    full.sort(key=lambda p: -len(p[0].pattern))
    return full + parts


def without_personal_data(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str:
    """Text with people's names, e-mail addresses, phone numbers and full postcodes taken out
    (a postcode keeps its district)."""
    text = _EMAIL.sub("[e-mail removed]", text)
    text = _PHONE.sub("[phone number removed]", text)
    text = _FULL_POSTCODE.sub(lambda m: m.group(1), text)
    for pattern, stand_in in patterns:
        text = pattern.sub(stand_in, text)
    return text


def public_minutes_text(event: Event, minutes: Minutes) -> str:
    """The published version: attendance as counts and organisations, no names."""
    from c2hub.events.selectors import attendance_totals

    patterns = _name_patterns(event.site)
    totals = attendance_totals(event)
    lines = [f"Minutes of {event.title}, {timezone.localtime(event.starts_at):%-d %B %Y}.", ""]
    lines.append(
        f"Attendance: {totals.total} "
        f"({totals.residents} resident{'s' if totals.residents != 1 else ''}, "
        f"{totals.providers} from organisations)."
    )
    if totals.organisations:
        lines.append("Organisations represented: " + ", ".join(totals.organisations) + ".")
    if minutes.agenda.strip():
        lines += ["", "Agenda", without_personal_data(minutes.agenda.strip(), patterns)]
    lines += ["", "Minutes", without_personal_data(minutes.text.strip(), patterns)]
    decisions = list(event.decisions.all())
    if decisions:
        lines += ["", "Decisions"]
        lines += [f"{n}. {without_personal_data(d.text, patterns)}" for n, d in enumerate(decisions, 1)]
    from c2hub.actions.selectors import minutes_lines  # the action plan builds on events

    lines += minutes_lines(event, lambda line: without_personal_data(line, patterns))
    if minutes.approved_at is not None:
        lines += ["", f"Approved at the meeting of {timezone.localtime(minutes.approved_at.starts_at):%-d %B %Y}."]
    return "\n".join(lines)


# The learning programme -----------------------------------------------------------------------------
def _learner_of_site(site: Site, membership: GroupMembership) -> None:
    if (
        membership.group.site_id != site.pk
        or membership.group.kind != GroupKind.LEARNING_COHORT
        or membership.role != MembershipRole.LEARNER
    ):
        raise ValidationError({"membership": "Choose a learner of one of this site's cohorts."})


def learner_complete(
    *, actor: Any, site: Site, membership: GroupMembership, completed_on: dt.date, notes: str = ""
) -> LearnerCompletion:
    """Record that a learner completed the learning programme."""
    require(actor, "events.change_events", site)
    _learner_of_site(site, membership)
    errors: dict[str, str] = {}
    if completed_on is None:
        errors["completed_on"] = "Enter the date the learner completed the programme."
    elif completed_on > timezone.localdate():
        errors["completed_on"] = "The completion date cannot be in the future."
    _raise_if(errors)
    with transaction.atomic(), acting_as(actor):
        completion = LearnerCompletion.objects.filter(membership=membership).first() or LearnerCompletion(
            membership=membership
        )
        completion.completed_on = completed_on
        completion.notes = notes.strip()
        completion.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
        _clean_or_raise(completion, {}, exclude=["recorded_by"])
        completion.save()
        _touch(site)
    return completion


def learner_completion_undo(*, actor: Any, site: Site, membership: GroupMembership) -> None:
    require(actor, "events.change_events", site)
    _learner_of_site(site, membership)
    with transaction.atomic(), acting_as(actor):
        for completion in LearnerCompletion.objects.filter(membership=membership):
            completion.delete()


# Walkabouts ---------------------------------------------------------------------------------------
def _check_photo(photo: UploadedFile) -> None:
    check_image(photo, field="photo", max_bytes=FINDING_PHOTO_MAX_BYTES)


def _check_point(latitude: Decimal | float | None, longitude: Decimal | float | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = "Give both latitude and longitude, or neither."
        return errors
    if latitude is not None and not -90 <= float(latitude) <= 90:
        errors["latitude"] = "Latitude must be between -90 and 90."
    if longitude is not None and not -180 <= float(longitude) <= 180:
        errors["longitude"] = "Longitude must be between -180 and 180."
    return errors


def finding_add(
    *,
    actor: Any,
    event: Event,
    kind: str,
    title: str,
    description: str = "",
    location: str = "",
    latitude: Decimal | float | None = None,
    longitude: Decimal | float | None = None,
    photo: UploadedFile | None = None,
) -> WalkaboutFinding:
    """An asset, strength or issue seen on a walkabout."""
    require(actor, "events.change_events", event.site)
    errors: dict[str, str] = {}
    if event.kind != EventKind.WALKABOUT:
        errors["event"] = "Findings are recorded on a walkabout."
    if kind not in FindingKind.values:
        errors["kind"] = "Choose an asset or strength, or an issue."
    if not (title or "").strip():
        errors["title"] = "Say in a few words what was found."
    errors.update(_check_point(latitude, longitude))
    if photo is not None and "photo" not in errors:
        try:
            _check_photo(photo)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    _raise_if(errors)
    finding = WalkaboutFinding(
        event=event,
        kind=kind,
        title=title.strip(),
        description=description,
        location=location.strip(),
        latitude=round(Decimal(str(latitude)), 6) if latitude is not None else None,
        longitude=round(Decimal(str(longitude)), 6) if longitude is not None else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if photo is not None:
        finding.photo = photo
    _clean_or_raise(finding, {}, exclude=["created_by"])
    with transaction.atomic(), acting_as(actor):
        finding.save()
        _touch(event.site)
    return finding


def finding_remove(*, actor: Any, finding: WalkaboutFinding) -> None:
    require(actor, "events.change_events", finding.event.site)
    with transaction.atomic(), acting_as(actor):
        if finding.photo:
            finding.photo.delete(save=False)
        finding.delete()


# Evidence in one click --------------------------------------------------------------------------------
def _event_summary(event: Event) -> str:
    when = timezone.localtime(event.starts_at)
    return f"{event.get_kind_display()}: {event.title}, {when:%-d %B %Y}"[:300]


def event_attach_evidence(*, actor: Any, event: Event, criterion: StepCriterion) -> Evidence:
    """Attach an event as evidence (kind record) for one of its site's criteria."""
    if event.status == EventStatus.CANCELLED:
        raise ValidationError({"criterion": "A cancelled event is not evidence: mark it held first if it took place."})
    if Evidence.objects.filter(
        site=event.site,
        criterion=criterion,
        record_type__app_label="events",
        record_type__model="event",
        record_id=event.pk,
    ).exists():
        raise ValidationError({"criterion": "This event is already evidence for that criterion."})
    return programme_services.evidence_add(
        actor=actor,
        site=event.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=_event_summary(event),
        record=event,
        occurred_on=event.held_on,
    )


def finding_attach_evidence(*, actor: Any, finding: WalkaboutFinding, criterion: StepCriterion) -> Evidence:
    """Attach a walkabout finding as evidence for one of its site's criteria."""
    event = finding.event
    if Evidence.objects.filter(
        site=event.site,
        criterion=criterion,
        record_type__app_label="events",
        record_type__model="walkaboutfinding",
        record_id=finding.pk,
    ).exists():
        raise ValidationError({"criterion": "This finding is already evidence for that criterion."})
    return programme_services.evidence_add(
        actor=actor,
        site=event.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=f"Walkabout finding ({finding.get_kind_display().lower()}): {finding.title}"[:300],
        note=finding.description,
        record=finding,
        occurred_on=event.held_on,
    )
