"""The board report, assembled from a site's records as they stood on an "as of" date.

``board_report(site, as_of=…)`` reads the records and returns a ``BoardReportContent``: the
sections of a report to a council's Health and Wellbeing Board (the shape of the Southchurch report
of late 2013: purpose, recommendations, background, progress, reasons, corporate implications,
appendices). It is pure assembly — no writes — and states nothing dated after the as-of day:

- events that started by the end of that day (held, or still planned); events after it only as
  *planned*, and only those already on the calendar (recorded by then, or — history entered later —
  a pathway milestone within ``LOOK_AHEAD_DAYS``); nothing about a future event's comments or votes;
- groups formed by then, and memberships started by then (not ended before it);
- funding lines starting by then (or undated), evidence that happened or was added by then;
- actions created by then, with their status from their updates dated by then; wins won by then;
  community groups founded by then;
- each step's state from the pathway timeline as it stood then.

Where the records say nothing for a section, its text is a plain sentence saying what to write,
starting with ``PLACEHOLDER`` ("To be written:"), never an invented fact. Board reports are
public papers: no person is named (organisations and roles only).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from c2hub.programmes.models import (
    Evidence,
    FundingLine,
    PathwayEvent,
    PathwayStep,
    Site,
    StepProgress,
)

#: Every drafted sentence that stands in for something the records cannot say starts with this.
PLACEHOLDER = "To be written:"
#: How far after the as-of date a board report looks for events already planned.
LOOK_AHEAD_DAYS = 92
DEFAULT_BOARD = "Health and Wellbeing Board"
#: The pathway's milestone events, scheduled months ahead: when a site's history is entered after the
#: fact, one of these within ``LOOK_AHEAD_DAYS`` after the date is taken to have been planned by then.
PLANNED_AHEAD_KINDS = ("engagement_workshop", "connecting_event", "residential", "listening_event")
#: How many actions the progress section lists by name.
ACTIONS_LISTED = 12

THREE_WAYS = (
    "Within themselves – networks and co-operation amongst local residents.",
    "With local service providers and public agencies – building a parallel community of interest "
    "amongst the front-line workers and others.",
    "With other communities – getting and giving inspiration directly from one place to another.",
)

IMPLICATIONS = (
    ("priorities", "Contribution to the council's vision and corporate priorities"),
    ("financial", "Financial implications"),
    ("legal", "Legal implications"),
    ("people", "People implications"),
    ("property", "Property implications"),
    ("consultation", "Consultation"),
    ("equalities", "Equalities and diversity implications"),
    ("risk", "Risk assessment"),
    ("value", "Value for money"),
    ("environment", "Environmental impact"),
)


# The report's structure ---------------------------------------------------------------------------
@dataclass
class Section:
    """One section: ``text`` is paragraphs separated by a blank line; a line starting "- " is a bullet.
    ``level`` 2 is a sub-section (the corporate implications)."""

    key: str
    heading: str
    text: str
    level: int = 1


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    """A chart drawn from its ``rows`` (the same numbers as the table it sits beside)."""

    title: str
    description: str
    kind: str  # "bar" or "line"
    rows: list[dict[str, Any]]
    x: str
    y: str
    series: str | None = None


@dataclass
class Appendix:
    key: str
    heading: str
    intro: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BoardReportContent:
    site_slug: str
    site_name: str
    as_of: dt.date
    board_name: str
    title: str
    has_data: bool
    sections: list[Section]
    appendices: list[Appendix]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BoardReportContent:
        return cls(
            site_slug=data["site_slug"],
            site_name=data["site_name"],
            as_of=dt.date.fromisoformat(data["as_of"]),
            board_name=data["board_name"],
            title=data["title"],
            has_data=data["has_data"],
            sections=[Section(**s) for s in data["sections"]],
            appendices=[
                Appendix(
                    key=a["key"],
                    heading=a["heading"],
                    intro=a["intro"],
                    tables=[Table(**t) for t in a.get("tables", [])],
                    charts=[Chart(**c) for c in a.get("charts", [])],
                    notes=list(a.get("notes", [])),
                )
                for a in data["appendices"]
            ],
        )

    def with_sections(self, sections: list[dict[str, Any]]) -> BoardReportContent:
        """A copy whose sections are the given ``{key, heading, text, level}`` (an edited draft)."""
        copy = BoardReportContent.from_dict(self.to_dict())
        copy.sections = [Section(**s) for s in sections]
        return copy

    @property
    def placeholders(self) -> list[str]:
        """Headings of the sections that still hold a sentence saying what to write."""
        return [s.heading for s in self.sections if PLACEHOLDER in s.text]


# Dates --------------------------------------------------------------------------------------------
def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def _month(value: dt.date) -> str:
    return f"{value:%B %Y}"


def _end_of(day: dt.date) -> dt.datetime:
    """The last moment of the as-of day, in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)) - dt.timedelta(
        microseconds=1
    )


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def check_as_of(site: Site, as_of: dt.date, *, today: dt.date | None = None) -> None:
    """A report can only be as of a day from the site's start to today."""
    today = today or timezone.localdate()
    if as_of > today:
        raise ValidationError({"as_of": f"The 'as of' date cannot be in the future (today is {_day(today)})."})
    if as_of < site.start_date:
        raise ValidationError(
            {"as_of": f"The 'as of' date is before {site.name} began on the pathway ({_day(site.start_date)})."}
        )


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _money(amount: Decimal | float | None) -> str:
    if amount is None:
        return ""
    value = Decimal(str(amount))
    return f"£{value:,.0f}" if value == value.to_integral_value() else f"£{value:,.2f}"


def _steps_label(numbers: list[int]) -> str:
    numbers = sorted(int(n) for n in numbers)
    if not numbers:
        return ""
    word = "step" if len(numbers) == 1 else "steps"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{word} {numbers[0]}–{numbers[-1]}"
    return f"{word} " + _join([str(n) for n in numbers])


# Reading the records as of the date ---------------------------------------------------------------
@dataclass
class StepState:
    step: PathwayStep
    status: str  # "complete", "in_progress", "not_started"
    completed_on: dt.date | None
    due_on: dt.date | None
    evidence: list[Evidence]

    @property
    def label(self) -> str:
        return {"complete": "Complete", "in_progress": "In progress", "not_started": "Not started"}[self.status]


def _step_states(site: Site, as_of: dt.date, end: dt.datetime) -> list[StepState]:
    steps = list(site.pathway_model.steps.order_by("number").prefetch_related("criteria"))
    due = {p.step_id: p.due_on for p in StepProgress.objects.filter(site=site)}
    # The last completion or reopening of each step on or before the date decides its state.
    last: dict[int, PathwayEvent] = {}
    for event in (
        PathwayEvent.objects.filter(
            site=site,
            occurred_at__lte=end,
            kind__in=[
                PathwayEvent.Kind.STEP_COMPLETED,
                PathwayEvent.Kind.STEP_OVERRIDDEN,
                PathwayEvent.Kind.STEP_REOPENED,
            ],
        )
        .order_by("occurred_at", "id")
        .only("step_id", "kind", "occurred_at")
    ):
        if event.step_id:
            last[event.step_id] = event
    evidence_by_step: dict[int, list[Evidence]] = defaultdict(list)
    for item in _evidence(site, as_of, end):
        evidence_by_step[item.criterion.step_id].append(item)
    states = []
    for step in steps:
        event = last.get(step.pk)
        done = event is not None and event.kind != PathwayEvent.Kind.STEP_REOPENED
        evidence = evidence_by_step.get(step.pk, [])
        status = "complete" if done else ("in_progress" if evidence else "not_started")
        states.append(
            StepState(
                step=step,
                status=status,
                completed_on=_local_day(event.occurred_at) if done and event else None,
                due_on=due.get(step.pk),
                evidence=evidence,
            )
        )
    return states


def _evidence(site: Site, as_of: dt.date, end: dt.datetime) -> list[Evidence]:
    """Evidence of something that happened by the date (or, undated, added by then)."""
    return list(
        Evidence.objects.filter(site=site)
        .filter(Q(occurred_on__lte=as_of) | Q(occurred_on__isnull=True, added_at__lte=end))
        .select_related("criterion")
        .order_by("occurred_on", "added_at", "id")
    )


def _events(site: Site, as_of: dt.date, end: dt.datetime) -> tuple[list[Any], list[Any]]:
    """(events by the date, not cancelled; events planned after it and already on the calendar)."""
    from c2hub.events.models import Event, EventStatus

    base = (
        Event.objects.filter(site=site)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("exchange_site", "parent", "cohort")
        .order_by("starts_at", "id")
    )
    past = list(base.filter(starts_at__lte=end))
    horizon = end + dt.timedelta(days=LOOK_AHEAD_DAYS)
    future = list(
        base.filter(starts_at__gt=end).filter(
            Q(created_at__lte=end) | Q(kind__in=PLANNED_AHEAD_KINDS, starts_at__lte=horizon)
        )
    )
    return past, future


@dataclass
class Records:
    """Everything the report says, read once."""

    site: Site
    as_of: dt.date
    steps: list[StepState]
    events: list[Any]
    planned: list[Any]
    groups: list[Any]
    memberships: dict[int, list[Any]]
    funding: list[FundingLine]
    listening: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    wins: list[Any]
    community_groups: list[Any]
    volunteer_hours: Decimal
    participants: int
    head_counts: Counter[str]
    scenarios: list[Any]

    @property
    def has_data(self) -> bool:
        return bool(
            self.events
            or self.planned
            or self.groups
            or self.funding
            or any(s.evidence for s in self.steps)
            or self.actions
            or self.wins
            or self.community_groups
        )

    @property
    def current_step(self) -> StepState | None:
        return next((s for s in self.steps if s.status != "complete"), None)


def _memberships(site: Site, as_of: dt.date) -> dict[int, list[Any]]:
    """Memberships current on the date, by group: started by then (undated: when its group was
    formed, if that was by then), not ended before it."""
    from c2hub.people.models import GroupMembership

    rows: dict[int, list[Any]] = defaultdict(list)
    for m in (
        GroupMembership.objects.filter(group__site=site)
        .filter(Q(started_on__lte=as_of) | Q(started_on__isnull=True, group__formed_on__lte=as_of))
        .exclude(ended_on__lt=as_of)
        .select_related("person", "person__organisation", "organisation", "group")
        .order_by("group_id", "started_on", "id")
    ):
        rows[m.group_id].append(m)
    return rows


def _listening(site: Site, as_of: dt.date, end: dt.datetime, events: list[Any]) -> list[dict[str, Any]]:
    """Each listening event held by the date: comments, people and the priorities by dots, counting
    only what was recorded by the end of the day."""
    from c2hub.events.models import EventKind, EventStatus, ParticipantKind
    from c2hub.listening.models import Comment, ListeningEvent, Theme, Vote

    held = [e for e in events if e.kind == EventKind.LISTENING_EVENT and e.status == EventStatus.HELD]
    if not held:
        return []
    found = {le.pk: le for le in ListeningEvent.objects.filter(pk__in=[e.pk for e in held])}
    out = []
    for event in held:
        listening = found.get(event.pk)
        if listening is None:
            out.append({"event": event, "comments": 0, "voices": 0, "residents": 0, "themes": [],
                        "feedback_due": None})
            continue
        # A listening phase closed before the date (feedback due by then): its comments and dots are
        # what was said then, even if typed in later. Still open on the date: only what was in by then.
        closed = listening.feedback_due is not None and listening.feedback_due <= as_of
        comments = Comment.objects.filter(listening_event=listening)
        if not closed:
            comments = comments.filter(created_at__lte=end)
        voices = sum(c.count for c in comments.only("count"))
        residents = sum(c.count for c in comments.filter(participant=ParticipantKind.RESIDENT).only("count"))
        theme_rows = Theme.objects.filter(listening_event=listening)
        votes = Vote.objects.filter(listening_event=listening)
        if not closed:
            theme_rows, votes = theme_rows.filter(created_at__lte=end), votes.filter(created_at__lte=end)
        themes = {t.pk: t for t in theme_rows}
        dots: Counter[int] = Counter()
        for vote in votes.filter(theme_id__in=list(themes)):
            dots[vote.theme_id] += vote.dots
        ranked = sorted(themes.values(), key=lambda t: (-dots[t.pk], t.order, t.pk))
        out.append(
            {
                "event": event,
                "comments": comments.count(),
                "voices": voices,
                "residents": residents,
                "themes": [(t.name, dots[t.pk]) for t in ranked],
                "feedback_due": listening.feedback_due,
            }
        )
    return out


def _actions(site: Site, as_of: dt.date, end: dt.datetime) -> list[dict[str, Any]]:
    """Actions on the plan by the date — created by then, or (history entered later) asked of an
    agency or updated by then — each with its status as of then (its last update by then)."""
    from c2hub.actions.models import Action, ActionStatus, ActionUpdate

    actions = list(
        Action.objects.filter(site=site)
        .filter(Q(created_at__lte=end) | Q(asked_on__lte=as_of) | Q(updates__on__lte=as_of))
        .distinct()
        .select_related("lead_organisation", "theme")
        .order_by("created_at", "id")
    )
    status: dict[int, str] = {}
    for update in ActionUpdate.objects.filter(action__in=actions, on__lte=as_of).order_by("on", "id"):
        status[update.action_id] = update.status
    labels = dict(ActionStatus.choices)
    rows = []
    for action in actions:
        state = status.get(action.pk, ActionStatus.NOT_STARTED)
        if action.completed_on and action.completed_on <= as_of and state != ActionStatus.DROPPED:
            state = ActionStatus.DONE
        rows.append(
            {
                "title": action.title,
                "status": state,
                "status_label": labels.get(state, state),
                "lead": action.lead_organisation.name if action.lead_organisation else "",
                "theme": action.theme.name if action.theme else "",
                "waiting": bool(
                    action.asked_on
                    and action.asked_on <= as_of
                    and not (action.first_response_on and action.first_response_on <= as_of)
                ),
            }
        )
    return rows


def read_records(site: Site, as_of: dt.date) -> Records:
    from c2hub.community.models import CommunityGroup, Participation
    from c2hub.events.models import HeadCount
    from c2hub.people.models import Group
    from c2hub.wins.models import Win

    end = _end_of(as_of)
    events, planned = _events(site, as_of, end)
    groups = list(
        Group.objects.filter(site=site, formed_on__lte=as_of).order_by("formed_on", "id")
    )
    funding = list(
        FundingLine.objects.filter(site=site)
        .filter(Q(starts_on__lte=as_of) | Q(starts_on__isnull=True))
        .select_related("funder")
        .order_by("starts_on", "id")
    )
    community = list(
        CommunityGroup.objects.filter(site=site)
        .filter(Q(founded_on__lte=as_of) | Q(founded_on__isnull=True, created_at__lte=end))
        .order_by("founded_on", "name")
    )
    hours = Decimal("0")
    participants = 0
    for row in Participation.objects.filter(group__site=site, month__lte=as_of):
        hours += row.volunteer_hours
        participants += row.participants
    counts: Counter[str] = Counter()
    held_ids = [e.pk for e in events if e.status == "held"]
    for hc in HeadCount.objects.filter(event_id__in=held_ids):
        counts[hc.age_band] += hc.count
    try:
        from c2hub.value.models import Scenario

        scenarios = list(Scenario.objects.filter(site=site, created_at__lte=end).order_by("-created_at")[:3])
    except (ImportError, LookupError):  # the value-for-money app is optional to the report
        scenarios = []
    return Records(
        site=site,
        as_of=as_of,
        steps=_step_states(site, as_of, end),
        events=events,
        planned=planned,
        groups=groups,
        memberships=_memberships(site, as_of),
        funding=funding,
        listening=_listening(site, as_of, end, events),
        actions=_actions(site, as_of, end),
        wins=list(Win.objects.filter(site=site, won_on__lte=as_of).order_by("won_on", "id")),
        community_groups=community,
        volunteer_hours=hours,
        participants=participants,
        head_counts=counts,
        scenarios=scenarios,
    )


# Drafting the sections ----------------------------------------------------------------------------
def _programme_name(site: Site) -> str:
    name = site.programme.name
    return name if "programme" in name.lower() else f"{name} programme"


def _purpose(r: Records) -> str:
    wards = r.site.ward_names
    where = r.site.name + (f" ({wards})" if wards and wards != r.site.name else "")
    return f"To provide an update on the progress of the {_programme_name(r.site)} in {where} as of {_day(r.as_of)}."


def _recommendations(r: Records, board: str) -> str:
    paras = [f"Members of the {board} are asked to note the report."]
    pending = [f for f in r.funding if f.status == FundingLine.Status.PENDING]
    if pending:
        paras.append(
            "Members are asked to note that a decision is pending on "
            + _join([f"the {f.description[0].lower() + f.description[1:]}" for f in pending])
            + "."
        )
    return "\n\n".join(paras)


def _funding_sentence(line: FundingLine) -> str:
    who = line.funder_label or "A funder"
    parts = [f"{line.description} ({line.get_status_display().lower()}"]
    if line.amount is not None:
        parts[0] += f", {_money(line.amount)}"
    parts[0] += ")"
    if line.steps_covered:
        parts.append(f"covering {_steps_label(line.steps_covered)} of the model")
    if line.starts_on and line.ends_on:
        parts.append(f"from {_day(line.starts_on)} to {_day(line.ends_on)}")
    elif line.starts_on:
        parts.append(f"from {_day(line.starts_on)}")
    return f"{who}: " + ", ".join(parts) + "."


def _background(r: Records) -> str:
    site, model = r.site, r.site.pathway_model
    paras = []
    first = f"{site.name} began on the C2 pathway on {_day(site.start_date)}"
    if site.local_authority:
        first += f", in {site.local_authority}"
    first += f"; the programme is planned to run for {site.planned_length_months} months."
    if site.lead_agency:
        first += f" {site.lead_agency.name} is the lead agency for this programme."
    if site.commissioner and site.commissioner != site.lead_agency:
        first += f" It is commissioned by {site.commissioner.name}."
    paras.append(first)
    steps = r.steps
    paras.append(
        f"The C2 model ({model.title}) is a time-limited, {len(steps)}-step practical intervention "
        "(Appendix 1) to form a problem-solving, resident-led, multi-agency partnership: "
        + "; ".join(f"step {s.step.number}, {s.step.title[0].lower() + s.step.title[1:]}" for s in steps)
        + "."
    )
    paras.append("The C2 method connects communities in three ways:\n" + "\n".join(f"- {w}" for w in THREE_WAYS))
    if r.funding:
        paras.append("Funding for the programme:\n" + "\n".join(f"- {_funding_sentence(f)}" for f in r.funding))
    else:
        paras.append(f"{PLACEHOLDER} who funds the programme, how much, and which steps it covers "
                     "(no funding is recorded in C2 Hub).")
    return "\n\n".join(paras)


def _event_kind(event: Any) -> str:
    return event.get_kind_display()


def _progress(r: Records) -> str:
    from c2hub.events.models import EventKind, EventStatus, ExchangeDirection

    if not r.has_data:
        return (
            f"C2 Hub holds no records of activity in {r.site.name} on or before {_day(r.as_of)}: no events, "
            "groups, funding, evidence, actions or wins had been recorded by then."
        )
    paras: list[str] = []
    done = [s for s in r.steps if s.status == "complete"]
    current = r.current_step
    summary = f"As of {_day(r.as_of)}, "
    if done:
        summary += (
            _join([f"step {s.step.number} was completed on {_day(s.completed_on)}" for s in done if s.completed_on])
            + "; "
        )
    if current is not None:
        summary += (
            f"the site is working on step {current.step.number} ({current.step.title[0].lower()}"
            f"{current.step.title[1:]})"
        )
        if current.due_on:
            summary += f", due by {_day(current.due_on)}"
        summary += "."
    else:
        summary += "every step of the model is complete."
    paras.append(summary)

    # Key residents: said without their evidence's free text, which may name people.
    found = [e for s in r.steps for e in s.evidence if e.criterion.key == "key-residents-identified"]
    if found:
        when = next((e.occurred_on for e in found if e.occurred_on), None)
        paras.append(
            "Key residents had been identified" + (f" by {_month(when)}" if when else "") + " and were being nurtured."
        )

    # Visitors and site visits are told with the event they belong to.
    hosted_on: dict[dt.date, list[str]] = defaultdict(list)
    visits: dict[int, list[str]] = defaultdict(list)
    told: set[int] = set()
    main_days = {e.held_on for e in r.events if e.kind != EventKind.EXCHANGE_VISIT}
    for e in r.events:
        if e.kind == EventKind.EXCHANGE_VISIT and e.exchange_direction == ExchangeDirection.HOSTED:
            other = e.exchange_site.name if e.exchange_site else e.exchange_site_name
            if other and e.held_on in main_days:
                hosted_on[e.held_on].append(other)
                told.add(e.pk)
        if e.kind == EventKind.SITE_VISIT and e.parent_id:
            visits[e.parent_id].append(e.title.removeprefix("Site visit to "))
            told.add(e.pk)
    meetings = [e for e in r.events if e.kind == EventKind.PARTNERSHIP_MEETING and e.status == EventStatus.HELD]
    for e in r.events:
        if e.pk in told:
            continue
        if e.kind == EventKind.PARTNERSHIP_MEETING and len(meetings) > 3 and e is not meetings[0]:
            continue  # monthly meetings are counted below, not told one by one
        when = _day(e.held_on)
        if e.status == EventStatus.HELD:
            text = f"{_event_kind(e)} – {e.title} – held on {when}"
            if e.ends_at and timezone.localdate(e.ends_at) != e.held_on:
                text = f"{_event_kind(e)} – {e.title} – held from {when} to {_day(timezone.localdate(e.ends_at))}"
        else:
            text = f"{_event_kind(e)} – {e.title} – planned for {when} (not recorded as held by {_day(r.as_of)})"
        others = [o for o in hosted_on.get(e.held_on, []) if e.kind != EventKind.EXCHANGE_VISIT]
        if others:
            text += f", with visitors from {_join(sorted(set(others)))}"
            hosted_on.pop(e.held_on, None)
        if visits.get(e.pk):
            text += f", including visits to {_join(visits[e.pk])}"
        text += "."
        if e.description:
            text += f" {e.description}"
        paras.append(text)
    if len(meetings) > 3:
        paras.append(
            f"The partnership met {len(meetings)} times between {_day(meetings[0].held_on)} and "
            f"{_day(meetings[-1].held_on)}."
        )

    for g in r.groups:
        members = r.memberships.get(g.pk, [])
        text = f"The {g.name} ({g.get_kind_display().lower()}) was formed on {_day(g.formed_on)}"
        if g.ended_on and g.ended_on <= r.as_of:
            text += f" and ended on {_day(g.ended_on)}"
        if members:
            orgs = sorted({_member_organisation(m) for m in members} - {""})
            text += f"; on {_day(r.as_of)} it had {len(members)} members"
            if orgs:
                text += f" from {_join(orgs)}"
        text += "."
        purposes = [line.strip()[2:].strip() for line in g.purpose.splitlines() if line.strip().startswith("- ")]
        if purposes:
            text += " It will:\n" + "\n".join(f"- {p}" for p in purposes)
        paras.append(text)

    for le in r.listening:
        event = le["event"]
        text = (
            f"At the listening event on {_day(event.held_on)}, {le['voices']} people made {le['comments']} comments "
            f"({le['residents']} of them residents)."
        )
        top = [f"{name} ({dots} dots)" for name, dots in le["themes"][:5] if dots]
        if top:
            text += " Residents' and providers' priorities, by dots: " + _join(top) + "."
        elif le["themes"]:
            text += " Themes: " + _join([name for name, _ in le["themes"]]) + "."
        paras.append(text)

    if r.actions:
        by_status = Counter(a["status_label"] for a in r.actions)
        text = f"The action plan held {len(r.actions)} actions: " + _join(
            [f"{n} {label.lower()}" for label, n in by_status.most_common()]
        ) + "."
        # Done first, then the rest, as the plan stood on the date.
        listed = sorted(r.actions, key=lambda a: a["status"] != "done")[:ACTIONS_LISTED]
        text += "\n" + "\n".join(
            f"- {a['title']} ({a['status_label'].lower()}" + (f", led by {a['lead']}" if a["lead"] else "") + ")"
            for a in listed
        )
        if len(r.actions) > ACTIONS_LISTED:
            text += f"\n- and {len(r.actions) - ACTIONS_LISTED} more (see the action plan)"
        paras.append(text)

    if r.wins:
        paras.append(
            "Wins celebrated:\n"
            + "\n".join(
                f"- {_day(w.won_on)}: {w.title}" + (f" ({_money(w.amount)})" if w.amount is not None else "")
                for w in r.wins
            )
        )
    if r.community_groups:
        paras.append(
            "New groups and activities started or supported by the partnership:\n"
            + "\n".join(
                f"- {c.name}" + (f", since {_month(c.founded_on)}" if c.founded_on else "")
                + (f" ({c.get_kind_display().lower()})" if c.kind else "")
                for c in r.community_groups
            )
        )

    for e in r.planned:
        paras.append(
            f"{_event_kind(e)} – {e.title} – is planned for {_month(e.held_on)}."
            + (f" {e.description}" if e.description else "")
        )
    return "\n\n".join(paras)


def _member_organisation(m: Any) -> str:
    if m.organisation:
        return m.organisation.name
    if m.person and m.person.organisation:
        return m.person.organisation.name
    return ""


def _reasons(r: Records) -> str:
    done = sum(1 for s in r.steps if s.status == "complete")
    text = (
        f"The {_programme_name(r.site)} is a way for residents of {r.site.name} and the agencies that serve "
        f"them to work together on residents' own priorities for their health and wellbeing. As of "
        f"{_day(r.as_of)}, {done} of the model's {len(r.steps)} steps are complete."
    )
    c2_team = r.site.organisations.filter(kind="university").first() if r.site.pk else None
    if c2_team:
        text += f" Its development is supported by {c2_team.name}."
    return text + "\n\n" + f"{PLACEHOLDER} why the board should note (or decide) what is recommended."


def _implications(r: Records, board: str) -> list[Section]:
    texts: dict[str, str] = {}
    # Contribution to priorities
    priorities = [name for le in r.listening for name, dots in le["themes"][:3] if dots]
    health = sorted({p for c in r.community_groups for p in (c.health_priorities or [])})
    parts = []
    if priorities:
        parts.append("Residents' top priorities from the listening event: " + _join(priorities) + ".")
    if health:
        from c2hub.community.models import HealthPriority

        labels = dict(HealthPriority.choices)
        parts.append("New groups target: " + _join([labels.get(h, h).lower() for h in health]) + ".")
    parts.append(f"{PLACEHOLDER} how the programme contributes to the council's and the {board}'s priorities.")
    texts["priorities"] = " ".join(parts)
    # Financial
    if r.funding:
        awarded = [f for f in r.funding if f.status == FundingLine.Status.AWARDED]
        pending = [f for f in r.funding if f.status == FundingLine.Status.PENDING]
        parts = []
        if awarded:
            total = sum((f.amount for f in awarded if f.amount is not None), Decimal("0"))
            parts.append(
                f"Awarded: {_join([f.description for f in awarded])}"
                + (f" ({_money(total)} recorded)" if any(f.amount is not None for f in awarded) else
                   " (no amount recorded)")
                + "."
            )
        if pending:
            parts.append(f"Pending decision: {_join([f.description for f in pending])}.")
        funded_wins = [w for w in r.wins if w.kind == "funding" and w.amount is not None]
        if funded_wins:
            parts.append(
                f"The partnership has won {_money(sum((w.amount for w in funded_wins), Decimal('0')))} "
                f"in {len(funded_wins)} funding awards."
            )
        texts["financial"] = " ".join(parts)
    else:
        texts["financial"] = f"{PLACEHOLDER} the programme's costs and who meets them (no funding is recorded)."
    # Legal
    constituted = [g for g in r.groups if g.legal_form]
    if constituted:
        texts["legal"] = " ".join(
            f"The {g.name} is constituted as a {g.get_legal_form_display().lower()}"
            + (f" (charity number {g.charity_number})" if g.charity_number else "")
            + (f" (company number {g.company_number})" if g.company_number else "")
            + "."
            for g in constituted
        )
    else:
        texts["legal"] = f"{PLACEHOLDER} any legal implications, or 'None.'"
    # People
    people = {m.person_id for ms in r.memberships.values() for m in ms if m.person_id}
    orgs = {_member_organisation(m) for ms in r.memberships.values() for m in ms} - {""}
    parts = []
    if people or orgs:
        parts.append(
            f"On {_day(r.as_of)} the site's groups drew on "
            + _join([x for x in (f"{len(people)} people" if people else "",
                                 f"{len(orgs)} organisations" if orgs else "") if x])
            + "."
        )
    if r.volunteer_hours:
        parts.append(f"Residents had given {r.volunteer_hours:,.0f} hours of volunteering in the new groups.")
    parts.append(
        "The purpose of the programme is to empower local residents to champion their own agendas, lead "
        "change and self-manage their neighbourhood."
    )
    texts["people"] = " ".join(parts)
    # Property
    hubs = [g for g in r.groups if g.hub_address]
    texts["property"] = (
        " ".join(f"The {g.name} operates from a hub at {g.hub_address.strip()}." for g in hubs)
        if hubs
        else f"{PLACEHOLDER} any property implications (e.g. a community hub), or 'None.'"
    )
    # Consultation
    from c2hub.events.models import EventKind

    if r.listening:
        le = r.listening[-1]
        texts["consultation"] = (
            f"{le['voices']} people took part in the listening event of {_day(le['event'].held_on)}"
            + (f"; residents were to hear back by {_day(le['feedback_due'])}" if le["feedback_due"] else "")
            + "."
        )
    else:
        planned = [e for e in r.events + r.planned if e.kind == EventKind.LISTENING_EVENT]
        if planned:
            texts["consultation"] = (
                f"Local residents and stakeholders will take part in a listening event, planned for "
                f"{_month(planned[0].held_on)}, as part of the programme."
            )
        else:
            texts["consultation"] = f"{PLACEHOLDER} how residents and partners have been or will be consulted."
    # Equalities
    parts = []
    if r.head_counts:
        from c2hub.people.models import AgeBand

        labels = dict(AgeBand.choices)
        parts.append(
            "People counted at events, by age: "
            + _join([f"{labels.get(band, band)}: {n}" for band, n in sorted(r.head_counts.items())])
            + "."
        )
    ages = sorted({a for c in r.community_groups for a in (c.age_groups or [])})
    if ages:
        parts.append("New groups serve ages " + _join(ages) + ".")
    parts.append(f"{PLACEHOLDER} whether an equality impact assessment has been done and what it found.")
    texts["equalities"] = " ".join(parts)
    # Risk
    overdue = [s for s in r.steps if s.status != "complete" and s.due_on and s.due_on < r.as_of]
    waiting = [a for a in r.actions if a["waiting"]]
    parts = []
    if overdue:
        parts.append(
            "By the records on the date, these steps were past their due dates and not yet signed off: "
            + _join([f"step {s.step.number} (due {_day(s.due_on)})" for s in overdue if s.due_on])
            + "."
        )
    if waiting:
        parts.append(f"{len(waiting)} actions were waiting for a first response from the agency asked.")
    parts.append(f"{PLACEHOLDER} the main risks to the programme and how they are managed.")
    texts["risk"] = " ".join(parts)
    # Value for money
    if r.scenarios:
        s = r.scenarios[0]
        texts["value"] = (
            f"A value-for-money estimate, '{s.title}', was made on {_day(_local_day(s.created_at))}"
            + (" (illustrative)" if getattr(s, "illustrative", False) else "")
            + ": see the site's value-for-money page for its figures, their inputs and their range."
        )
    else:
        texts["value"] = f"{PLACEHOLDER} the expected value for money (no value-for-money estimate is recorded)."
    # Environment
    improvements = [w for w in r.wins if w.kind == "improvement"]
    texts["environment"] = (
        "Improvements to the environment so far: " + _join([w.title for w in improvements]) + "."
        if improvements
        else f"{PLACEHOLDER} any environmental impact; residents may identify improvements as the programme goes on."
    )
    return [
        Section(key=f"implications.{key}", heading=heading, text=texts[key], level=2) for key, heading in IMPLICATIONS
    ]


# Appendices ---------------------------------------------------------------------------------------
def _appendix_model(r: Records) -> Appendix:
    rows = [
        [
            f"Step {s.step.number}",
            f"{s.step.title}. {s.step.description}",
            "\n".join(f"- {c.text}" for c in s.step.criteria.all()),
            s.label + (f" ({_day(s.completed_on)})" if s.completed_on else ""),
        ]
        for s in r.steps
    ]
    return Appendix(
        key="model",
        heading=f"Appendix 1 – Overview of the {r.site.pathway_model.title}",
        intro=f"Each step, its exit criteria and where {r.site.name} stood on {_day(r.as_of)}.",
        tables=[Table(caption="The steps of the model", columns=["Step", "What it is", "Exit criteria", "Status"],
                      rows=rows)],
    )


def _appendix_membership(r: Records) -> Appendix:
    from c2hub.people.models import GroupKind, PersonKind

    strategic = [g for g in r.groups if g.kind == GroupKind.STRATEGIC_STEERING]
    if not strategic:
        return Appendix(
            key="membership",
            heading="Appendix 2 – Membership of the strategic steering group",
            intro=f"No strategic steering group or network had been formed in {r.site.name} by {_day(r.as_of)}.",
        )
    group = strategic[0]
    rows = []
    for m in r.memberships.get(group.pk, []):
        organisation = _member_organisation(m)
        if m.person and m.person.kind == PersonKind.WORKER:
            who = m.person.job_title or "A representative"
        elif m.person:
            who = "A resident"
        else:
            who = m.notes or "Represented"
        rows.append([organisation or "Residents", who, m.get_role_display(),
                     _day(m.started_on) if m.started_on else ""])
    return Appendix(
        key="membership",
        heading=f"Appendix 2 – Membership of the {group.name}",
        intro=(f"Its members on {_day(r.as_of)} (organisations and roles; a board paper names no one)."
               if rows else f"No members were recorded on {_day(r.as_of)}."),
        tables=[Table(caption=f"Membership of the {group.name}", columns=["Organisation", "Who", "Role", "Since"],
                      rows=rows)] if rows else [],
    )


def _appendix_outcomes(r: Records) -> Appendix:
    appendix = Appendix(
        key="outcomes",
        heading="Appendix 3 – Outcomes",
        intro=(
            f"Police-recorded crime and anti-social behaviour in {r.site.name}'s neighbourhoods, "
            f"up to {_month(r.as_of)}."
        ),
    )
    months: list[str] = []
    try:
        from c2hub.areas import queries

        months = [m for m in queries.crime_months() if m <= f"{r.as_of:%Y-%m}"]
    except Exception:  # noqa: BLE001 - no area store yet: the appendix says there is no data
        months = []
    if months and r.site.lsoa_codes:
        from c2hub.outcomes.selectors import ALL_CRIME_LABEL, crime_series

        series = [
            row for row in crime_series(r.site, crime_type=ALL_CRIME_LABEL, suppressed=True) if row["month"] in months
        ]
        if series:
            appendix.tables.append(
                Table(caption="All crime and anti-social behaviour each month (counts of 1–4 are withheld)",
                      columns=["Month", "Crimes"], rows=[[row["month"], row["label"]] for row in series])
            )
            appendix.charts.append(
                Chart(
                    title="All crime and anti-social behaviour each month",
                    description=(
                        f"Line chart of police-recorded crime and anti-social behaviour in {r.site.name} each month, "
                        f"{series[0]['month']} to {series[-1]['month']}; the same numbers are in the table."
                    ),
                    kind="line",
                    rows=[
                        {"Month": row["month"], "Crimes": row["count"]} for row in series if row["count"] is not None
                    ],
                    x="Month",
                    y="Crimes",
                )
            )
    from c2hub.outcomes.models import EvaluationRun

    run = (
        EvaluationRun.objects.filter(
            site=r.site, status=EvaluationRun.Status.FINISHED, finished_at__lte=_end_of(r.as_of)
        )
        .order_by("-finished_at")
        .first()
    )
    if run is not None:
        result = run.result or {}
        for key, name in (("did_verdict", "Difference-in-differences"), ("sc_verdict", "Synthetic control")):
            verdict = result.get(key)
            if verdict:
                appendix.notes.append(
                    f"Evaluation verdict ({name}, run on {_day(_local_day(run.finished_at))}): "
                    f"{verdict.get('headline', '')}. {verdict.get('detail', '')}".strip()
                )
    if not appendix.tables and not appendix.notes:
        appendix.notes.append(
            f"No outcome data for {r.site.name} up to {_month(r.as_of)} is held in C2 Hub, so there are no "
            "charts or tables."
        )
    elif not appendix.notes:
        appendix.notes.append(f"No evaluation of {r.site.name}'s outcomes had been finished by {_day(r.as_of)}.")
    return appendix


# The report ---------------------------------------------------------------------------------------
def board_report(
    site: Site, *, as_of: dt.date, board_name: str = DEFAULT_BOARD, today: dt.date | None = None
) -> BoardReportContent:
    """The board report for ``site`` as its records stood at the end of ``as_of``."""
    check_as_of(site, as_of, today=today)
    board = board_name.strip() or DEFAULT_BOARD
    r = read_records(site, as_of)
    sections = [
        Section("purpose", "Purpose of report", _purpose(r)),
        Section("recommendations", "Recommendations", _recommendations(r, board)),
        Section("background", "Background", _background(r)),
        Section("progress", f"The {_programme_name(site)} in {site.name}", _progress(r)),
        Section("reasons", "Reasons for recommendations", _reasons(r)),
        Section("implications", "Corporate implications", ""),
        *_implications(r, board),
    ]
    appendices = [_appendix_model(r), _appendix_membership(r), _appendix_outcomes(r)]
    return BoardReportContent(
        site_slug=site.slug,
        site_name=site.name,
        as_of=as_of,
        board_name=board,
        title=f"The {_programme_name(site)} in {site.name}: progress to {_day(as_of)}",
        has_data=r.has_data,
        sections=sections,
        appendices=appendices,
    )
