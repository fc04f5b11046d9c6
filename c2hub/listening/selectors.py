"""Reads for listening events: scoped to a site the caller already got through
``site_get_for_user``; a fixed number of queries however many comments there are."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from c2hub.events.models import Attendance, Event, EventKind, EventStatus, HeadCount, ParticipantKind
from c2hub.listening.models import Comment, ListeningEvent, Theme, Vote
from c2hub.people.models import AgeBand
from c2hub.programmes.models import Site

#: A postcode district is named in a report only with at least this many comments from it.
POSTCODE_DISTRICT_MIN_COMMENTS = 5
#: The dashboard warns this many days before the feedback is due.
FEEDBACK_WARNING_DAYS = 3


def listening_events(site: Site) -> QuerySet[ListeningEvent]:
    return (
        ListeningEvent.objects.filter(event__site=site)
        .select_related("event", "feedback_event")
        .annotate(
            comment_rows=Count("comments", distinct=True),
            theme_count=Count("themes", distinct=True),
        )
        .order_by("-event__starts_at", "-pk")
    )


def listening_event_in_site(site: Site, listening_id: int) -> ListeningEvent:
    found = (
        ListeningEvent.objects.select_related("event__site__pathway_model", "feedback_event")
        .filter(pk=listening_id, event__site=site)
        .first()
    )
    if found is None:
        raise Http404("No such listening event in this site")
    return found


def listening_event_for_user(user: Any, listening_id: int, perm: str = "listening.view_listening") -> ListeningEvent:
    """A listening event by id (the API's /listening-events/{id}), if the user may see its site."""
    from c2hub.programmes.selectors import site_get_for_user

    slug = ListeningEvent.objects.filter(pk=listening_id).values_list("event__site__slug", flat=True).first()
    if slug is None:
        raise Http404("No such listening event")
    site = site_get_for_user(user, slug, perm)
    return listening_event_in_site(site, listening_id)


def listening_event_by_token(token: str) -> ListeningEvent | None:
    return ListeningEvent.objects.select_related("event__site").filter(public_token=token).first()


def comments(listening: ListeningEvent) -> QuerySet[Comment]:
    return Comment.objects.filter(listening_event=listening).select_related("theme").order_by("id")


def recent_comments(listening: ListeningEvent, limit: int = 10) -> list[Comment]:
    return list(Comment.objects.filter(listening_event=listening).order_by("-id")[:limit])


def comment_totals(listening: ListeningEvent) -> dict[str, int]:
    """Comments (rows) and people who said them (tallies counted), for residents and providers."""
    rows = (
        Comment.objects.filter(listening_event=listening).values("participant").annotate(n=Count("id"), p=Sum("count"))
    )
    totals = {"comments": 0, "voices": 0, "resident": 0, "provider": 0}
    for row in rows:
        totals["comments"] += row["n"]
        totals["voices"] += row["p"] or 0
        totals[row["participant"]] = row["p"] or 0
    return totals


@dataclass
class ThemeView:
    theme: Theme
    comments: list[Comment]
    voices: int  # comments weighted by their tallies
    quotes: list[Comment]

    @property
    def pk(self) -> int:
        return self.theme.pk


def _quotes(theme: Theme, members: list[Comment]) -> list[Comment]:
    by_id = {c.pk: c for c in members}
    chosen = [by_id[pk] for pk in theme.representatives if pk in by_id][:3]
    if len(chosen) < 3:
        rest = sorted((c for c in members if c not in chosen), key=lambda c: (-c.count, len(c.text), c.pk))
        chosen += rest[: 3 - len(chosen)]
    return chosen


def themes(listening: ListeningEvent) -> tuple[list[ThemeView], list[Comment]]:
    """Each theme with its comments and quotes, largest first; and the comments in no theme."""
    all_comments = list(Comment.objects.filter(listening_event=listening).order_by("id"))
    by_theme: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in all_comments:
        by_theme[comment.theme_id].append(comment)
    views = []
    for theme in Theme.objects.filter(listening_event=listening):
        members = by_theme.get(theme.pk, [])
        views.append(ThemeView(theme, members, sum(c.count for c in members), _quotes(theme, members)))
    views.sort(key=lambda v: (-v.voices, v.theme.order, v.theme.pk))
    return views, by_theme.get(None, [])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass
class PriorityRow:
    theme: Theme
    dots: int
    rank: int
    tied: bool

    @property
    def rank_label(self) -> str:
        return f"joint {ordinal(self.rank)}" if self.tied else ordinal(self.rank)


def rank(pairs: list[tuple[Theme, int]]) -> list[PriorityRow]:
    """Rank by dots, most first; equal dots share a rank ("joint 2nd") and the next rank skips."""
    pairs = sorted(pairs, key=lambda p: (-p[1], p[0].name.lower(), p[0].pk))
    counts = Counter(d for _, d in pairs)
    rows, previous, current_rank = [], None, 0
    for position, (theme, dots) in enumerate(pairs, start=1):
        if dots != previous:
            current_rank, previous = position, dots
        rows.append(PriorityRow(theme=theme, dots=dots, rank=current_rank, tied=counts[dots] > 1))
    return rows


@dataclass
class Priorities:
    residents: list[PriorityRow]
    providers: list[PriorityRow]
    resident_dots: int
    provider_dots: int


def priorities(listening: ListeningEvent) -> Priorities:
    """Dots per theme, counted apart for residents and providers, each ranked."""
    theme_list = list(Theme.objects.filter(listening_event=listening))
    totals = {
        (row["theme_id"], row["participant"]): row["dots"]
        for row in Vote.objects.filter(listening_event=listening)
        .values("theme_id", "participant")
        .annotate(dots=Sum("dots"))
    }
    residents = rank([(t, totals.get((t.pk, ParticipantKind.RESIDENT), 0)) for t in theme_list])
    providers = rank([(t, totals.get((t.pk, ParticipantKind.PROVIDER), 0)) for t in theme_list])
    return Priorities(
        residents=residents,
        providers=providers,
        resident_dots=sum(r.dots for r in residents),
        provider_dots=sum(r.dots for r in providers),
    )


def votes(listening: ListeningEvent, limit: int = 50) -> list[Vote]:
    return list(Vote.objects.filter(listening_event=listening).select_related("theme").order_by("-id")[:limit])


@dataclass
class Participation:
    """Who took part, with no personal data: counts only; postcode districts with fewer than
    ``POSTCODE_DISTRICT_MIN_COMMENTS`` comments are grouped as "other districts"."""

    by_kind: list[tuple[str, int, int]]  # (label, people who commented, head-count)
    by_age_band: list[tuple[str, int, int]]
    organisations: list[str]
    named_attendees: int
    postcode_districts: list[tuple[str, int]]
    languages: list[tuple[str, int]]


_LANGUAGE_NAMES = {
    "en": "English",
    "pl": "Polish",
    "kw": "Cornish",
    "cy": "Welsh",
    "ro": "Romanian",
    "pt": "Portuguese",
    "lt": "Lithuanian",
    "ur": "Urdu",
    "bn": "Bengali",
    "pa": "Punjabi",
    "ar": "Arabic",
    "so": "Somali",
    "ru": "Russian",
    "uk": "Ukrainian",
    "gd": "Gaelic",
}


def language_name(tag: str) -> str:
    base = (tag or "en").split("-")[0].lower()
    name = _LANGUAGE_NAMES.get(base, tag)
    return name if "-" not in tag or base not in _LANGUAGE_NAMES else f"{name} ({tag})"


def participation(listening: ListeningEvent) -> Participation:
    event = listening.event
    said = Comment.objects.filter(listening_event=listening)
    kind_voices = dict(said.values_list("participant").annotate(n=Sum("count")))
    age_voices = dict(said.values_list("age_band").annotate(n=Sum("count")))
    heads = list(HeadCount.objects.filter(event=event).values_list("participant", "age_band", "count"))
    kind_heads: Counter[str] = Counter()
    age_heads: Counter[str] = Counter()
    for participant, age_band, count in heads:
        kind_heads[participant] += count
        age_heads[age_band] += count
    by_kind = [
        (str(label), kind_voices.get(value, 0) or 0, kind_heads.get(value, 0))
        for value, label in ParticipantKind.choices
    ]
    by_age = [
        (str(label), age_voices.get(value, 0) or 0, age_heads.get(value, 0))
        for value, label in AgeBand.choices
        if (age_voices.get(value) or age_heads.get(value))
    ]
    attendances = Attendance.objects.filter(event=event).select_related("organisation", "person__organisation")
    organisations: set[str] = set()
    named = 0
    for attendance in attendances:
        if attendance.person_id:
            named += 1
            if attendance.person.organisation_id:
                organisations.add(attendance.person.organisation.name)
        if attendance.organisation_id:
            organisations.add(attendance.organisation.name)
    districts = dict(said.exclude(postcode_district="").values_list("postcode_district").annotate(n=Count("id")))
    shown = sorted(
        ((d, n) for d, n in districts.items() if n >= POSTCODE_DISTRICT_MIN_COMMENTS), key=lambda p: (-p[1], p[0])
    )
    hidden = sum(n for n in districts.values() if n < POSTCODE_DISTRICT_MIN_COMMENTS)
    if hidden:
        shown.append(("Other districts (each fewer than 5 comments)", hidden))
    languages = Counter()
    for tag, n in said.values_list("language").annotate(n=Sum("count")):
        languages[language_name(tag)] += n or 0
    return Participation(
        by_kind=by_kind,
        by_age_band=by_age,
        organisations=sorted(organisations),
        named_attendees=named,
        postcode_districts=shown,
        languages=sorted(languages.items(), key=lambda p: (-p[1], p[0])),
    )


@dataclass
class Report:
    listening: ListeningEvent
    site: Site
    themes: list[ThemeView]
    unthemed: list[Comment]
    totals: dict[str, int]
    priorities: Priorities
    participation: Participation
    generated_on: dt.date = field(default_factory=timezone.localdate)


def report(listening: ListeningEvent) -> Report:
    """Everything the plain-English report says."""
    theme_views, unthemed = themes(listening)
    return Report(
        listening=listening,
        site=listening.event.site,
        themes=theme_views,
        unthemed=unthemed,
        totals=comment_totals(listening),
        priorities=priorities(listening),
        participation=participation(listening),
    )


# The feedback deadline on the dashboard -----------------------------------------------------------
@dataclass(frozen=True)
class FeedbackWarning:
    site: Site
    listening: ListeningEvent
    due: dt.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def feedback_warnings(sites: QuerySet[Site] | list[Site], *, today: dt.date | None = None) -> list[FeedbackWarning]:
    """Listening events whose feedback is due within 3 days or overdue, and whose feedback event
    has not been held. One query."""
    today = today or timezone.localdate()
    found = (
        ListeningEvent.objects.filter(
            event__site__in=sites, feedback_due__lte=today + dt.timedelta(days=FEEDBACK_WARNING_DAYS)
        )
        .filter(event__starts_at__lte=timezone.now())
        .exclude(event__status=EventStatus.CANCELLED)
        .exclude(Q(feedback_event__status=EventStatus.HELD))
        .select_related("event__site")
        .order_by("feedback_due", "pk")
    )
    return [
        FeedbackWarning(site=le.event.site, listening=le, due=le.feedback_due, days_left=(le.feedback_due - today).days)
        for le in found
    ]


def feedback_event_candidates(listening: ListeningEvent) -> QuerySet[Event]:
    """The site's feedback events, not cancelled and not yet linked to a listening event, that the
    facilitator may link to this one (e.g. one recorded on the events pages)."""
    return (
        Event.objects.filter(site_id=listening.event.site_id, kind=EventKind.FEEDBACK_EVENT)
        .exclude(status=EventStatus.CANCELLED)
        .filter(feedback_for__isnull=True)
        .order_by("starts_at", "id")
    )
