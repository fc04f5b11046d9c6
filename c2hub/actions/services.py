"""Every write to the action plan: objectives, actions, their dated updates, and the action plan's
evidence for the pathway.

Each function takes keyword-only arguments, checks the actor's permission on the site
(``actions.change_actions``; evidence needs ``programmes.add_evidence``), validates — all errors at
once, field by field — saves in one transaction attributed to the actor in the audit log, and
marks the site as active. ``actor=None`` is the system itself (the demo loader). People,
organisations, priorities, meetings and findings always come from the action's own site.
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
from c2hub.accounts.rules import require
from c2hub.actions.models import Action, ActionStatus, ActionUpdate, Objective
from c2hub.events.models import MEETING_KINDS, Event, EventStatus, WalkaboutFinding
from c2hub.listening.models import Theme
from c2hub.people.models import Organisation, OrganisationKind, PersonKind
from c2hub.programmes import services as programme_services
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.services import _touch

CHANGE = "actions.change_actions"

#: The fields of an action that ``action_create``/``action_update`` set.
ACTION_FIELDS = (
    "objective",
    "theme",
    "source_meeting",
    "source_finding",
    "title",
    "description",
    "lead_resident",
    "lead_organisation",
    "lead_officer",
    "due_on",
    "status",
    "dropped_reason",
    "asked_on",
    "acknowledged_on",
    "first_response_on",
    "completed_on",
    "what_changed",
    "public",
)
#: The agency dates, in the order they happen; each must be on or after the one it follows.
DATE_ORDER = (
    ("acknowledged_on", "asked_on", "The agency cannot acknowledge an action before it was asked."),
    ("first_response_on", "asked_on", "The first response cannot be before the agency was asked."),
    ("completed_on", "asked_on", "The action cannot be completed before the agency was asked."),
    ("first_response_on", "acknowledged_on", "The first response cannot be before the agency acknowledged it."),
)
#: The largest evidence file on an update.
UPDATE_FILE_MAX_BYTES = 20 * 1024 * 1024


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _is_agency(organisation: Organisation) -> bool:
    return organisation.kind != OrganisationKind.COMMUNITY_GROUP


# Objectives -------------------------------------------------------------------------------------
def _validate_objective(objective: Objective) -> None:
    errors: dict[str, str] = {}
    objective.title = (objective.title or "").strip()
    if not objective.title:
        errors["title"] = "Enter what the partnership sets out to achieve."
    elif len(objective.title) > 200:
        errors["title"] = "The objective must be 200 characters or fewer."
    if objective.theme_id is not None and objective.theme.listening_event.event.site_id != objective.site_id:
        errors["theme"] = "Choose a priority from this site's listening events."
    _raise_if(errors)


def objective_create(
    *, actor: Any, site: Site, title: str, description: str = "", theme: Theme | None = None
) -> Objective:
    """An objective for one of residents' priorities (``theme``), or of the partnership's own."""
    require(actor, CHANGE, site)
    order = (Objective.objects.filter(site=site).order_by("-order").values_list("order", flat=True).first() or 0) + 1
    objective = Objective(
        site=site,
        title=title,
        description=(description or "").strip(),
        theme=theme,
        order=order,
        created_by=_user(actor),
    )
    _validate_objective(objective)
    with transaction.atomic(), acting_as(actor):
        objective.save()
        _touch(site)
    return objective


def objective_update(
    *, actor: Any, objective: Objective, title: str, description: str = "", theme: Theme | None = None
) -> Objective:
    require(actor, CHANGE, objective.site)
    objective.title, objective.description, objective.theme = title, (description or "").strip(), theme
    _validate_objective(objective)
    with transaction.atomic(), acting_as(actor):
        objective.save()
        _touch(objective.site)
    return objective


# Actions ----------------------------------------------------------------------------------------
def _validate_action(action: Action, *, today: dt.date | None = None) -> None:
    """Every rule of an action, all errors at once, each against the field it is about."""
    today = today or timezone.localdate()
    site_id = action.site_id
    errors: dict[str, str] = {}
    action.title = (action.title or "").strip()
    action.dropped_reason = (action.dropped_reason or "").strip()
    if not action.title:
        errors["title"] = "Enter what is to be done."
    elif len(action.title) > 200:
        errors["title"] = "The title must be 200 characters or fewer."
    if action.status not in ActionStatus.values:
        errors["status"] = "Choose a status: not started, in progress, waiting on agency, done or dropped."
    elif action.status == ActionStatus.DROPPED and not action.dropped_reason:
        errors["dropped_reason"] = "Say why the action was dropped."
    if action.objective_id is not None and action.objective.site_id != site_id:
        errors["objective"] = "Choose an objective of this site."
    if action.theme_id is not None and action.theme.listening_event.event.site_id != site_id:
        errors["theme"] = "Choose a priority from this site's listening events."
    if action.source_meeting_id is not None and (
        action.source_meeting.site_id != site_id or action.source_meeting.kind not in MEETING_KINDS
    ):
        errors["source_meeting"] = "Choose a partnership meeting of this site."
    if action.source_finding_id is not None and action.source_finding.event.site_id != site_id:
        errors["source_finding"] = "Choose a walkabout finding of this site."
    if action.lead_resident_id is not None:
        person = action.lead_resident
        if not person.sites.filter(pk=site_id).exists():
            errors["lead_resident"] = "This person does not take part in this site."
        elif person.kind != PersonKind.RESIDENT:
            errors["lead_resident"] = "The lead resident must be a resident."
    organisation = action.lead_organisation
    if organisation is not None:
        if not organisation.sites.filter(pk=site_id).exists():
            errors["lead_organisation"] = "This organisation does not take part in this site."
        elif not _is_agency(organisation):
            errors["lead_organisation"] = "The lead agency is a service provider, not a community group."
    if action.lead_officer_id is not None:
        officer = action.lead_officer
        if not officer.sites.filter(pk=site_id).exists():
            errors["lead_officer"] = "This person does not take part in this site."
        elif organisation is None:
            errors["lead_officer"] = "Choose the lead agency before its named officer."
        elif officer.organisation_id != organisation.pk:
            errors["lead_officer"] = f"The named officer must work for {organisation.name}."
    if action.asked_on is not None and organisation is None:
        errors["asked_on"] = "Choose the lead agency that was asked."
    for name in ("asked_on", "acknowledged_on", "first_response_on", "completed_on"):
        value = getattr(action, name)
        if value is not None and value > today and name not in errors:
            errors[name] = "This date cannot be in the future."
    for later, earlier, message in DATE_ORDER:
        a, b = getattr(action, later), getattr(action, earlier)
        if a is not None and b is not None and a < b and later not in errors:
            errors[later] = message
    if action.status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = today
    _raise_if(errors)


def _apply(action: Action, changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be set here." for f in sorted(unknown)})
    for name, value in changes.items():
        if name in ("title", "description", "dropped_reason", "what_changed") and value is None:
            value = ""
        setattr(action, name, value)
    if action.theme_id is None and action.objective_id is not None and action.objective.theme_id is not None:
        action.theme = action.objective.theme


@transaction.atomic
def action_create(*, actor: Any, site: Site, title: str, **fields: Any) -> Action:
    """An action of the site's plan (not started unless ``status`` says otherwise)."""
    require(actor, CHANGE, site)
    action = Action(site=site, created_by=_user(actor), updated_at=timezone.now())
    _apply(action, {"title": title, **fields})
    _validate_action(action)
    with acting_as(actor):
        action.save()
        _touch(site)
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Action, **changes: Any) -> Action:
    """Change an action's details. A change of status is better recorded as an update
    (``action_update_add``), which keeps it in the history."""
    require(actor, CHANGE, action.site)
    _apply(action, changes)
    action.updated_at = timezone.now()
    _validate_action(action)
    with acting_as(actor):
        action.save()
        _touch(action.site)
    return action


def action_from_finding(*, actor: Any, finding: WalkaboutFinding, **fields: Any) -> Action:
    """An action to deal with what a walkabout found (titled after the finding unless told)."""
    site = finding.event.site
    fields.setdefault("title", finding.title)
    fields.setdefault("description", finding.description)
    title = fields.pop("title")
    return action_create(actor=actor, site=site, title=title, source_finding=finding, **fields)


def _check_file(file: UploadedFile) -> None:
    if file.size is not None and file.size > UPDATE_FILE_MAX_BYTES:
        raise ValidationError({"file": f"The file must be smaller than {UPDATE_FILE_MAX_BYTES // (1024 * 1024)} MB."})


@transaction.atomic
def action_update_add(
    *,
    actor: Any,
    action: Action,
    status: str,
    note: str = "",
    on: dt.date | None = None,
    meeting: Event | None = None,
    link: str = "",
    file: UploadedFile | None = None,
    dropped_reason: str = "",
    what_changed: str | None = None,
) -> ActionUpdate:
    """A dated update of an action: the status it moves to (or keeps), a note, a link or file as
    evidence, and the partnership meeting it was made at (it then appears in the minutes).
    Done sets the completion date (the update's) if there is none; dropped needs a reason (the
    note serves as the reason when none is given apart)."""
    require(actor, CHANGE, action.site)
    today = timezone.localdate()
    on = on or (timezone.localtime(meeting.starts_at).date() if meeting is not None else today)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if status not in ActionStatus.values:
        errors["status"] = "Choose a status: not started, in progress, waiting on agency, done or dropped."
    if on > today:
        errors["on"] = "An update cannot be dated in the future."
    if meeting is not None:
        if meeting.site_id != action.site_id or meeting.kind not in MEETING_KINDS:
            errors["meeting"] = "Choose a partnership meeting of this site."
        elif meeting.status == EventStatus.CANCELLED:
            errors["meeting"] = "This meeting was cancelled."
    if status == ActionStatus.DROPPED and not (dropped_reason or "").strip() and not note:
        errors["dropped_reason"] = "Say why the action was dropped."
    if not note and status == action.status and not link and file is None:
        errors["note"] = "Write what has happened, or change the status."
    if file is not None and "file" not in errors:
        try:
            _check_file(file)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    _raise_if(errors)
    update = ActionUpdate(
        action=action,
        on=on,
        status=status,
        note=note,
        meeting=meeting,
        link=(link or "").strip(),
        created_by=_user(actor),
    )
    try:
        update.full_clean(exclude=["file", "created_by", "meeting"])
    except ValidationError as exc:
        raise ValidationError({k: v[0] for k, v in exc.message_dict.items()}) from None
    if file is not None:
        update.file = file
    action.status = status
    if status == ActionStatus.DROPPED:
        action.dropped_reason = (dropped_reason or "").strip() or note
    if status == ActionStatus.DONE and action.completed_on is None:
        action.completed_on = on
        if action.asked_on is not None and on < action.asked_on:
            raise ValidationError({"on": "The action cannot be completed before the agency was asked."})
    if what_changed is not None:
        action.what_changed = what_changed.strip()
    action.updated_at = timezone.now()
    _validate_action(action, today=today)
    with acting_as(actor):
        update.save()
        action.save()
        _touch(action.site)
    return update


def updates_at_meeting(*, actor: Any, meeting: Event, changes: Iterable[tuple[Action, str, str]]) -> list[ActionUpdate]:
    """Several updates made at one meeting (action, status, note), all or none."""
    made = []
    with transaction.atomic():
        for action, status, note in changes:
            made.append(action_update_add(actor=actor, action=action, status=status, note=note, meeting=meeting))
    return made


# Evidence for the pathway -----------------------------------------------------------------------
def action_attach_evidence(*, actor: Any, action: Action, criterion: StepCriterion) -> Evidence:
    """Attach an action (e.g. one done, for a "visible change" criterion) as evidence."""
    if Evidence.objects.filter(
        site=action.site,
        criterion=criterion,
        record_type__app_label="actions",
        record_type__model="action",
        record_id=action.pk,
    ).exists():
        raise ValidationError({"criterion": "This action is already evidence for that criterion."})
    summary = f"Action ({action.get_status_display().lower()}): {action.title}"
    return programme_services.evidence_add(
        actor=actor,
        site=action.site,
        criterion=criterion,
        kind=EvidenceKind.RECORD,
        summary=summary[:300],
        note=action.what_changed,
        record=action,
        occurred_on=action.completed_on,
    )


#: Every responsiveness evidence item's summary starts so (the suggestions know it is there).
RESPONSIVENESS_PREFIX = "Agency responsiveness"


def responsiveness_attach_evidence(*, actor: Any, site: Site, criterion: StepCriterion) -> Evidence:
    """Attach the agencies' responsiveness, as it stands today, as a note: the figures in words
    (e.g. "median days to first response fell from 21 to 9") and a line per agency."""
    from c2hub.actions.selectors import responsiveness, responsiveness_summary

    report = responsiveness(site)
    if not report.agencies:
        raise ValidationError({"criterion": "No action led by an agency has been asked of it yet."})
    headline, lines = responsiveness_summary(report)
    return programme_services.evidence_add(
        actor=actor,
        site=site,
        criterion=criterion,
        kind=EvidenceKind.NOTE,
        summary=f"{RESPONSIVENESS_PREFIX}: {headline}"[:300],
        note="\n".join(lines),
        occurred_on=timezone.localdate(),
    )
