"""Pages for a site's neighbourhood indicators, geography, comparison areas, changes in the area
and evaluations. Thin: reads from selectors, writes through services, permissions from the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from c2hub.areas import queries
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.outcomes import selectors, services
from c2hub.outcomes.forms import AreaChangeForm, ComparisonAddForm, EvaluationForm, GeographyForm
from c2hub.programmes.selectors import site_get_for_user

VIEW = "outcomes.view_indicators"
CHANGE = "outcomes.change_geography"
RUN = "outcomes.run_evaluation"


def _breadcrumbs(site: Any, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    crumbs = [
        {"text": "My sites", "href": reverse("dashboard")},
        {"text": site.name, "href": reverse("site_overview", args=[site.slug])},
        {"text": "Outcomes", "href": reverse("site_outcomes", args=[site.slug])},
    ]
    return crumbs + [{"text": text, "href": href} if href else {"text": text} for text, href in more]


def _page_data(request: HttpRequest, site: Any) -> dict[str, Any]:
    suppressed = selectors.counts_suppressed(request.user, site)
    page = selectors.indicators_page(site, crime_type=request.GET.get("type", ""), suppressed=suppressed)
    return {"suppressed": suppressed, "crime": page.crime, "deprivation": page.deprivation,
            "indicators": page.indicators, "blocks": page.blocks, "lsoas": page.lsoas}


@login_required
def site_outcomes(request: HttpRequest, slug: str) -> HttpResponse:
    """The indicators page: crime, deprivation and generic indicators, each chart beside its table."""
    site = site_get_for_user(request.user, slug, VIEW)
    data = _page_data(request, site)
    return render(request, "outcomes/indicators.html", {
        "site": site,
        "active": "outcomes",
        "breadcrumbs": _breadcrumbs(site)[:-1] + [{"text": "Outcomes"}],
        "comparison_areas": selectors.comparison_areas(site),
        "changes": selectors.area_changes(site),
        "latest": selectors.latest_finished_evaluation(site),
        "can_change": request.user.has_perm(CHANGE, site),
        "can_run": request.user.has_perm(RUN, site),
        "threshold": selectors.suppression_threshold(),
        **data,
    })


@login_required
def site_outcomes_csv(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """The data of one chart as CSV (suppressed for commissioners, like the page)."""
    site = site_get_for_user(request.user, slug, VIEW)
    block = _page_data(request, site)["blocks"].get(key)
    if block is None:
        raise Http404("No such chart")
    return csv_download(f"{site.slug}-{key}", block.header, block.csv_rows)


@login_required
def site_geography(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit the site's LSOAs (or take them from its wards)."""
    site = site_get_for_user(request.user, slug, CHANGE)
    form = GeographyForm(request.POST or None, initial={"lsoa_codes": "\n".join(site.lsoa_codes)})
    if request.method == "POST":
        try:
            if "from_wards" in request.POST:
                change = services.site_lsoas_from_wards(actor=request.user, site=site)
            elif form.is_valid():
                change = services.site_lsoas_set(
                    actor=request.user, site=site, codes=services.split_codes(form.cleaned_data["lsoa_codes"])
                )
            else:
                change = None
        except ValidationError as error:
            show_service_errors(form, error)
            change = None
        if change is not None:
            text = f"The site now covers {len(change.lsoas)} LSOAs."
            if change.reconciled:
                text += " 2011 codes turned into 2021 codes: " + "; ".join(
                    f"{old} → {', '.join(new)}" for old, new in change.reconciled.items()) + "."
            messages.success(request, text)
            return redirect("site_outcomes", site.slug)
    return render(request, "outcomes/geography.html", {
        "site": site, "form": form, "active": "outcomes", "lsoas": selectors.site_lsoa_rows(site),
        "breadcrumbs": _breadcrumbs(site, ("LSOAs", None)),
    })


@login_required
def site_comparison_areas(request: HttpRequest, slug: str) -> HttpResponse:
    """The comparison areas with the reasons for each; facilitators suggest, accept, remove and add."""
    site = site_get_for_user(request.user, slug, VIEW)
    can_change = request.user.has_perm(CHANGE, site)
    form = ComparisonAddForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("You cannot change the comparison areas.")
        action = request.POST.get("action", "")
        try:
            if action == "suggest":
                made = services.comparison_suggest(actor=request.user, site=site)
                messages.success(request, f"{len(made)} comparison areas suggested.")
            elif action == "accept_all":
                messages.success(request, f"{services.comparison_accept_all(actor=request.user, site=site)} accepted.")
            elif action in ("accept", "remove"):
                status = "accepted" if action == "accept" else "removed"
                area = services.comparison_set_status(
                    actor=request.user, site=site, lsoa=request.POST.get("lsoa", ""), status=status
                )
                messages.success(request, f"{area.lsoa} {status}.")
            elif action == "add" and form.is_valid():
                area = services.comparison_add(actor=request.user, site=site, lsoa=form.cleaned_data["lsoa"])
                messages.success(request, f"{area.lsoa} added.")
            elif action != "add":
                raise ValidationError({"lsoa": "Unknown action."})
            if action != "add" or not form.errors:
                return redirect("site_comparison_areas", site.slug)
        except ValidationError as error:
            if action == "add":
                show_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("site_comparison_areas", site.slug)
    return render(request, "outcomes/comparison_areas.html", {
        "site": site, "form": form, "active": "outcomes", "can_change": can_change,
        "areas": selectors.comparison_areas(site),
        "breadcrumbs": _breadcrumbs(site, ("Comparison areas", None)),
    })


@login_required
def site_area_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """Changes in the area that could explain a difference: list, record, delete."""
    site = site_get_for_user(request.user, slug, VIEW)
    can_change = request.user.has_perm(CHANGE, site)
    form = AreaChangeForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("You cannot record changes in the area.")
        if form.is_valid():
            try:
                services.area_change_add(actor=request.user, site=site, **form.cleaned_data)
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "Change recorded. It is on the timeline and marked on the charts.")
                return redirect("site_area_changes", site.slug)
    return render(request, "outcomes/area_changes.html", {
        "site": site, "form": form, "active": "outcomes", "can_change": can_change,
        "changes": selectors.area_changes(site),
        "breadcrumbs": _breadcrumbs(site, ("Changes in the area", None)),
    })


@login_required
@require_POST
def site_area_change_delete(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, CHANGE)
    try:
        services.area_change_delete(actor=request.user, site=site, change_id=change_id)
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error
    messages.success(request, "Change deleted.")
    return redirect("site_area_changes", site.slug)


@login_required
def site_evaluations(request: HttpRequest, slug: str) -> HttpResponse:
    """Run an evaluation (as a background task) and list the runs."""
    site = site_get_for_user(request.user, slug, VIEW)
    can_run = request.user.has_perm(RUN, site)
    form = EvaluationForm(
        request.POST or None, crime_types=queries.crime_types(), milestones=selectors.milestone_choices(site)
    )
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied("You cannot run evaluations.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                run = services.evaluation_request(
                    actor=request.user, site=site, method=data["method"], crime_type=data.get("crime_type") or "",
                    treatment_start=data["treatment_start"], treatment_label=data.get("treatment_label", ""),
                )
            except ValidationError as error:
                show_service_errors(form, error)
            else:
                messages.success(request, "The evaluation is running. This page shows its progress.")
                return redirect("site_evaluation", site.slug, run.pk)
    months = queries.crime_months()
    return render(request, "outcomes/evaluations.html", {
        "site": site, "form": form, "active": "outcomes", "can_run": can_run, "months": months,
        "runs": selectors.evaluation_runs(site), "comparison": selectors.accepted_comparison_lsoas(site),
        "breadcrumbs": _breadcrumbs(site, ("Evaluations", None)),
    })


@login_required
def site_evaluation(request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
    """One run: progress while it runs (htmx polls the progress panel), then the verdict and the numbers."""
    site = site_get_for_user(request.user, slug, VIEW)
    run = selectors.evaluation_get(site, run_id)
    context = {
        "site": site, "run": run, "active": "outcomes",
        "suppressed": selectors.counts_suppressed(request.user, site),
        "threshold": selectors.suppression_threshold(),
        "breadcrumbs": _breadcrumbs(site, ("Evaluations", reverse("site_evaluations", args=[site.slug])),
                                    (f"Run {run.pk}", None)),
    }
    if request.headers.get("HX-Request"):
        response = render(request, "outcomes/_evaluation_progress.html", context)
        if run.is_done:
            response["HX-Refresh"] = "true"
        return response
    context["view"] = selectors.evaluation_view(run, suppressed=context["suppressed"]) if run.result else None
    return render(request, "outcomes/evaluation.html", context)
