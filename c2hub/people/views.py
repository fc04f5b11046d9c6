"""Pages for a site's people, organisations and groups. Thin: reads come from ``selectors.py``
(a person is only ever shown through ``person_rows``), writes go through ``services.py``, and
permissions are the rules in ``c2hub/accounts/rules.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.people import selectors, services
from c2hub.people.forms import (
    ConsentForm,
    ConsentWithdrawForm,
    GroupForm,
    MembershipEndForm,
    MembershipForm,
    OrganisationAddExistingForm,
    OrganisationForm,
    PersonAddExistingForm,
    PersonForm,
)
from c2hub.people.models import (
    AgeBand,
    Group,
    GroupKind,
    GroupMembership,
    OrganisationKind,
    Person,
    PersonKind,
)
from c2hub.people.selectors import PersonRow, Visibility
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

PER_PAGE = 50


# Helpers ----------------------------------------------------------------------------------------
def _site(request: HttpRequest, slug: str, perm: str) -> Site:
    """The site, if the user belongs to it (else 404) and holds ``perm`` there (else 403)."""
    return site_get_for_user(request.user, slug, perm)


def _posted(request: HttpRequest) -> Any:
    """The submitted data on a POST (even an empty one, so that it is validated), else None."""
    return request.POST if request.method == "POST" else None


def _choice(value: str, allowed: Iterable[str]) -> str:
    return value if value in set(allowed) else ""


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _page(request: HttpRequest, items: Any) -> Page:
    return Paginator(items, PER_PAGE).get_page(request.GET.get("page"))


def _pagination(request: HttpRequest, page: Page) -> dict[str, Any] | None:
    """Parameters for govukPagination, keeping the search and filters in every link."""
    if page.paginator.num_pages < 2:
        return None

    def href(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return "?" + params.urlencode()

    items: list[dict[str, Any]] = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(int(number)), "current": number == page.number})
    return {
        "items": items,
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
        "landmarkLabel": "Pages of results",
    }


def _csv_response(site: Site, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    return csv_download(f"{site.slug}-{name}", header, rows)


def _form_page(
    request: HttpRequest,
    *,
    site: Site,
    form: forms.Form,
    title: str,
    submit_label: str,
    cancel_url: str,
    crumbs: Sequence[tuple[str, str | None]],
    active: str,
    sections: Sequence[tuple[str, Sequence[str]]] | None = None,
    intro: str = "",
    warning: str = "",
) -> HttpResponse:
    """People's crumbs come as (text, url) pairs under the site."""
    return form_page(
        request,
        site,
        form,
        active=active,
        title=title,
        submit_label=submit_label,
        cancel_url=cancel_url,
        breadcrumbs=site_breadcrumbs(site, *crumbs),
        sections=sections,
        intro=intro,
        warning=warning,
    )


def _save_or_show(form: forms.Form, save: Callable[[dict[str, Any]], Any]) -> tuple[bool, Any]:
    """Run a service with the form's data: (True, result), or (False, None) with the service's
    errors on the form. The service's transaction means nothing is half-saved."""
    if not form.is_valid():
        return False, None
    try:
        return True, save(form.cleaned_data)
    except ValidationError as error:
        show_service_errors(form, error)
        return False, None


# People -----------------------------------------------------------------------------------------
def _people_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": _choice(request.GET.get("kind", ""), PersonKind.values),
        "age_band": _choice(request.GET.get("age_band", ""), [b for b in AgeBand.values if b]),
        "organisation_id": _int_or_none(request.GET.get("organisation", "")),
    }


def _can(request: HttpRequest, perm: str, site: Site) -> bool:
    return request.user.has_perm(perm, site)


def _shown_name(request: HttpRequest, site: Site, person: Person) -> str:
    """The person's name as this viewer may see it (a pseudonym for a researcher)."""
    visibility = Visibility.for_user(request.user, site)
    return selectors.person_rows([person], site=site, visibility=visibility)[0].name


@login_required
def people_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.view_people")
    visibility = Visibility.for_user(request.user, site)
    filters = _people_filters(request)
    page = _page(request, selectors.people_for_site(site, visibility=visibility, **filters))
    return render(
        request,
        "people/person_list.html",
        {
            "site": site,
            "rows": selectors.person_rows(page.object_list, site=site, visibility=visibility),
            "page": page,
            "pagination": _pagination(request, page),
            "filters": filters,
            "filtered": any(filters.values()),
            "visibility": visibility,
            "organisations": list(selectors.organisations_for_site(site)),
            "kinds": PersonKind.choices,
            "age_bands": [(b, label) for b, label in AgeBand.choices if b],
            "can_change": _can(request, "people.change_people", site),
            "breadcrumbs": site_breadcrumbs(site, ("People", None)),
            "active": "people",
        },
    )


def person_csv_header(visibility: Visibility) -> list[str]:
    header = ["Name", "Resident or worker", "Age band", "Child", "Organisation", "Organisation type", "Job title"]
    if visibility.contact_details:
        header += ["Email", "Phone", "Address", "Postcode"]
    if visibility.contact_details and visibility.identity:
        header += ["Notes"]
    return header + ["Groups in this site"]


def person_csv_row(row: PersonRow, visibility: Visibility) -> list[Any]:
    values: list[Any] = [
        row.name,
        row.kind_label,
        AgeBand(row.age_band).label if row.age_band else "",
        "Yes" if row.is_child else "No",
        row.organisation_name,
        OrganisationKind(row.organisation_kind).label if row.organisation_kind else "",
        row.job_title,
    ]
    if visibility.contact_details:
        values += [row.email, row.phone, row.address, row.postcode]
    if visibility.contact_details and visibility.identity:
        values += [row.notes]
    groups = "; ".join(f"{m['group']} ({m['role_label']}{', ended' if m['ended_on'] else ''})" for m in row.memberships)
    return values + [groups]


@login_required
def people_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Exactly the rows the list shows with the same search and filters, on every page, with
    the columns the viewer may see (no contact details for commissioners and researchers)."""
    site = _site(request, slug, "people.view_people")
    visibility = Visibility.for_user(request.user, site)
    people = selectors.people_for_site(site, visibility=visibility, **_people_filters(request))
    rows = selectors.person_rows(people, site=site, visibility=visibility, with_memberships=True)
    return _csv_response(
        site,
        "people",
        person_csv_header(visibility),
        (person_csv_row(row, visibility) for row in rows),
    )


@login_required
def person_detail(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    site = _site(request, slug, "people.view_people")
    visibility = Visibility.for_user(request.user, site)
    person = selectors.person_in_site(site, person_id)
    row = selectors.person_rows([person], site=site, visibility=visibility, with_memberships=True)[0]
    return render(
        request,
        "people/person_detail.html",
        {
            "site": site,
            "row": row,
            "consents": list(person.consents.select_related("recorded_by")),
            "visibility": visibility,
            "today": timezone.localdate(),
            "can_change": _can(request, "people.change_people", site),
            "breadcrumbs": site_breadcrumbs(
                site, ("People", reverse("people_list", args=[site.slug])), (row.name, None)
            ),
            "active": "people",
        },
    )


PERSON_SECTIONS = [
    ("", ["kind", "name", "organisation", "job_title", "age_band"]),
    ("Contact details", ["email", "phone", "address", "postcode"]),
    ("", ["notes"]),
]


@login_required
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.change_people")
    form = PersonForm(_posted(request), organisations=selectors.organisations_for_site(site))
    if request.method == "POST":
        saved, person = _save_or_show(form, lambda data: services.person_create(actor=request.user, site=site, **data))
        if saved:
            messages.success(request, f"{_shown_name(request, site, person)} added to {site.name}.")
            return redirect("person_detail", site.slug, person.pk)
    return _form_page(
        request,
        site=site,
        form=form,
        title="Add a person",
        submit_label="Add person",
        cancel_url=reverse("people_list", args=[site.slug]),
        sections=PERSON_SECTIONS,
        crumbs=[("People", reverse("people_list", args=[site.slug])), ("Add a person", None)],
        active="people",
        intro="Record consent on the person's page once they have been added.",
    )


@login_required
def person_edit(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_people")
    person = selectors.person_in_site(site, person_id)
    shown = _shown_name(request, site, person)
    initial = {name: getattr(person, name) for name in services.PERSON_EDITABLE_FIELDS if name != "notes"}
    initial["notes"] = selectors.person_notes_in_site(site, person)
    form = PersonForm(
        _posted(request),
        initial=initial,
        organisations=selectors.organisations_for_site(site),
    )
    if request.method == "POST":
        saved, _ = _save_or_show(
            form,
            lambda data: services.person_update(actor=request.user, site=site, person=person, **data),
        )
        if saved:
            messages.success(request, f"{shown}'s details saved.")
            return redirect("person_detail", site.slug, person.pk)
    detail_url = reverse("person_detail", args=[site.slug, person.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title=f"Edit {shown}",
        submit_label="Save",
        cancel_url=detail_url,
        sections=PERSON_SECTIONS,
        crumbs=[("People", reverse("people_list", args=[site.slug])), (shown, detail_url), ("Edit", None)],
        active="people",
    )


@login_required
def person_add_existing(request: HttpRequest, slug: str) -> HttpResponse:
    """Someone already taking part in another of the user's sites joins this one too."""
    site = _site(request, slug, "people.change_people")
    people = selectors.people_addable_to_site(request.user, site)
    # The user changes people where these people are, so may see who they are.
    labels = selectors.person_rows(people, site=site, visibility=Visibility(identity=True, contact_details=False))
    choices = [(r.id, f"{r.name} ({r.organisation_name})" if r.organisation_name else r.name) for r in labels]
    form = PersonAddExistingForm(_posted(request), people=choices)
    by_id = {p.pk: p for p in people}
    if request.method == "POST":
        saved, person = _save_or_show(
            form,
            lambda data: services.person_add_to_site(actor=request.user, site=site, person=by_id[data["person"]]),
        )
        if saved:
            messages.success(request, f"{_shown_name(request, site, person)} now takes part in {site.name}.")
            return redirect("person_detail", site.slug, person.pk)
    return _form_page(
        request,
        site=site,
        form=form,
        title="Add someone from another of your sites",
        submit_label="Add to this site",
        cancel_url=reverse("people_list", args=[site.slug]),
        crumbs=[("People", reverse("people_list", args=[site.slug])), ("Add existing", None)],
        active="people",
        intro="Their details are shared between the sites they take part in. Their groups in "
        "other sites are not shown here.",
    )


@login_required
def consent_record(request: HttpRequest, slug: str, person_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_people")
    person = selectors.person_in_site(site, person_id)
    shown = _shown_name(request, site, person)
    form = ConsentForm(_posted(request), initial={"given_on": timezone.localdate()})
    if request.method == "POST":
        saved, _ = _save_or_show(
            form,
            lambda data: services.consent_record(actor=request.user, site=site, person=person, **data),
        )
        if saved:
            messages.success(request, f"Consent recorded for {shown}.")
            return redirect(reverse("person_detail", args=[site.slug, person.pk]) + "#consents")
    detail_url = reverse("person_detail", args=[site.slug, person.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title=f"Record consent for {shown}",
        submit_label="Record consent",
        cancel_url=detail_url,
        crumbs=[("People", reverse("people_list", args=[site.slug])), (shown, detail_url), ("Record consent", None)],
        active="people",
        warning="This person is a child: record the consent of a parent or carer." if person.is_child else "",
    )


@login_required
def consent_withdraw(request: HttpRequest, slug: str, person_id: int, consent_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_people")
    person = selectors.person_in_site(site, person_id)
    consent = selectors.consent_of_person(person, consent_id)
    shown = _shown_name(request, site, person)
    form = ConsentWithdrawForm(_posted(request), initial={"withdrawn_on": timezone.localdate()})
    if request.method == "POST":
        saved, _ = _save_or_show(
            form,
            lambda data: services.consent_withdraw(actor=request.user, site=site, consent=consent, **data),
        )
        if saved:
            messages.success(request, f"Consent withdrawn: {consent.purpose}.")
            return redirect(reverse("person_detail", args=[site.slug, person.pk]) + "#consents")
    detail_url = reverse("person_detail", args=[site.slug, person.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title="Withdraw consent",
        submit_label="Withdraw consent",
        cancel_url=detail_url,
        crumbs=[("People", reverse("people_list", args=[site.slug])), (shown, detail_url), ("Withdraw consent", None)],
        active="people",
        intro=f"{shown}: {consent.purpose}. The record is kept, marked as withdrawn.",
    )


# Organisations ----------------------------------------------------------------------------------
def _organisation_filters(request: HttpRequest) -> dict[str, str]:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": _choice(request.GET.get("kind", ""), OrganisationKind.values),
    }


@login_required
def organisation_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.view_organisations")
    filters = _organisation_filters(request)
    page = _page(request, selectors.organisations_with_worker_counts(site, **filters))
    return render(
        request,
        "people/organisation_list.html",
        {
            "site": site,
            "page": page,
            "pagination": _pagination(request, page),
            "filters": filters,
            "filtered": any(filters.values()),
            "kinds": OrganisationKind.choices,
            "can_change": _can(request, "people.change_organisations", site),
            "breadcrumbs": site_breadcrumbs(site, ("Organisations", None)),
            "active": "organisations",
        },
    )


@login_required
def organisation_csv(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.view_organisations")
    organisations = selectors.organisations_with_worker_counts(site, **_organisation_filters(request))
    return _csv_response(
        site,
        "organisations",
        ["Name", "Short name", "Type", "Website", "Workers in this site", "Notes"],
        ([o.name, o.short_name, o.get_kind_display(), o.website, o.workers_here, o.notes] for o in organisations),
    )


@login_required
def organisation_detail(request: HttpRequest, slug: str, organisation_id: int) -> HttpResponse:
    site = _site(request, slug, "people.view_organisations")
    organisation = selectors.organisation_in_site(site, organisation_id)
    visibility = Visibility.for_user(request.user, site)
    can_see_people = request.user.has_perm("people.view_people", site)
    workers = (
        selectors.person_rows(
            selectors.people_for_site(site, organisation_id=organisation.pk),
            site=site,
            visibility=visibility,
        )
        if can_see_people
        else []
    )
    memberships = selectors.organisation_memberships(site, organisation)
    return render(
        request,
        "people/organisation_detail.html",
        {
            "site": site,
            "organisation": organisation,
            "workers": workers,
            "can_see_people": can_see_people,
            "seats": _membership_rows(memberships, site, visibility),
            "visibility": visibility,
            "can_change": _can(request, "people.change_organisations", site),
            "breadcrumbs": site_breadcrumbs(
                site,
                ("Organisations", reverse("organisation_list", args=[site.slug])),
                (organisation.name, None),
            ),
            "active": "organisations",
        },
    )


ORGANISATION_SECTIONS = [("", ["name", "short_name", "kind", "website", "notes"])]


@login_required
def organisation_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.change_organisations")
    form = OrganisationForm(_posted(request))
    if request.method == "POST":
        saved, organisation = _save_or_show(
            form, lambda data: services.organisation_create(actor=request.user, site=site, **data)
        )
        if saved:
            messages.success(request, f"{organisation.name} added to {site.name}.")
            return redirect("organisation_detail", site.slug, organisation.pk)
    list_url = reverse("organisation_list", args=[site.slug])
    return _form_page(
        request,
        site=site,
        form=form,
        title="Add an organisation",
        submit_label="Add organisation",
        cancel_url=list_url,
        crumbs=[("Organisations", list_url), ("Add an organisation", None)],
        active="organisations",
    )


@login_required
def organisation_edit(request: HttpRequest, slug: str, organisation_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_organisations")
    organisation = selectors.organisation_in_site(site, organisation_id)
    initial = {name: getattr(organisation, name) for name in services.ORGANISATION_EDITABLE_FIELDS}
    form = OrganisationForm(_posted(request), initial=initial)
    if request.method == "POST":
        saved, _ = _save_or_show(
            form,
            lambda data: services.organisation_update(actor=request.user, site=site, organisation=organisation, **data),
        )
        if saved:
            messages.success(request, f"{organisation.name} saved.")
            return redirect("organisation_detail", site.slug, organisation.pk)
    list_url = reverse("organisation_list", args=[site.slug])
    detail_url = reverse("organisation_detail", args=[site.slug, organisation.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title=f"Edit {initial['name']}",
        submit_label="Save",
        cancel_url=detail_url,
        crumbs=[("Organisations", list_url), (initial["name"], detail_url), ("Edit", None)],
        active="organisations",
        intro="The organisation is shared by the programme's sites: a change shows in each.",
    )


@login_required
def organisation_add_existing(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.change_organisations")
    form = OrganisationAddExistingForm(_posted(request), organisations=selectors.organisations_addable_to_site(site))
    if request.method == "POST":
        saved, organisation = _save_or_show(
            form,
            lambda data: services.organisation_add_to_site(
                actor=request.user, site=site, organisation=data["organisation"]
            ),
        )
        if saved:
            messages.success(request, f"{organisation.name} now takes part in {site.name}.")
            return redirect("organisation_detail", site.slug, organisation.pk)
    list_url = reverse("organisation_list", args=[site.slug])
    return _form_page(
        request,
        site=site,
        form=form,
        title="Add an organisation already in the programme",
        submit_label="Add to this site",
        cancel_url=list_url,
        crumbs=[("Organisations", list_url), ("Add existing", None)],
        active="organisations",
    )


# Groups -----------------------------------------------------------------------------------------
def _membership_rows(
    memberships: Sequence[GroupMembership], site: Site, visibility: Visibility
) -> list[dict[str, Any]]:
    """Memberships for display: the person through ``person_rows`` (so a researcher sees a
    pseudonym), the organisation represented, and notes only for who may read notes."""
    people = {m.person_id: m.person for m in memberships if m.person is not None}
    rows = {r.id: r for r in selectors.person_rows(list(people.values()), site=site, visibility=visibility)}
    today = timezone.localdate()
    result = []
    for m in memberships:
        represents = selectors.membership_represents(m)
        result.append(
            {
                "id": m.pk,
                "group": m.group,
                "person": rows.get(m.person_id) if m.person_id else None,
                "organisation": represents,
                "role_label": m.get_role_display(),
                "started_on": m.started_on,
                "ended_on": m.ended_on,
                "is_current": m.is_current(today),
                "notes": m.notes if visibility.contact_details and visibility.identity else None,
            }
        )
    return result


def _group_filters(request: HttpRequest) -> dict[str, str]:
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "kind": _choice(request.GET.get("kind", ""), GroupKind.values),
    }


@login_required
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.view_groups")
    filters = _group_filters(request)
    page = _page(request, selectors.groups_for_site(site, **filters))
    today = timezone.localdate()
    return render(
        request,
        "people/group_list.html",
        {
            "site": site,
            "page": page,
            "groups": [(g, len(selectors.current_memberships(g, today))) for g in page.object_list],
            "pagination": _pagination(request, page),
            "filters": filters,
            "filtered": any(filters.values()),
            "kinds": GroupKind.choices,
            "can_change": _can(request, "people.change_groups", site),
            "breadcrumbs": site_breadcrumbs(site, ("Groups", None)),
            "active": "groups",
        },
    )


@login_required
def group_csv(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.view_groups")
    today = timezone.localdate()
    groups = selectors.groups_for_site(site, **_group_filters(request))
    return _csv_response(
        site,
        "groups",
        [
            "Name",
            "Type",
            "Purpose",
            "Formed",
            "Ended",
            "Current members",
            "Legal form",
            "Charity number",
            "Company number",
            "Hub address",
            "Opening times",
            "Wave",
        ],
        (
            [
                g.name,
                g.get_kind_display(),
                g.purpose,
                g.formed_on,
                g.ended_on,
                len(selectors.current_memberships(g, today)),
                g.get_legal_form_display() if g.legal_form else "",
                g.charity_number,
                g.company_number,
                g.hub_address,
                g.opening_times,
                g.wave,
            ]
            for g in groups
        ),
    )


@login_required
def group_detail(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    site = _site(request, slug, "people.view_groups")
    group = selectors.group_in_site(site, group_id)
    visibility = Visibility.for_user(request.user, site)
    members = _membership_rows(list(group.memberships.all()), site, visibility)
    return render(
        request,
        "people/group_detail.html",
        {
            "site": site,
            "group": group,
            "current": [m for m in members if m["is_current"]],
            "past": [m for m in members if not m["is_current"]],
            "visibility": visibility,
            "can_see_people": request.user.has_perm("people.view_people", site),
            "can_change": _can(request, "people.change_groups", site),
            "breadcrumbs": site_breadcrumbs(
                site, ("Groups", reverse("group_list", args=[site.slug])), (group.name, None)
            ),
            "active": "groups",
        },
    )


GROUP_SECTIONS = [
    ("", ["kind", "name", "purpose", "formed_on", "ended_on"]),
    (
        "If it is a constituted partnership",
        ["legal_form", "charity_number", "company_number", "hub_address", "opening_times"],
    ),
    ("If it is a learning-programme cohort", ["wave"]),
]


@login_required
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, "people.change_groups")
    form = GroupForm(_posted(request))
    if request.method == "POST":
        saved, group = _save_or_show(form, lambda data: services.group_create(actor=request.user, site=site, **data))
        if saved:
            messages.success(request, f"{group.name} set up.")
            return redirect("group_detail", site.slug, group.pk)
    list_url = reverse("group_list", args=[site.slug])
    return _form_page(
        request,
        site=site,
        form=form,
        title="Set up a group",
        submit_label="Set up group",
        cancel_url=list_url,
        sections=GROUP_SECTIONS,
        crumbs=[("Groups", list_url), ("Set up a group", None)],
        active="groups",
    )


@login_required
def group_edit(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_groups")
    group = selectors.group_in_site(site, group_id)
    initial = {name: getattr(group, name) for name in services.GROUP_EDITABLE_FIELDS}
    form = GroupForm(_posted(request), initial=initial)
    if request.method == "POST":
        saved, _ = _save_or_show(form, lambda data: services.group_update(actor=request.user, group=group, **data))
        if saved:
            messages.success(request, f"{group.name} saved.")
            return redirect("group_detail", site.slug, group.pk)
    list_url = reverse("group_list", args=[site.slug])
    detail_url = reverse("group_detail", args=[site.slug, group.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title=f"Edit {initial['name']}",
        submit_label="Save",
        cancel_url=detail_url,
        sections=GROUP_SECTIONS,
        crumbs=[("Groups", list_url), (initial["name"], detail_url), ("Edit", None)],
        active="groups",
    )


def _member_choices(site: Site, user: Any) -> list[tuple[int, str]]:
    rows = selectors.person_rows(selectors.people_for_site(site), site=site, visibility=Visibility.for_user(user, site))
    return [(r.id, f"{r.name} ({r.organisation_name})" if r.organisation_name else r.name) for r in rows]


@login_required
def membership_add(request: HttpRequest, slug: str, group_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_groups")
    group: Group = selectors.group_in_site(site, group_id)
    form = MembershipForm(
        _posted(request),
        people=_member_choices(site, request.user),
        organisations=selectors.organisations_for_site(site),
    )

    def save(data: dict[str, Any]) -> GroupMembership:
        person: Person | None = selectors.person_in_site(site, data["person"]) if data["person"] else None
        return services.membership_add(
            actor=request.user,
            group=group,
            person=person,
            organisation=data["organisation"],
            role=data["role"],
            started_on=data["started_on"],
            ended_on=data["ended_on"],
            notes=data["notes"],
        )

    if request.method == "POST":
        saved, _ = _save_or_show(form, save)
        if saved:
            messages.success(request, f"Member added to {group.name}.")
            return redirect(reverse("group_detail", args=[site.slug, group.pk]) + "#members")
    list_url = reverse("group_list", args=[site.slug])
    detail_url = reverse("group_detail", args=[site.slug, group.pk])
    return _form_page(
        request,
        site=site,
        form=form,
        title=f"Add a member to {group.name}",
        submit_label="Add member",
        cancel_url=detail_url,
        crumbs=[("Groups", list_url), (group.name, detail_url), ("Add a member", None)],
        active="groups",
        intro="Only people taking part in this site can be chosen. To add someone new, add "
        "them on the People page first.",
    )


@login_required
def membership_end(request: HttpRequest, slug: str, group_id: int, membership_id: int) -> HttpResponse:
    site = _site(request, slug, "people.change_groups")
    membership = selectors.membership_in_site(site, membership_id)
    if membership.group_id != group_id:
        raise Http404("No such membership in this group")
    form = MembershipEndForm(_posted(request), initial={"ended_on": timezone.localdate()})
    if request.method == "POST":
        saved, _ = _save_or_show(
            form,
            lambda data: services.membership_end(actor=request.user, membership=membership, **data),
        )
        if saved:
            messages.success(request, f"Membership of {membership.group.name} ended.")
            return redirect(reverse("group_detail", args=[site.slug, membership.group_id]) + "#members")
    visibility = Visibility.for_user(request.user, site)
    who = _membership_rows([membership], site, visibility)[0]
    who_label = who["person"].name if who["person"] else str(who["organisation"])
    list_url = reverse("group_list", args=[site.slug])
    detail_url = reverse("group_detail", args=[site.slug, membership.group_id])
    return _form_page(
        request,
        site=site,
        form=form,
        title="End a membership",
        submit_label="End membership",
        cancel_url=detail_url,
        crumbs=[("Groups", list_url), (membership.group.name, detail_url), ("End a membership", None)],
        active="groups",
        intro=f"{who_label}, {who['role_label'].lower()} of {membership.group.name}. "
        "The membership stays in the group's history.",
    )
