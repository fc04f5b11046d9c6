"""Pages: the programme's unit-cost library (list, add, edit, CSV import and export) and a site's
value for money (compute, save, saved scenarios, CSV). Thin: reads from ``selectors``, writes
through ``services``, permissions from ``c2hub/accounts/rules.py``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from c2hub.charts import bar_chart, render_svg
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.programmes.models import Programme, Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.programmes.views import site_breadcrumbs
from c2hub.value import calculation as calc
from c2hub.value import selectors, services
from c2hub.value.forms import ASSUMPTION_LABELS, CASE_LABELS, ImportForm, UnitCostForm, ValueForm, default_initial
from c2hub.value.models import Scenario

VIEW, RUN = "value.view_value_for_money", "value.run_value_for_money"
VIEW_COSTS, CHANGE_COSTS = "value.view_unit_costs", "value.change_unit_costs"


def _library_crumbs(programme: Programme, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    crumbs = [
        {"text": "My sites", "href": reverse("dashboard")},
        {"text": f"{programme.name}: unit costs", "href": reverse("unit_cost_list", args=[programme.slug])},
    ]
    return crumbs + [{"text": t, "href": h} if h else {"text": t} for t, h in more]


# The unit-cost library ------------------------------------------------------------------------
@login_required
def unit_cost_list(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, VIEW_COSTS)
    return render(
        request,
        "value/unit_costs.html",
        {
            "programme": programme,
            "costs": list(selectors.unit_costs(programme)),
            "can_change": request.user.has_perm(CHANGE_COSTS, programme),
            "bearers": calc.BEARERS,
            "home_office_names": [f["name"] for f in services.HOME_OFFICE_COSTS],
            "breadcrumbs": _library_crumbs(programme)[:-1] + [{"text": f"{programme.name}: unit costs"}],
        },
    )


def _unit_cost_form_page(request: HttpRequest, programme: Programme, form: UnitCostForm, title: str) -> HttpResponse:
    return render(
        request,
        "value/unit_cost_form.html",
        {
            "programme": programme,
            "form": form,
            "title": title,
            "breadcrumbs": _library_crumbs(programme, (title, None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def unit_cost_create(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, CHANGE_COSTS)
    form = UnitCostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cost = services.unit_cost_create(actor=request.user, programme=programme, **form.values())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Added {cost.name}.")
            return redirect("unit_cost_list", programme.slug)
    return _unit_cost_form_page(request, programme, form, "Add a unit cost")


@login_required
def unit_cost_edit(request: HttpRequest, programme_slug: str, unit_cost_id: int) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, CHANGE_COSTS)
    cost = selectors.unit_cost_get(programme, unit_cost_id)
    form = UnitCostForm(request.POST or None, instance=cost)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_cost_update(actor=request.user, unit_cost=cost, **form.values())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {cost.name}.")
            return redirect("unit_cost_list", programme.slug)
    return _unit_cost_form_page(request, programme, form, f"Edit {cost.name}")


@login_required
def unit_cost_import(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, CHANGE_COSTS)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_costs_import_csv(
                actor=request.user, programme=programme, data=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Imported {len(saved)} unit cost{'s' if len(saved) != 1 else ''}.")
            return redirect("unit_cost_list", programme.slug)
    return render(
        request,
        "value/unit_cost_import.html",
        {
            "programme": programme,
            "form": form,
            "breadcrumbs": _library_crumbs(programme, ("Import unit costs", None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def unit_cost_home_office(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, CHANGE_COSTS)
    added = services.home_office_costs_load(actor=request.user, programme=programme)
    messages.success(request, f"Added {len(added)} Home Office figure{'s' if len(added) != 1 else ''}.")
    return redirect("unit_cost_list", programme.slug)


@login_required
def unit_cost_csv(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = selectors.programme_for_user(request.user, programme_slug, VIEW_COSTS)
    return csv_download(
        f"{programme.slug}-unit-costs.csv",
        services.CSV_COLUMNS,
        selectors.unit_cost_rows(selectors.unit_costs(programme)),
    )


# A site's value for money ---------------------------------------------------------------------
def _chart(results: dict[str, Any]) -> str:
    rows = []
    for case in calc.SCENARIOS:
        c = results["cases"][case]
        rows.append(
            {"case": CASE_LABELS[case], "measure": "Benefits (present value)", "pounds": round(c["pv_benefits"], 2)}
        )
        rows.append({"case": CASE_LABELS[case], "measure": "Costs (present value)", "pounds": round(c["pv_costs"], 2)})
    chart = bar_chart(
        rows,
        category="case",
        value="pounds",
        colour="measure",
        title="Benefits and costs, present value",
        category_title="Case",
        value_title="Pounds (present value)",
    )
    return render_svg(
        chart,
        description="Present value of benefits and of costs in the low, central and high cases; "
        "the same numbers are in the table beside the chart.",
    )


def _results_context(results: dict[str, Any]) -> dict[str, Any]:
    bearers = sorted(
        {b for c in results["cases"].values() for b in c["by_bearer"]},
        key=lambda b: -results["cases"]["central"]["by_bearer"].get(b, 0.0),
    )
    return {
        "results": results,
        "chart_svg": _chart(results),
        "bearer_keys": bearers,
        "cases": calc.SCENARIOS,
        "case_labels": CASE_LABELS,
        "bearer_labels": calc.BEARERS,
    }


def _value_page(request: HttpRequest, site: Site, form: ValueForm, **extra: Any) -> HttpResponse:
    context = {
        "site": site,
        "form": form,
        "active": "value",
        "can_run": request.user.has_perm(RUN, site),
        "scenarios": list(selectors.scenarios(site)),
        "assumption_labels": ASSUMPTION_LABELS,
        "case_labels": CASE_LABELS,
        "library_url": reverse("unit_cost_list", args=[site.programme.slug]),
        "breadcrumbs": site_breadcrumbs(site, ("Value for money", None)),
        **extra,
    }
    if extra.get("results"):
        context.update(_results_context(extra["results"]))
    return render(request, "value/value_for_money.html", context, status=400 if form.errors else 200)


@login_required
def value_for_money(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    costs = list(selectors.unit_costs(site.programme))
    runs = selectors.evaluation_effects(site)
    initial = default_initial(site.start_date, selectors.commissioner_bearer(site))
    chosen = request.GET.get("run") or request.GET.get("evaluation_run") or ""
    if chosen.isdigit():
        row = next((r for r in runs if r["id"] == int(chosen)), None)
        if row is not None:
            category = (row["crime_type"] or "").lower().replace(" ", "-")
            match = next((c for c in costs if category and c.crime_category == category), None)
            initial.update(
                {
                    "evaluation_run": row["id"],
                    "o1_label": row["outcome"],
                    "o1_effect": f"{row['effect']:.2f}",
                    "o1_ci_low": f"{row['ci_low']:.2f}",
                    "o1_ci_high": f"{row['ci_high']:.2f}",
                    "o1_unit_cost": match.pk if match else None,
                    "benefits_start_year": row["treatment_start"].year,
                    "deadweight_central": "0",
                }
            )
    if request.method != "POST":
        return _value_page(request, site, ValueForm(initial=initial, unit_costs=costs, runs=runs))
    site = site_get_for_user(request.user, slug, RUN)
    form = ValueForm(request.POST, unit_costs=costs, runs=runs)
    results = None
    if form.is_valid():
        payload = form.payload()
        try:
            if request.POST.get("action") == "save":
                scenario = services.scenario_save(
                    actor=request.user,
                    site=site,
                    title=form.cleaned_data["title"],
                    data=payload,
                    illustrative=form.cleaned_data["illustrative"],
                    evaluation_run_id=form.cleaned_data["evaluation_run"],
                )
                messages.success(request, f"Saved the scenario “{scenario.title}”.")
                return redirect("value_scenario", site.slug, scenario.pk)
            results = services.scenario_compute(actor=request.user, site=site, data=payload)
        except ValidationError as exc:
            _show_value_errors(form, exc)
    return _value_page(request, site, form, results=results)


def _show_value_errors(form: ValueForm, exc: ValidationError) -> None:
    """Service errors name the API's fields (outcomes[0], costs…): put them beside the form's fields."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, messages_ in exc.message_dict.items():
        target = None
        if name.startswith("outcomes[") and name[9:-1].isdigit():
            target = f"o{int(name[9:-1]) + 1}_effect"
        elif name in form.fields:
            target = name
        elif name == "discount_rate":
            target = "discount_rate_percent"
        elif name.split(".")[0] in ASSUMPTION_LABELS:
            target = f"{name.split('.')[0]}_central"
        form.add_error(target if target in form.fields else None, messages_)


@login_required
def scenario_detail(request: HttpRequest, slug: str, scenario_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    scenario = selectors.scenario_get(site, scenario_id)
    if request.method == "POST":
        site = site_get_for_user(request.user, slug, RUN)
        services.scenario_delete(actor=request.user, scenario=scenario)
        messages.success(request, f"Deleted the scenario “{scenario.title}”.")
        return redirect("value_for_money", site.slug)
    return render(
        request,
        "value/scenario.html",
        {
            "site": site,
            "scenario": scenario,
            "active": "value",
            "can_run": request.user.has_perm(RUN, site),
            "breadcrumbs": site_breadcrumbs(
                site, ("Value for money", reverse("value_for_money", args=[site.slug])), (scenario.title, None)
            ),
            **_results_context(scenario.results),
        },
    )


def scenario_rows(scenario: Scenario) -> list[list[Any]]:
    """Every figure of every case with its formula and inputs, then the years and the agencies."""
    rows: list[list[Any]] = []
    results = scenario.results
    for case in calc.SCENARIOS:
        c = results["cases"][case]
        for f in c["figures"]:
            rows.append(
                [
                    case,
                    "figure",
                    f["label"],
                    "" if f["value"] is None else round(f["value"], 2),
                    f["unit"],
                    f["formula"],
                    "; ".join(f"{k} = {v}" for k, v in f["inputs"]),
                ]
            )
        for o in c["outcomes"]:
            rows.append(
                [
                    case,
                    "outcome",
                    o["label"],
                    "" if o["pv"] is None else round(o["pv"], 2),
                    "£",
                    o["status"],
                    f"effect a year = {o['effect']:g}",
                ]
            )
        for bearer, pv in c["by_bearer"].items():
            rows.append([case, "agency", calc.BEARERS.get(bearer, bearer), round(pv, 2), "£", "PV × share", ""])
        for y in c["years"]:
            rows.append(
                [
                    case,
                    "year",
                    str(y["year"]),
                    round(y["pv_benefit"] - y["pv_cost"], 2),
                    "£",
                    "PV benefit − PV cost",
                    f"benefit = {y['benefit']:.2f}; cost = {y['cost']:.2f}; DF = {y['discount_factor']:.6f}",
                ]
            )
    for note in results.get("notes", []):
        rows.append(["", "note", note, "", "", "", ""])
    return rows


@login_required
def scenario_csv(request: HttpRequest, slug: str, scenario_id: int) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    scenario = selectors.scenario_get(site, scenario_id)
    return csv_download(
        f"{site.slug}-value-for-money-{scenario.pk}.csv",
        ["case", "kind", "label", "value", "unit", "formula", "inputs"],
        scenario_rows(scenario),
    )
