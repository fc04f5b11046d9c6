"""Pages for a site's events, meetings, walkabouts and learning programme. Thin: reads come from
``selectors.py`` (people only through ``person_rows``), writes go through ``services.py``, and
permissions are the rules in ``c2hub/accounts/rules.py``."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from c2hub.events import selectors, services
from c2hub.events.forms import (
    ApproveForm,
    AttendanceForm,
    CompletionForm,
    DecisionForm,
    EventForm,
    EvidenceForm,
    FindingForm,
    HeadCountForm,
    MinutesForm,
    event_sections,
)
from c2hub.events.models import MEETING_KINDS, Event, EventKind, EventStatus, ParticipantKind
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.people.models import AgeBand, Group, Organisation, Person
from c2hub.people.selectors import Visibility
from c2hub.people.views import _pagination
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

PER_PAGE = 50
VIEW, CHANGE, APPROVE = "events.view_events", "events.change_events", "events.approve_minutes"


def _site(request: HttpRequest, slug: str, perm: str) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _events_crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Events", reverse("event_list", args=[site.slug])), *more)


def _event_url(event: Event, anchor: str = "") -> str:
    return reverse("event_detail", args=[event.site.slug, event.pk]) + (f"#{anchor}" if anchor else "")


#: Every form page here: the one form page (c2hub/pages.py), in this section of the site.
_form_page = partial(form_page, active="events")


# The list ----------------------------------------------------------------------------------------
def _filters(request: HttpRequest, site: Site) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    step = request.GET.get("step", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": kind if kind in EventKind.values else "",
        "status": status if status in EventStatus.values else "",
        "step": int(step) if step.isdigit() and len(step) < 3 else None,
    }


@login_required
def event_list(request: HttpRequest, slug: str) -> HttpResponse:
    from django.core.paginator import Paginator

    site = _site(request, slug, VIEW)
    filters = _filters(request, site)
    events = selectors.events_for_site(site, **filters)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-events",
            ["date", "start time", "kind", "title", "status", "venue", "steps", "exchange", "with site"],
            (
                [
                    timezone.localtime(e.starts_at).date().isoformat(),
                    f"{timezone.localtime(e.starts_at):%H:%M}",
                    e.get_kind_display(),
                    e.title,
                    e.get_status_display(),
                    e.venue if e.venue_kind == "elsewhere" else "The community hub",
                    " ".join(str(n) for n in e.steps),
                    e.get_exchange_direction_display() if e.exchange_direction else "",
                    e.exchange_site.name if e.exchange_site else e.exchange_site_name,
                ]
                for e in events
            ),
        )
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "site": site,
            "page": page,
            "events": list(page.object_list),
            "links": selectors.event_links(site, list(page.object_list)),
            "pagination": _pagination(request, page),
            "filters": filters,
            "filtered": any(v not in ("", None) for v in filters.values()),
            "kinds": EventKind.choices,
            "statuses": EventStatus.choices,
            "steps": [(n, f"Step {n}") for n in site.pathway_model.steps.values_list("number", flat=True)],
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(site, ("Events", None)),
            "active": "events",
        },
    )


# Create and edit ----------------------------------------------------------------------------------
def _event_form(request: HttpRequest, site: Site, *, initial: dict[str, Any]) -> EventForm:
    visibility = Visibility.for_user(request.user, site)
    return EventForm(
        _posted(request),
        initial=initial,
        steps=[(str(n), f"Step {n}") for n in site.pathway_model.steps.values_list("number", flat=True)],
        people=selectors.site_people_choices(site, visibility),
        organisations=selectors.site_organisation_choices(site),
        sites=selectors.exchange_site_choices(site),
        residentials=selectors.residential_choices(site),
        cohorts=selectors.cohort_choices(site),
    )


def _aware(day: dt.date, time: dt.time | None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time(0, 0)))


def _event_values(site: Site, data: dict[str, Any]) -> dict[str, Any]:
    """The form's cleaned data as a service's arguments; every id is looked up in this site."""
    ends_at = None
    if data["end_date"] or data["end_time"]:
        ends_at = _aware(data["end_date"] or data["start_date"], data["end_time"])

    def one(model: Any, value: str, **scope: Any) -> Any:
        return model.objects.filter(pk=value, **scope).first() if value else None

    return {
        "kind": data["kind"],
        "title": data["title"],
        "description": data["description"],
        "starts_at": _aware(data["start_date"], data["start_time"]),
        "ends_at": ends_at,
        "venue_kind": data["venue_kind"],
        "venue": data["venue"],
        "steps": [int(n) for n in data["steps"]],
        "exchange_direction": data["exchange_direction"],
        "exchange_site": one(Site, data["exchange_site"], programme_id=site.programme_id),
        "exchange_site_name": data["exchange_site_name"],
        "parent": one(Event, data["parent"], site=site),
        "cohort": one(Group, data["cohort"], site=site),
        "route_description": data["route_description"],
        "organisers": list(Person.objects.filter(sites=site, pk__in=data["organisers"])),
        "organiser_organisations": list(
            Organisation.objects.filter(sites=site, pk__in=data["organiser_organisations"])
        ),
    }


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    kind = request.POST.get("kind", "") if request.method == "POST" else request.GET.get("kind", "")
    if request.method != "POST" and kind not in EventKind.values:
        # One question first: the kind decides which of the form's fields apply.
        return render(
            request,
            "events/choose_kind.html",
            {
                "site": site,
                "kinds": EventKind.choices,
                "error": "Choose the kind of event." if "kind" in request.GET else "",
                "breadcrumbs": _events_crumbs(site, ("Record an event", None)),
                "active": "events",
            },
            status=400 if "kind" in request.GET else 200,
        )
    form = _event_form(request, site, initial={"kind": kind, "venue_kind": "hub"})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, site=site, **_event_values(site, form.cleaned_data))
        except ValidationError as exc:
            _show_event_errors(form, exc)
        else:
            messages.success(request, f"{event.title} recorded.")
            return redirect(_event_url(event))
    return _form_page(
        request,
        site,
        form,
        title="Record an event",
        submit_label="Save event",
        cancel_url=reverse("event_list", args=[site.slug]),
        breadcrumbs=_events_crumbs(site, ("Record an event", None)),
        sections=event_sections(kind),
    )


def _show_event_errors(form: forms.Form, exc: ValidationError) -> None:
    """The service names model fields; the form splits some of them in two."""
    if hasattr(exc, "error_dict"):
        renamed = {{"starts_at": "start_date", "ends_at": "end_date"}.get(k, k): v for k, v in exc.message_dict.items()}
        exc = ValidationError(renamed)
    show_service_errors(form, exc)


@login_required
def event_edit(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = selectors.event_in_site(site, event_id)
    starts = timezone.localtime(event.starts_at)
    ends = timezone.localtime(event.ends_at) if event.ends_at else None
    initial = {
        "kind": event.kind,
        "title": event.title,
        "description": event.description,
        "start_date": starts.date(),
        "start_time": starts.strftime("%H:%M") if starts.time() != dt.time(0, 0) else "",
        "end_date": ends.date() if ends else None,
        "end_time": ends.strftime("%H:%M") if ends else "",
        "venue_kind": event.venue_kind,
        "venue": event.venue,
        "steps": [str(n) for n in event.steps],
        "exchange_direction": event.exchange_direction,
        "exchange_site": str(event.exchange_site_id or ""),
        "exchange_site_name": event.exchange_site_name,
        "parent": str(event.parent_id or ""),
        "cohort": str(event.cohort_id or ""),
        "route_description": event.route_description,
        "organisers": [str(pk) for pk in event.organisers.values_list("pk", flat=True)],
        "organiser_organisations": [str(pk) for pk in event.organiser_organisations.values_list("pk", flat=True)],
    }
    form = _event_form(request, site, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(actor=request.user, event=event, **_event_values(site, form.cleaned_data))
        except ValidationError as exc:
            _show_event_errors(form, exc)
        else:
            messages.success(request, "Event saved.")
            return redirect(_event_url(event))
    return _form_page(
        request,
        site,
        form,
        title=f"Edit {event.title}",
        submit_label="Save",
        cancel_url=_event_url(event),
        breadcrumbs=_events_crumbs(site, (event.title, _event_url(event)), ("Edit", None)),
        sections=event_sections(request.POST.get("kind", event.kind) if request.method == "POST" else event.kind),
    )


# The event page --------------------------------------------------------------------------------------
def _head_count_cells() -> list[tuple[str, str, str]]:
    return [
        (f"{p}__{b or 'unknown'}", f"{p_label}s, {b_label.lower() if not b else b_label}", p)
        for p, p_label in ParticipantKind.choices
        for b, b_label in AgeBand.choices
    ]


@login_required
def event_detail(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, VIEW)
    event = selectors.event_in_site(site, event_id)
    return _render_event(request, site, event)


def _render_event(
    request: HttpRequest,
    site: Site,
    event: Event,
    *,
    attendance_form: AttendanceForm | None = None,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    visibility = Visibility.for_user(request.user, site)
    can_change = request.user.has_perm(CHANGE, site)
    can_add_evidence = request.user.has_perm("programmes.add_evidence", site)
    grid = selectors.head_count_grid(event)
    counts = [
        (p_label, [(b_label, grid[(p, b)]) for b, b_label in AgeBand.choices if grid[(p, b)]])
        for p, p_label in ParticipantKind.choices
    ]
    return render(
        request,
        "events/event_detail.html",
        {
            "site": site,
            "event": event,
            "visibility": visibility,
            "organisers": selectors.person_rows(
                event.organisers.all(), site=site, visibility=visibility, with_notes=False
            ),
            "organiser_organisations": list(event.organiser_organisations.order_by("name")),
            "attendance": selectors.attendance_rows(event, visibility),
            "totals": selectors.attendance_totals(event),
            "counts": [(label, cells) for label, cells in counts if cells],
            "attendance_form": attendance_form
            or (
                AttendanceForm(
                    people=selectors.site_people_choices(site, visibility),
                    organisations=selectors.site_organisation_choices(site),
                )
                if can_change
                else None
            ),
            "evidence_form": evidence_form
            or (EvidenceForm(criteria=selectors.criterion_choices(site)) if can_add_evidence else None),
            "evidence": selectors.event_evidence(event),
            "is_meeting": event.kind in MEETING_KINDS,
            "minutes": selectors.minutes_of(event) if event.kind in MEETING_KINDS else None,
            "findings": selectors.findings_of(event) if event.kind == EventKind.WALKABOUT else [],
            "site_visits": selectors.site_visits_of(event) if event.kind == EventKind.RESIDENTIAL else [],
            "listening_url": (
                link
                if (link := selectors.event_links(site, [event])[event.pk]) != request.path
                and event.kind == EventKind.LISTENING_EVENT
                else ""
            ),
            "can_change": can_change,
            "can_add_evidence": can_add_evidence,
            "can_mark_held": event.starts_at <= timezone.now(),
            "breadcrumbs": _events_crumbs(site, (event.title, None)),
            "active": "events",
        },
        status=status,
    )


@login_required
@require_POST
def event_status(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = selectors.event_in_site(site, event_id)
    try:
        services.event_set_status(actor=request.user, event=event, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Marked {event.get_status_display().lower()}.")
    return redirect(_event_url(event))


@login_required
@require_POST
def attendance_add(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = selectors.event_in_site(site, event_id)
    visibility = Visibility.for_user(request.user, site)
    form = AttendanceForm(
        request.POST,
        people=selectors.site_people_choices(site, visibility),
        organisations=selectors.site_organisation_choices(site),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_add(
                actor=request.user,
                event=event,
                person=Person.objects.filter(sites=site, pk=data["person"]).first() if data["person"] else None,
                organisation=(
                    Organisation.objects.filter(sites=site, pk=data["organisation"]).first()
                    if data["organisation"]
                    else None
                ),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect(_event_url(event, "attendance"))
    return _render_event(request, site, event, attendance_form=form, status=400)


@login_required
@require_POST
def attendance_remove(request: HttpRequest, slug: str, event_id: int, attendance_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = selectors.event_in_site(site, event_id)
    services.attendance_remove(actor=request.user, attendance=selectors.attendance_in_event(event, attendance_id))
    messages.success(request, "Removed from the attendance.")
    return redirect(_event_url(event, "attendance"))


@login_required
def head_counts(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = selectors.event_in_site(site, event_id)
    cells = _head_count_cells()
    grid = selectors.head_count_grid(event)
    initial = {
        name: grid[(p, "" if name.endswith("__unknown") else name.split("__", 1)[1])] or None for name, _, p in cells
    }
    form = HeadCountForm(_posted(request), initial=initial, cells=cells)
    if request.method == "POST" and form.is_valid():
        counts = {}
        for name, _, participant in cells:
            band = name.split("__", 1)[1]
            counts[(participant, "" if band == "unknown" else band)] = form.cleaned_data[name] or 0
        try:
            services.head_counts_set(actor=request.user, event=event, counts=counts)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Head-count saved.")
            return redirect(_event_url(event, "attendance"))
    sections = [(label + "s", [name for name, _, p in cells if p == value]) for value, label in ParticipantKind.choices]
    return _form_page(
        request,
        site,
        form,
        title=f"Head-count: {event.title}",
        submit_label="Save head-count",
        cancel_url=_event_url(event, "attendance"),
        breadcrumbs=_events_crumbs(site, (event.title, _event_url(event)), ("Head-count", None)),
        sections=sections,
        intro="How many came without giving a name, by age band. Leave a box empty for none.",
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@login_required
@require_POST
def event_evidence(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """Use the event as evidence for a criterion, in one click (from the event or pathway page)."""
    site = _site(request, slug, "programmes.add_evidence")
    event = selectors.event_in_site(site, event_id)
    form = EvidenceForm(request.POST, criteria=selectors.criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.event_attach_evidence(actor=request.user, event=event, criterion=criterion)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{event.title} is now evidence for step {criterion.step.number}.")
            return redirect(_safe_next(request, _event_url(event, "evidence")))
    return _render_event(request, site, event, evidence_form=form, status=400)


# Meetings -------------------------------------------------------------------------------------------
def _meeting(site: Site, event_id: int) -> Event:
    event = selectors.event_in_site(site, event_id)
    if event.kind not in MEETING_KINDS:
        raise Http404("This event is not a meeting")
    return event


@login_required
def minutes_page(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    """The agenda, the minutes and the decisions. The site's team drafts and reads the full
    minutes; other roles read only the published version (without personal data)."""
    from c2hub.actions.views import meeting_context  # the action plan builds on events

    site = _site(request, slug, VIEW)
    event = _meeting(site, event_id)
    can_change = request.user.has_perm(CHANGE, site)
    minutes = selectors.minutes_of(event)
    form = None
    if can_change:
        form = MinutesForm(
            _posted(request),
            initial={"agenda": minutes.agenda if minutes else "", "text": minutes.text if minutes else ""},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.minutes_save(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Minutes saved.")
                return redirect("minutes", site.slug, event.pk)
    elif request.method == "POST":
        raise PermissionDenied("Only the site's team writes minutes.")
    return render(
        request,
        "events/minutes.html",
        {
            "site": site,
            "event": event,
            "minutes": minutes,
            "form": form,
            "decision_form": DecisionForm() if can_change else None,
            "decisions": list(event.decisions.all()) if can_change else [],
            "approved_here": selectors.minutes_approved_at(event) if can_change else [],
            "can_change": can_change,
            "can_approve": request.user.has_perm(APPROVE, site),
            **meeting_context(site, event, can_change),
            "breadcrumbs": _events_crumbs(site, (event.title, _event_url(event)), ("Minutes", None)),
            "active": "events",
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def decision_add(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = _meeting(site, event_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(actor=request.user, event=event, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Decision added.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("minutes", args=[site.slug, event.pk]) + "#decisions")


@login_required
@require_POST
def decision_remove(request: HttpRequest, slug: str, event_id: int, decision_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = _meeting(site, event_id)
    try:
        services.decision_remove(actor=request.user, decision=selectors.decision_in_event(event, decision_id))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Decision removed.")
    return redirect(reverse("minutes", args=[site.slug, event.pk]) + "#decisions")


@login_required
def minutes_approve(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, APPROVE)
    event = _meeting(site, event_id)
    meetings = selectors.approving_meeting_choices(event)
    form = ApproveForm(_posted(request), meetings=meetings)
    if request.method == "POST" and form.is_valid():
        at = Event.objects.filter(site=site, pk=form.cleaned_data["at_meeting"]).first()
        try:
            services.minutes_approve(actor=request.user, event=event, at_meeting=at)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Minutes approved.")
            return redirect("minutes", site.slug, event.pk)
    minutes_url = reverse("minutes", args=[site.slug, event.pk])
    return _form_page(
        request,
        site,
        form,
        title=f"Approve the minutes of {event.title}",
        submit_label="Approve minutes",
        cancel_url=minutes_url,
        breadcrumbs=_events_crumbs(site, (event.title, _event_url(event)), ("Minutes", minutes_url), ("Approve", None)),
        intro="Minutes are approved at a later meeting that has been held. Once approved they can no longer be changed."
        if meetings
        else "Record the next meeting and mark it held first: minutes are approved at a later meeting.",
    )


@login_required
@require_POST
def minutes_publication(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, APPROVE)
    event = _meeting(site, event_id)
    try:
        if request.POST.get("publication") == "published":
            services.minutes_publish(actor=request.user, event=event)
            messages.success(request, "Minutes published, without personal data.")
        else:
            services.minutes_keep_internal(actor=request.user, event=event)
            messages.success(request, "Minutes kept internal.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("minutes", site.slug, event.pk)


# Walkabouts ------------------------------------------------------------------------------------------
def _walkabout(site: Site, event_id: int) -> Event:
    event = selectors.event_in_site(site, event_id)
    if event.kind != EventKind.WALKABOUT:
        raise Http404("This event is not a walkabout")
    return event


@login_required
def finding_add(request: HttpRequest, slug: str, event_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = _walkabout(site, event_id)
    form = FindingForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Finding recorded.")
            return redirect(_event_url(event, "findings"))
    return _form_page(
        request,
        site,
        form,
        title=f"Record a finding: {event.title}",
        submit_label="Save finding",
        cancel_url=_event_url(event, "findings"),
        multipart=True,
        breadcrumbs=_events_crumbs(site, (event.title, _event_url(event)), ("Record a finding", None)),
    )


@login_required
def finding_photo(request: HttpRequest, slug: str, event_id: int, finding_id: int) -> FileResponse:
    """A finding's photo, served only to people who may see the site's events."""
    site = _site(request, slug, VIEW)
    finding = selectors.finding_in_event(_walkabout(site, event_id), finding_id)
    if not finding.photo:
        raise Http404("This finding has no photo")
    response = FileResponse(finding.photo.open("rb"), filename=finding.photo.name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def finding_remove(request: HttpRequest, slug: str, event_id: int, finding_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = _walkabout(site, event_id)
    services.finding_remove(actor=request.user, finding=selectors.finding_in_event(event, finding_id))
    messages.success(request, "Finding removed.")
    return redirect(_event_url(event, "findings"))


@login_required
@require_POST
def finding_evidence(request: HttpRequest, slug: str, event_id: int, finding_id: int) -> HttpResponse:
    site = _site(request, slug, "programmes.add_evidence")
    event = _walkabout(site, event_id)
    finding = selectors.finding_in_event(event, finding_id)
    form = EvidenceForm(request.POST, criteria=selectors.criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.finding_attach_evidence(actor=request.user, finding=finding, criterion=criterion)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The finding is now evidence for step {criterion.step.number}.")
    else:
        messages.error(request, "Choose the criterion this finding evidences.")
    return redirect(_event_url(event, "findings"))


# The learning programme --------------------------------------------------------------------------------
@login_required
def learning_programme(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    visibility = Visibility.for_user(request.user, site)
    return render(
        request,
        "events/learning_programme.html",
        {
            "site": site,
            "cohorts": selectors.learning_programme(site, visibility),
            "can_change": request.user.has_perm(CHANGE, site),
            "completion_form": CompletionForm(initial={"completed_on": timezone.localdate()}),
            "today": timezone.localdate(),
            "breadcrumbs": _events_crumbs(site, ("Learning programme", None)),
            "active": "events",
        },
    )


@login_required
@require_POST
def learner_completion(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    membership = selectors.learner_in_site(site, membership_id)
    anchor = reverse("learning_programme", args=[site.slug]) + f"#learner-{membership.pk}"
    if request.POST.get("action") == "undo":
        services.learner_completion_undo(actor=request.user, site=site, membership=membership)
        messages.success(request, "Completion removed.")
        return redirect(anchor)
    form = CompletionForm(request.POST)
    if form.is_valid():
        try:
            services.learner_complete(
                actor=request.user, site=site, membership=membership, completed_on=form.cleaned_data["completed_on"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Completion recorded.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(anchor)
