"""Pages for composing, publishing and sending a site's newsletter, its subscribers, and the
public partnership page (``/p/<slug>/``, no login). Thin: reads from ``selectors.py``, writes
through ``services.py``, permissions from ``c2hub/accounts/rules.py``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from c2hub.formerrors import show_service_errors
from c2hub.newsletters import selectors, services
from c2hub.newsletters.forms import (
    BlockForm,
    BlockKindForm,
    EvidenceForm,
    IssueForm,
    PublicPageForm,
    PublicSubscribeForm,
    SubscriberForm,
)
from c2hub.newsletters.models import Block, BlockKind, NewsletterIssue
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import criterion_for_site, site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

VIEW = "newsletters.view_newsletters"
CHANGE = "newsletters.change_newsletters"
SEND = "newsletters.send_newsletters"
SUBSCRIBERS = "newsletters.view_subscribers"
#: The subscribe form accepts this many submissions per client address per site in the window.
PUBLIC_RATE_LIMIT: tuple[int, int] = getattr(settings, "NEWSLETTER_PUBLIC_RATE_LIMIT", (10, 600))


def _site(request: HttpRequest, slug: str, perm: str = VIEW) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _crumbs(site: Site, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    return site_breadcrumbs(site, ("Newsletter", reverse("newsletter_list", args=[site.slug])), *more)


def _issue_url(issue: NewsletterIssue, anchor: str = "") -> str:
    return reverse("newsletter_detail", args=[issue.site.slug, issue.number]) + (f"#{anchor}" if anchor else "")


def _staff_image_url(site: Site, issue: NewsletterIssue) -> Any:
    return lambda block: reverse("newsletter_block_image", args=[site.slug, issue.number, block.pk])


def _public_image_url(site: Site, issue: NewsletterIssue) -> Any:
    return lambda block: reverse("public_newsletter_image", args=[site.slug, issue.number, block.pk])


def _image_response(block: Block) -> FileResponse:
    if block.kind != BlockKind.IMAGE or not block.image:
        raise Http404("No such image")
    response = FileResponse(block.image.open("rb"))
    response["Content-Security-Policy"] = "default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _pdf_response(issue: NewsletterIssue) -> HttpResponse:
    from c2hub.newsletters.documents import render_pdf

    response = HttpResponse(render_pdf(issue), content_type="application/pdf")
    name = f"{issue.site.slug}-newsletter-{issue.number}-{slugify(issue.title)[:40]}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# The list -------------------------------------------------------------------------------------------
@login_required
def newsletter_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    form = IssueForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        site = _site(request, slug, CHANGE)
        if form.is_valid():
            try:
                issue = services.issue_create(actor=request.user, site=site, title=form.cleaned_data["title"])
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"Newsletter {issue.number} started: add its blocks.")
                return redirect(_issue_url(issue))
        status = 400
    page = selectors.public_page_of(site)
    return render(
        request,
        "newsletters/list.html",
        {
            "site": site,
            "issues": list(selectors.issues_for_site(site)),
            "form": form,
            "counts": selectors.subscriber_counts(site),
            "public_page": page,
            "can_change": request.user.has_perm(CHANGE, site),
            "can_send": request.user.has_perm(SEND, site),
            "can_see_subscribers": request.user.has_perm(SUBSCRIBERS, site),
            "breadcrumbs": site_breadcrumbs(site, ("Newsletter", None)),
            "active": "newsletters",
        },
        status=status,
    )


# One issue: compose (a draft) or read and send (published) --------------------------------------------
def _render_issue(
    request: HttpRequest, site: Site, issue: NewsletterIssue, *, status: int = 200, **forms: Any
) -> HttpResponse:
    from c2hub.events.selectors import criterion_choices

    can_change = request.user.has_perm(CHANGE, site)
    context: dict[str, Any] = {
        "site": site,
        "issue": issue,
        "content": selectors.issue_content(issue),
        "image_url": _staff_image_url(site, issue),
        "can_change": can_change and not issue.is_published,
        "can_send": request.user.has_perm(SEND, site),
        "can_add_evidence": request.user.has_perm("programmes.add_evidence", site),
        "title_form": forms.get("title_form") or IssueForm(initial={"title": issue.title}),
        "kind_form": forms.get("kind_form") or BlockKindForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(criteria=criterion_choices(site)),
        "progress": selectors.send_progress(issue),
        "counts": selectors.subscriber_counts(site),
        "public_page": selectors.public_page_of(site),
        "breadcrumbs": _crumbs(site, (f"Newsletter {issue.number}", None)),
        "active": "newsletters",
    }
    return render(request, "newsletters/detail.html", context, status=status)


@login_required
def newsletter_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug)
    issue = selectors.issue_in_site(site, number)
    if request.GET.get("format") == "pdf":
        return _pdf_response(issue)
    return _render_issue(request, site, issue)


@login_required
@require_POST
def newsletter_rename(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            services.issue_rename(actor=request.user, issue=issue, title=form.cleaned_data["title"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Title changed.")
            return redirect(_issue_url(issue))
    return _render_issue(request, site, issue, title_form=form, status=400)


@login_required
@require_POST
def newsletter_publish(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug, SEND)
    issue = selectors.issue_in_site(site, number)
    try:
        services.issue_publish(actor=request.user, issue=issue)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_issue_url(issue))
    messages.success(request, f"Newsletter {issue.number} is published: its content is now fixed.")
    return redirect(_issue_url(issue))


@login_required
@require_POST
def newsletter_delete(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    try:
        services.issue_delete(actor=request.user, issue=issue)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_issue_url(issue))
    messages.success(request, "Draft deleted.")
    return redirect("newsletter_list", site.slug)


# Blocks ----------------------------------------------------------------------------------------------
def _block_page(
    request: HttpRequest, site: Site, issue: NewsletterIssue, form: BlockForm, block: Block | None, status: int
) -> HttpResponse:
    kind_label = BlockKind(form.kind).label
    return render(
        request,
        "newsletters/block_form.html",
        {
            "site": site,
            "issue": issue,
            "form": form,
            "block": block,
            "kind": form.kind,
            "title": f"{'Edit' if block else 'Add'} a block: {kind_label.lower()}",
            "breadcrumbs": _crumbs(site, (f"Newsletter {issue.number}", _issue_url(issue)), (kind_label, None)),
            "active": "newsletters",
        },
        status=status,
    )


def _block_fields(form: BlockForm, request: HttpRequest) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "heading": data.get("heading", ""),
        "body": data.get("body", ""),
        "image": request.FILES.get("image"),
        "alt_text": data.get("alt_text", ""),
        "item_limit": data.get("item_limit") or 5,
        "since": data.get("since"),
    }


@login_required
def block_add(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in BlockKind.values:
        kind_form = BlockKindForm({"kind": kind})
        kind_form.is_valid()
        return _render_issue(request, site, issue, kind_form=kind_form, status=400)
    if request.method == "POST" and "heading" not in request.POST and "alt_text" not in request.POST:
        # The "Add a block" select posts only the kind: show the block's own form.
        return redirect(reverse("newsletter_block_add", args=[site.slug, issue.number]) + f"?kind={kind}")
    form = BlockForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        initial={"heading": "" if kind in (BlockKind.TEXT, BlockKind.IMAGE) else BlockKind(kind).label},
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                block = services.block_add(actor=request.user, issue=issue, kind=kind, **_block_fields(form, request))
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"{BlockKind(kind).label} block added.")
                return redirect(_issue_url(issue, f"block-{block.pk}"))
        return _block_page(request, site, issue, form, None, 400)
    return _block_page(request, site, issue, form, None, 200)


@login_required
def block_edit(request: HttpRequest, slug: str, number: int, block_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    block = selectors.block_in_issue(issue, block_id)
    initial = {
        "heading": block.heading,
        "body": block.body,
        "alt_text": block.alt_text,
        "item_limit": block.item_limit,
        "since": block.since,
    }
    form = BlockForm(request.POST or None, request.FILES or None, kind=block.kind, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.block_update(actor=request.user, block=block, **_block_fields(form, request))
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Block saved.")
                return redirect(_issue_url(issue, f"block-{block.pk}"))
        return _block_page(request, site, issue, form, block, 400)
    return _block_page(request, site, issue, form, block, 200)


@login_required
@require_POST
def block_move(request: HttpRequest, slug: str, number: int, block_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    block = selectors.block_in_issue(issue, block_id)
    try:
        services.block_move(actor=request.user, block=block, up=request.POST.get("direction") == "up")
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect(_issue_url(issue, f"block-{block.pk}"))


@login_required
@require_POST
def block_remove(request: HttpRequest, slug: str, number: int, block_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    issue = selectors.issue_in_site(site, number)
    block = selectors.block_in_issue(issue, block_id)
    try:
        services.block_remove(actor=request.user, block=block)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Block removed.")
    return redirect(_issue_url(issue, "blocks"))


@login_required
def block_image(request: HttpRequest, slug: str, number: int, block_id: int) -> FileResponse:
    site = _site(request, slug)
    issue = selectors.issue_in_site(site, number)
    return _image_response(selectors.block_in_issue(issue, block_id))


# Sending ---------------------------------------------------------------------------------------------
@login_required
@require_POST
def newsletter_send(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site = _site(request, slug, SEND)
    issue = selectors.issue_in_site(site, number)
    retry = request.POST.get("retry") == "1"
    try:
        if retry:
            now = services.deliveries_retry(actor=request.user, issue=issue)
        else:
            now = services.issue_send_request(actor=request.user, issue=issue)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_issue_url(issue, "send"))
    if now:
        progress = selectors.send_progress(issue)
        messages.success(
            request,
            f"Sent to {progress.sent} subscribers."
            + (f" {progress.failed} could not be sent." if progress.failed else ""),
        )
    else:
        messages.success(request, "Sending in the background: this page shows how far it has got.")
    return redirect(_issue_url(issue, "send"))


@login_required
def send_status(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The sending progress partial (htmx asks again every 3 seconds while it is sending)."""
    site = _site(request, slug)
    issue = selectors.issue_in_site(site, number)
    return render(
        request,
        "newsletters/_send_progress.html",
        {"site": site, "issue": issue, "progress": selectors.send_progress(issue)},
    )


@login_required
@require_POST
def newsletter_evidence(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Use a published newsletter as evidence for a criterion, in one click (issue or pathway page)."""
    from c2hub.events.selectors import criterion_choices

    site = _site(request, slug, "programmes.add_evidence")
    issue = selectors.issue_in_site(site, number)
    form = EvidenceForm(request.POST, criteria=criterion_choices(site))
    if form.is_valid():
        criterion = criterion_for_site(site, int(form.cleaned_data["criterion"]))
        try:
            services.issue_attach_evidence(actor=request.user, issue=issue, criterion=criterion)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Newsletter {issue.number} is now evidence for step {criterion.step.number}.")
            target = request.POST.get("next", "")
            if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                return redirect(target)
            return redirect(_issue_url(issue, "evidence"))
    return _render_issue(request, site, issue, evidence_form=form, status=400)


# Subscribers and the public page's settings ------------------------------------------------------------
@login_required
def subscribers(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, SUBSCRIBERS)
    form = SubscriberForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        site = _site(request, slug, CHANGE)
        if form.is_valid():
            try:
                services.subscriber_add(actor=request.user, site=site, **form.cleaned_data)
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Subscriber added.")
                return redirect("newsletter_subscribers", site.slug)
        status = 400
    return render(
        request,
        "newsletters/subscribers.html",
        {
            "site": site,
            "form": form,
            "subscribers": list(selectors.subscribers_for_site(site)),
            "counts": selectors.subscriber_counts(site),
            "can_change": request.user.has_perm(CHANGE, site),
            "breadcrumbs": _crumbs(site, ("Subscribers", None)),
            "active": "newsletters",
        },
        status=status,
    )


@login_required
@require_POST
def subscriber_remove(request: HttpRequest, slug: str, subscriber_id: int) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    services.subscriber_remove(actor=request.user, subscriber=selectors.subscriber_in_site(site, subscriber_id))
    messages.success(request, "Unsubscribed: they will not be sent any more newsletters.")
    return redirect("newsletter_subscribers", site.slug)


@login_required
def public_page_settings(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, SEND)
    page = selectors.public_page_of(site)
    initial = {
        "enabled": bool(page and page.enabled),
        "introduction": page.introduction if page else "",
        "consent_wording": page.consent_wording if page else "",
    }
    form = PublicPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.public_page_set(actor=request.user, site=site, **form.cleaned_data)
        messages.success(
            request, "The public page is on." if form.cleaned_data["enabled"] else "The public page is off."
        )
        return redirect("newsletter_list", site.slug)
    return render(
        request,
        "newsletters/public_settings.html",
        {
            "site": site,
            "form": form,
            "default_consent": services.DEFAULT_CONSENT,
            "breadcrumbs": _crumbs(site, ("Public page", None)),
            "active": "newsletters",
        },
        status=400 if form.errors else 200,
    )


# The public page (no login) ---------------------------------------------------------------------------
def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(site: Site, request: HttpRequest) -> bool:
    limit, window = PUBLIC_RATE_LIMIT
    key = f"subscribe:{site.pk}:{_client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False


def public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/p/<slug>/: who we are, the hub, next events, the latest newsletter, wins, "you said, we
    did", and the subscribe form. Nobody's personal details."""
    site, page = selectors.public_site(slug)
    status = 200
    if request.method == "POST":
        form = PublicSubscribeForm(request.POST)
        form.is_valid()
        if _over_limit(site, request):
            form.add_error(
                None, "There have been a lot of sign-ups from here in a short time. Please try again in 10 minutes."
            )
            status = 429
        elif form.cleaned_data.get("website", "").strip():
            # The honeypot: only a robot fills in a field people cannot see. Say thanks, store nothing.
            return redirect(reverse("public_page", args=[slug]) + "?subscribed=1#subscribe")
        else:
            data = form.cleaned_data
            try:
                services.subscribe_public(
                    site=site,
                    email=data.get("email", ""),
                    name=data.get("name", ""),
                    consent=data.get("consent", False),
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
                status = 400
            else:
                return redirect(reverse("public_page", args=[slug]) + "?subscribed=1#subscribe")
    else:
        form = PublicSubscribeForm()
    return render(
        request,
        "newsletters/public/page.html",
        {
            "view": selectors.public_page(site, page),
            "site": site,
            "form": form,
            "consent": services.consent_wording(site),
            "subscribed": request.method == "GET" and request.GET.get("subscribed") == "1",
        },
        status=status,
    )


def public_newsletters(request: HttpRequest, slug: str) -> HttpResponse:
    site, _ = selectors.public_site(slug)
    return render(
        request,
        "newsletters/public/archive.html",
        {"site": site, "issues": list(selectors.issues_for_site(site, published_only=True))},
    )


def public_newsletter(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    site, _ = selectors.public_site(slug)
    issue = selectors.issue_in_site(site, number, published_only=True)
    if request.GET.get("format") == "pdf":
        return _pdf_response(issue)
    return render(
        request,
        "newsletters/public/issue.html",
        {
            "site": site,
            "issue": issue,
            "content": selectors.issue_content(issue),
            "image_url": _public_image_url(site, issue),
        },
    )


def public_newsletter_latest(request: HttpRequest, slug: str) -> HttpResponse:
    site, _ = selectors.public_site(slug)
    issue = selectors.latest_published(site)
    if issue is None:
        raise Http404("No newsletter has been published yet")
    url = reverse("public_newsletter", args=[slug, issue.number])
    if request.GET.get("format") == "pdf":
        url += "?format=pdf"
    return redirect(url)


def public_newsletter_image(request: HttpRequest, slug: str, number: int, block_id: int) -> FileResponse:
    site, _ = selectors.public_site(slug)
    issue = selectors.issue_in_site(site, number, published_only=True)
    return _image_response(selectors.block_in_issue(issue, block_id))


def _token_site(slug: str) -> Site:
    """Unsubscribing works even when the public page has been turned off since."""
    site = Site.objects.filter(slug=slug).first()
    if site is None:
        raise Http404("No such site")
    return site


@csrf_exempt  # RFC 8058: mail programs POST "List-Unsubscribe=One-Click" without a form; the token is the proof
def public_unsubscribe(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    site = _token_site(slug)
    try:
        if request.method == "POST":
            services.unsubscribe_with_token(site=site, token=token)
            return render(request, "newsletters/public/unsubscribed.html", {"site": site})
        subscriber = services.subscriber_for_unsubscribe(site, token)
    except services.BadToken as exc:
        return render(
            request,
            "newsletters/public/bad_link.html",
            {"site": site, "message": str(exc), "expired": exc.expired},
            status=400,
        )
    if subscriber.unsubscribed_at is not None:
        return render(request, "newsletters/public/unsubscribed.html", {"site": site})
    return render(request, "newsletters/public/unsubscribe.html", {"site": site})


def public_confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    site = _token_site(slug)
    try:
        if request.method == "POST":
            services.confirm_with_token(site=site, token=token)
            return render(request, "newsletters/public/confirmed.html", {"site": site})
        services.subscriber_for_confirm(site, token)
    except services.BadToken as exc:
        return render(
            request,
            "newsletters/public/bad_link.html",
            {"site": site, "message": str(exc), "expired": exc.expired},
            status=400,
        )
    return render(request, "newsletters/public/confirm.html", {"site": site})
