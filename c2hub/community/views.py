"""Pages for a site's community groups and activities: the register, each group's monthly
participation, the coverage of age groups, participation and volunteering trends, and the value
of an hour of volunteering. Reads from ``selectors.py``, writes through ``services.py``."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from c2hub.charts import bar_chart, line_chart, render_svg
from c2hub.community import selectors, services
from c2hub.community.forms import GroupForm, ParticipationCsvForm, ParticipationTableForm, VolunteeringValueForm
from c2hub.community.models import AGE_GROUPS, CommunityGroup, CommunityGroupKind, HealthPriority, Participation
from c2hub.events.forms import EvidenceForm
from c2hub.events.selectors import criterion_choices
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.people.models import AgeBand
from c2hub.programmes.models import Evidence, Site
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

VIEW, CHANGE, SET_VALUE = "community.view_groups", "community.change_groups", "community.set_volunteering_value"
#: Blank rows offered under a group's months for new ones.
NEW_ROWS = 3
#: Months of a group offered for correction in its table (newest first).
TABLE_MONTHS = 12
#: Months of a group listed on its page (newest first); the CSV has them all.
SHOWN_MONTHS = 24


def _site(request: HttpRequest, slug: str, perm: str) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Groups and activities", reverse("community_group_list", args=[site.slug])), *more)


def _group_url(group: CommunityGroup, anchor: str = "") -> str:
    return reverse("community_group_detail", args=[group.site.slug, group.pk]) + (f"#{anchor}" if anchor else "")


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def _hours(value: Decimal) -> str:
    return f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.1f}"


#: Every form page here: the one form page (c2hub/pages.py), in this section of the site.
_form_page = partial(form_page, active="community")


# The register ------------------------------------------------------------------------------------
def _filters(request: HttpRequest) -> dict[str, str]:
    def pick(name: str, allowed: Any) -> str:
        value = request.GET.get(name, "")
        return value if value in allowed else ""

    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": pick("kind", CommunityGroupKind.values),
        "age_group": pick("age_group", AGE_GROUPS),
        "health_priority": pick("health_priority", HealthPriority.values),
        "state": pick("state", ("running", "ended")),
    }


@login_required
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    filters = _filters(request)
    groups = selectors.groups_for_site(site, **filters)
    latest = selectors.latest_participation(groups)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-community-groups",
            [
                "name",
                "kind",
                "involvement",
                "founded on",
                "ended on",
                "age groups",
                "health priorities",
                "schedule",
                "venue",
                "latest month",
                "participants",
                "volunteers",
                "volunteer hours",
            ],
            (
                [
                    g.name,
                    g.get_kind_display(),
                    g.get_involvement_display(),
                    g.founded_on.isoformat() if g.founded_on else "",
                    g.ended_on.isoformat() if g.ended_on else "",
                    "; ".join(selectors.age_labels(g.age_groups)),
                    "; ".join(selectors.health_priority_labels(g.health_priorities)),
                    g.schedule,
                    g.venue,
                    f"{latest[g.pk].month:%Y-%m}" if g.pk in latest else "",
                    latest[g.pk].participants if g.pk in latest else "",
                    latest[g.pk].volunteers if g.pk in latest else "",
                    latest[g.pk].volunteer_hours if g.pk in latest else "",
                ]
                for g in groups
            ),
        )
    return render(
        request,
        "community/group_list.html",
        {
            "site": site,
            "groups": groups,
            "latest": latest,
            "filters": filters,
            "filtered": any(filters.values()),
            "kinds": CommunityGroupKind.choices,
            "ages": [(b, dict(AgeBand.choices)[b]) for b in AGE_GROUPS],
            "priorities": HealthPriority.choices,
            "states": [("running", "Running"), ("ended", "Ended")],
            "age_labels": selectors.age_labels,
            "coverage": selectors.coverage(site),
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(site, ("Groups and activities", None)),
            "active": "community",
        },
    )


def _group_values(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.GROUP_FIELDS}


@login_required
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    form = GroupForm(_posted(request), initial={"kind": "group", "involvement": "started", "public": True})
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, site=site, **_group_values(form.cleaned_data))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} added to the register.")
            return redirect(_group_url(group))
    return _form_page(
        request,
        site,
        form,
        title="Add a group or activity",
        submit_label="Save",
        cancel_url=reverse("community_group_list", args=[site.slug]),
        breadcrumbs=_crumbs(site, ("Add", None)),
    )


@login_required
def group_edit(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    group = selectors.group_in_site(site, group_id)
    initial = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    form = GroupForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(actor=request.user, group=group, **_group_values(form.cleaned_data))
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} saved.")
            return redirect(_group_url(group))
    return _form_page(
        request,
        site,
        form,
        title=f"Edit {group.name}",
        submit_label="Save",
        cancel_url=_group_url(group),
        breadcrumbs=_crumbs(site, (group.name, _group_url(group)), ("Edit", None)),
    )


def _table_form(request: HttpRequest | None, months: list[Participation]) -> ParticipationTableForm:
    shown = months[:TABLE_MONTHS]
    initial: dict[str, Any] = {}
    for n, row in enumerate(shown):
        initial.update(
            {
                f"rows-{n}-month": row.month,
                f"rows-{n}-participants": row.participants,
                f"rows-{n}-volunteers": row.volunteers,
                f"rows-{n}-volunteer_hours": row.volunteer_hours,
            }
        )
    posted = request.POST if request is not None and request.method == "POST" else None
    count = len(shown) + NEW_ROWS
    if posted is not None:
        count = min(int(posted.get("row_count", count)) if posted.get("row_count", "").isdigit() else count, 100)
    return ParticipationTableForm(posted, initial=initial, row_count=count)


@login_required
def group_detail(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    site = _site(request, slug, VIEW)
    group = selectors.group_in_site(site, group_id)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-group-{group.pk}-participation",
            ["month", "participants", "volunteers", "volunteer_hours"],
            (
                [f"{m.month:%Y-%m}", m.participants, m.volunteers, m.volunteer_hours]
                for m in reversed(selectors.participation_for_group(group))
            ),
        )
    return _render_group(request, site, group)


def _render_group(
    request: HttpRequest,
    site: Site,
    group: CommunityGroup,
    *,
    table_form: ParticipationTableForm | None = None,
    csv_form: ParticipationCsvForm | None = None,
    evidence_form: EvidenceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_change = request.user.has_perm(CHANGE, site)
    can_add_evidence = request.user.has_perm("programmes.add_evidence", site)
    months = selectors.participation_for_group(group)
    evidence = list(
        Evidence.objects.filter(
            site=site, record_type__app_label="community", record_type__model="communitygroup", record_id=group.pk
        )
        .select_related("criterion__step")
        .order_by("criterion__step__number")
    )
    return render(
        request,
        "community/group_detail.html",
        {
            "site": site,
            "group": group,
            "months": months[:SHOWN_MONTHS],
            "month_count": len(months),
            "age_labels": selectors.age_labels(group.age_groups),
            "priority_labels": selectors.health_priority_labels(group.health_priorities),
            "table_form": table_form or (_table_form(None, months) if can_change else None),
            "csv_form": csv_form or (ParticipationCsvForm() if can_change else None),
            "evidence": evidence,
            "evidence_form": evidence_form
            or (EvidenceForm(criteria=criterion_choices(site)) if can_add_evidence else None),
            "wins": list(group.wins.order_by("-won_on")),
            "hours": _hours,
            "can_change": can_change,
            "breadcrumbs": _crumbs(site, (group.name, None)),
            "active": "community",
        },
        status=status,
    )


@login_required
@require_POST
def participation_save(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    """Save the participation table: every filled row, all or nothing."""
    site = _site(request, slug, CHANGE)
    group = selectors.group_in_site(site, group_id)
    form = _table_form(request, selectors.participation_for_group(group))
    if form.is_valid():
        rows = form.rows()
        try:
            services.participation_save_rows(
                actor=request.user,
                group=group,
                rows=[{k: v for k, v in row.items() if k != "n"} for row in rows],
            )
        except ValidationError as exc:
            # The service numbers the filled rows; the table numbers every row.
            renamed: dict[str, list[str]] = {}
            for key, value in exc.message_dict.items():
                if key.startswith("rows-"):
                    _, index, column = key.split("-", 2)
                    key = f"rows-{rows[int(index)]['n']}-{column}"
                renamed[key] = value
            show_service_errors(form, ValidationError(renamed))
        else:
            messages.success(request, f"Participation saved: {len(rows)} month{'s' if len(rows) != 1 else ''}.")
            return redirect(_group_url(group, "participation"))
    return _render_group(request, site, group, table_form=form, status=400)


@login_required
@require_POST
def participation_import(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    """Import months of participation from a CSV file, all or nothing."""
    site = _site(request, slug, CHANGE)
    group = selectors.group_in_site(site, group_id)
    form = ParticipationCsvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            saved = services.participation_import_csv(actor=request.user, group=group, file=form.cleaned_data["file"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Imported {len(saved)} month{'s' if len(saved) != 1 else ''} of participation.")
            return redirect(_group_url(group, "participation"))
    return _render_group(request, site, group, csv_form=form, status=400)


@login_required
@require_POST
def group_evidence(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    """Use the group as evidence for a criterion, in one click (from the group or the pathway page)."""
    site = _site(request, slug, "programmes.add_evidence")
    group = selectors.group_in_site(site, group_id)
    form = EvidenceForm(request.POST, criteria=criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.group_attach_evidence(actor=request.user, group=group, criterion=criterion)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} is now evidence for step {criterion.step.number}.")
            return redirect(_safe_next(request, _group_url(group, "evidence")))
    return _render_group(request, site, group, evidence_form=form, status=400)


# Coverage, trends and volunteering --------------------------------------------------------------------
def _coverage_context(request: HttpRequest, site: Site) -> dict[str, Any]:
    grid = selectors.coverage(site)
    months = selectors.monthly_totals(site, months=24)
    volunteering = selectors.volunteering(site)
    charts: dict[str, str] = {}
    if grid.rows:
        charts["ages"] = render_svg(
            bar_chart(
                [{"age group": label, "groups": grid.counts[b]} for b, label in grid.bands],
                category="age group",
                value="groups",
                title="Running groups and activities serving each age group",
                value_title="Groups and activities",
            ),
            description=grid.summary,
        )
    if months:
        rows = []
        for m in months:
            rows.append({"month": f"{m.month:%Y-%m}", "measure": "Participants", "number": m.participants})
            rows.append({"month": f"{m.month:%Y-%m}", "measure": "Volunteers", "number": m.volunteers})
        charts["trend"] = render_svg(
            line_chart(
                rows,
                x="month",
                y="number",
                series="measure",
                title="Participants and volunteers per month",
                x_title="Month",
                y_title="People",
            ),
            description=f"Monthly totals over the site's groups, {months[0].month:%B %Y} to {months[-1].month:%B %Y}.",
        )
        charts["hours"] = render_svg(
            line_chart(
                [{"month": f"{m.month:%Y-%m}", "hours": float(m.volunteer_hours)} for m in months],
                x="month",
                y="hours",
                title="Volunteer hours per month",
                x_title="Month",
                y_title="Hours",
            ),
            description="Volunteer hours given each month across the site's groups.",
        )
    return {
        "grid": grid,
        "months": months,
        "volunteering": volunteering,
        "charts": charts,
        "money": _money,
        "hours": _hours,
    }


@login_required
def coverage_page(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, VIEW)
    table = request.GET.get("format") == "csv" and request.GET.get("table", "coverage")
    if table == "coverage":
        grid = selectors.coverage(site)
        return csv_download(
            f"{site.slug}-coverage",
            ["group or activity", *[label for _, label in grid.bands]],
            [[row.group.name, *["yes" if b in row.served else "" for b, _ in grid.bands]] for row in grid.rows]
            + [["Groups serving this age group", *[grid.counts[b] for b, _ in grid.bands]]],
        )
    if table == "participation":
        return csv_download(
            f"{site.slug}-participation",
            ["month", "groups reporting", "participants", "volunteers", "volunteer hours"],
            (
                [f"{m.month:%Y-%m}", m.groups, m.participants, m.volunteers, m.volunteer_hours]
                for m in selectors.monthly_totals(site, months=None)
            ),
        )
    if table == "volunteering":
        v = selectors.volunteering(site)
        return csv_download(
            f"{site.slug}-volunteering",
            ["year", "volunteer hours", "value per hour", "value"],
            (
                [y.year, y.volunteer_hours, v.per_hour if v.is_valued else "not set", y.value if v.is_valued else ""]
                for y in v.years
            ),
        )
    return _render_coverage(request, site)


def _render_coverage(
    request: HttpRequest, site: Site, *, evidence_form: EvidenceForm | None = None, status: int = 200
) -> HttpResponse:
    can_add_evidence = request.user.has_perm("programmes.add_evidence", site)
    return render(
        request,
        "community/coverage.html",
        {
            "site": site,
            **_coverage_context(request, site),
            "evidence_form": evidence_form
            or (EvidenceForm(criteria=criterion_choices(site)) if can_add_evidence else None),
            "can_set_value": request.user.has_perm(SET_VALUE, site),
            "breadcrumbs": _crumbs(site, ("Coverage and volunteering", None)),
            "active": "community",
        },
        status=status,
    )


@login_required
@require_POST
def coverage_evidence(request: HttpRequest, slug: str) -> HttpResponse:
    """Record today's coverage of age groups as a dated evidence note for a criterion."""
    site = _site(request, slug, "programmes.add_evidence")
    form = EvidenceForm(request.POST, criteria=criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.coverage_attach_evidence(actor=request.user, site=site, criterion=criterion)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"The coverage of age groups is now evidence for step {criterion.step.number}.")
            return redirect(_safe_next(request, reverse("community_coverage", args=[site.slug])))
    return _render_coverage(request, site, evidence_form=form, status=400)


@login_required
def volunteering_value_edit(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, SET_VALUE)
    current = selectors.volunteering_value(site)
    initial = {"per_hour": current.per_hour, "basis": current.basis} if current else {}
    form = VolunteeringValueForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.volunteering_value_set(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "The value of an hour of volunteering is saved.")
            return redirect(reverse("community_coverage", args=[site.slug]) + "#volunteering")
    updated = f" It was last set on {timezone.localtime(current.updated_at):%-d %B %Y}." if current is not None else ""
    return _form_page(
        request,
        site,
        form,
        title="Value of an hour of volunteering",
        submit_label="Save",
        cancel_url=reverse("community_coverage", args=[site.slug]),
        breadcrumbs=_crumbs(
            site, ("Coverage and volunteering", reverse("community_coverage", args=[site.slug])), ("Value", None)
        ),
        intro="Volunteer hours are multiplied by this value to show what volunteering is worth to the "
        "neighbourhood. Until it is set, only hours are shown." + updated,
    )
