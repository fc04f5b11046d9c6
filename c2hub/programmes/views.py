"""Pages for the portfolio, a site and its pathway. Thin: reads come from selectors, writes go
through services, permissions are the rules in c2hub/accounts/rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.listening.selectors import feedback_warnings
from c2hub.programmes import records, selectors, services, suggestions
from c2hub.programmes.forms import (
    DueDateForm,
    EvidenceForm,
    FundingLineForm,
    OverrideForm,
    ReasonForm,
    SiteForm,
    wards_text,
)

OVERVIEW_TIMELINE_LENGTH = 12
DASHBOARD_PAGE_SIZE = 50
#: Evidence items shown per criterion on the pathway page; the criterion's own page lists them all.
EVIDENCE_SHOWN_PER_CRITERION = 3


def site_breadcrumbs(site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    crumbs = [
        {"text": "My sites", "href": reverse("dashboard")},
        {"text": site.name, "href": reverse("site_overview", args=[site.slug])},
    ]
    crumbs += [{"text": text, "href": href} if href else {"text": text} for text, href in more]
    return crumbs


def pathway_url(site, number: int) -> str:
    """The pathway page, scrolled to one step."""
    return reverse("site_pathway", args=[site.slug]) + f"#step-{number}"


def pathway_breadcrumbs(site, here: str) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Pathway", reverse("site_pathway", args=[site.slug])), (here, None))


def _step_state(site, number: int) -> selectors.StepState:
    state = next((s for s in selectors.pathway_state(site) if s.step.number == number), None)
    if state is None:
        raise Http404("No such step")
    return state


def _facilitator_names(user, site) -> list[str]:
    """Facilitators as this viewer may see them (a researcher sees pseudonyms)."""
    from c2hub.people.selectors import Visibility, person_rows

    rows = person_rows(site.facilitators.all(), site=site, visibility=Visibility.for_user(user, site), with_notes=False)
    return [row.name for row in rows]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.portfolio(request.user, q=q)
    if overdue_only:
        rows = [r for r in rows if r.overdue_steps]
    if request.GET.get("format") == "csv":
        return csv_download(
            "c2hub-my-sites",
            [
                "site",
                "local authority",
                "current step",
                "current step title",
                "steps complete",
                "steps",
                "criteria waiting",
                "overdue steps",
                "next due",
                "last activity",
            ],
            (
                [
                    r.site.name,
                    r.site.local_authority,
                    r.current_step or "",
                    r.current_step_title,
                    r.steps_complete,
                    r.steps_total,
                    r.criteria_waiting,
                    r.overdue_steps,
                    r.next_due_on or "",
                    timezone.localtime(r.last_activity_at).isoformat(timespec="minutes"),
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "programmes/dashboard.html",
        {
            "page": Paginator(rows, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page")),
            "count": len(rows),
            "q": q,
            "overdue_only": overdue_only,
            "administered": selectors.programmes_administered(request.user),
            "feedback_warnings": feedback_warnings(selectors.sites_for_user(request.user)),
        },
    )


@login_required
def site_overview(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug)
    states = selectors.pathway_state(site)
    latest = selectors.site_timeline(site, limit=OVERVIEW_TIMELINE_LENGTH + 1)
    return render(
        request,
        "programmes/site_overview.html",
        {
            "site": site,
            "states": states,
            "current": selectors.current_step(states),
            "timeline": latest[:OVERVIEW_TIMELINE_LENGTH],
            "timeline_is_cut": len(latest) > OVERVIEW_TIMELINE_LENGTH,
            "funding_lines": site.funding_lines.select_related("funder"),
            "facilitators": _facilitator_names(request.user, site),
            "breadcrumbs": site_breadcrumbs(site),
            "active": "overview",
        },
    )


@login_required
def timeline(request: HttpRequest, slug: str) -> HttpResponse:
    """Every completion, override, reopening and piece of evidence, newest first."""
    site = selectors.site_get_for_user(request.user, slug)
    events = selectors.site_timeline_events(site)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-timeline",
            ["recorded at", "what", "step", "criterion", "evidence", "happened on", "reason", "by"],
            (
                [
                    timezone.localtime(e.occurred_at).isoformat(timespec="minutes"),
                    e.get_kind_display(),
                    e.step.number if e.step else "",
                    e.criterion.text if e.criterion else "",
                    e.evidence.summary if e.evidence else "",
                    e.evidence.occurred_on if e.evidence and e.evidence.occurred_on else "",
                    e.reason,
                    str(e.actor) if e.actor else "",
                ]
                for e in events.iterator(chunk_size=1000)
            ),
        )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "programmes/timeline.html",
        {
            "site": site,
            "page": page,
            "timeline": list(page),
            "breadcrumbs": site_breadcrumbs(site, ("Timeline", None)),
            "active": "overview",
        },
    )


@login_required
def pathway(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug)
    states = selectors.pathway_state(site)
    return render(
        request,
        "programmes/pathway.html",
        {
            "site": site,
            "states": states,
            "suggestions": suggestions.suggestions_by_criterion(
                site, [c.criterion for s in states for c in s.criteria]
            ),
            "current": selectors.current_step(states),
            "evidence_shown": EVIDENCE_SHOWN_PER_CRITERION,
            "breadcrumbs": site_breadcrumbs(site, ("Pathway", None)),
            "active": "pathway",
        },
    )


@login_required
def criterion_detail(request: HttpRequest, slug: str, criterion_id: int) -> HttpResponse:
    """One criterion with every piece of its evidence."""
    site = selectors.site_get_for_user(request.user, slug)
    criterion = selectors.criterion_for_site(site, criterion_id)
    state = next(c for c in _step_state(site, criterion.step.number).criteria if c.criterion.pk == criterion.pk)
    return render(
        request,
        "programmes/criterion.html",
        {
            "site": site,
            "cs": state,
            "suggestions": suggestions.suggestions_for(site, criterion),
            "breadcrumbs": pathway_breadcrumbs(site, f"Step {criterion.step.number}: evidence"),
            "active": "pathway",
        },
    )


@login_required
def evidence_add(request: HttpRequest, slug: str, criterion_id: int) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.add_evidence")
    criterion = selectors.criterion_for_site(site, criterion_id)
    choices = records.record_choices(site)
    form = EvidenceForm(request.POST or None, request.FILES or None, record_choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.evidence_add(
                actor=request.user,
                site=site,
                criterion=criterion,
                kind=data["kind"],
                summary=data["summary"],
                note=data["note"],
                url=data["url"] or "",
                file=data["file"],
                record=records.resolve_record(site, data["record"]) if data["record"] else None,
                occurred_on=data["occurred_on"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Evidence added to step {criterion.step.number}.")
            return redirect(pathway_url(site, criterion.step.number))
    return render(
        request,
        "programmes/evidence_form.html",
        {
            "site": site,
            "criterion": criterion,
            "form": form,
            "breadcrumbs": pathway_breadcrumbs(site, "Add evidence"),
            "active": "pathway",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def evidence_verify(request: HttpRequest, slug: str, evidence_id: int) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug)
    item = selectors.evidence_for_site(site, evidence_id)
    services.evidence_verify(actor=request.user, evidence=item)
    messages.success(request, "Evidence verified.")
    return redirect(pathway_url(site, item.criterion.step.number))


@login_required
def evidence_file(request: HttpRequest, slug: str, evidence_id: int) -> FileResponse:
    """Uploaded evidence is served only to people who may see the site."""
    site = selectors.site_get_for_user(request.user, slug)
    item = selectors.evidence_for_site(site, evidence_id)
    if not item.file:
        raise Http404("This evidence has no file")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.file.name.rsplit("/", 1)[-1])


@login_required
def step_complete(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.complete_step")
    state = _step_state(site, number)
    can_override = request.user.has_perm("programmes.override_step", site)
    form = OverrideForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.step_complete(
                actor=request.user,
                site=site,
                step_number=number,
                override_reason=form.cleaned_data["override_reason"] if can_override else "",
            )
        except services.StepNotReady:
            form.add_error(
                "override_reason" if can_override else None,
                "Every criterion needs evidence before this step can be completed"
                + (", or give a reason to override." if can_override else "."),
            )
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 400
        else:
            messages.success(
                request,
                f"Step {number} completed" + (" by override." if outcome.overridden else "."),
            )
            return redirect(pathway_url(site, number))
    return render(
        request,
        "programmes/step_complete.html",
        {
            "site": site,
            "state": state,
            "form": form,
            "can_override": can_override,
            "breadcrumbs": pathway_breadcrumbs(site, f"Complete step {number}"),
            "active": "pathway",
        },
        status=status,
    )


@login_required
def step_reopen(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.reopen_step")
    state = _step_state(site, number)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_reopen(actor=request.user, site=site, step_number=number, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Step {number} reopened.")
            return redirect(pathway_url(site, number))
    return render(
        request,
        "programmes/step_reopen.html",
        {
            "site": site,
            "state": state,
            "form": form,
            "breadcrumbs": pathway_breadcrumbs(site, f"Reopen step {number}"),
            "active": "pathway",
        },
        status=400 if form.errors else 200,
    )


def _organisation(programme, value: str):
    from c2hub.people.models import Organisation

    return Organisation.objects.filter(programme=programme, pk=value).first() if value else None


@login_required
def site_create(request: HttpRequest, programme_slug: str) -> HttpResponse:
    """A programme admin starts a new site on a pathway model version."""
    from c2hub.programmes.models import PathwayModel

    programme = selectors.programme_administered(request.user, programme_slug)
    form = SiteForm(
        request.POST or None,
        models=selectors.pathway_model_choices(),
        organisations=selectors.organisation_choices(programme),
        initial={"status": "active", "planned_length_months": 24},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            site = services.site_create(
                actor=request.user,
                programme=programme,
                name=data["name"],
                slug=data["slug"],
                pathway_model=PathwayModel.objects.get(pk=data["pathway_model"]),
                start_date=data["start_date"],
                planned_length_months=data["planned_length_months"],
                local_authority=data["local_authority"],
                local_authority_code=data["local_authority_code"],
                wards=data["wards"],
                lsoa_codes=data["lsoa_codes"],
                description=data["description"],
                status=data["status"],
                lead_agency=_organisation(programme, data["lead_agency"]),
                commissioner=_organisation(programme, data["commissioner"]),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{site.name} has started on the pathway.")
            return redirect("site_overview", slug=site.slug)
    return render(
        request,
        "programmes/site_form.html",
        {
            "form": form,
            "programme": programme,
            "site": None,
            "breadcrumbs": [{"text": "My sites", "href": reverse("dashboard")}, {"text": "New site"}],
        },
        status=400 if form.errors else 200,
    )


@login_required
def site_edit(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.change_site")
    initial = {
        "name": site.name,
        "status": site.status,
        "start_date": site.start_date,
        "planned_length_months": site.planned_length_months,
        "local_authority": site.local_authority,
        "local_authority_code": site.local_authority_code,
        "wards": wards_text(site.wards),
        "lsoa_codes": "\n".join(site.lsoa_codes),
        "description": site.description,
        "lead_agency": str(site.lead_agency_id or ""),
        "commissioner": str(site.commissioner_id or ""),
        "facilitators": [str(pk) for pk in site.facilitators.values_list("pk", flat=True)],
    }
    from c2hub.people.selectors import Visibility, people_for_site, person_rows

    site_people = people_for_site(site)
    people_choices = [
        (str(row.id), f"{row.name} ({row.organisation_name})" if row.organisation_name else row.name)
        for row in person_rows(site_people, site=site, visibility=Visibility.for_user(request.user, site))
    ]
    form = SiteForm(
        request.POST or None,
        initial=initial,
        editing=True,
        models=[],
        organisations=selectors.organisation_choices(site.programme),
        people=people_choices,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.site_update(
                actor=request.user,
                site=site,
                name=data["name"],
                status=data["status"],
                start_date=data["start_date"],
                planned_length_months=data["planned_length_months"],
                local_authority=data["local_authority"],
                local_authority_code=data["local_authority_code"],
                wards=data["wards"],
                lsoa_codes=data["lsoa_codes"],
                description=data["description"],
                lead_agency=_organisation(site.programme, data["lead_agency"]),
                commissioner=_organisation(site.programme, data["commissioner"]),
                facilitators=list(site_people.filter(pk__in=data["facilitators"])),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Site details saved.")
            return redirect("site_overview", slug=site.slug)
    return render(
        request,
        "programmes/site_form.html",
        {
            "form": form,
            "site": site,
            "programme": site.programme,
            "breadcrumbs": site_breadcrumbs(site, ("Edit details", None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def funding_line_add(request: HttpRequest, slug: str) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.change_site")
    steps = [(str(n), f"Step {n}") for n in site.pathway_model.steps.values_list("number", flat=True)]
    form = FundingLineForm(
        request.POST or None, organisations=selectors.organisation_choices(site.programme), steps=steps
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.funding_line_create(
                actor=request.user,
                site=site,
                description=data["description"],
                funder=_organisation(site.programme, data["funder"]),
                funder_name=data["funder_name"],
                amount=data["amount"],
                status=data["status"],
                steps_covered=[int(n) for n in data["steps_covered"]],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Funding line added.")
            return redirect("site_overview", slug=site.slug)
    return render(
        request,
        "programmes/funding_form.html",
        {"form": form, "site": site, "breadcrumbs": site_breadcrumbs(site, ("Add funding", None))},
        status=400 if form.errors else 200,
    )


@login_required
def step_due_date(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = selectors.site_get_for_user(request.user, slug, "programmes.change_site")
    progress = site.step_progress.select_related("step").filter(step__number=number).first()
    if progress is None:
        raise Http404("No such step")
    form = DueDateForm(request.POST or None, initial={"due_on": progress.due_on})
    if request.method == "POST" and form.is_valid():
        services.step_set_due_date(
            actor=request.user, site=site, step_number=number, due_on=form.cleaned_data["due_on"]
        )
        messages.success(request, f"Due date of step {number} saved.")
        return redirect(pathway_url(site, number))
    return render(
        request,
        "programmes/due_date_form.html",
        {
            "form": form,
            "site": site,
            "progress": progress,
            "breadcrumbs": pathway_breadcrumbs(site, f"Due date of step {number}"),
        },
        status=400 if form.errors else 200,
    )
