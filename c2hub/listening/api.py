"""API for the listening event (step 3): its comments, themes, dot votes and report.

Paths are spelled in full (the router is mounted at the API root). Anyone with a role in the site
reads (commissioners and researchers included); only the site's team (``listening.change_listening``)
writes; other sites' listening events are 404. Names given with consent are shown only to the team.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Path, Query, Router, Schema, UploadedFile

from c2hub.api.schemas import COMMON_ERRORS, MAX_ID, WRITE_ERRORS, SiteSlug, Text
from c2hub.listening import reports, selectors, services
from c2hub.listening.models import Comment, ListeningEvent, Theme, VoteSource
from c2hub.programmes.selectors import site_get_for_user

router = Router(tags=["Listening events"])

VIEW = "listening.view_listening"
CHANGE = "listening.change_listening"

ListeningId = Annotated[int, Path(ge=1, le=MAX_ID, description="The listening event's id (its event's id).")]
ThemeId = Annotated[int, Path(ge=1, le=MAX_ID)]


# Schemas ------------------------------------------------------------------------------------------
class ListeningEventIn(Schema):
    title: Text = Field(..., min_length=1, max_length=200, examples=["Camborne listening event"])
    held_on: dt.date = Field(..., examples=["2013-11-20"])
    venue: Text = Field("", max_length=300)
    dots_per_participant: int = Field(3, ge=1, le=20)


class ListeningEventPatch(Schema):
    capture_open: bool | None = Field(None, description="Open or close the public capture link.")
    dots_per_participant: int | None = Field(None, ge=1, le=20)
    consent_statement: Text | None = Field(None, max_length=3000)
    next_steps: Text | None = Field(None, max_length=5000)


class ListeningEventOut(Schema):
    id: int
    site: str
    title: str
    held_on: dt.date
    status: str
    feedback_due: dt.date = Field(..., description="held_on + the pathway model's feedback deadline (days).")
    feedback_event_id: int | None
    feedback_event_held_on: dt.date | None
    capture_open: bool
    public_path: str = Field(..., description="The public capture page (no login) while capture_open.")
    dots_per_participant: int
    comments: int
    people: int = Field(..., description="Comments weighted by their tallies.")
    themes: int


class CommentIn(Schema):
    text: Text = Field(..., description="As written, in any language; 1–2,000 characters.")
    participant: Literal["resident", "provider"]
    count: int = Field(1, ge=1, le=10_000, description="How many people said this (a paper tally).")
    age_band: Text = Field("", max_length=10, examples=["26-64"])
    language: Text = Field("en", max_length=35, examples=["pl"])
    postcode_district: Text = Field("", max_length=20, examples=["TR14"])
    source: Literal["facilitator", "paper", "csv", "api"] = "api"
    submission_key: Text | None = Field(
        None, max_length=64, description="A key of 8–64 letters, digits, - or _: the same key again is stored once."
    )


class CommentOut(Schema):
    id: int
    text: str
    participant: str
    count: int
    age_band: str
    language: str
    postcode_district: str
    source: str
    theme_id: int | None
    given_name: str | None = Field(None, description="Only with consent, and only for the site's team.")
    created_at: dt.datetime


class CommentPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[CommentOut]


class CommentsImportedOut(Schema):
    imported: int
    items: list[CommentOut]


class PageFilter(Schema):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=10_000_000)


class SuggestIn(Schema):
    n_themes: int | None = Field(None, ge=1, le=30, description="Leave out to let C2 Hub choose.")
    replace_edited: bool = Field(False, description="Also replace the themes people have edited.")


class ThemeOut(Schema):
    id: int
    name: str
    suggested: bool
    comment_ids: list[int]
    people: int
    representative_ids: list[int]


class ThemesOut(Schema):
    method: str
    themes: list[ThemeOut]
    unthemed_comment_ids: list[int]


class ThemeNameIn(Schema):
    name: Text = Field(..., max_length=200)


class MergeIn(Schema):
    theme_ids: list[int] = Field(..., min_length=1, max_length=100, description="Themes merged into this one.")


class SplitIn(Schema):
    name: Text = Field(..., max_length=200)
    comment_ids: list[int] = Field(..., min_length=1, max_length=20_000)


class MoveIn(Schema):
    comment_ids: list[int] = Field(..., min_length=1, max_length=20_000)
    theme_id: int | None = Field(..., description="null moves the comments out of every theme.")


class VoteIn(Schema):
    theme_id: int = Field(..., ge=1, le=MAX_ID)
    participant: Literal["resident", "provider"]
    dots: int = Field(..., ge=1, le=100_000)
    source: Literal["live", "paper", "api"] = Field(
        "paper", description="live: one participant's dots (at most dots_per_participant); paper: a tally."
    )


class VoteOut(Schema):
    id: int
    theme_id: int
    participant: str
    dots: int
    source: str


class PriorityOut(Schema):
    theme_id: int
    theme: str
    dots: int
    rank: int
    rank_label: str = Field(..., examples=["joint 2nd"])


class PrioritiesOut(Schema):
    dots_per_participant: int
    residents: list[PriorityOut]
    providers: list[PriorityOut]


class ReportFilter(Schema):
    format: Literal["html", "pdf", "docx"] = "html"


# Helpers ------------------------------------------------------------------------------------------
def _listening(request: HttpRequest, listening_id: int, perm: str = VIEW) -> ListeningEvent:
    return selectors.listening_event_for_user(request.user, listening_id, perm)


def _out(listening: ListeningEvent) -> ListeningEventOut:
    from django.urls import reverse

    totals = selectors.comment_totals(listening)
    fb = listening.feedback_event
    return ListeningEventOut(
        id=listening.pk,
        site=listening.event.site.slug,
        title=listening.event.title,
        held_on=listening.event.held_on,
        status=listening.event.status,
        feedback_due=listening.feedback_due,
        feedback_event_id=fb.pk if fb else None,
        feedback_event_held_on=fb.held_on if fb and fb.status == "held" else None,
        capture_open=listening.capture_open,
        public_path=reverse("public_capture", args=[listening.public_token]),
        dots_per_participant=listening.dots_per_participant,
        comments=totals["comments"],
        people=totals["voices"],
        themes=listening.themes.count(),
    )


def _comment(comment: Comment, team: bool) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        text=comment.text,
        participant=comment.participant,
        count=comment.count,
        age_band=comment.age_band,
        language=comment.language,
        postcode_district=comment.postcode_district,
        source=comment.source,
        theme_id=comment.theme_id,
        given_name=(comment.given_name or None) if team else None,
        created_at=comment.created_at,
    )


def _themes(listening: ListeningEvent) -> ThemesOut:
    from c2hub.listening.theming import theming_method

    views, unthemed = selectors.themes(listening)
    return ThemesOut(
        method=theming_method(),
        themes=[
            ThemeOut(
                id=v.pk,
                name=v.theme.name,
                suggested=v.theme.suggested,
                comment_ids=[c.pk for c in v.comments],
                people=v.voices,
                representative_ids=[c.pk for c in v.quotes],
            )
            for v in views
        ],
        unthemed_comment_ids=[c.pk for c in unthemed],
    )


def _theme(listening: ListeningEvent, theme_id: int) -> Theme:
    return Theme.objects.get(listening_event=listening, pk=theme_id)


def _priorities(listening: ListeningEvent) -> PrioritiesOut:
    p = selectors.priorities(listening)

    def rows(items: list[selectors.PriorityRow]) -> list[PriorityOut]:
        return [
            PriorityOut(theme_id=r.theme.pk, theme=r.theme.name, dots=r.dots, rank=r.rank, rank_label=r.rank_label)
            for r in items
        ]

    return PrioritiesOut(
        dots_per_participant=listening.dots_per_participant, residents=rows(p.residents), providers=rows(p.providers)
    )


# Listening events ---------------------------------------------------------------------------------
@router.post(
    "/sites/{slug}/listening-events", response={201: ListeningEventOut, **WRITE_ERRORS}, summary="Add a listening event"
)
def listening_event_create(
    request: HttpRequest, slug: SiteSlug, payload: ListeningEventIn
) -> tuple[int, ListeningEventOut]:
    """Create the listening event (and its event, kind listening_event). Feedback is due a number of
    days after it set by the site's pathway model (10 in version 1, 7 in version 2)."""
    site = site_get_for_user(request.user, slug, CHANGE)
    listening = services.listening_event_create(actor=request.user, site=site, **payload.dict())
    return 201, _out(listening)


@router.get(
    "/sites/{slug}/listening-events",
    response={200: list[ListeningEventOut], **COMMON_ERRORS},
    summary="Listening events",
)
def listening_event_list(request: HttpRequest, slug: SiteSlug) -> list[ListeningEventOut]:
    site = site_get_for_user(request.user, slug, VIEW)
    return [_out(le) for le in selectors.listening_events(site)]


@router.get(
    "/listening-events/{listening_id}", response={200: ListeningEventOut, **COMMON_ERRORS}, summary="A listening event"
)
def listening_event_detail(request: HttpRequest, listening_id: ListeningId) -> ListeningEventOut:
    return _out(_listening(request, listening_id))


@router.patch(
    "/listening-events/{listening_id}",
    response={200: ListeningEventOut, **WRITE_ERRORS},
    summary="Change a listening event",
)
def listening_event_update(
    request: HttpRequest, listening_id: ListeningId, payload: ListeningEventPatch
) -> ListeningEventOut:
    """Open or close the public capture link; change the dots per participant, the consent
    statement or what happens next."""
    listening = _listening(request, listening_id, CHANGE)
    changes = payload.dict(exclude_none=True)
    capture = changes.pop("capture_open", None)
    if capture is not None:
        services.capture_set_open(actor=request.user, listening=listening, open=capture)
    if changes:
        services.listening_event_update(actor=request.user, listening=listening, **changes)
    return _out(listening)


# Comments -----------------------------------------------------------------------------------------
@router.post(
    "/listening-events/{listening_id}/comments",
    response={201: CommentOut, 200: CommentOut, **WRITE_ERRORS},
    summary="Add a comment",
)
def comment_add(request: HttpRequest, listening_id: ListeningId, payload: CommentIn) -> tuple[int, CommentOut]:
    """Add a comment with who said it. An empty or over-long comment, a bad language code or
    postcode district is refused (422) with the reason. With a `submission_key` already used, the
    stored comment is answered (200) and nothing is stored twice."""
    listening = _listening(request, listening_id, CHANGE)
    data = payload.dict()
    comment, created = services.comment_add(actor=request.user, listening=listening, **data)
    return (201 if created else 200), _comment(comment, team=True)


@router.post(
    "/listening-events/{listening_id}/comments/csv",
    response={201: CommentsImportedOut, **WRITE_ERRORS},
    summary="Import comments from a CSV file",
)
def comments_import_csv(
    request: HttpRequest, listening_id: ListeningId, file: File[UploadedFile]
) -> tuple[int, CommentsImportedOut]:
    """Upload a CSV (multipart/form-data, field `file`) with columns `text`, `participant` and
    optionally `age_band`, `language`, `count`, `postcode_district` (header names in any case; UTF-8,
    with or without a byte-order mark, or Latin-1). All or nothing: wrong or missing columns are
    named and bad rows listed by line number (422), and then nothing is imported."""
    listening = _listening(request, listening_id, CHANGE)
    comments = services.comments_import_csv(actor=request.user, listening=listening, data=file.read())
    return 201, CommentsImportedOut(imported=len(comments), items=[_comment(c, team=True) for c in comments])


@router.get(
    "/listening-events/{listening_id}/comments", response={200: CommentPageOut, **COMMON_ERRORS}, summary="Comments"
)
def comment_list(request: HttpRequest, listening_id: ListeningId, page: Query[PageFilter]) -> CommentPageOut:
    listening = _listening(request, listening_id)
    team = request.user.has_perm(CHANGE, listening.event.site)
    qs = selectors.comments(listening)
    items = list(qs[page.offset : page.offset + page.limit])
    return CommentPageOut(
        count=qs.count(), limit=page.limit, offset=page.offset, items=[_comment(c, team) for c in items]
    )


@router.post(
    "/listening-events/{listening_id}/comments/move", response={200: ThemesOut, **WRITE_ERRORS}, summary="Move comments"
)
def comments_move(request: HttpRequest, listening_id: ListeningId, payload: MoveIn) -> ThemesOut:
    listening = _listening(request, listening_id, CHANGE)
    theme = _theme(listening, payload.theme_id) if payload.theme_id is not None else None
    services.comments_move(actor=request.user, listening=listening, comment_ids=payload.comment_ids, theme=theme)
    return _themes(listening)


# Themes -------------------------------------------------------------------------------------------
@router.post(
    "/listening-events/{listening_id}/themes/suggest",
    response={200: ThemesOut, **WRITE_ERRORS},
    summary="Suggest themes",
)
def themes_suggest(request: HttpRequest, listening_id: ListeningId, payload: SuggestIn) -> ThemesOut:
    """Group the comments into themes by meaning (tallies weigh more), named with words from their
    comments. Replaces earlier suggested themes; themes people edited are kept unless
    `replace_edited`. Send `{}` for the defaults."""
    listening = _listening(request, listening_id, CHANGE)
    services.themes_suggest(
        actor=request.user, listening=listening, replace_edited=payload.replace_edited, n_themes=payload.n_themes
    )
    return _themes(listening)


@router.get("/listening-events/{listening_id}/themes", response={200: ThemesOut, **COMMON_ERRORS}, summary="Themes")
def theme_list(request: HttpRequest, listening_id: ListeningId) -> ThemesOut:
    return _themes(_listening(request, listening_id))


@router.post("/listening-events/{listening_id}/themes", response={201: ThemeOut, **WRITE_ERRORS}, summary="Add a theme")
def theme_create(request: HttpRequest, listening_id: ListeningId, payload: ThemeNameIn) -> tuple[int, ThemeOut]:
    listening = _listening(request, listening_id, CHANGE)
    theme = services.theme_create(actor=request.user, listening=listening, name=payload.name)
    return 201, ThemeOut(id=theme.pk, name=theme.name, suggested=False, comment_ids=[], people=0, representative_ids=[])


@router.patch(
    "/listening-events/{listening_id}/themes/{theme_id}",
    response={200: ThemesOut, **WRITE_ERRORS},
    summary="Rename a theme",
)
def theme_rename(request: HttpRequest, listening_id: ListeningId, theme_id: ThemeId, payload: ThemeNameIn) -> ThemesOut:
    listening = _listening(request, listening_id, CHANGE)
    services.theme_rename(actor=request.user, theme=_theme(listening, theme_id), name=payload.name)
    return _themes(listening)


@router.post(
    "/listening-events/{listening_id}/themes/{theme_id}/merge",
    response={200: ThemesOut, **WRITE_ERRORS},
    summary="Merge themes into this one",
)
def theme_merge(request: HttpRequest, listening_id: ListeningId, theme_id: ThemeId, payload: MergeIn) -> ThemesOut:
    listening = _listening(request, listening_id, CHANGE)
    into = _theme(listening, theme_id)
    services.themes_merge(actor=request.user, into=into, others=[_theme(listening, pk) for pk in payload.theme_ids])
    return _themes(listening)


@router.post(
    "/listening-events/{listening_id}/themes/{theme_id}/split",
    response={200: ThemesOut, **WRITE_ERRORS},
    summary="Split comments into a new theme",
)
def theme_split(request: HttpRequest, listening_id: ListeningId, theme_id: ThemeId, payload: SplitIn) -> ThemesOut:
    listening = _listening(request, listening_id, CHANGE)
    services.theme_split(
        actor=request.user, theme=_theme(listening, theme_id), comment_ids=payload.comment_ids, name=payload.name
    )
    return _themes(listening)


@router.delete(
    "/listening-events/{listening_id}/themes/{theme_id}",
    response={200: ThemesOut, **WRITE_ERRORS},
    summary="Delete a theme",
)
def theme_delete(request: HttpRequest, listening_id: ListeningId, theme_id: ThemeId) -> ThemesOut:
    """Its comments are left without a theme; its dots go."""
    listening = _listening(request, listening_id, CHANGE)
    services.theme_delete(actor=request.user, theme=_theme(listening, theme_id))
    return _themes(listening)


# Dot votes ----------------------------------------------------------------------------------------
@router.post("/listening-events/{listening_id}/votes", response={201: VoteOut, **WRITE_ERRORS}, summary="Add dots")
def vote_add(request: HttpRequest, listening_id: ListeningId, payload: VoteIn) -> tuple[int, VoteOut]:
    listening = _listening(request, listening_id, CHANGE)
    vote = services.vote_add(
        actor=request.user,
        theme=_theme(listening, payload.theme_id),
        participant=payload.participant,
        dots=payload.dots,
        source=VoteSource(payload.source),
    )
    return 201, VoteOut(
        id=vote.pk, theme_id=vote.theme_id, participant=vote.participant, dots=vote.dots, source=vote.source
    )


@router.get(
    "/listening-events/{listening_id}/votes", response={200: PrioritiesOut, **COMMON_ERRORS}, summary="Priorities"
)
def vote_totals(request: HttpRequest, listening_id: ListeningId) -> PrioritiesOut:
    """Dots per theme for residents and providers apart, ranked; equal dots share a rank."""
    return _priorities(_listening(request, listening_id))


# The report ---------------------------------------------------------------------------------------
@router.get(
    "/listening-events/{listening_id}/report",
    response=COMMON_ERRORS,
    summary="The report",
    openapi_extra={
        "responses": {
            200: {
                "description": "The report as HTML, PDF or DOCX (no personal data)",
                "content": {
                    "text/html": {"schema": {"type": "string"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def report(request: HttpRequest, listening_id: ListeningId, filters: Query[ReportFilter]) -> HttpResponse:
    listening = _listening(request, listening_id)
    data = selectors.report(listening)
    if filters.format == "html":
        return HttpResponse(reports.render_html_document(data), content_type="text/html; charset=utf-8")
    return reports.download(data, filters.format)
