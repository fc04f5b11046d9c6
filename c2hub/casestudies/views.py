"""The case-study pages: a site's case studies, the library across sites, the story with its
quotes and photos (each with its consent), publishing, and the PDF and DOCX downloads."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from c2hub.casestudies import documents, selectors, services
from c2hub.casestudies.forms import CaseStudyForm, PhotoForm, PublishForm, QuoteForm, WithdrawForm
from c2hub.casestudies.models import CaseStudy, Photo, Quote
from c2hub.community.models import CommunityGroup
from c2hub.events.models import Event
from c2hub.formerrors import show_service_errors
from c2hub.pages import form_page
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.programmes.views import site_breadcrumbs
from c2hub.wins.models import Win

VIEW = "casestudies.view_case_studies"
CHANGE = services.CHANGE
PUBLISH = services.PUBLISH


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Case studies", reverse("case_study_list", args=[site.slug])), *more)


def _url(case_study: CaseStudy, anchor: str = "") -> str:
    return reverse("case_study_detail", args=[case_study.site.slug, case_study.pk]) + (f"#{anchor}" if anchor else "")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


#: Every form page here: the one form page (c2hub/pages.py), in this section of the site.
_form_page = partial(form_page, active="case_studies")


@login_required
def library(request: HttpRequest) -> HttpResponse:
    """Every case study of the sites the user can see: the programme team's library."""
    site_slug = request.GET.get("site", "")
    q = request.GET.get("q", "")
    found = selectors.library(request.user, site_slug=site_slug, q=q)
    sites = sorted({(c.site.slug, c.site.name) for c in selectors.library(request.user)}, key=lambda s: s[1])
    return render(
        request,
        "casestudies/library.html",
        {
            "case_studies": found,
            "sites": sites,
            "filters": {"site": site_slug, "q": q},
            "breadcrumbs": [{"text": "My sites", "href": reverse("dashboard")}, {"text": "Case studies"}],
        },
    )


@login_required
def case_study_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, VIEW)
    return render(
        request,
        "casestudies/list.html",
        {
            "site": site,
            "case_studies": selectors.case_studies_for_site(request.user, site),
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": site_breadcrumbs(site, ("Case studies", None)),
            "active": "case_studies",
        },
    )


def _choices(site: Site) -> dict[str, list[tuple[int, str]]]:
    return {
        "events": [(e.pk, str(e)) for e in Event.objects.filter(site=site).order_by("-starts_at")],
        "wins": [(w.pk, f"{w.title} ({w.won_on:%-d %b %Y})") for w in Win.objects.filter(site=site)],
        "community_groups": [(g.pk, g.name) for g in CommunityGroup.objects.filter(site=site)],
    }


@login_required
def case_study_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = site_get_for_user(request.user, slug, CHANGE)
    form = CaseStudyForm(_posted(request), choices=_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            case_study = services.case_study_create(actor=request.user, site=site, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"Case study “{case_study.title}” started. Add quotes and photos with their consent."
            )
            return redirect(_url(case_study))
    return _form_page(
        request,
        site,
        form,
        title="New case study",
        submit_label="Save case study",
        cancel_url=reverse("case_study_list", args=[site.slug]),
        breadcrumbs=_crumbs(site, ("New case study", None)),
    )


def _case_study(request: HttpRequest, slug: str, case_study_id: int, perm: str = VIEW) -> tuple[Site, CaseStudy]:
    site = site_get_for_user(request.user, slug, VIEW)
    case_study = selectors.case_study_for_user(request.user, site, case_study_id)
    if perm != VIEW and not request.user.has_perm(perm, site):
        raise PermissionDenied
    return site, case_study


@login_required
def case_study_detail(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id)
    can_change = request.user.has_perm(CHANGE, site)
    shown = selectors.shown_items(case_study)
    return render(
        request,
        "casestudies/detail.html",
        {
            "site": site,
            "case_study": case_study,
            "shown": shown,
            "can_change": can_change,
            "can_publish": request.user.has_perm(PUBLISH, site),
            "public_check": selectors.shown_items(case_study, "public") if can_change else None,
            "linked": documents.linked_for_team(case_study),
            "breadcrumbs": _crumbs(site, (case_study.title, None)),
            "active": "case_studies",
        },
    )


@login_required
def case_study_edit(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, CHANGE)
    initial = {
        "title": case_study.title,
        "summary": case_study.summary,
        "narrative": case_study.narrative,
        "figures": case_study.figures,
        "events": list(case_study.events.values_list("pk", flat=True)),
        "wins": list(case_study.wins.values_list("pk", flat=True)),
        "community_groups": list(case_study.community_groups.values_list("pk", flat=True)),
    }
    form = CaseStudyForm(_posted(request), initial=initial, choices=_choices(site))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_update(actor=request.user, case_study=case_study, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Case study saved.")
            return redirect(_url(case_study))
    return _form_page(
        request,
        site,
        form,
        title=f"Edit “{case_study.title}”",
        submit_label="Save case study",
        cancel_url=_url(case_study),
        breadcrumbs=_crumbs(site, (case_study.title, _url(case_study)), ("Edit", None)),
    )


@login_required
def quote_add(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, CHANGE)
    form = QuoteForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.quote_add(actor=request.user, case_study=case_study, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Quote added.")
            return redirect(_url(case_study, "quotes"))
    return _form_page(
        request,
        site,
        form,
        title="Add a quote",
        submit_label="Add quote",
        cancel_url=_url(case_study),
        breadcrumbs=_crumbs(site, (case_study.title, _url(case_study)), ("Add a quote", None)),
        intro="Record the consent given for these words. A child's words need a parent's or guardian's consent.",
    )


@login_required
def photo_add(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, CHANGE)
    form = PhotoForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.photo_add(actor=request.user, case_study=case_study, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Photo added.")
            return redirect(_url(case_study, "photos"))
    return _form_page(
        request,
        site,
        form,
        title="Add a photo",
        submit_label="Add photo",
        cancel_url=_url(case_study),
        breadcrumbs=_crumbs(site, (case_study.title, _url(case_study)), ("Add a photo", None)),
        multipart=True,
        intro="Record the consent of everyone recognisable in the photo. "
        "Children need a parent's or guardian's consent.",
    )


def _item(case_study: CaseStudy, kind: str, item_id: int) -> Quote | Photo:
    model = {"quotes": Quote, "photos": Photo}.get(kind)
    item = model.objects.filter(case_study=case_study, pk=item_id).first() if model else None
    if item is None:
        raise Http404("No such quote or photo")
    return item


@login_required
@require_POST
def item_withdraw(request: HttpRequest, slug: str, case_study_id: int, kind: str, item_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, CHANGE)
    item = _item(case_study, kind, item_id)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"on": form.errors["on"][0]})
        services.consent_withdraw(actor=request.user, item=item, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, "Consent withdrawn: it is no longer shown anywhere.")
    return redirect(_url(case_study, kind))


@login_required
@require_POST
def item_remove(request: HttpRequest, slug: str, case_study_id: int, kind: str, item_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, CHANGE)
    services.item_remove(actor=request.user, item=_item(case_study, kind, item_id))
    messages.success(request, "Removed.")
    return redirect(_url(case_study, kind))


@login_required
def photo_file(request: HttpRequest, slug: str, case_study_id: int, photo_id: int) -> FileResponse:
    """A photo, only to people who may read the case study and only while its consent reaches them."""
    site, case_study = _case_study(request, slug, case_study_id)
    photo = _item(case_study, "photos", photo_id)
    if photo not in selectors.shown_items(case_study).photos:
        raise Http404("This photo is not shown: its consent does not cover it")
    response = FileResponse(photo.image.open("rb"), filename=photo.image.name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def case_study_publish(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, PUBLISH)
    form = PublishForm(_posted(request), initial={"audience": case_study.audience})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_study_publish(
                actor=request.user, case_study=case_study, audience=form.cleaned_data["audience"]
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Case study published.")
            return redirect(_url(case_study))
    left_out = {a: selectors.shown_items(case_study, a).left_out for a in ("team", "public")}
    return render(
        request,
        "casestudies/publish.html",
        {
            "site": site,
            "case_study": case_study,
            "form": form,
            "left_out": left_out,
            "breadcrumbs": _crumbs(site, (case_study.title, _url(case_study)), ("Publish", None)),
            "active": "case_studies",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def case_study_unpublish(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id, PUBLISH)
    services.case_study_unpublish(actor=request.user, case_study=case_study)
    messages.success(request, "Case study back to draft.")
    return redirect(_url(case_study))


@login_required
def case_study_download(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site, case_study = _case_study(request, slug, case_study_id)
    fmt = request.GET.get("format", "")
    if fmt not in {"pdf", "docx"}:
        return HttpResponse("Choose format=pdf or format=docx.", status=400, content_type="text/plain")
    return documents.download(case_study, fmt)


# The public pages: /p/<slug>/stories/, only while the site's public page is on, only case studies
# published for the public, only quotes and photos whose consent covers publication. No login.
def _public_site(slug: str) -> Site:
    from c2hub.newsletters.selectors import public_site

    return public_site(slug)[0]


def public_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _public_site(slug)
    return render(
        request, "casestudies/public_list.html", {"site": site, "case_studies": selectors.public_case_studies(site)}
    )


def public_detail(request: HttpRequest, slug: str, case_study_id: int) -> HttpResponse:
    site = _public_site(slug)
    case_study = selectors.public_case_study(site, case_study_id)
    if request.GET.get("format") == "pdf":
        return documents.download(case_study, "pdf")
    return render(
        request,
        "casestudies/public_detail.html",
        {
            "site": site,
            "case_study": case_study,
            "shown": (shown := selectors.shown_items(case_study, "public")),
            "linked": documents.linked_records(case_study, shown),
        },
    )


def public_photo(request: HttpRequest, slug: str, case_study_id: int, photo_id: int) -> FileResponse:
    site = _public_site(slug)
    case_study = selectors.public_case_study(site, case_study_id)
    photo = _item(case_study, "photos", photo_id)
    if photo not in selectors.shown_items(case_study, "public").photos:
        raise Http404("This photo is not shown: its consent does not cover publication")
    response = FileResponse(photo.image.open("rb"), filename=photo.image.name.rsplit("/", 1)[-1])
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
