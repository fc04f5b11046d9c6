"""API for a site's action plan, its updates, agency responsiveness and "you said, we did".

Same rules as the pages: a site only through ``site_get_for_user`` (404 for others' sites, 403 for
a missing permission), writes only through ``services.py``; bad input (another site's person or
organisation, an unknown status, agency dates out of order) is a 4xx JSON answer with a
``detail`` naming each field. People's names are given only to those who may see identities
(researchers get ids only).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from c2hub.actions import selectors, services
from c2hub.actions.models import Action, ActionStatus
from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.listening.models import Theme
from c2hub.people.models import Organisation, Person
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Action plan"])

ActionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The action's id.")]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
VIEW, CHANGE = "actions.view_actions", "actions.change_actions"
Status = Literal[tuple(ActionStatus.values)]  # type: ignore[valid-type]


class ActionOut(Schema):
    id: int
    site: str = Field(..., examples=["camborne"])
    title: str
    description: str
    objective_id: int | None
    objective: str | None
    priority: int | None = Field(None, description="The listening-event theme (priority) it answers.")
    priority_name: str | None
    source_meeting_id: int | None
    source_finding_id: int | None
    lead_resident: int | None = Field(None, description="The lead resident's person id.")
    lead_resident_name: str | None = Field(None, description="Given only to those who may see identities.")
    lead_organisation: int | None
    lead_organisation_name: str | None
    lead_officer: int | None
    lead_officer_name: str | None
    due_on: dt.date | None
    status: str = Field(..., examples=["in_progress"])
    status_label: str
    dropped_reason: str
    asked_on: dt.date | None
    acknowledged_on: dt.date | None
    first_response_on: dt.date | None
    completed_on: dt.date | None
    what_changed: str
    public: bool
    overdue: bool


class UpdateOut(Schema):
    id: int
    action_id: int
    on: dt.date
    status: str
    note: str
    meeting_id: int | None
    link: str


class ActionDetailOut(ActionOut):
    updates: list[UpdateOut]


class ActionIn(Schema):
    title: Text = Field(..., max_length=200)
    lead_organisation: RecordId | None = Field(None, description="An organisation id (the lead agency).")
    lead_officer: RecordId | None = Field(None, description="A person id: the named officer of the lead agency.")
    lead_resident: RecordId | None = Field(None, description="A person id: a resident of the site.")
    due_on: dt.date | None = None
    priority: RecordId | None = Field(None, description="A listening-event theme id of this site.")
    objective_id: RecordId | None = None
    description: Text = Field("", max_length=5000)
    status: Status = ActionStatus.NOT_STARTED
    dropped_reason: Text = Field("", max_length=2000)
    asked_on: dt.date | None = None
    acknowledged_on: dt.date | None = None
    first_response_on: dt.date | None = None
    completed_on: dt.date | None = None
    what_changed: Text = Field("", max_length=5000)
    public: bool = True


class UpdateIn(Schema):
    status: str = Field(..., max_length=30, examples=["in_progress"], description=", ".join(ActionStatus.values))
    note: Text = Field("", max_length=5000)
    on: dt.date | None = None
    meeting_id: RecordId | None = Field(None, description="The partnership meeting it was made at.")
    dropped_reason: Text = Field("", max_length=2000)
    what_changed: Text | None = Field(None, max_length=5000)
    link: Annotated[str, Field(max_length=500)] = ""


class ActionFilter(Schema):
    status: Literal[tuple(["", "open", *ActionStatus.values])] = ""  # type: ignore[valid-type]
    organisation: int | None = Field(None, ge=1, le=MAX_ID, description="Lead agency's organisation id.")
    overdue: bool = False
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class ActionsPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ActionOut]


class AgencyOut(Schema):
    organisation: int
    organisation_name: str
    kind: str
    actions: int
    median_days_to_first_response: float | None
    median_days_to_completion: float | None
    share_on_time: float | None
    trend: str = Field(..., description="Latest quarter against the one before: faster, slower, same or empty.")
    quarters: list[dict[str, Any]]


class ResponsivenessOut(Schema):
    summary: str
    agencies: list[AgencyOut]


class WeDidOut(Schema):
    action_id: int
    title: str
    status: str
    status_label: str
    what_changed: str
    dropped_reason: str
    lead_organisation: str
    due_on: dt.date | None
    completed_on: dt.date | None
    lead_resident: str
    lead_officer: str


class YouSaidOut(Schema):
    theme_id: int | None
    theme: str
    listening_event: str
    raised_on: dt.date | None
    comments: int
    voices: int
    votes: int
    quote: str
    actions: list[WeDidOut]
    total: int = Field(..., description="All its actions (the public version counts public ones only).")
    done: int


def _names(request: HttpRequest, site: Site) -> bool:
    return request.user.has_perm("people.view_identity", site)


def _action_out(action: Action, names: bool) -> ActionOut:
    return ActionOut(
        id=action.pk,
        site=action.site.slug,
        title=action.title,
        description=action.description,
        objective_id=action.objective_id,
        objective=action.objective.title if action.objective else None,
        priority=action.theme_id,
        priority_name=action.theme.name if action.theme else None,
        source_meeting_id=action.source_meeting_id,
        source_finding_id=action.source_finding_id,
        lead_resident=action.lead_resident_id,
        lead_resident_name=action.lead_resident.name if names and action.lead_resident else None,
        lead_organisation=action.lead_organisation_id,
        lead_organisation_name=action.lead_organisation.name if action.lead_organisation else None,
        lead_officer=action.lead_officer_id,
        lead_officer_name=action.lead_officer.name if names and action.lead_officer else None,
        due_on=action.due_on,
        status=action.status,
        status_label=action.get_status_display(),
        dropped_reason=action.dropped_reason,
        asked_on=action.asked_on,
        acknowledged_on=action.acknowledged_on,
        first_response_on=action.first_response_on,
        completed_on=action.completed_on,
        what_changed=action.what_changed,
        public=action.public,
        overdue=selectors.is_overdue(action),
    )


def _detail_out(action: Action, names: bool) -> ActionDetailOut:
    out = _action_out(action, names)
    return ActionDetailOut(
        **out.dict(),
        updates=[
            UpdateOut(
                id=u.pk,
                action_id=u.action_id,
                on=u.on,
                status=u.status,
                note=u.note,
                meeting_id=u.meeting_id,
                link=u.link,
            )
            for u in selectors.history(action)
        ],
    )


def _related(site: Site, data: dict[str, Any]) -> dict[str, Any]:
    """Ids to records; an id that names nothing is a field error (another site's is refused by
    the service, which knows why)."""
    errors: dict[str, str] = {}
    found: dict[str, Any] = {}
    for key, model, name in (
        ("lead_organisation", Organisation, "lead_organisation"),
        ("lead_officer", Person, "lead_officer"),
        ("lead_resident", Person, "lead_resident"),
        ("priority", Theme, "theme"),
    ):
        pk = data.pop(key, None)
        if pk is not None:
            found[name] = model.objects.filter(pk=pk).first()
            if found[name] is None:
                errors[key] = f"No {key.replace('_', ' ')} with id {pk}."
    objective_id = data.pop("objective_id", None)
    if objective_id is not None:
        found["objective"] = selectors.objectives(site).filter(pk=objective_id).first()
        if found["objective"] is None:
            errors["objective_id"] = f"No objective {objective_id} in this site."
    if errors:
        raise ValidationError(errors)
    return found


def _renamed(exc: ValidationError) -> ValidationError:
    """Service errors named as the API's fields (``theme`` is ``priority`` here)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({("priority" if k == "theme" else k): v[0] for k, v in exc.message_dict.items()})


@router.get("/sites/{slug}/actions", response={200: ActionsPageOut, **COMMON_ERRORS}, summary="A site's action plan")
def action_list(request: HttpRequest, slug: SiteSlug, filters: Query[ActionFilter]) -> ActionsPageOut:
    """In the plan's order (objective, then due date); filter by `status` (or `open`),
    `organisation` (lead agency) and `overdue`."""
    site = site_get_for_user(request.user, slug, VIEW)
    found = selectors.actions_for_site(
        site, status=filters.status, organisation=filters.organisation, overdue=filters.overdue
    ).select_related("site")
    names = _names(request, site)
    page = found[filters.offset : filters.offset + filters.limit]
    return ActionsPageOut(
        count=found.count(), limit=filters.limit, offset=filters.offset, items=[_action_out(a, names) for a in page]
    )


@router.post("/sites/{slug}/actions", response={201: ActionOut, **WRITE_ERRORS}, summary="Add an action")
def action_create(request: HttpRequest, slug: SiteSlug, payload: ActionIn) -> tuple[int, ActionOut]:
    """`lead_organisation` is an organisation id (an agency taking part in the site, not a
    community group), `lead_resident` a resident's person id, `priority` a theme id of the
    site's listening events. Another site's people or organisations, or agency dates out of
    order (completed before asked), are a 422 naming the field."""
    site = site_get_for_user(request.user, slug, CHANGE)
    data = payload.dict()
    related = _related(site, data)
    try:
        action = services.action_create(actor=request.user, site=site, **data, **related)
    except ValidationError as exc:
        raise _renamed(exc) from None
    return 201, _action_out(action, _names(request, site))


@router.get("/actions/{action_id}", response={200: ActionDetailOut, **COMMON_ERRORS}, summary="An action")
def action_detail(request: HttpRequest, action_id: ActionId) -> ActionDetailOut:
    """The action with its dated updates, newest first."""
    action = selectors.action_for_user(request.user, action_id, VIEW)
    return _detail_out(action, _names(request, action.site))


@router.post(
    "/actions/{action_id}/updates", response={201: ActionDetailOut, **WRITE_ERRORS}, summary="Record an update"
)
def update_add(request: HttpRequest, action_id: ActionId, payload: UpdateIn) -> tuple[int, ActionDetailOut]:
    """`status` is one of not_started, in_progress, waiting_on_agency, done, dropped (dropped
    needs a `note` or `dropped_reason`; done sets the completion date if there is none).
    `meeting_id` names the partnership meeting it was made at: it then appears in its minutes."""
    action = selectors.action_for_user(request.user, action_id, CHANGE)
    meeting = None
    if payload.meeting_id is not None:
        from c2hub.events.models import Event

        meeting = Event.objects.filter(pk=payload.meeting_id).first()
        if meeting is None:
            raise ValidationError({"meeting_id": f"No meeting with id {payload.meeting_id}."})
    try:
        services.action_update_add(
            actor=request.user,
            action=action,
            status=payload.status,
            note=payload.note,
            on=payload.on,
            meeting=meeting,
            link=payload.link,
            dropped_reason=payload.dropped_reason,
            what_changed=payload.what_changed,
        )
    except ValidationError as exc:
        raise ValidationError(
            {("meeting_id" if k == "meeting" else k): v[0] for k, v in exc.message_dict.items()}
        ) from None
    action = selectors.action_in_site(action.site, action.pk)
    return 201, _detail_out(action, _names(request, action.site))


@router.get(
    "/sites/{slug}/responsiveness", response={200: ResponsivenessOut, **COMMON_ERRORS}, summary="Agency responsiveness"
)
def responsiveness(request: HttpRequest, slug: SiteSlug) -> ResponsivenessOut:
    """Per agency (lead organisation): actions asked of it, median days from being asked to the
    first response and to completion, the share done by the due date, and per quarter asked."""
    site = site_get_for_user(request.user, slug, VIEW)
    report = selectors.responsiveness(site)
    return ResponsivenessOut(
        summary=selectors.responsiveness_summary(report)[0] if report.agencies else "",
        agencies=[
            AgencyOut(
                organisation=a.organisation_id,
                organisation_name=a.organisation,
                kind=a.kind,
                actions=a.overall.actions,
                median_days_to_first_response=a.overall.median_first_response,
                median_days_to_completion=a.overall.median_completion,
                share_on_time=a.overall.share_on_time,
                trend=a.trend,
                quarters=[
                    {
                        "quarter": q.label,
                        "actions": q.figures.actions,
                        "median_days_to_first_response": q.figures.median_first_response,
                        "median_days_to_completion": q.figures.median_completion,
                        "share_on_time": q.figures.share_on_time,
                        "trend": q.trend,
                    }
                    for q in a.quarters
                ],
            )
            for a in report.agencies
        ],
    )


class YouSaidFilter(Schema):
    public: bool = Field(False, description="The public version: public actions only, no one's name.")


@router.get(
    "/sites/{slug}/you-said-we-did", response={200: list[YouSaidOut], **COMMON_ERRORS}, summary="You said, we did"
)
def you_said_we_did(request: HttpRequest, slug: SiteSlug, filters: Query[YouSaidFilter]) -> list[YouSaidOut]:
    """For each theme residents raised (comments, votes, a quote) what was done. Those who may
    not see identities always get the public version."""
    site = site_get_for_user(request.user, slug, VIEW)
    public = filters.public or not _names(request, site)
    return [YouSaidOut(**item.as_dict()) for item in selectors.you_said_we_did(site, public=public)]
