"""Pages for the listening event: the site's list, the event page (fast entry, public link and
QR code), paper cards, CSV upload, themes, dot votes, the report, and the public capture page.
Thin: reads come from selectors, writes go through services, permissions are the rules."""

from __future__ import annotations

import re
import secrets
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from c2hub.events.models import Event, EventKind, ParticipantKind
from c2hub.exports import csv_download
from c2hub.formerrors import show_service_errors
from c2hub.listening import reports, selectors, services
from c2hub.listening.forms import (
    CommentCardForm,
    CsvUploadForm,
    FastEntryForm,
    FeedbackEventForm,
    FeedbackEventLinkForm,
    ListeningEventForm,
    ListeningSettingsForm,
    PublicCommentForm,
    VoteForm,
)
from c2hub.listening.models import CommentSource, ListeningEvent, Theme
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import site_get_for_user
from c2hub.programmes.views import site_breadcrumbs

VIEW = "listening.view_listening"
CHANGE = "listening.change_listening"
#: The public form accepts this many submissions per client address per event in the window
#: (a community hall's wifi puts many residents behind one address).
PUBLIC_RATE_LIMIT: tuple[int, int] = getattr(settings, "LISTENING_PUBLIC_RATE_LIMIT", (30, 600))
DEFAULT_CONSENT = (
    "Your comment will be read by the people running this listening event and grouped with other "
    "comments into themes. It may be quoted, without your name, in a report to residents and the "
    "partnership. Do not write your name, address or anything that identifies you or someone else. "
    "Your age and postcode district are optional and only ever counted, never shown next to your comment."
)


def _site(request: HttpRequest, slug: str, perm: str = VIEW) -> Site:
    return site_get_for_user(request.user, slug, perm)


def _listening(request: HttpRequest, slug: str, listening_id: int, perm: str = VIEW) -> tuple[Site, ListeningEvent]:
    site = _site(request, slug, perm)
    return site, selectors.listening_event_in_site(site, listening_id)


def _crumbs(site: Site, listening: ListeningEvent | None = None, *more: tuple[str, str | None]) -> list[dict[str, str]]:
    items: list[tuple[str, str | None]] = [("Listening", reverse("listening_list", args=[site.slug]))]
    if listening is not None:
        items.append((listening.event.title, reverse("listening_detail", args=[site.slug, listening.pk])))
    return site_breadcrumbs(site, *items, *more)


def _ctx(request: HttpRequest, site: Site, listening: ListeningEvent | None, **more: Any) -> dict[str, Any]:
    return {
        "site": site,
        "listening": listening,
        "event": listening.event if listening else None,
        "can_change": request.user.has_perm(CHANGE, site),
        "active": "listening",
        **more,
    }


# The site's listening events --------------------------------------------------------------------
@login_required
def listening_list(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug)
    return render(
        request,
        "listening/list.html",
        {
            **_ctx(request, site, None),
            "events": list(selectors.listening_events(site)),
            "planned": list(Event.objects.filter(site=site, kind=EventKind.LISTENING_EVENT, listening__isnull=True)),
            "breadcrumbs": site_breadcrumbs(site, ("Listening", None)),
        },
    )


@login_required
def listening_create(request: HttpRequest, slug: str) -> HttpResponse:
    site = _site(request, slug, CHANGE)
    event = None
    if request.GET.get("event", "").isdigit() or request.POST.get("event", "").isdigit():
        event_id = int(request.GET.get("event") or request.POST.get("event"))
        event = Event.objects.filter(site=site, kind=EventKind.LISTENING_EVENT, pk=event_id).first()
    initial = {"title": event.title, "held_on": event.held_on} if event else {}
    form = ListeningEventForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listening = services.listening_event_create(actor=request.user, site=site, event=event, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"{listening.event.title} created. Feedback is due by {listening.feedback_due:%-d %B %Y}."
            )
            return redirect("listening_detail", site.slug, listening.pk)
    return render(
        request,
        "listening/create.html",
        {
            **_ctx(request, site, None),
            "form": form,
            "planned_event": event,
            "breadcrumbs": _crumbs(site, None, ("New listening event", None)),
        },
        status=400 if form.errors else 200,
    )


# The event page: fast entry, the public link, recent comments --------------------------------------
def qr_svg(text: str) -> str:
    """A QR code as an inline SVG path (no external image, no script), with a title."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.find("<svg") :]
    svg = re.sub(r'width="[^"]*" height="[^"]*" ', 'class="c2-qr" ', svg, count=1)
    return re.sub(
        r"<svg\b([^>]*)>",
        r'<svg\1 role="img" aria-labelledby="qr-title">'
        r'<title id="qr-title">QR code for the public comment link</title>',
        svg,
        count=1,
    )


def _public_url(request: HttpRequest, listening: ListeningEvent) -> str:
    return request.build_absolute_uri(reverse("public_capture", args=[listening.public_token]))


def _detail(
    request: HttpRequest, site: Site, listening: ListeningEvent, form: FastEntryForm, status: int = 200
) -> HttpResponse:
    public_url = _public_url(request, listening)
    return render(
        request,
        "listening/detail.html",
        {
            **_ctx(request, site, listening),
            "form": form,
            "totals": selectors.comment_totals(listening),
            "recent": selectors.recent_comments(listening),
            "public_url": public_url,
            "qr": qr_svg(public_url),
            "theme_count": listening.themes.count(),
            "saved": int(request.GET["saved"]) if request.GET.get("saved", "").isdigit() else None,
            "breadcrumbs": _crumbs(site, None, (listening.event.title, None)),
        },
        status=status,
    )


@login_required
def listening_detail(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id)
    defaults = {
        "participant": request.GET.get("participant") or ParticipantKind.RESIDENT,
        "age_band": request.GET.get("age_band", ""),
        "language": request.GET.get("language") or "en",
    }
    return _detail(request, site, listening, FastEntryForm(initial=defaults))


@login_required
@require_POST
def comments_add(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    """Fast entry: save the lines, then back to the textarea with the same batch defaults."""
    site, listening = _listening(request, slug, listening_id, CHANGE)
    form = FastEntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.comments_add_lines(actor=request.user, listening=listening, **data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            # No success banner: GOV.UK's banner takes the focus, and the facilitator keeps typing.
            query = {k: data[k] for k in ("participant", "age_band", "language") if data[k]} | {"saved": len(added)}
            url = reverse("listening_detail", args=[site.slug, listening.pk])
            # No #fragment: a fragment in the address turns off the textarea's autofocus.
            return redirect(f"{url}?{urlencode(query)}")
    return _detail(request, site, listening, form, status=400)


@login_required
@require_POST
def capture_toggle(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id, CHANGE)
    want_open = request.POST.get("open") == "1"
    services.capture_set_open(actor=request.user, listening=listening, open=want_open)
    messages.success(request, "The public comment link is open." if want_open else "The public comment link is closed.")
    return redirect(reverse("listening_detail", args=[site.slug, listening.pk]) + "#public-link")


@login_required
def comments_list(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    """Every comment, with a CSV download (no names)."""
    site, listening = _listening(request, slug, listening_id)
    all_comments = selectors.comments(listening)
    if request.GET.get("format") == "csv":
        return csv_download(
            f"{site.slug}-listening-{listening.pk}-comments",
            ["id", "text", "participant", "age_band", "language", "count", "postcode_district", "theme", "source"],
            (
                [
                    c.pk,
                    c.text,
                    c.participant,
                    c.age_band,
                    c.language,
                    c.count,
                    c.postcode_district,
                    c.theme.name if c.theme else "",
                    c.source,
                ]
                for c in all_comments.iterator(chunk_size=1000)
            ),
        )
    page = Paginator(all_comments, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "listening/comments.html",
        {
            **_ctx(request, site, listening),
            "page": page,
            "comments": list(page),
            "breadcrumbs": _crumbs(site, listening, ("Comments", None)),
        },
    )


@login_required
def comment_card(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    """Type in a paper comment card or a tally."""
    site, listening = _listening(request, slug, listening_id, CHANGE)
    form = CommentCardForm(
        request.POST if request.method == "POST" else None,
        initial={"participant": ParticipantKind.RESIDENT, "count": 1, "language": "en"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_add(
                actor=request.user, listening=listening, source=CommentSource.PAPER, **form.cleaned_data
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Comment card saved. Type the next one.")
            return redirect("listening_card", site.slug, listening.pk)
    return render(
        request,
        "listening/card.html",
        {
            **_ctx(request, site, listening),
            "form": form,
            "recent": selectors.recent_comments(listening, 5),
            "breadcrumbs": _crumbs(site, listening, ("Paper comment cards", None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def csv_upload(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id, CHANGE)
    form = CsvUploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.comments_import_csv(
                actor=request.user, listening=listening, data=form.cleaned_data["file"].read()
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{len(added)} comments imported.")
            return redirect("listening_detail", site.slug, listening.pk)
    return render(
        request,
        "listening/csv.html",
        {
            **_ctx(request, site, listening),
            "form": form,
            "columns": services.CSV_REQUIRED + services.CSV_OPTIONAL,
            "breadcrumbs": _crumbs(site, listening, ("Upload a CSV", None)),
        },
        status=400 if form.errors else 200,
    )


@login_required
def listening_settings(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    """Dots per participant, the consent statement, what happens next; the feedback event."""
    site, listening = _listening(request, slug, listening_id, CHANGE)
    initial = {name: getattr(listening, name) for name in services.LISTENING_EDITABLE_FIELDS}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ListeningSettingsForm(request.POST if action == "settings" else None, initial=initial)
    feedback_form = FeedbackEventForm(request.POST if action in ("plan", "held") else None)
    link_form = FeedbackEventLinkForm(
        request.POST if action == "link" else None, events=selectors.feedback_event_candidates(listening)
    )
    if action == "link" and link_form.is_valid():
        try:
            services.feedback_event_link(actor=request.user, listening=listening, event=link_form.cleaned_data["event"])
        except ValidationError as exc:
            show_service_errors(link_form, exc)
        else:
            messages.success(request, "Feedback event linked.")
            return redirect("listening_detail", site.slug, listening.pk)
    if action == "settings" and form.is_valid():
        try:
            services.listening_event_update(actor=request.user, listening=listening, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("listening_detail", site.slug, listening.pk)
    elif action in ("plan", "held") and feedback_form.is_valid():
        data = feedback_form.cleaned_data
        try:
            if action == "plan":
                services.feedback_event_plan(actor=request.user, listening=listening, **data)
                messages.success(request, "Feedback event planned.")
            else:
                event = services.feedback_event_mark_held(
                    actor=request.user, listening=listening, held_on=data["held_on"]
                )
                in_time = event.held_on <= listening.feedback_due
                messages.success(
                    request,
                    "Feedback event recorded as held"
                    + (
                        " in time: step 3's feedback criterion now has it as evidence."
                        if in_time
                        else f", after the deadline of {listening.feedback_due:%-d %B %Y}."
                    ),
                )
        except ValidationError as exc:
            show_service_errors(feedback_form, exc)
        else:
            return redirect("listening_detail", site.slug, listening.pk)
    return render(
        request,
        "listening/settings.html",
        {
            **_ctx(request, site, listening),
            "form": form,
            "feedback_form": feedback_form,
            "link_form": link_form,
            "breadcrumbs": _crumbs(site, listening, ("Settings and feedback", None)),
        },
        status=400 if (form.errors or feedback_form.errors or link_form.errors) else 200,
    )


# Themes -----------------------------------------------------------------------------------------
def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


def _theme(listening: ListeningEvent, value: str | None) -> Theme:
    theme = Theme.objects.filter(listening_event=listening, pk=value).first() if value and value.isdigit() else None
    if theme is None:
        raise ValidationError({"theme": "Choose a theme of this listening event."})
    return theme


def _theme_action(request: HttpRequest, listening: ListeningEvent) -> str:
    post, user = request.POST, request.user
    action = post.get("action", "")
    if action == "suggest":
        n = post.get("n_themes", "").strip()
        if n and not n.isdigit():
            raise ValidationError({"n_themes": "Enter a whole number of themes, or leave it empty."})
        done = services.themes_suggest_request(
            actor=user,
            listening=listening,
            replace_edited=post.get("replace_edited") == "1",
            n_themes=int(n) if n else None,
        )
        if not done:
            return "C2 Hub is suggesting themes in the background: this page shows when they are ready."
        count = listening.themes.count()
        return f"{count} themes. Check them, rename them and move comments where they fit better."
    if action == "rename":
        theme = services.theme_rename(actor=user, theme=_theme(listening, post.get("theme")), name=post.get("name", ""))
        return f"Renamed to “{theme.name}”."
    if action == "create":
        theme = services.theme_create(actor=user, listening=listening, name=post.get("name", ""))
        return f"Theme “{theme.name}” added."
    if action == "merge":
        into = _theme(listening, post.get("into"))
        others = [_theme(listening, v) for v in post.getlist("merge")]
        services.themes_merge(actor=user, into=into, others=others)
        return f"Merged into “{into.name}”."
    if action == "split":
        theme = _theme(listening, post.get("theme"))
        new = services.theme_split(
            actor=user, theme=theme, comment_ids=_ids(post.getlist("comments")), name=post.get("name", "")
        )
        return f"New theme “{new.name}” made from the chosen comments."
    if action == "move":
        target = post.get("to", "")
        theme = None if target == "none" else _theme(listening, target)
        moved = services.comments_move(
            actor=user, listening=listening, comment_ids=_ids(post.getlist("comments")), theme=theme
        )
        return f"{moved} comment{'s' if moved != 1 else ''} moved" + (
            f" to “{theme.name}”." if theme else " out of their themes."
        )
    if action == "delete":
        theme = _theme(listening, post.get("theme"))
        services.theme_delete(actor=user, theme=theme)
        return f"Theme “{theme.name}” deleted; its comments are now without a theme."
    raise ValidationError("Choose what to do.")


@login_required
def themes_page(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id)
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm(CHANGE, site):
            site_get_for_user(request.user, slug, CHANGE)  # raises 403
        try:
            messages.success(request, _theme_action(request, listening))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect(
                reverse("listening_themes", args=[site.slug, listening.pk]) + request.POST.get("next_anchor", "")
            )
    from c2hub.listening.theming import theming_method

    theme_views, unthemed = selectors.themes(listening)
    return render(
        request,
        "listening/themes.html",
        {
            **_ctx(request, site, listening),
            "themes": theme_views,
            "unthemed": unthemed,
            "errors": errors,
            "posted": request.POST if errors else {},
            "method": theming_method(),
            "breadcrumbs": _crumbs(site, listening, ("Themes", None)),
        },
        status=400 if errors else 200,
    )


@login_required
def theming_status(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    """The themes page's progress panel (polled by htmx while themes are suggested in the
    background); once they are ready, htmx reloads the page."""
    site, listening = _listening(request, slug, listening_id)
    response = render(request, "listening/_theming_status.html", {"site": site, "listening": listening})
    if request.headers.get("HX-Request") and not listening.theming_status:
        response["HX-Refresh"] = "true"
    return response


# Dot votes --------------------------------------------------------------------------------------
@login_required
def votes_page(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id)
    themes = list(Theme.objects.filter(listening_event=listening))
    form = VoteForm(
        request.POST if request.method == "POST" else None,
        themes=themes,
        initial={"participant": ParticipantKind.RESIDENT},
    )
    if request.method == "POST":
        site_get_for_user(request.user, slug, CHANGE)
        if form.is_valid():
            try:
                added = services.votes_record(
                    actor=request.user,
                    listening=listening,
                    participant=form.cleaned_data["participant"],
                    dots_by_theme=form.dots_by_theme(),
                    source=form.cleaned_data["source"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"{sum(v.dots for v in added)} dots recorded.")
                return redirect(reverse("listening_votes", args=[site.slug, listening.pk]) + "#dots")
    return render(
        request,
        "listening/votes.html",
        {
            **_ctx(request, site, listening),
            "form": form,
            "priorities": selectors.priorities(listening),
            "breadcrumbs": _crumbs(site, listening, ("Priorities", None)),
        },
        status=400 if form.errors else 200,
    )


# The report -------------------------------------------------------------------------------------
@login_required
def report_page(request: HttpRequest, slug: str, listening_id: int) -> HttpResponse:
    site, listening = _listening(request, slug, listening_id)
    data = selectors.report(listening)
    fmt = request.GET.get("format", "html")
    if fmt in ("pdf", "docx"):
        return reports.download(data, fmt)
    return render(
        request,
        "listening/report.html",
        {
            **_ctx(request, site, listening),
            "report": data,
            "charts": reports.charts_svg(data),
            "feedback_sentence": reports.feedback_sentence(data),
            "breadcrumbs": _crumbs(site, listening, ("Report", None)),
        },
    )


# The public capture page ------------------------------------------------------------------------
def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(listening: ListeningEvent, request: HttpRequest) -> str:
    return f"listen:{listening.pk}:{_client_address(request)}"


def _over_limit(listening: ListeningEvent, request: HttpRequest) -> bool:
    limit, window = PUBLIC_RATE_LIMIT
    key = _rate_key(listening, request)
    if cache.add(key, 1, timeout=window):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False


def _new_key() -> str:
    return secrets.token_urlsafe(24)


def public_capture(request: HttpRequest, token: str) -> HttpResponse:
    """/listen/<token>/: a resident's own phone. No login; open only while capture is open."""
    listening = selectors.listening_event_by_token(token)
    if listening is None:
        raise Http404("No such listening event")
    context: dict[str, Any] = {
        "listening": listening,
        "event": listening.event,
        "consent": listening.consent_statement or DEFAULT_CONSENT,
    }
    if not listening.capture_open:
        return render(request, "listening/public_closed.html", context, status=410)
    status = 200
    if request.method == "POST":
        form = PublicCommentForm(request.POST)
        if _over_limit(listening, request):
            form.is_valid()
            form.add_error(
                None,
                "You have sent a lot of comments in a short time. Please wait 10 minutes and "
                "send this one again: your text is still here.",
            )
            status = 429
        elif request.POST.get("website", "").strip():
            # The honeypot: only a robot fills in a field people cannot see. Say thanks, store nothing.
            return redirect(reverse("public_capture", args=[token]) + "?sent=1")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.comment_add(
                    actor=None,
                    listening=listening,
                    source=CommentSource.PUBLIC,
                    text=data["text"],
                    participant=data["participant"],
                    age_band=data["age_band"],
                    postcode_district=data["postcode_district"],
                    language=data["language"] or "en",
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                return redirect(reverse("public_capture", args=[token]) + "?sent=1")
        if status == 200:
            status = 400
    else:
        form = PublicCommentForm(initial={"submission_key": _new_key(), "participant": ParticipantKind.RESIDENT})
    context.update({"form": form, "sent": request.GET.get("sent") == "1" and request.method == "GET"})
    return render(request, "listening/public_capture.html", context, status=status)
