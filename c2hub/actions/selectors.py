"""Reads for the action plan, "you said, we did" and agency responsiveness.

Every function takes a site the caller already got through ``site_get_for_user`` (or the public
page's own lookup) and runs a fixed number of queries however many actions there are.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, QuerySet, Sum, Window
from django.db.models.functions import Length, RowNumber
from django.http import Http404
from django.utils import timezone

from c2hub.actions.models import OPEN_STATUSES, Action, ActionStatus, ActionUpdate, Objective
from c2hub.events.models import EventStatus
from c2hub.listening.models import Comment, Theme, Vote
from c2hub.people.models import Organisation, OrganisationKind, Person, PersonKind
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
    contains one of them is not shown publicly (a quote), or has it replaced (an action's words).
    All names are in two alternations (full names, any case; capitalised parts of names), so a
    text is scanned twice however many people the site has."""

    full: re.Pattern[str] | None
    full_stand_ins: dict[str, str]
    parts: re.Pattern[str] | None
    part_stand_ins: dict[str, str]

    def names_someone(self, text: str) -> bool:
        return bool(
            _EMAIL.search(text)
            or _PHONE.search(text)
            or (self.full is not None and self.full.search(text))
            or (self.parts is not None and self.parts.search(text))
        )

    def scrub(self, text: str) -> str:
        if not text:
            return text
        text = _EMAIL.sub("[e-mail removed]", text)
        text = _PHONE.sub("[phone number removed]", text)
        if self.full is not None:
            text = self.full.sub(lambda m: self.full_stand_ins[m.group(0).lower()], text)
        if self.parts is not None:
            text = self.parts.sub(lambda m: self.part_stand_ins[m.group(0)], text)
        return text


def _alternation(names: list[str], flags: int = 0) -> re.Pattern[str] | None:
    if not names:
        return None
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in ordered) + r")\b", flags)


def name_guard(site: Site) -> NameGuard:
    full: dict[str, str] = {}
    parts: dict[str, str] = {}
    people = (
        Person.objects.filter(sites=site)
        .select_related("organisation")
        .only("name", "kind", "organisation__name", "organisation__short_name")
    )
    for person in people:
        if person.kind == PersonKind.WORKER and person.organisation_id:
            stand_in = f"someone from {person.organisation.short_name or person.organisation.name}"
        elif person.kind == PersonKind.WORKER:
            stand_in = "a worker"
        else:
            stand_in = "a resident"
        name = " ".join(person.name.split())
        if not name:
            continue
        full.setdefault(name.lower(), stand_in)
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
    return NameGuard(
        full=_alternation(list(full), re.IGNORECASE),
        full_stand_ins=full,
        parts=_alternation(list(parts)),
        part_stand_ins=parts,
    )


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
    #: All its actions and those done (``actions`` may list only the first few: ``per_theme``).
    total: int = 0
    done: int = 0

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
            "total": self.total,
            "done": self.done,
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


def theme_said(theme: Theme) -> tuple[int, list[Comment]]:
    """How many comments a theme has and up to three quotes (its representatives first)."""
    count = Comment.objects.filter(theme=theme).count()
    return count, _quote_candidates([theme]).get(theme.pk, [])[:3]


#: The columns "you said, we did" reads of each action (values, not model instances: a busy site
#: has thousands).
_WE_DID_COLUMNS = (
    "id",
    "theme_id",
    "objective__theme_id",
    "title",
    "status",
    "what_changed",
    "dropped_reason",
    "lead_organisation__name",
    "due_on",
    "completed_on",
    "lead_resident__name",
    "lead_officer__name",
)
_STATUS_LABELS = {value: str(label) for value, label in ActionStatus.choices}


def _we_did(row: tuple[Any, ...], *, guard: NameGuard | None) -> WeDid:
    (pk, _, _, title, status, what_changed, dropped_reason, organisation, due_on, completed_on, resident, officer) = row

    def words(text: str) -> str:
        return guard.scrub(text) if guard is not None else text

    return WeDid(
        action_id=pk,
        title=words(title),
        status=status,
        status_label=_STATUS_LABELS.get(status, status),
        what_changed=words(what_changed),
        dropped_reason=words(dropped_reason) if status == ActionStatus.DROPPED else "",
        lead_organisation=organisation or "",
        due_on=due_on,
        completed_on=completed_on,
        lead_resident="" if guard is not None else resident or "",
        lead_officer="" if guard is not None else officer or "",
    )


def _newest_first(row: tuple[Any, ...]) -> tuple[int, int]:
    """Open actions first, soonest due; then those done or dropped, most recently completed first."""
    status, due_on, completed_on = row[4], row[8], row[9]
    if status in OPEN_STATUSES:
        return (0, due_on.toordinal() if due_on else 10**7)
    return (1, -(completed_on.toordinal() if completed_on else 0))


def you_said_we_did(site: Site, *, public: bool, per_theme: int | None = None) -> list[YouSaid]:
    """For each thing residents raised — each listening-event theme, with its comment count,
    votes and a representative quote — what was done: its actions, their status, what changed
    and when they were completed. Themes come newest listening event first, most votes first;
    actions not answering a theme (from meetings and walkabouts) come last, under no theme.
    Under each theme: open actions first (soonest due), then those done or dropped, most
    recently completed first; ``per_theme`` keeps only the first so many (``total`` and ``done``
    still count them all).

    ``public=True`` is for the public page and newsletter: only actions marked public, no
    resident's or officer's name anywhere (names in an action's words are replaced, e.g. "a
    resident"), and a quote only if it names nobody (else the quote is left empty).
    """
    priority_list = priorities(site)
    theme_list = [p.theme for p in priority_list]
    candidates = _quote_candidates(theme_list)
    guard = name_guard(site) if public else None
    actions = Action.objects.filter(site=site)
    if public:
        actions = actions.filter(public=True)
    rows_by_theme: dict[int | None, list[tuple[Any, ...]]] = defaultdict(list)
    known = {t.pk for t in theme_list}
    for row in actions.values_list(*_WE_DID_COLUMNS):
        theme_id = row[1] or row[2]
        rows_by_theme[theme_id if theme_id in known else None].append(row)
    by_theme: dict[int | None, list[WeDid]] = {}
    counts: dict[int | None, tuple[int, int]] = {}
    for theme_id, rows in rows_by_theme.items():
        rows.sort(key=lambda r: (*_newest_first(r), r[0]))
        counts[theme_id] = (len(rows), sum(1 for r in rows if r[4] == ActionStatus.DONE))
        by_theme[theme_id] = [_we_did(r, guard=guard) for r in rows[:per_theme]]
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
                total=counts.get(theme.pk, (0, 0))[0],
                done=counts.get(theme.pk, (0, 0))[1],
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
                total=counts[None][0],
                done=counts[None][1],
            )
        )
    return result


# The action plan ----------------------------------------------------------------------------------
def action_in_site(site: Site, action_id: int) -> Action:
    found = (
        Action.objects.select_related(
            "site",
            "objective",
            "theme__listening_event__event",
            "source_meeting",
            "source_finding__event",
            "lead_resident",
            "lead_organisation",
            "lead_officer",
        )
        .filter(pk=action_id, site=site)
        .first()
    )
    if found is None:
        raise Http404("No such action in this site")
    return found


def action_for_user(user: Any, action_id: int, perm: str = "actions.view_actions") -> Action:
    """An action by id (the API's /actions/{id}), if the user may see its site."""
    from c2hub.programmes.selectors import site_get_for_user

    slug = Action.objects.filter(pk=action_id).values_list("site__slug", flat=True).first()
    if slug is None:
        raise Http404("No such action")
    return action_in_site(site_get_for_user(user, slug, perm), action_id)


def objectives(site: Site) -> QuerySet[Objective]:
    return Objective.objects.filter(site=site).select_related("theme").order_by("order", "pk")


def objective_in_site(site: Site, objective_id: int) -> Objective:
    found = objectives(site).filter(pk=objective_id).first()
    if found is None:
        raise Http404("No such objective in this site")
    return found


def is_overdue(action: Action, today: dt.date | None = None) -> bool:
    return (
        action.status in OPEN_STATUSES and action.due_on is not None and action.due_on < (today or timezone.localdate())
    )


#: What the plan (page, CSV, API list) reads of each action and its related rows.
_PLAN_COLUMNS = (
    "id",
    "site_id",
    "title",
    "description",
    "status",
    "due_on",
    "dropped_reason",
    "asked_on",
    "acknowledged_on",
    "first_response_on",
    "completed_on",
    "what_changed",
    "public",
    "source_meeting_id",
    "source_finding_id",
    "objective__title",
    "objective__order",
    "objective__theme_id",
    "theme__name",
    "lead_resident__name",
    "lead_organisation__name",
    "lead_organisation__short_name",
    "lead_officer__name",
)


def actions_for_site(
    site: Site,
    *,
    status: str = "",
    organisation: int | None = None,
    overdue: bool = False,
    objective: int | None = None,
    theme: int | None = None,
    today: dt.date | None = None,
) -> QuerySet[Action]:
    """The site's actions, filtered, in the plan's order: by objective, then due date."""
    today = today or timezone.localdate()
    found = (
        Action.objects.filter(site=site)
        .select_related("objective", "theme", "lead_resident", "lead_organisation", "lead_officer")
        .only(*_PLAN_COLUMNS)
    )
    if status == "open":
        found = found.filter(status__in=OPEN_STATUSES)
    elif status in ActionStatus.values:
        found = found.filter(status=status)
    if organisation is not None:
        found = found.filter(lead_organisation_id=organisation)
    if overdue:
        found = found.filter(status__in=OPEN_STATUSES, due_on__lt=today)
    if objective is not None:
        found = found.filter(objective_id=objective)
    if theme is not None:
        found = found.filter(theme_id=theme)
    return found.order_by(
        F("objective__order").asc(nulls_last=True), "objective_id", F("due_on").asc(nulls_last=True), "id"
    )


@dataclass
class PlanGroup:
    objective: Objective | None
    objective_id: int | None
    actions: list[Action]


@dataclass
class PlanPage:
    groups: list[PlanGroup]
    page: Page
    counts: dict[str, int]
    overdue: int


def action_plan(site: Site, *, page: int | str = 1, today: dt.date | None = None, **filters: Any) -> PlanPage:
    """One page of the plan, grouped by objective; the counts per status and overdue are for
    the whole plan (two aggregate queries)."""
    today = today or timezone.localdate()
    paginator = Paginator(actions_for_site(site, today=today, **filters), ACTION_PLAN_PAGE_SIZE)
    current = paginator.get_page(page)
    groups: list[PlanGroup] = []
    for action in current.object_list:
        action.overdue = is_overdue(action, today)  # type: ignore[attr-defined]
        if not groups or groups[-1].objective_id != action.objective_id:
            groups.append(PlanGroup(action.objective, action.objective_id, []))
        groups[-1].actions.append(action)
    counts = dict(Action.objects.filter(site=site).values_list("status").annotate(n=Count("id")))
    overdue = Action.objects.filter(site=site, status__in=OPEN_STATUSES, due_on__lt=today).count()
    return PlanPage(groups, current, {s: counts.get(s, 0) for s in ActionStatus.values}, overdue)


def plan_organisations(site: Site) -> QuerySet[Organisation]:
    """The agencies that may lead an action: the site's organisations that are not community groups."""
    return Organisation.objects.filter(sites=site).exclude(kind=OrganisationKind.COMMUNITY_GROUP).order_by("name")


def site_residents(site: Site) -> QuerySet[Person]:
    return Person.objects.filter(sites=site, kind=PersonKind.RESIDENT).order_by("name")


def site_officers(site: Site) -> QuerySet[Person]:
    return (
        Person.objects.filter(sites=site, kind=PersonKind.WORKER, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def history(action: Action) -> list[ActionUpdate]:
    return list(action.updates.select_related("meeting", "created_by").order_by("-on", "-id"))


def open_actions(site: Site) -> list[Action]:
    """The actions a partnership meeting reviews: still open, soonest due first."""
    return list(
        Action.objects.filter(site=site, status__in=OPEN_STATUSES)
        .select_related("lead_organisation", "lead_resident", "theme")
        .order_by(F("due_on").asc(nulls_last=True), "id")
    )


def meeting_updates(meeting: Any) -> list[ActionUpdate]:
    """The updates made at a partnership meeting, in the order they were made."""
    return list(ActionUpdate.objects.filter(meeting=meeting).select_related("action").order_by("id"))


def minutes_lines(meeting: Any, scrub: Any) -> list[str]:
    """The "Action plan updates" section of a meeting's published minutes; ``scrub`` takes the
    names out of each line (the events app's ``without_personal_data``)."""
    made = meeting_updates(meeting)
    if not made:
        return []
    lines = ["", "Action plan updates"]
    for update in made:
        line = f"- {update.action.title}: {update.get_status_display()}."
        if update.note:
            line += f" {update.note}"
        lines.append(scrub(line))
    return lines


def overdue_count(site: Site, today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    return Action.objects.filter(site=site, status__in=OPEN_STATUSES, due_on__lt=today).count()


# Agency responsiveness (step 6) -------------------------------------------------------------------
def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_label(quarter: tuple[int, int]) -> str:
    return f"{quarter[0]} Q{quarter[1]}"


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass
class Figures:
    """Figures for a set of actions asked of agencies: how many, median days from being asked to
    the first response and to completion, and how many of those with a due date were done by it
    (an open action past its due date counts as late)."""

    actions: int = 0
    first_response_days: list[int] = field(default_factory=list, repr=False)
    completion_days: list[int] = field(default_factory=list, repr=False)
    on_time: int = 0
    judged: int = 0

    def add(
        self, asked: dt.date, first: dt.date | None, done: dt.date | None, due: dt.date | None, today: dt.date
    ) -> None:
        self.actions += 1
        if first is not None:
            self.first_response_days.append((first - asked).days)
        if done is not None:
            self.completion_days.append((done - asked).days)
        if due is not None and (done is not None or due < today):
            self.judged += 1
            self.on_time += done is not None and done <= due

    @property
    def median_first_response(self) -> float | None:
        return _median(self.first_response_days)

    @property
    def median_completion(self) -> float | None:
        return _median(self.completion_days)

    @property
    def share_on_time(self) -> float | None:
        return self.on_time / self.judged if self.judged else None


@dataclass
class QuarterFigures:
    quarter: tuple[int, int]
    figures: Figures
    #: Compared with the agency's previous quarter with a first response: "faster", "slower",
    #: "same", or "" when there is nothing to compare.
    trend: str = ""

    @property
    def label(self) -> str:
        return quarter_label(self.quarter)


@dataclass
class AgencyResponsiveness:
    organisation_id: int
    organisation: str
    kind: str
    overall: Figures
    quarters: list[QuarterFigures]

    @property
    def trend(self) -> str:
        """The latest quarter's trend."""
        return self.quarters[-1].trend if self.quarters else ""


@dataclass
class Responsiveness:
    agencies: list[AgencyResponsiveness]
    #: All agencies together, per quarter.
    quarters: list[QuarterFigures]
    overall: Figures


def _trend(current: float | None, previous: float | None) -> str:
    if current is None or previous is None:
        return ""
    if current < previous:
        return "faster"
    return "slower" if current > previous else "same"


def _with_trends(by_quarter: dict[tuple[int, int], Figures]) -> list[QuarterFigures]:
    rows, previous = [], None
    for quarter in sorted(by_quarter):
        figures = by_quarter[quarter]
        rows.append(QuarterFigures(quarter, figures, _trend(figures.median_first_response, previous)))
        if figures.median_first_response is not None:
            previous = figures.median_first_response
    return rows


def responsiveness(
    site: Site,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> Responsiveness:
    """Per agency (the lead organisation) and per quarter of the day it was asked: actions,
    median days asked → first response and asked → completion, share done by the due date, and
    the trend against the previous quarter. Only actions whose agency was asked count. One query."""
    today = today or timezone.localdate()
    rows = Action.objects.filter(site=site, lead_organisation__isnull=False, asked_on__isnull=False)
    if since is not None:
        rows = rows.filter(asked_on__gte=since)
    if until is not None:
        rows = rows.filter(asked_on__lte=until)
    overall = Figures()
    per_agency: dict[int, tuple[str, str, Figures, dict[tuple[int, int], Figures]]] = {}
    all_quarters: dict[tuple[int, int], Figures] = defaultdict(Figures)
    for org_id, name, kind, asked, first, done, due in rows.values_list(
        "lead_organisation_id",
        "lead_organisation__name",
        "lead_organisation__kind",
        "asked_on",
        "first_response_on",
        "completed_on",
        "due_on",
    ):
        if org_id not in per_agency:
            per_agency[org_id] = (name, kind, Figures(), defaultdict(Figures))
        _, _, agency_overall, agency_quarters = per_agency[org_id]
        quarter = quarter_of(asked)
        for figures in (overall, agency_overall, agency_quarters[quarter], all_quarters[quarter]):
            figures.add(asked, first, done, due, today)
    kinds = dict(OrganisationKind.choices)
    agencies = [
        AgencyResponsiveness(org_id, name, str(kinds.get(kind, kind)), figures, _with_trends(quarters))
        for org_id, (name, kind, figures, quarters) in per_agency.items()
    ]
    agencies.sort(key=lambda a: (-a.overall.actions, a.organisation))
    return Responsiveness(agencies, _with_trends(all_quarters), overall)


def _days(value: float | None) -> str:
    if value is None:
        return "no figure"
    return f"{value:g}"


def _actions(n: int) -> str:
    return f"{n} action" if n == 1 else f"{n} actions"


def responsiveness_summary(report: Responsiveness) -> tuple[str, list[str]]:
    """A headline in words (first quarter with a response against the latest) and a line per agency."""
    with_response = [q for q in report.quarters if q.figures.median_first_response is not None]
    if len(with_response) >= 2:
        first, last = with_response[0], with_response[-1]
        a, b = first.figures.median_first_response, last.figures.median_first_response
        verb = "fell" if b < a else "rose" if b > a else "stayed"  # type: ignore[operator]
        headline = (
            f"median days to first response {verb} from {_days(a)} ({first.label}) to {_days(b)} ({last.label})"
            if verb != "stayed"
            else f"median days to first response stayed at {_days(a)} from {first.label} to {last.label}"
        )
    else:
        headline = f"median days to first response {_days(report.overall.median_first_response)}"
    headline = f"{_actions(report.overall.actions)} asked of agencies; {headline}"
    lines = []
    for agency in report.agencies:
        share = agency.overall.share_on_time
        lines.append(
            f"{agency.organisation}: {_actions(agency.overall.actions)}, "
            f"median {_days(agency.overall.median_first_response)} days to first response, "
            f"{_days(agency.overall.median_completion)} days to completion"
            + (f", {share:.0%} on time" if share is not None else "")
            + (f"; latest quarter {agency.trend} than the one before" if agency.trend in ("faster", "slower") else "")
            + "."
        )
    return headline, lines
