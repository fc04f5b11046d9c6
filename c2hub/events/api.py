"""API for a site's events, attendance and head-counts, and attaching an event as evidence.

Same rules as the pages: a site only through ``site_get_for_user`` (404 for others' sites, 403 for
a missing permission), people only through ``person_rows`` with the viewer's visibility, writes
only through ``services.py``; bad input is a 422 (or 400) JSON answer with a ``detail``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.events import selectors, services
from c2hub.events.models import Event, EventKind, EventStatus, ParticipantKind, VenueKind
from c2hub.people.models import AgeBand, Group, Organisation, Person
from c2hub.people.selectors import Visibility
from c2hub.programmes.models import Site, StepCriterion
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user, sites_for_user

router = Router(tags=["Events and meetings"])

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="The event's id.")]
VIEW, CHANGE = "events.view_events", "events.change_events"


# Schemas ------------------------------------------------------------------------------------------
class EventOut(Schema):
    id: int
    site: str = Field(..., examples=["southchurch"])
    kind: str = Field(..., examples=["engagement_workshop"])
    kind_label: str
    title: str
    description: str
    status: str = Field(..., examples=["held"])
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    venue_kind: str = Field(..., examples=["hub"])
    venue: str
    steps: list[int]
    organiser_ids: list[int]
    organiser_organisation_ids: list[int]
    exchange_direction: str = Field(..., description="made, hosted, or empty")
    exchange_site: str | None = Field(None, description="The other site's slug, when it is in C2 Hub.")
    exchange_site_name: str
    parent_id: int | None = Field(None, description="A site visit's residential.")
    cohort_id: int | None = Field(None, description="A residential's or training's learning cohort (a group).")
    route_description: str


class EventIn(Schema):
    kind: Literal[tuple(EventKind.values)]  # type: ignore[valid-type]
    title: Text = Field(..., max_length=200)
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    description: Text = Field("", max_length=10000)
    status: Literal[tuple(EventStatus.values)] = EventStatus.PLANNED  # type: ignore[valid-type]
    venue_kind: Literal[tuple(VenueKind.values)] = VenueKind.HUB  # type: ignore[valid-type]
    venue: Text = Field("", max_length=300)
    steps: list[Annotated[int, Field(ge=1, le=99)]] = Field(default_factory=list, max_length=20)
    organiser_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(default_factory=list, max_length=200)
    organiser_organisation_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        default_factory=list, max_length=200
    )
    exchange_direction: Literal["", "made", "hosted"] = ""
    exchange_site: Annotated[str, Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")] = ""
    exchange_site_name: Text = Field("", max_length=200)
    parent_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    cohort_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    route_description: Text = Field("", max_length=5000)


class EventPatch(Schema):
    """Only the fields sent are changed."""

    kind: Literal[tuple(EventKind.values)] | None = None  # type: ignore[valid-type]
    title: Text | None = Field(None, max_length=200)
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    description: Text | None = Field(None, max_length=10000)
    status: Literal[tuple(EventStatus.values)] | None = None  # type: ignore[valid-type]
    venue_kind: Literal[tuple(VenueKind.values)] | None = None  # type: ignore[valid-type]
    venue: Text | None = Field(None, max_length=300)
    steps: list[Annotated[int, Field(ge=1, le=99)]] | None = Field(None, max_length=20)
    organiser_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=200)
    organiser_organisation_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] | None = Field(None, max_length=200)
    exchange_direction: Literal["", "made", "hosted"] | None = None
    exchange_site: Annotated[str, Field(max_length=50, pattern=r"^[-a-zA-Z0-9_]*$")] | None = None
    exchange_site_name: Text | None = Field(None, max_length=200)
    parent_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    cohort_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    route_description: Text | None = Field(None, max_length=5000)


class EventFilter(Schema):
    q: str = Field("", max_length=100)
    kind: Literal[tuple(["", *EventKind.values])] = ""  # type: ignore[valid-type]
    status: Literal[tuple(["", *EventStatus.values])] = ""  # type: ignore[valid-type]
    step: int | None = Field(None, ge=1, le=99)
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class EventsPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


class EventAttendeeOut(Schema):
    id: int = Field(..., description="The attendance's id.")
    person_id: int | None
    name: str | None = Field(None, description="As the viewer may see it (a pseudonym for researchers).")
    person_kind: str | None
    organisation: str


class EventHeadCountOut(Schema):
    participant: str = Field(..., examples=["resident"])
    age_band: str = Field(..., examples=["26-64"], description="Empty when not known.")
    count: int


class EventAttendanceTotalsOut(Schema):
    total: int
    residents: int
    providers: int
    named: int
    counted: int
    organisations: list[str]


class EventAttendanceOut(Schema):
    attendees: list[EventAttendeeOut]
    head_counts: list[EventHeadCountOut]
    totals: EventAttendanceTotalsOut


class EventAttendanceIn(Schema):
    """A person of the site, or an organisation taking part in it (or both: a person representing it)."""

    person_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    organisation_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class EventHeadCountIn(Schema):
    participant: Literal[tuple(ParticipantKind.values)]  # type: ignore[valid-type]
    age_band: Literal[tuple(AgeBand.values)] = ""  # type: ignore[valid-type]
    count: int = Field(..., ge=0, le=services.HEAD_COUNT_MAX)


class EventHeadCountsIn(Schema):
    counts: list[EventHeadCountIn] = Field(..., max_length=50)


class EventEvidenceIn(Schema):
    """The criterion by its key (e.g. "listening-event-held") or its id."""

    criterion: str | int = Field(..., examples=["workshops-held"])


class EventEvidenceOut(Schema):
    id: int
    criterion_id: int
    criterion_key: str
    step: int
    summary: str


# Helpers -------------------------------------------------------------------------------------------
def _event_out(event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        site=event.site.slug,
        kind=event.kind,
        kind_label=event.get_kind_display(),
        title=event.title,
        description=event.description,
        status=event.status,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        venue_kind=event.venue_kind,
        venue=event.venue,
        steps=list(event.steps),
        organiser_ids=[p.pk for p in event.organisers.all()],
        organiser_organisation_ids=[o.pk for o in event.organiser_organisations.all()],
        exchange_direction=event.exchange_direction,
        exchange_site=event.exchange_site.slug if event.exchange_site else None,
        exchange_site_name=event.exchange_site_name,
        parent_id=event.parent_id,
        cohort_id=event.cohort_id,
        route_description=event.route_description,
    )


def _event_for(request: HttpRequest, event_id: int, perm: str) -> Event:
    """The event, if it is in one of my sites (else 404) and I hold ``perm`` there (else 403)."""
    event = Event.objects.filter(pk=event_id, site__in=sites_for_user(request.user)).select_related("site").first()
    if event is None:
        raise Http404("No such event")
    site = site_get_for_user(request.user, event.site.slug, perm)
    return selectors.event_in_site(site, event.pk)


def _related(site: Site, data: dict) -> dict:
    """Ids and slugs in the payload turned into this site's records; unknown ones are refused."""
    values: dict = {}
    errors: dict[str, str] = {}
    if data.get("organiser_ids") is not None:
        people = list(Person.objects.filter(sites=site, pk__in=data["organiser_ids"]))
        if len(people) != len(set(data["organiser_ids"])):
            errors["organisers"] = "Organisers must be people taking part in this site."
        values["organisers"] = people
    if data.get("organiser_organisation_ids") is not None:
        orgs = list(Organisation.objects.filter(sites=site, pk__in=data["organiser_organisation_ids"]))
        if len(orgs) != len(set(data["organiser_organisation_ids"])):
            errors["organiser_organisations"] = "Organisations must take part in this site."
        values["organiser_organisations"] = orgs
    if "exchange_site" in data and data["exchange_site"] is not None:
        slug = data["exchange_site"]
        other = Site.objects.filter(programme_id=site.programme_id, slug=slug).first() if slug else None
        if slug and other is None:
            errors["exchange_site"] = "No such site in this programme."
        values["exchange_site"] = other
    if "parent_id" in data:
        parent = Event.objects.filter(site=site, pk=data["parent_id"]).first() if data["parent_id"] else None
        if data["parent_id"] and parent is None:
            errors["parent"] = "No such event in this site."
        values["parent"] = parent
    if "cohort_id" in data:
        cohort = Group.objects.filter(site=site, pk=data["cohort_id"]).first() if data["cohort_id"] else None
        if data["cohort_id"] and cohort is None:
            errors["cohort"] = "No such group in this site."
        values["cohort"] = cohort
    if errors:
        raise ValidationError(errors)
    return values


_RELATED_KEYS = {"organiser_ids", "organiser_organisation_ids", "exchange_site", "parent_id", "cohort_id"}


def _attendance_out(event: Event, visibility: Visibility) -> EventAttendanceOut:
    totals = selectors.attendance_totals(event)
    return EventAttendanceOut(
        attendees=[
            EventAttendeeOut(
                id=row.id,
                person_id=row.person.id if row.person else None,
                name=row.person.name if row.person else None,
                person_kind=row.person.kind if row.person else None,
                organisation=row.organisation_name or (row.person.organisation_name if row.person else ""),
            )
            for row in selectors.attendance_rows(event, visibility)
        ],
        head_counts=[
            EventHeadCountOut(participant=hc.participant, age_band=hc.age_band, count=hc.count)
            for hc in event.head_counts.all()
        ],
        totals=EventAttendanceTotalsOut(
            total=totals.total,
            residents=totals.residents,
            providers=totals.providers,
            named=totals.named_residents + totals.named_providers,
            counted=totals.counted_residents + totals.counted_providers,
            organisations=totals.organisations,
        ),
    )


# Endpoints -------------------------------------------------------------------------------------------
@router.get("/sites/{slug}/events", response={200: EventsPageOut, **COMMON_ERRORS}, summary="A site's events")
def event_list(request: HttpRequest, slug: SiteSlug, filters: Query[EventFilter]) -> EventsPageOut:
    """Newest first; filter by `kind`, `status`, `step`, search with `q`."""
    site = site_get_for_user(request.user, slug, VIEW)
    events = selectors.events_for_site(site, q=filters.q, kind=filters.kind, status=filters.status, step=filters.step)
    count = events.count()
    page = events.prefetch_related("organisers", "organiser_organisations")[
        filters.offset : filters.offset + filters.limit
    ]
    return EventsPageOut(count=count, limit=filters.limit, offset=filters.offset, items=[_event_out(e) for e in page])


@router.post("/sites/{slug}/events", response={201: EventOut, **WRITE_ERRORS}, summary="Record an event")
def event_create(request: HttpRequest, slug: SiteSlug, payload: EventIn) -> tuple[int, EventOut]:
    site = site_get_for_user(request.user, slug, CHANGE)
    data = payload.dict()
    related = _related(site, data)
    fields = {k: v for k, v in data.items() if k not in _RELATED_KEYS}
    event = services.event_create(actor=request.user, site=site, **fields, **related)
    return 201, _event_out(event)


@router.get("/events/{event_id}", response={200: EventOut, **COMMON_ERRORS}, summary="An event")
def event_detail(request: HttpRequest, event_id: EventId) -> EventOut:
    return _event_out(_event_for(request, event_id, VIEW))


@router.patch("/events/{event_id}", response={200: EventOut, **WRITE_ERRORS}, summary="Change an event")
def event_patch(request: HttpRequest, event_id: EventId, payload: EventPatch) -> EventOut:
    """Send only the fields to change. `status` (planned, held, cancelled) is checked like the
    page's buttons: an event is not held before it starts."""
    event = _event_for(request, event_id, CHANGE)
    data = payload.dict(exclude_unset=True)
    status = data.pop("status", None)
    nulls = [k for k, v in data.items() if v is None and k not in {"ends_at", "parent_id", "cohort_id"}]
    if nulls:
        raise ValidationError({k: "This field cannot be null." for k in nulls})
    related = _related(event.site, data)
    fields = {k: v for k, v in data.items() if k not in _RELATED_KEYS}
    if fields or related:
        event = services.event_update(actor=request.user, event=event, **fields, **related)
    if status is not None and status != event.status:
        event = services.event_set_status(actor=request.user, event=event, status=status)
    return _event_out(event)


@router.get("/events/{event_id}/attendance", response={200: EventAttendanceOut, **COMMON_ERRORS}, summary="Attendance")
def attendance(request: HttpRequest, event_id: EventId) -> EventAttendanceOut:
    """Named people (as the viewer may see them), organisations, head-counts and totals."""
    event = _event_for(request, event_id, VIEW)
    return _attendance_out(event, Visibility.for_user(request.user, event.site))


@router.post(
    "/events/{event_id}/attendance", response={201: EventAttendanceOut, **WRITE_ERRORS}, summary="Record attendance"
)
def attendance_add(
    request: HttpRequest, event_id: EventId, payload: EventAttendanceIn
) -> tuple[int, EventAttendanceOut]:
    """A person of the site (`person_id`) or an organisation taking part in it (`organisation_id`).
    Another site's people are refused (422)."""
    event = _event_for(request, event_id, CHANGE)
    errors: dict[str, str] = {}
    person = organisation = None
    if payload.person_id is not None:
        person = Person.objects.filter(pk=payload.person_id, sites=event.site).first()
        if person is None:
            errors["person_id"] = "No such person in this site."
    if payload.organisation_id is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation_id, sites=event.site).first()
        if organisation is None:
            errors["organisation_id"] = "No such organisation in this site."
    if payload.person_id is None and payload.organisation_id is None:
        errors["person_id"] = "Send person_id or organisation_id."
    if errors:
        raise ValidationError(errors)
    services.attendance_add(actor=request.user, event=event, person=person, organisation=organisation)
    return 201, _attendance_out(event, Visibility.for_user(request.user, event.site))


@router.put("/events/{event_id}/head-counts", response={200: EventAttendanceOut, **WRITE_ERRORS}, summary="Head-counts")
def head_counts_put(request: HttpRequest, event_id: EventId, payload: EventHeadCountsIn) -> EventAttendanceOut:
    """Replace the anonymous head-count: one entry per participant (resident, provider) and age band."""
    event = _event_for(request, event_id, CHANGE)
    counts: dict[tuple[str, str], int] = {}
    for row in payload.counts:
        key = (row.participant, row.age_band)
        if key in counts:
            raise ValidationError({"counts": f"{row.participant} {row.age_band or 'unknown'} is given twice."})
        counts[key] = row.count
    services.head_counts_set(actor=request.user, event=event, counts=counts)
    return _attendance_out(event, Visibility.for_user(request.user, event.site))


@router.post(
    "/events/{event_id}/evidence", response={201: EventEvidenceOut, **WRITE_ERRORS}, summary="Attach as evidence"
)
def evidence(request: HttpRequest, event_id: EventId, payload: EventEvidenceIn) -> tuple[int, EventEvidenceOut]:
    """Use the event as evidence (kind record) for one of its site's criteria, by key or id."""
    event = _event_for(request, event_id, VIEW)
    site = site_get_for_user(request.user, event.site.slug, "programmes.add_evidence")
    if isinstance(payload.criterion, int) or str(payload.criterion).isdigit():
        if not 1 <= int(payload.criterion) <= MAX_ID:
            raise ValidationError({"criterion": "No such criterion in this site's pathway."})
        try:
            criterion = criterion_for_site(site, int(payload.criterion))
        except Http404:
            raise ValidationError({"criterion": "No such criterion in this site's pathway."}) from None
    else:
        found = StepCriterion.objects.filter(step__model_id=site.pathway_model_id, key=payload.criterion[:80])
        criterion = found.select_related("step").first()
        if criterion is None:
            raise ValidationError({"criterion": f"No criterion {payload.criterion[:80]!r} in this site's pathway."})
    item = services.event_attach_evidence(actor=request.user, event=event, criterion=criterion)
    return 201, EventEvidenceOut(
        id=item.pk,
        criterion_id=criterion.pk,
        criterion_key=criterion.key,
        step=criterion.step.number,
        summary=item.summary,
    )
