"""Pages for a site's action plan, "you said, we did" and agency responsiveness. Thin: reads come
from ``selectors.py``, writes go through ``services.py``, and permissions are the rules in
``c2hub/accounts/rules.py`` (``actions.view_actions``, ``actions.change_actions``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from c2hub import charts
from c2hub.actions import selectors, services
from c2hub.actions.forms import ActionForm, AttachForm, ObjectiveForm, UpdateForm
from c2hub.actions.models import Action, ActionStatus
from c2hub.events.models import MEETING_KINDS, Event, WalkaboutFinding
from c2hub.events.selectors import criterion_choices
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

VIEW, CHANGE = "actions.view_actions", "actions.change_actions"
#: How many actions "you said, we did" lists under each theme.
YOU_SAID_SHOWN = 10
#: The action form's fields that name a record by id.
CHOICE_FIELDS = frozenset({"objective", "theme", "lead_resident", "lead_organisation", "lead_officer"})


def _site(request: HttpRequest, slug: str, perm: str) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Action plan", reverse("action_plan", args=[site.slug])), *more)


def _action_url(action: Action, anchor: str = "") -> str:
    return reverse("action_detail", args=[action.site.slug, action.pk]) + (f"#{anchor}" if anchor else "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


#: Every form page here: the one form page (c2hub/pages.py), in this section of the site.
_form_page = partial(form_page, active="actions")


def _show_names(request: HttpRequest, site: Site) -> bool:
    return request.user.has_perm("people.view_identity", site)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


# The plan ------------------------------------------------------------------------------------------
@login_required
def action_plan(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    status = request.GET.get("status", "")
    filters = {
        "status": status if status in ActionStatus.values or status == "open" else "",
        "organisation": _int(request.GET.get("agency")),
        "overdue": request.GET.get("overdue") == "1",
        "theme": _int(request.GET.get("priority")),
    }
    if request.GET.get("format") == "csv":
        rows = selectors.actions_for_site(site, **filters)
        return csv_download(
            f"{site.slug}-action-plan",
            [
                "objective",
                "action",
                "priority",
                "lead agency",
                "status",
                "due",
                "asked",
                "acknowledged",
                "first response",
                "completed",
            ],
            (
                (
                    a.objective.title if a.objective else "",
                    a.title,
                    a.theme.name if a.theme else "",
                    a.lead_organisation.name if a.lead_organisation else "",
                    a.get_status_display(),
                    a.due_on or "",
                    a.asked_on or "",
                    a.acknowledged_on or "",
                    a.first_response_on or "",
                    a.completed_on or "",
                )
                for a in rows.iterator()
            ),
        )
    plan = selectors.action_plan(site, page=request.GET.get("page", 1), **filters)
    from c2hub.people.views import _pagination

    return render(
        request,
        "actions/plan.html",
        {
            "site": site,
            "plan": plan,
            "filters": filters,
            "pagination": _pagination(request, plan.page),
            "show_names": _show_names(request, site),
            "statuses": ActionStatus.choices,
            "agencies": list(selectors.plan_organisations(site).values_list("pk", "name")),
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(site, ("Action plan", None)),
            "active": "actions",
        },
    )


def _action_choices(site: Site) -> dict[str, list[tuple[int, str]]]:
    return {
        "objective": list(selectors.objectives(site).values_list("pk", "title")),
        "theme": [(p.pk, p.label) for p in selectors.priorities(site)],
        "lead_resident": list(selectors.site_residents(site).values_list("pk", "name")),
        "lead_organisation": list(selectors.plan_organisations(site).values_list("pk", "name")),
        "lead_officer": [(p.pk, f"{p.name} ({p.organisation.name})") for p in selectors.site_officers(site)],
    }


def _action_fields(site: Site, data: dict[str, Any]) -> dict[str, Any]:
    """The form's ids as this site's records (an id from elsewhere becomes a field error)."""
    from c2hub.listening.models import Theme
    from c2hub.people.models import Organisation, Person

    models: dict[str, Any] = {
        "objective": selectors.objectives(site),
        "theme": Theme.objects.all(),
        "lead_resident": Person.objects.all(),
        "lead_organisation": Organisation.objects.all(),
        "lead_officer": Person.objects.all(),
    }
    fields = dict(data)
    for name, queryset in models.items():
        value = fields.get(name)
        fields[name] = queryset.filter(pk=int(value)).first() if value else None
    return fields


@login_required
def action_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    initial: dict[str, Any] = {"status": ActionStatus.NOT_STARTED, "public": True}
    source: dict[str, Any] = {}
    intro = ""
    theme_id = _int(request.GET.get("priority"))
    if theme_id:
        initial["theme"] = selectors.theme_in_site(site, theme_id).pk
    objective_id = _int(request.GET.get("objective"))
    if objective_id:
        initial["objective"] = selectors.objective_in_site(site, objective_id).pk
    meeting_id = _int(request.GET.get("meeting") or request.POST.get("source_meeting"))
    if meeting_id:
        meeting = Event.objects.filter(pk=meeting_id, site=site, kind__in=MEETING_KINDS).first()
        if meeting is not None:
            source["source_meeting"] = meeting
            intro = f"Raised at {meeting.title}."
    finding_id = _int(request.GET.get("finding") or request.POST.get("source_finding"))
    if finding_id:
        finding = WalkaboutFinding.objects.filter(pk=finding_id, event__site=site).select_related("event").first()
        if finding is not None:
            source["source_finding"] = finding
            initial.setdefault("title", finding.title)
            initial.setdefault("description", finding.description)
            intro = f"From the walkabout finding \u201c{finding.title}\u201d ({finding.event.title})."
    form = ActionForm(_posted(request), initial=initial, choices=_action_choices(site))
    if request.method == "POST" and form.is_valid():
        data = _action_fields(site, form.cleaned_data)
        try:
            action = services.action_create(actor=request.user, site=site, **data, **source)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Action added: {action.title}.")
            return redirect(_action_url(action))
    return _form_page(
        request,
        site,
        form,
        title="Add an action",
        submit_label="Add the action",
        cancel_url=reverse("action_plan", args=[site.slug]),
        breadcrumbs=_crumbs(site, ("Add an action", None)),
        sections=ActionForm.SECTIONS,
        intro=intro,
    )


@login_required
def action_edit(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    action = selectors.action_in_site(site, action_id)
    initial = {
        name: (getattr(action, f"{name}_id") if name in CHOICE_FIELDS else getattr(action, name))
        for name in ActionForm.base_fields
    }
    form = ActionForm(_posted(request), initial=initial, choices=_action_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **_action_fields(site, form.cleaned_data))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect(_action_url(action))
    return _form_page(
        request,
        site,
        form,
        title=f"Change: {action.title}",
        submit_label="Save the action",
        cancel_url=_action_url(action),
        breadcrumbs=_crumbs(site, (action.title, _action_url(action)), ("Change", None)),
        sections=ActionForm.SECTIONS,
    )


@login_required
def action_detail(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    site = _site(request, slug, VIEW)
    action = selectors.action_in_site(site, action_id)
    return _render_action(request, site, action)


def _render_action(
    request: HttpRequest, site: Site, action: Action, *, update_form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    can_change = request.user.has_perm(CHANGE, site)
    said = None
    if action.theme_id is not None:
        comments, quotes = selectors.theme_said(action.theme)
        said = {
            "theme": action.theme,
            "comments": comments,
            "quotes": quotes,
            "listening": action.theme.listening_event,
        }
    history = selectors.history(action)
    if not _show_names(request, site):
        # Researchers: the words of the action and its history with names replaced.
        guard = selectors.name_guard(site)
        for update in history:
            update.note = guard.scrub(update.note)
        for name in ("title", "description", "what_changed", "dropped_reason"):
            setattr(action, name, guard.scrub(getattr(action, name)))
    if can_change and update_form is None:
        update_form = UpdateForm(initial={"status": action.status})
    return render(
        request,
        "actions/detail.html",
        {
            "site": site,
            "action": action,
            "history": history,
            "said": said,
            "overdue": selectors.is_overdue(action),
            "show_names": _show_names(request, site),
            "can_change": can_change,
            "update_form": update_form,
            "can_attach": request.user.has_perm("programmes.add_evidence", site),
            "criteria": criterion_choices(site) if can_change else [],
            "breadcrumbs": _crumbs(site, (action.title, None)),
            "active": "actions",
        },
        status=status,
    )


@login_required
@require_POST
def update_add(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    """A dated update: from the action's page, or from a meeting's minutes page (``meeting``)."""
    site = _site(request, slug, CHANGE)
    action = selectors.action_in_site(site, action_id)
    form = UpdateForm(request.POST, request.FILES)
    meeting = None
    meeting_id = _int(request.POST.get("meeting"))
    if meeting_id:
        meeting = Event.objects.filter(pk=meeting_id, site=site, kind__in=MEETING_KINDS).first()
        if meeting is None:
            form.add_error(None, "Choose a partnership meeting of this site.")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update_add(
                actor=request.user,
                action=action,
                status=data["status"],
                note=data["note"],
                on=data["on"],
                meeting=meeting,
                link=data["link"],
                file=data["file"],
                dropped_reason=data["dropped_reason"],
                what_changed=data["what_changed"] or None,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Update recorded: {action.title}.")
            fallback = (
                reverse("minutes", args=[site.slug, meeting.pk]) + "#action-plan"
                if meeting is not None
                else _action_url(action, "history")
            )
            return redirect(_safe_next(request, fallback))
    return _render_action(request, site, action, update_form=form, status=400)


@login_required
@require_POST
def action_evidence(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    site = _site(request, slug, "programmes.add_evidence")
    action = selectors.action_in_site(site, action_id)
    form = AttachForm(request.POST, criteria=criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.action_attach_evidence(actor=request.user, action=action, criterion=criterion)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{action.title} is now evidence for step {criterion.step.number}.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(_safe_next(request, _action_url(action)))


# Objectives ----------------------------------------------------------------------------------------
@login_required
def objective_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    themes = [(p.pk, p.label) for p in selectors.priorities(site)]
    initial = {}
    theme_id = _int(request.GET.get("priority"))
    if theme_id:
        theme = selectors.theme_in_site(site, theme_id)
        initial = {"theme": theme.pk, "title": theme.name}
    form = ObjectiveForm(_posted(request), initial=initial, themes=themes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        from c2hub.listening.models import Theme

        theme = Theme.objects.filter(pk=int(data["theme"])).first() if data["theme"] else None
        try:
            objective = services.objective_create(
                actor=request.user, site=site, title=data["title"], description=data["description"], theme=theme
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Objective added: {objective.title}. Now add its actions.")
            return redirect(reverse("action_create", args=[site.slug]) + f"?objective={objective.pk}")
    return _form_page(
        request,
        site,
        form,
        title="Add an objective",
        submit_label="Add the objective",
        cancel_url=reverse("action_plan", args=[site.slug]),
        breadcrumbs=_crumbs(site, ("Add an objective", None)),
        intro="An objective answers one of residents' priorities; its actions say who does what by when.",
    )


@login_required
def priorities_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Residents' priorities (listening-event themes by votes), each with its objectives and actions."""
    site = _site(request, slug, VIEW)
    priority_list = selectors.priorities(site)
    counts: dict[int, int] = {}
    for theme_id in Action.objects.filter(site=site, theme__isnull=False).values_list("theme_id", flat=True):
        counts[theme_id] = counts.get(theme_id, 0) + 1
    return render(
        request,
        "actions/priorities.html",
        {
            "site": site,
            "priorities": priority_list,
            "counts": counts,
            "objectives": list(selectors.objectives(site)),
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": _crumbs(site, ("Residents' priorities", None)),
            "active": "actions",
        },
    )


# You said, we did ------------------------------------------------------------------------------------
@login_required
def you_said_we_did(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    # Those who may not see identities (researchers) read the public version only.
    public = request.GET.get("version") == "public" or not _show_names(request, site)
    return render(
        request,
        "actions/you_said_we_did.html",
        {
            "site": site,
            # Per theme, the open actions and those done most recently; the rest counted.
            "items": selectors.you_said_we_did(site, public=public, per_theme=YOU_SAID_SHOWN),
            "public": public,
            "can_see_team": _show_names(request, site),
            "breadcrumbs": site_breadcrumbs(site, ("You said, we did", None)),
            "active": "actions",
        },
    )


# Responsiveness ----------------------------------------------------------------------------------------
def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


@login_required
def responsiveness_page(request: HttpRequest, slug: str) -> HttpResponse:
    from c2hub.outcomes.selectors import cached_svg

    site = _site(request, slug, VIEW)
    report = selectors.responsiveness(site)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-responsiveness",
            [
                "agency",
                "quarter",
                "actions",
                "median days to first response",
                "median days to completion",
                "done on time",
                "due and judged",
                "trend",
            ],
            (
                (
                    a.organisation,
                    q.label,
                    q.figures.actions,
                    _fmt(q.figures.median_first_response),
                    _fmt(q.figures.median_completion),
                    q.figures.on_time,
                    q.figures.judged,
                    q.trend,
                )
                for a in report.agencies
                for q in a.quarters
            ),
        )
    points = [
        {"quarter": q.label, "agency": a.organisation, "days": q.figures.median_first_response}
        for a in report.agencies[:6]
        for q in a.quarters
        if q.figures.median_first_response is not None
    ]
    title = "Median days from asking an agency to its first response, by quarter"
    svg = ""
    if points:
        svg = cached_svg(
            "actions-responsiveness",
            {"rows": points, "title": title},
            lambda: charts.line_chart(
                points,
                x="quarter",
                y="days",
                series="agency",
                title=title,
                x_title="Quarter asked",
                y_title="Median days",
                x_type="O",
            ),
            "A line per agency (the six with most actions); the table below gives every figure.",
        )
    headline = selectors.responsiveness_summary(report)[0] if report.agencies else ""
    can_attach = request.user.has_perm("programmes.add_evidence", site)
    return render(
        request,
        "actions/responsiveness.html",
        {
            "site": site,
            "report": report,
            "svg": svg,
            "headline": headline,
            "can_attach": can_attach,
            "criteria": _responsiveness_criteria(site) if can_attach else [],
            "breadcrumbs": _crumbs(site, ("Agency responsiveness", None)),
            "active": "actions",
        },
    )


def _responsiveness_criteria(site: Site) -> list[tuple[int, str]]:
    from c2hub.actions.suggestions import RESPONSIVENESS_KEYS

    keyed = {c.pk for c in _criteria_with_keys(site, RESPONSIVENESS_KEYS)}
    choices = criterion_choices(site)
    return [c for c in choices if c[0] in keyed] + [c for c in choices if c[0] not in keyed]


def _criteria_with_keys(site: Site, keys: frozenset[str]) -> Any:
    from c2hub.programmes.models import StepCriterion

    return StepCriterion.objects.filter(step__model_id=site.pathway_model_id, key__in=keys)


@login_required
@require_POST
def responsiveness_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "programmes.add_evidence")
    form = AttachForm(request.POST, criteria=criterion_choices(site))
    fallback = reverse("responsiveness", args=[site.slug])
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.responsiveness_attach_evidence(actor=request.user, site=site, criterion=criterion)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"The responsiveness figures are now evidence for step {criterion.step.number}.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(_safe_next(request, fallback))


# At a meeting -----------------------------------------------------------------------------------------
def meeting_context(site: Site, meeting: Event, can_change: bool) -> dict[str, Any]:
    """What a partnership meeting's minutes page shows of the action plan (the events view calls this)."""
    return {
        "action_updates": selectors.meeting_updates(meeting),
        "open_actions": selectors.open_actions(site) if can_change else [],
        "status_choices": ActionStatus.choices,
    }
