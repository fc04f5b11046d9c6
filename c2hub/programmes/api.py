"""API for sites and the pathway (mounted at /api/v1/sites).

Thin, like the pages in ``views.py``: reads come from ``selectors``, writes go through
``services`` (which check permissions and write the audit log and the timeline), and a site the
user does not belong to is a 404. People shown here (facilitators) go through
``people.selectors.person_rows``, so researchers see pseudonyms.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Path, Query, Router, Schema, UploadedFile

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, ErrorOut, SiteSlug, Text
from c2hub.people.selectors import PersonRow, Visibility, person_rows
from c2hub.programmes import records, selectors, services
from c2hub.programmes.models import (
    Evidence,
    EvidenceKind,
    PathwayEvent,
    Site,
    StepProgress,
    StepStatus,
)

router = Router(tags=["sites"])

StepNumber = Annotated[int, Path(ge=1, le=32767, description="The step's number, 1 to 7.")]
CriterionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The criterion's id.")]
EvidenceId = Annotated[int, Path(ge=1, le=MAX_ID, description="The evidence item's id.")]

# Output ---------------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    slug: str = Field(..., examples=["c2"])
    name: str = Field(..., examples=["C2 Connecting Communities"])


class CurrentStepOut(Schema):
    """The first step of the pathway not yet complete."""

    number: int = Field(..., examples=[2])
    title: str = Field(..., examples=["Engagement workshop"])


class SiteSummaryOut(Schema):
    """One of my sites, as on the dashboard."""

    slug: str = Field(..., examples=["southchurch"])
    name: str = Field(..., examples=["Southchurch"])
    programme: ProgrammeOut
    status: str = Field(..., description="scoping, active, established or closed")
    local_authority: str = Field(..., examples=["Southend-on-Sea"])
    current_step: CurrentStepOut | None = Field(..., description="Null when every step is complete.")
    steps_complete: int
    steps_total: int
    criteria_waiting: int = Field(..., description="Criteria of the current step still without evidence.")
    overdue_steps: int
    next_due_on: dt.date | None
    last_activity_at: dt.datetime


class WardOut(Schema):
    code: str = Field("", examples=["E05002223"])
    name: str = Field("", examples=["Southchurch"])


class OrganisationRefOut(Schema):
    id: int
    name: str = Field(..., examples=["Southend-on-Sea Borough Council"])
    kind: str = Field(..., examples=["council"])


class FundingLineOut(Schema):
    id: int
    description: str = Field(..., examples=["Steps 1–3 facilitation"])
    funder: OrganisationRefOut | None
    funder_name: str = Field(..., description="The funder's name (the organisation's, if linked).")
    amount: Decimal | None = Field(..., examples=["45000.00"])
    status: str = Field(..., description="awarded, pending, planned or declined")
    steps_covered: list[int] = Field(..., examples=[[1, 2, 3]])
    starts_on: dt.date | None
    ends_on: dt.date | None
    notes: str


class PathwayModelOut(Schema):
    key: str = Field(..., examples=["c2-seven-steps"])
    version: str = Field(..., examples=["1.0"])
    title: str = Field(..., examples=["The C2 seven-step pathway"])


class PersonBriefOut(Schema):
    """A person as the viewer may see them: a pseudonym for researchers, no contact details."""

    id: int
    name: str = Field(..., description="The person's name, or a pseudonym for researchers.")
    pseudonymised: bool
    kind: str = Field(..., description="resident or worker")
    organisation_id: int | None
    organisation_name: str
    job_title: str


class SiteDetailOut(Schema):
    """A site's details: where it is, who leads and pays for it, which pathway it follows."""

    slug: str = Field(..., examples=["southchurch"])
    name: str = Field(..., examples=["Southchurch"])
    description: str
    status: str = Field(..., description="scoping, active, established or closed")
    programme: ProgrammeOut
    local_authority: str = Field(..., examples=["Southend-on-Sea"])
    local_authority_code: str = Field(..., examples=["E06000033"])
    wards: list[WardOut]
    lsoa_codes: list[str] = Field(..., examples=[["E01015883", "E01015884"]])
    lead_agency: OrganisationRefOut | None
    commissioner: OrganisationRefOut | None
    funding_lines: list[FundingLineOut]
    start_date: dt.date = Field(..., examples=["2013-06-01"])
    planned_length_months: int = Field(..., examples=[24])
    pathway_model: PathwayModelOut
    current_step: CurrentStepOut | None
    facilitators: list[PersonBriefOut]


class UserRefOut(Schema):
    """A C2 Hub user (staff, never a resident)."""

    id: int
    name: str = Field(..., examples=["Sam Facilitator"])


class RecordRefOut(Schema):
    type: str = Field(..., examples=["people.group"], description="app_label.model")
    type_name: str = Field(..., examples=["group"])
    id: int


class EvidenceOut(Schema):
    """An evidence item on a criterion."""

    id: int
    criterion_id: int
    kind: str = Field(..., description="note, file, link or record")
    summary: str = Field(..., examples=["Engagement workshop held on 14 June 2013"])
    note: str
    url: str = Field(..., description="The link, for link evidence.")
    file_url: str | None = Field(
        ..., description="Where to download the uploaded file (API address), for file evidence."
    )
    record: RecordRefOut | None
    occurred_on: dt.date | None
    added_by: UserRefOut | None
    added_at: dt.datetime
    verified: bool
    verified_by: UserRefOut | None
    verified_at: dt.datetime | None


class CriterionOut(Schema):
    id: int
    key: str = Field(..., examples=["steering-group-established"])
    text: str
    guidance: str
    evidenced: bool = Field(..., description="At least one evidence item has been added.")
    verified: bool = Field(..., description="At least one evidence item has been verified.")
    evidence: list[EvidenceOut]


class StepProgressOut(Schema):
    """Where the site stands on one step."""

    number: int = Field(..., examples=[1])
    title: str
    status: str = Field(..., description="not_started, in_progress or complete")
    due_on: dt.date | None
    overdue: bool
    completed_at: dt.datetime | None
    completed_by: UserRefOut | None
    overridden: bool = Field(..., description="Completed by a programme admin without every criterion evidenced.")
    override_reason: str


class StepOut(StepProgressOut):
    description: str
    kind: str = Field(..., description="action or evidence_state")
    target_month: int | None
    criteria_evidenced: int
    criteria_total: int
    ready: bool = Field(..., description="Every criterion has evidence, so the step can complete.")
    criteria: list[CriterionOut]


class PathwayOut(Schema):
    pathway_model: PathwayModelOut
    current_step: int | None = Field(..., description="Null when every step is complete.")
    steps: list[StepOut]


class CriterionRefOut(Schema):
    id: int
    key: str
    text: str


class TimelineEventOut(Schema):
    id: int
    kind: str = Field(..., examples=["evidence_added"])
    kind_label: str = Field(..., examples=["Evidence added"])
    occurred_at: dt.datetime
    step_number: int | None
    criterion: CriterionRefOut | None
    evidence_id: int | None
    evidence_summary: str | None
    reason: str
    actor: UserRefOut | None


class StepRefusedOut(Schema):
    """The step cannot complete while these criteria have no evidence."""

    detail: str = Field(..., examples=["Step 1 cannot be completed: 4 criteria have no evidence"])
    unevidenced: list[CriterionRefOut]


# Input ----------------------------------------------------------------------------------------


class RecordIn(Schema):
    type: Text = Field(..., max_length=100, examples=["people.group"], description="app_label.model")
    id: int = Field(..., ge=1, le=MAX_ID, examples=[12])


class EvidenceIn(Schema):
    """Evidence for a criterion. A link needs `url`, a record needs `record`; files are uploaded
    with the `/evidence/file` endpoint."""

    kind: Literal["note", "link", "record"] = Field(..., examples=["note"])
    summary: Text = Field(..., min_length=1, max_length=300, examples=["Engagement workshop held on 14 June 2013"])
    note: Text = Field("", max_length=20000)
    url: Text = Field("", max_length=1000, examples=["https://example.org/workshop-notes"])
    record: RecordIn | None = None
    occurred_on: dt.date | None = Field(None, examples=["2013-06-14"])


class EvidenceFileIn(Schema):
    summary: Text = Field(..., min_length=1, max_length=300, examples=["Signed terms of reference"])
    note: Text = Field("", max_length=20000)
    occurred_on: dt.date | None = None


class StepCompleteIn(Schema):
    override_reason: Text = Field(
        "",
        max_length=5000,
        description="Programme admins only: complete without every criterion evidenced, saying why.",
    )


class StepReopenIn(Schema):
    reason: Text = Field(..., min_length=1, max_length=5000, examples=["The steering group lapsed"])


class SiteFilter(Schema):
    q: Text = Field("", max_length=100, description="Part of the site's name or local authority.")


class TimelineFilter(Schema):
    limit: int = Field(50, ge=1, le=500, description="How many of the latest entries.")


# Converting rows to output --------------------------------------------------------------------


def _user(user: Any) -> UserRefOut | None:
    return UserRefOut(id=user.pk, name=str(user)) if user is not None else None


def _organisation(org: Any) -> OrganisationRefOut | None:
    return OrganisationRefOut(id=org.pk, name=org.name, kind=org.kind) if org is not None else None


def _model(site: Site) -> PathwayModelOut:
    model = site.pathway_model
    return PathwayModelOut(key=model.key, version=model.version, title=model.title)


def _person_brief(row: PersonRow) -> PersonBriefOut:
    return PersonBriefOut(
        id=row.id,
        name=row.name,
        pseudonymised=row.pseudonymised,
        kind=row.kind,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation_name,
        job_title=row.job_title,
    )


def _evidence(site: Site, item: Evidence) -> EvidenceOut:
    record = None
    if item.record_type_id and item.record_id:
        ct = item.record_type
        record = RecordRefOut(type=f"{ct.app_label}.{ct.model}", type_name=ct.name, id=item.record_id)
    return EvidenceOut(
        id=item.pk,
        criterion_id=item.criterion_id,
        kind=item.kind,
        summary=item.summary,
        note=item.note,
        url=item.url,
        file_url=reverse("api-1.0.0:evidence_file", args=[site.slug, item.pk]) if item.file else None,
        record=record,
        occurred_on=item.occurred_on,
        added_by=_user(item.added_by),
        added_at=item.added_at,
        verified=item.is_verified,
        verified_by=_user(item.verified_by),
        verified_at=item.verified_at,
    )


def _progress_fields(progress: StepProgress) -> dict[str, Any]:
    return {
        "number": progress.step.number,
        "title": progress.step.title,
        "status": progress.status,
        "due_on": progress.due_on,
        "overdue": progress.is_overdue(),
        "completed_at": progress.completed_at,
        "completed_by": _user(progress.completed_by),
        "overridden": progress.overridden,
        "override_reason": progress.override_reason,
    }


def _criterion_ref(criterion: Any) -> CriterionRefOut:
    return CriterionRefOut(id=criterion.pk, key=criterion.key, text=criterion.text)


# Sites ----------------------------------------------------------------------------------------


@router.get("", response=list[SiteSummaryOut], summary="My sites")
def site_list(request: HttpRequest, filters: Query[SiteFilter]) -> list[SiteSummaryOut]:
    """The sites I belong to, with each one's current step (as on the dashboard)."""
    return [
        SiteSummaryOut(
            slug=row.site.slug,
            name=row.site.name,
            programme=ProgrammeOut(slug=row.site.programme.slug, name=row.site.programme.name),
            status=row.site.status,
            local_authority=row.site.local_authority,
            current_step=(
                CurrentStepOut(number=row.current_step, title=row.current_step_title)
                if row.current_step is not None
                else None
            ),
            steps_complete=row.steps_complete,
            steps_total=row.steps_total,
            criteria_waiting=row.criteria_waiting,
            overdue_steps=row.overdue_steps,
            next_due_on=row.next_due_on,
            last_activity_at=row.last_activity_at,
        )
        for row in selectors.portfolio(request.user, q=filters.q.strip())
    ]


@router.get("/{slug}", response={200: SiteDetailOut, **COMMON_ERRORS}, summary="A site")
def site_detail(request: HttpRequest, slug: SiteSlug) -> SiteDetailOut:
    """A site's details: wards, LSOAs, local authority, lead agency, commissioner, funding lines,
    start date, planned length, pathway model and facilitators."""
    site = selectors.site_get_for_user(request.user, slug)
    current = (
        StepProgress.objects.filter(site=site)
        .exclude(status=StepStatus.COMPLETE)
        .select_related("step")
        .order_by("step__number")
        .first()
    )
    facilitators = person_rows(
        site.facilitators.select_related("organisation").order_by("name", "id"),
        site=site,
        visibility=Visibility.for_user(request.user, site),
    )
    return SiteDetailOut(
        slug=site.slug,
        name=site.name,
        description=site.description,
        status=site.status,
        programme=ProgrammeOut(slug=site.programme.slug, name=site.programme.name),
        local_authority=site.local_authority,
        local_authority_code=site.local_authority_code,
        wards=[WardOut(code=w.get("code", ""), name=w.get("name", "")) for w in site.wards],
        lsoa_codes=list(site.lsoa_codes),
        lead_agency=_organisation(site.lead_agency),
        commissioner=_organisation(site.commissioner),
        funding_lines=[
            FundingLineOut(
                id=line.pk,
                description=line.description,
                funder=_organisation(line.funder),
                funder_name=line.funder_label,
                amount=line.amount,
                status=line.status,
                steps_covered=list(line.steps_covered),
                starts_on=line.starts_on,
                ends_on=line.ends_on,
                notes=line.notes,
            )
            for line in site.funding_lines.select_related("funder")
        ],
        start_date=site.start_date,
        planned_length_months=site.planned_length_months,
        pathway_model=_model(site),
        current_step=(CurrentStepOut(number=current.step.number, title=current.step.title) if current else None),
        facilitators=[_person_brief(row) for row in facilitators],
    )


@router.get("/{slug}/timeline", response={200: list[TimelineEventOut], **COMMON_ERRORS}, summary="Timeline")
def timeline(request: HttpRequest, slug: SiteSlug, filters: Query[TimelineFilter]) -> list[TimelineEventOut]:
    """The site's pathway timeline, newest first: evidence added and verified, steps completed,
    overridden and reopened."""
    site = selectors.site_get_for_user(request.user, slug)
    events: list[PathwayEvent] = selectors.site_timeline(site, limit=filters.limit)
    return [
        TimelineEventOut(
            id=event.pk,
            kind=event.kind,
            kind_label=event.get_kind_display(),
            occurred_at=event.occurred_at,
            step_number=event.step.number if event.step else None,
            criterion=_criterion_ref(event.criterion) if event.criterion else None,
            evidence_id=event.evidence_id,
            evidence_summary=event.evidence.summary if event.evidence else None,
            reason=event.reason,
            actor=_user(event.actor),
        )
        for event in events
    ]


# The pathway ----------------------------------------------------------------------------------


@router.get("/{slug}/pathway", response={200: PathwayOut, **COMMON_ERRORS}, summary="Pathway")
def pathway(request: HttpRequest, slug: SiteSlug) -> PathwayOut:
    """Every step with its status, due date and completion (or override), and every criterion
    with whether it is evidenced and verified, and its evidence."""
    site = selectors.site_get_for_user(request.user, slug)
    states = selectors.pathway_state(site)
    current = selectors.current_step(states)
    steps = []
    for state in states:
        state.progress.step = state.step  # already loaded: spare a query per step
        steps.append(
            StepOut(
                **_progress_fields(state.progress),
                description=state.step.description,
                kind=state.step.kind,
                target_month=state.step.target_month,
                criteria_evidenced=state.evidenced_count,
                criteria_total=len(state.criteria),
                ready=state.ready,
                criteria=[
                    CriterionOut(
                        id=cs.criterion.pk,
                        key=cs.criterion.key,
                        text=cs.criterion.text,
                        guidance=cs.criterion.guidance,
                        evidenced=cs.is_evidenced,
                        verified=cs.is_verified,
                        evidence=[_evidence(site, item) for item in cs.evidence],
                    )
                    for cs in state.criteria
                ],
            )
        )
    return PathwayOut(
        pathway_model=_model(site),
        current_step=current.step.number if current else None,
        steps=steps,
    )


def _site_where_i_may(request: HttpRequest, slug: str, perm: str) -> Site:
    """The site (404 if I do not belong to it), if I hold ``perm`` in it (else 403)."""
    return selectors.site_get_for_user(request.user, slug, perm)


@router.post(
    "/{slug}/pathway/criteria/{criterion_id}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="Add evidence",
)
def evidence_add(
    request: HttpRequest, slug: SiteSlug, criterion_id: CriterionId, payload: EvidenceIn
) -> tuple[int, EvidenceOut]:
    """Add a note, a link or a record in C2 Hub (e.g. `{"type": "people.group", "id": 12}`) as
    evidence for one of the site's criteria. A step not yet started moves to "in progress"."""
    site = _site_where_i_may(request, slug, "programmes.add_evidence")
    criterion = selectors.criterion_for_site(site, criterion_id)
    record = None
    if payload.record is not None:
        record = records.resolve_record(site, f"{payload.record.type}:{payload.record.id}")
        if record is None:
            raise ValidationError({"record": "No such record in this site."})
    item = services.evidence_add(
        actor=request.user,
        site=site,
        criterion=criterion,
        kind=payload.kind,
        summary=payload.summary,
        note=payload.note,
        url=payload.url.strip(),
        record=record,
        occurred_on=payload.occurred_on,
    )
    return 201, _evidence(site, item)


@router.post(
    "/{slug}/pathway/criteria/{criterion_id}/evidence/file",
    response={201: EvidenceOut, 413: ErrorOut, **WRITE_ERRORS},
    summary="Upload a file as evidence",
)
def evidence_upload(
    request: HttpRequest,
    slug: SiteSlug,
    criterion_id: CriterionId,
    payload: Form[EvidenceFileIn],
    file: File[UploadedFile],
) -> tuple[int, EvidenceOut | dict[str, str]]:
    """Upload a file (multipart/form-data: `file`, `summary`, optional `note` and
    `occurred_on`) as evidence for one of the site's criteria."""
    site = _site_where_i_may(request, slug, "programmes.add_evidence")
    criterion = selectors.criterion_for_site(site, criterion_id)
    if file.size is not None and file.size > settings.C2HUB_EVIDENCE_MAX_BYTES:
        limit = settings.C2HUB_EVIDENCE_MAX_BYTES // (1024 * 1024)
        return 413, {"detail": f"The file must be smaller than {limit} MB."}
    item = services.evidence_add(
        actor=request.user,
        site=site,
        criterion=criterion,
        kind=EvidenceKind.FILE,
        summary=payload.summary,
        note=payload.note,
        file=file,
        occurred_on=payload.occurred_on,
    )
    return 201, _evidence(site, item)


@router.get(
    "/{slug}/pathway/evidence/{evidence_id}/file",
    response=COMMON_ERRORS,
    url_name="evidence_file",
    summary="Download an evidence file",
    openapi_extra={
        "responses": {
            200: {
                "description": "The uploaded file",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def evidence_file(request: HttpRequest, slug: SiteSlug, evidence_id: EvidenceId) -> FileResponse:
    """The file of a file evidence item, for anyone who may see the site."""
    site = selectors.site_get_for_user(request.user, slug)
    item = selectors.evidence_for_site(site, evidence_id)
    if not item.file:
        raise Http404("This evidence has no file")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


@router.post(
    "/{slug}/pathway/evidence/{evidence_id}/verify",
    response={200: EvidenceOut, **COMMON_ERRORS},
    summary="Verify evidence",
)
def evidence_verify(request: HttpRequest, slug: SiteSlug, evidence_id: EvidenceId) -> EvidenceOut:
    """Record that someone who runs the site (facilitator or programme admin) has checked this
    evidence item. Verifying twice is harmless."""
    site = selectors.site_get_for_user(request.user, slug)
    item = selectors.evidence_for_site(site, evidence_id)
    item = services.evidence_verify(actor=request.user, evidence=item)
    return _evidence(site, item)


@router.post(
    "/{slug}/pathway/steps/{number}/complete",
    response={200: StepProgressOut, 409: StepRefusedOut, **WRITE_ERRORS},
    summary="Complete a step",
)
def step_complete(
    request: HttpRequest, slug: SiteSlug, number: StepNumber, payload: StepCompleteIn | None = None
) -> tuple[int, StepProgressOut | StepRefusedOut]:
    """Complete a step. Refused with 409 and the criteria still without evidence, unless a
    programme admin gives an `override_reason`."""
    site = _site_where_i_may(request, slug, "programmes.complete_step")
    try:
        outcome = services.step_complete(
            actor=request.user,
            site=site,
            step_number=number,
            override_reason=payload.override_reason if payload else "",
        )
    except services.StepNotReady as refused:
        return 409, StepRefusedOut(detail=str(refused), unevidenced=[_criterion_ref(c) for c in refused.unevidenced])
    return 200, StepProgressOut(**_progress_fields(outcome.progress))


@router.post(
    "/{slug}/pathway/steps/{number}/reopen",
    response={200: StepProgressOut, **WRITE_ERRORS},
    summary="Reopen a step",
)
def step_reopen(request: HttpRequest, slug: SiteSlug, number: StepNumber, payload: StepReopenIn) -> StepProgressOut:
    """Reopen a completed step, saying why. Its evidence stays."""
    site = _site_where_i_may(request, slug, "programmes.reopen_step")
    progress = services.step_reopen(actor=request.user, site=site, step_number=number, reason=payload.reason)
    return StepProgressOut(**_progress_fields(progress))
