"""Reads for the action plan, "you said, we did" and agency responsiveness.

Every function takes a site the caller already got through ``site_get_for_user`` (or the public
page's own lookup) and runs a fixed number of queries however many actions there are.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import Length, RowNumber
from django.http import Http404
from django.utils import timezone

from c2hub.actions.models import Action, ActionStatus
from c2hub.events.models import EventStatus
from c2hub.listening.models import Comment, Theme, Vote
from c2hub.people.models import Person, PersonKind
from c2hub.programmes.models import Site

#: The action plan page shows this many actions a page.
ACTION_PLAN_PAGE_SIZE = 100


# Themes: the priorities residents raised --------------------------------------------------------
def site_themes(site: Site) -> QuerySet[Theme]:
    """The themes of the site's listening events (not cancelled), newest event first."""
    return (
        Theme.objects.filter(listening_event__event__site=site)
        .exclude(listening_event__event__status=EventStatus.CANCELLED)
        .select_related("listening_event__event")
        .order_by("-listening_event__event__starts_at", "order", "pk")
    )


@dataclass(frozen=True)
class Priority:
    """A theme with what residents said about it: comments (rows), voices (tallies counted) and
    dots voted (residents and providers together), ranked within its listening event."""

    theme: Theme
    comments: int
    voices: int
    votes: int
    rank: int

    @property
    def pk(self) -> int:
        return self.theme.pk

    @property
    def label(self) -> str:
        held = timezone.localtime(self.theme.listening_event.event.starts_at)
        return f"{self.theme.name} ({self.votes} votes, listening event {held:%B %Y})"


def priorities(site: Site) -> list[Priority]:
    """The site's listening-event themes, ranked by votes within each event (newest event first)."""
    theme_list = list(site_themes(site))
    ids = [t.pk for t in theme_list]
    said = {
        row["theme_id"]: (row["n"], row["voices"] or 0)
        for row in Comment.objects.filter(theme_id__in=ids)
        .values("theme_id")
        .annotate(n=Count("id"), voices=Sum("count"))
    }
    dots = dict(Vote.objects.filter(theme_id__in=ids).values_list("theme_id").annotate(d=Sum("dots")))
    by_event: dict[int, list[Theme]] = defaultdict(list)
    order: list[int] = []
    for theme in theme_list:
        if theme.listening_event_id not in by_event:
            order.append(theme.listening_event_id)
        by_event[theme.listening_event_id].append(theme)
    result: list[Priority] = []
    for event_id in order:
        ranked = sorted(
            by_event[event_id], key=lambda t: (-(dots.get(t.pk) or 0), -said.get(t.pk, (0, 0))[1], t.order, t.pk)
        )
        for position, theme in enumerate(ranked, start=1):
            n, voices = said.get(theme.pk, (0, 0))
            result.append(Priority(theme, n, voices, dots.get(theme.pk) or 0, position))
    return result


def theme_in_site(site: Site, theme_id: int) -> Theme:
    found = site_themes(site).filter(pk=theme_id).first()
    if found is None:
        raise Http404("No such priority in this site")
    return found


# Personal data in public text -------------------------------------------------------------------
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(\+44\s?|0)(\d[\s-]?){9,10}(?!\w)")


@dataclass(frozen=True)
class NameGuard:
    """The names of a site's people and of residents who gave a name with a comment: a text that
    contains one of them is not shown publicly (a quote), or has it replaced (an action's words)."""

    patterns: tuple[tuple[re.Pattern[str], str], ...]

    def names_someone(self, text: str) -> bool:
        return bool(_EMAIL.search(text) or _PHONE.search(text)) or any(p.search(text) for p, _ in self.patterns)

    def scrub(self, text: str) -> str:
        text = _EMAIL.sub("[e-mail removed]", text)
        text = _PHONE.sub("[phone number removed]", text)
        for pattern, stand_in in self.patterns:
            text = pattern.sub(stand_in, text)
        return text


def name_guard(site: Site) -> NameGuard:
    full: list[tuple[re.Pattern[str], str]] = []
    parts: dict[str, str] = {}
    people = Person.objects.filter(sites=site).select_related("organisation").only(
        "name", "kind", "organisation__name", "organisation__short_name"
    )
    for person in people:
        if person.kind == PersonKind.WORKER and person.organisation_id:
            stand_in = f"someone from {person.organisation.short_name or person.organisation.name}"
        elif person.kind == PersonKind.WORKER:
            stand_in = "a worker"
        else:
            stand_in = "a resident"
        name = person.name.strip()
        if not name:
            continue
        full.append((re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE), stand_in))
        for part in name.split():
            if len(part) >= 2 and part[:1].isupper():
                parts.setdefault(part, stand_in)
    given = (
        Comment.objects.filter(listening_event__event__site=site)
        .exclude(given_name="")
        .values_list("given_name", flat=True)
        .distinct()
    )
    for name in given:
        for part in name.split():
            if len(part) >= 2:
                parts.setdefault(part[:1].upper() + part[1:], "a resident")
    full.sort(key=lambda p: -len(p[0].pattern))
    part_patterns = [(re.compile(rf"\b{re.escape(part)}\b"), stand_in) for part, stand_in in parts.items()]
    return NameGuard(tuple(full + part_patterns))


# "You said, we did" --------------------------------------------------------------------------------
@dataclass
class WeDid:
    """One action answering a thing residents raised. In the public version the people fields are
    empty and the words have no names in them."""

    action_id: int
    title: str
    status: str
    status_label: str
    what_changed: str
    dropped_reason: str
    lead_organisation: str
    due_on: dt.date | None
    completed_on: dt.date | None
    lead_resident: str = ""
    lead_officer: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "title": self.title,
            "status": self.status,
            "status_label": self.status_label,
            "what_changed": self.what_changed,
            "dropped_reason": self.dropped_reason,
            "lead_organisation": self.lead_organisation,
            "due_on": self.due_on,
            "completed_on": self.completed_on,
            "lead_resident": self.lead_resident,
            "lead_officer": self.lead_officer,
        }


@dataclass
class YouSaid:
    """A thing residents raised (a listening-event theme, or ``theme_id`` None for what the
    partnership took on from its meetings and walkabouts) and what was done about it."""

    theme_id: int | None
    theme: str
    listening_event: str
    raised_on: dt.date | None
    comments: int
    voices: int
    votes: int
    quote: str
    actions: list[WeDid] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for a in self.actions if a.status == ActionStatus.DONE)

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme_id": self.theme_id,
            "theme": self.theme,
            "listening_event": self.listening_event,
            "raised_on": self.raised_on,
            "comments": self.comments,
            "voices": self.voices,
            "votes": self.votes,
            "quote": self.quote,
            "actions": [a.as_dict() for a in self.actions],
        }


#: How many candidate quotes per theme are looked at (representatives first, then the most said).
_QUOTE_CANDIDATES = 6


def _quote_candidates(theme_list: list[Theme]) -> dict[int, list[Comment]]:
    """For each theme, its representative comments (in their order) then its most-said others."""
    rep_ids = {pk for t in theme_list for pk in (t.representatives or []) if isinstance(pk, int)}
    reps = {c.pk: c for c in Comment.objects.filter(pk__in=rep_ids).only("id", "text", "theme_id", "count")}
    top = (
        Comment.objects.filter(theme_id__in=[t.pk for t in theme_list])
        .annotate(
            row=Window(
                RowNumber(),
                partition_by=[F("theme_id")],
                order_by=[F("count").desc(), Length("text").asc(), F("id").asc()],
            )
        )
        .filter(row__lte=_QUOTE_CANDIDATES)
        .only("id", "text", "theme_id", "count")
    )
    found: dict[int, list[Comment]] = defaultdict(list)
    for theme in theme_list:
        for pk in theme.representatives or []:
            comment = reps.get(pk)
            if comment is not None and comment.theme_id == theme.pk:
                found[theme.pk].append(comment)
    for comment in top:
        if comment not in found[comment.theme_id]:
            found[comment.theme_id].append(comment)
    return found


def _we_did(action: Action, *, public: bool, guard: NameGuard | None) -> WeDid:
    def words(text: str) -> str:
        return guard.scrub(text) if guard is not None else text

    organisation = action.lead_organisation
    return WeDid(
        action_id=action.pk,
        title=words(action.title),
        status=action.status,
        status_label=action.get_status_display(),
        what_changed=words(action.what_changed),
        dropped_reason=words(action.dropped_reason) if action.status == ActionStatus.DROPPED else "",
        lead_organisation=(organisation.name if organisation else ""),
        due_on=action.due_on,
        completed_on=action.completed_on,
        lead_resident="" if public or action.lead_resident is None else action.lead_resident.name,
        lead_officer="" if public or action.lead_officer is None else action.lead_officer.name,
    )


def you_said_we_did(site: Site, *, public: bool) -> list[YouSaid]:
    """For each thing residents raised — each listening-event theme, with its comment count,
    votes and a representative quote — what was done: its actions, their status, what changed
    and when they were completed. Themes come newest listening event first, most votes first;
    actions not answering a theme (from meetings and walkabouts) come last, under no theme.

    ``public=True`` is for the public page and newsletter: only actions marked public, no
    resident's or officer's name anywhere (names in an action's words are replaced, e.g. "a
    resident"), and a quote only if it names nobody (else the quote is left empty).
    """
    priority_list = priorities(site)
    theme_list = [p.theme for p in priority_list]
    candidates = _quote_candidates(theme_list)
    guard = name_guard(site) if public else None
    actions = Action.objects.filter(site=site).select_related("lead_organisation", "objective")
    actions = actions.filter(public=True) if public else actions.select_related("lead_resident", "lead_officer")
    by_theme: dict[int | None, list[WeDid]] = defaultdict(list)
    known = {t.pk for t in theme_list}
    for action in actions.order_by("due_on", "id"):
        theme_id = action.theme_id or (action.objective.theme_id if action.objective else None)
        by_theme[theme_id if theme_id in known else None].append(_we_did(action, public=public, guard=guard))
    result: list[YouSaid] = []
    for priority in priority_list:
        theme = priority.theme
        quote = ""
        for comment in candidates.get(theme.pk, []):
            if guard is None or not guard.names_someone(comment.text):
                quote = comment.text
                break
        event = theme.listening_event.event
        result.append(
            YouSaid(
                theme_id=theme.pk,
                theme=guard.scrub(theme.name) if guard else theme.name,
                listening_event=event.title,
                raised_on=timezone.localtime(event.starts_at).date(),
                comments=priority.comments,
                voices=priority.voices,
                votes=priority.votes,
                quote=quote,
                actions=by_theme.get(theme.pk, []),
            )
        )
    if by_theme.get(None):
        result.append(
            YouSaid(
                theme_id=None,
                theme="Raised at partnership meetings and walkabouts",
                listening_event="",
                raised_on=None,
                comments=0,
                voices=0,
                votes=0,
                quote="",
                actions=by_theme[None],
            )
        )
    return result
