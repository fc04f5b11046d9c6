"""Reads for events, attendance, minutes, the learning programme and walkabouts — always through
a site. People attending are shown only through ``c2hub.people.selectors.person_rows`` with the
viewer's visibility (researchers see pseudonyms, nobody sees another site's people)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Sum
from django.http import Http404

from c2hub.events.models import (
    COHORT_SIZE,
    MEETING_KINDS,
    Attendance,
    Decision,
    Event,
    EventKind,
    EventStatus,
    HeadCount,
    LearnerCompletion,
    Minutes,
    ParticipantKind,
    WalkaboutFinding,
)
from c2hub.people.models import AgeBand, Group, GroupKind, GroupMembership, MembershipRole, PersonKind
from c2hub.people.selectors import PersonRow, Visibility, people_for_site, person_rows
from c2hub.programmes.models import Evidence, Site, StepCriterion
from c2hub.programmes.suggestions import Suggestion


def events_for_site(
    site: Site, *, q: str = "", kind: str = "", status: str = "", step: int | None = None
) -> QuerySet[Event]:
    """A site's events, newest first, filtered."""
    events = Event.objects.filter(site=site).select_related("site", "exchange_site", "parent", "cohort")
    if q:
        events = events.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(venue__icontains=q)
            | Q(exchange_site_name__icontains=q)
            | Q(exchange_site__name__icontains=q)
        )
    if kind:
        events = events.filter(kind=kind)
    if status:
        events = events.filter(status=status)
    if step is not None:
        events = (
            events.filter(steps__contains=[step])
            if _json_contains_supported()
            else events.filter(pk__in=[e.pk for e in Event.objects.filter(site=site) if step in (e.steps or [])])
        )
    return events.order_by("-starts_at", "-id")


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def event_in_site(site: Site, event_id: int) -> Event:
    event = (
        Event.objects.filter(site=site, pk=event_id)
        .select_related("site__pathway_model", "exchange_site", "parent", "cohort", "created_by")
        .first()
    )
    if event is None:
        raise Http404("No such event in this site")
    return event


def attendance_in_event(event: Event, attendance_id: int) -> Attendance:
    attendance = Attendance.objects.filter(event=event, pk=attendance_id).select_related("event__site").first()
    if attendance is None:
        raise Http404("No such attendance at this event")
    return attendance


def decision_in_event(event: Event, decision_id: int) -> Decision:
    decision = Decision.objects.filter(event=event, pk=decision_id).select_related("event__site").first()
    if decision is None:
        raise Http404("No such decision of this meeting")
    return decision


def finding_in_event(event: Event, finding_id: int) -> WalkaboutFinding:
    finding = WalkaboutFinding.objects.filter(event=event, pk=finding_id).select_related("event__site").first()
    if finding is None:
        raise Http404("No such finding on this walkabout")
    return finding


def site_people_choices(site: Site, visibility: Visibility) -> list[tuple[int, str]]:
    """The site's people as (id, label) for a select, named as this viewer may see them."""
    rows = person_rows(people_for_site(site, visibility=visibility), site=site, visibility=visibility, with_notes=False)
    return [(r.id, f"{r.name} ({r.organisation_name})" if r.organisation_name else r.name) for r in rows]


def site_organisation_choices(site: Site) -> list[tuple[int, str]]:
    return list(site.organisations.order_by("name").values_list("pk", "name"))


def exchange_site_choices(site: Site) -> list[tuple[int, str]]:
    """The programme's other sites (an exchange visit is with another C2 site)."""
    return list(
        Site.objects.filter(programme_id=site.programme_id)
        .exclude(pk=site.pk)
        .order_by("name")
        .values_list("pk", "name")
    )


def residential_choices(site: Site) -> list[tuple[int, str]]:
    return [(e.pk, str(e)) for e in Event.objects.filter(site=site, kind=EventKind.RESIDENTIAL).order_by("starts_at")]


def cohort_choices(site: Site) -> list[tuple[int, str]]:
    return list(
        Group.objects.filter(site=site, kind=GroupKind.LEARNING_COHORT)
        .order_by("wave", "name")
        .values_list("pk", "name")
    )


# Attendance -----------------------------------------------------------------------------------------
@dataclass
class AttendanceRow:
    id: int
    person: PersonRow | None
    organisation_name: str


@dataclass
class AttendanceTotals:
    named_residents: int = 0
    named_providers: int = 0
    counted_residents: int = 0
    counted_providers: int = 0
    organisations: list[str] = field(default_factory=list)

    @property
    def residents(self) -> int:
        return self.named_residents + self.counted_residents

    @property
    def providers(self) -> int:
        return self.named_providers + self.counted_providers

    @property
    def total(self) -> int:
        return self.residents + self.providers


def attendance_rows(event: Event, visibility: Visibility) -> list[AttendanceRow]:
    """Who attended, as this viewer may see them: named people through ``person_rows``."""
    attendances = list(Attendance.objects.filter(event=event).select_related("person", "organisation"))
    people = [a.person for a in attendances if a.person is not None]
    rows_by_id = {r.id: r for r in person_rows(people, site=event.site, visibility=visibility, with_notes=False)}
    return [
        AttendanceRow(
            id=a.pk,
            person=rows_by_id.get(a.person_id) if a.person_id else None,
            organisation_name=a.organisation.name if a.organisation else "",
        )
        for a in attendances
    ]


def attendance_totals(event: Event) -> AttendanceTotals:
    """Counts only: named people by resident/worker, head-counts, organisations represented."""
    totals = AttendanceTotals()
    organisations: set[str] = set()
    for a in Attendance.objects.filter(event=event).select_related("person__organisation", "organisation"):
        if a.person is not None:
            if a.person.kind == PersonKind.RESIDENT:
                totals.named_residents += 1
            else:
                totals.named_providers += 1
            if a.person.organisation and a.person.kind != PersonKind.RESIDENT:
                organisations.add(a.person.organisation.name)
        if a.organisation is not None:
            organisations.add(a.organisation.name)
    for participant, count in (
        HeadCount.objects.filter(event=event).values_list("participant").annotate(n=Sum("count")).order_by()
    ):
        if participant == ParticipantKind.RESIDENT:
            totals.counted_residents += count
        else:
            totals.counted_providers += count
    totals.organisations = sorted(organisations)
    return totals


def head_count_grid(event: Event) -> dict[tuple[str, str], int]:
    """``{(participant, age_band): count}`` for every cell (0 where nothing is recorded)."""
    grid = {(p, b): 0 for p in ParticipantKind.values for b in AgeBand.values}
    for hc in HeadCount.objects.filter(event=event):
        grid[(hc.participant, hc.age_band)] = hc.count
    return grid


# Meetings -------------------------------------------------------------------------------------------
def minutes_of(event: Event) -> Minutes | None:
    return Minutes.objects.filter(event=event).select_related("approved_at", "approved_by").first()


def approving_meeting_choices(event: Event) -> list[tuple[int, str]]:
    """Later held meetings of the site, where minutes may be approved."""
    return [
        (e.pk, str(e))
        for e in Event.objects.filter(
            site_id=event.site_id, kind__in=MEETING_KINDS, status=EventStatus.HELD, starts_at__gt=event.starts_at
        ).order_by("starts_at")
    ]


def minutes_approved_at(event: Event) -> list[Minutes]:
    """Minutes of earlier meetings approved at this one."""
    return list(Minutes.objects.filter(approved_at=event).select_related("event").order_by("event__starts_at"))


# Suggestions for the pathway ------------------------------------------------------------------------
@dataclass(frozen=True)
class EventMatch:
    """The events that evidence a criterion: of these kinds, with these statuses."""

    kinds: frozenset[str]
    statuses: frozenset[str] = frozenset({EventStatus.HELD})
    wave: int | None = None  # only residentials/trainings for a cohort of this wave
    first_only: bool = False  # the earliest matching event (e.g. the first steering meeting)


def _match(
    *kinds: str, statuses: tuple[str, ...] = (EventStatus.HELD,), wave: int | None = None, first_only: bool = False
) -> EventMatch:
    return EventMatch(frozenset(kinds), frozenset(statuses), wave, first_only)


_K = EventKind
#: Criterion key (in pathways/*.yaml, both versions) → the events that may evidence it.
CRITERION_EVENTS: dict[str, EventMatch] = {
    # Version 1 (the 2013 wording)
    "steering-group-established": _match(_K.PARTNERSHIP_MEETING, first_only=True),
    "commitment-to-seven-steps": _match(_K.ENGAGEMENT_WORKSHOP, _K.PARTNERSHIP_MEETING),
    "workshops-held": _match(_K.ENGAGEMENT_WORKSHOP, _K.CONNECTING_EVENT),
    "skills-and-mindset": _match(_K.RESIDENTIAL, _K.SITE_VISIT, _K.TRAINING),
    "listening-event-planned": _match(_K.LISTENING_EVENT, statuses=(EventStatus.PLANNED, EventStatus.HELD)),
    "listening-event-held": _match(_K.LISTENING_EVENT),
    "issues-report-fed-back": _match(_K.FEEDBACK_EVENT),
    "partnership-commitment": _match(_K.FEEDBACK_EVENT, _K.PARTNERSHIP_MEETING),
    "exchange-visits": _match(_K.EXCHANGE_VISIT),
    "communication-channels": _match(_K.WALKABOUT),
    "strategic-interface": _match(_K.PARTNERSHIP_MEETING),
    "monthly-meetings": _match(_K.PARTNERSHIP_MEETING),
    "wins-celebrated": _match(_K.CELEBRATION),
    "confidence-and-volunteering": _match(_K.CELEBRATION, _K.TRAINING),
    # Version 2 (the newer wording)
    "ssg-formed": _match(_K.PARTNERSHIP_MEETING, first_only=True),
    "psg-formed": _match(_K.PARTNERSHIP_MEETING, first_only=True),
    "connecting-workshop": _match(_K.CONNECTING_EVENT),
    "elp-first-wave": _match(_K.RESIDENTIAL, _K.TRAINING, wave=1),
    "established-site-visits": _match(_K.SITE_VISIT, _K.EXCHANGE_VISIT),
    "issues-prioritised": _match(_K.LISTENING_EVENT),
    "feedback-event": _match(_K.FEEDBACK_EVENT),
    "channels-open": _match(_K.WALKABOUT),
    "elp-second-wave": _match(_K.RESIDENTIAL, _K.TRAINING, wave=2),
    "early-wins": _match(_K.CELEBRATION),
    "momentum": _match(_K.CELEBRATION, _K.TRAINING),
}


def _matching(events: list[Event], match: EventMatch) -> list[Event]:
    found = [
        e
        for e in events
        if e.kind in match.kinds
        and e.status in match.statuses
        and (match.wave is None or (e.cohort is not None and e.cohort.wave == match.wave))
    ]
    if match.first_only and found:
        found = [min(found, key=lambda e: (e.starts_at, e.pk))]
    return found


def suggested_events_by_criterion(
    site: Site, criteria: list[StepCriterion], *, limit: int = 5
) -> dict[int, list[Event]]:
    """For each criterion of a page with a mapping (``CRITERION_EVENTS``), the site's matching
    events not yet its evidence, most recent first. Two queries however many criteria."""
    wanted = [c for c in criteria if c.key in CRITERION_EVENTS]
    if not wanted:
        return {}
    kinds = set().union(*(CRITERION_EVENTS[c.key].kinds for c in wanted))
    events = list(
        Event.objects.filter(site=site, kind__in=kinds).select_related("cohort").order_by("-starts_at", "-id")
    )
    if not events:
        return {}
    ct = ContentType.objects.get_for_model(Event)
    attached: set[tuple[int, int]] = set(
        Evidence.objects.filter(site=site, criterion__in=wanted, record_type=ct).values_list(
            "criterion_id", "record_id"
        )
    )
    suggestions = {}
    for criterion in wanted:
        found = [e for e in _matching(events, CRITERION_EVENTS[criterion.key]) if (criterion.pk, e.pk) not in attached]
        if found:
            suggestions[criterion.pk] = found[:limit]
    return suggestions


def suggested_events(site: Site, criterion: StepCriterion, *, limit: int = 5) -> list[Event]:
    """Events of the site that match the criterion (``CRITERION_EVENTS``: kinds, statuses, the
    cohort's wave, or only the first) and are not yet its evidence, most recent first."""
    return suggested_events_by_criterion(site, [criterion], limit=limit).get(criterion.pk, [])


def event_suggestions(site: Site, criteria: list[StepCriterion]) -> dict[int, list[Suggestion]]:
    """``suggested_events_by_criterion`` as pathway suggestions (registered in apps.py)."""
    from django.urls import reverse

    from c2hub.jinja2 import uk_date

    return {
        criterion_id: [
            Suggestion(
                record=e,
                title=e.title,
                url=reverse("event_detail", args=[site.slug, e.pk]),
                attach_url=reverse("event_evidence", args=[site.slug, e.pk]),
                meta=f"{e.get_kind_display()}, {uk_date(e.starts_at)}, {e.get_status_display().lower()}",
            )
            for e in events
        ]
        for criterion_id, events in suggested_events_by_criterion(site, criteria).items()
    }


def criterion_choices(site: Site) -> list[tuple[int, str]]:
    """The site's criteria for a "Use as evidence for…" select."""
    return [
        (c.pk, f"Step {c.step.number}: {c.text}")
        for c in StepCriterion.objects.filter(step__model_id=site.pathway_model_id)
        .select_related("step")
        .order_by("step__number", "order", "id")
    ]


def event_evidence(event: Event) -> list[Evidence]:
    """Where this event is already evidence."""
    ct = ContentType.objects.get_for_model(Event)
    return list(
        Evidence.objects.filter(site_id=event.site_id, record_type=ct, record_id=event.pk)
        .select_related("criterion__step")
        .order_by("criterion__step__number", "criterion__order")
    )


# The learning programme -----------------------------------------------------------------------------
@dataclass
class LearnerView:
    membership: GroupMembership
    person: PersonRow | None
    organisation_name: str
    completion: LearnerCompletion | None


@dataclass
class CohortView:
    group: Group
    learners: list[LearnerView]
    events: list[Event]
    site_visits: list[Event]

    @property
    def size_warning(self) -> str:
        low, high = COHORT_SIZE
        n = len(self.learners)
        if n < low:
            return f"A wave is usually {low}–{high} learners: this cohort has {n}."
        if n > high:
            return f"A wave is usually {low}–{high} learners: this cohort has {n}."
        return ""

    @property
    def completed(self) -> int:
        return sum(1 for learner in self.learners if learner.completion)


def learning_programme(site: Site, visibility: Visibility) -> list[CohortView]:
    """Each cohort of the site with its learners (as the viewer may see them), course dates,
    site visits and completion."""
    cohorts = list(Group.objects.filter(site=site, kind=GroupKind.LEARNING_COHORT).order_by("wave", "name"))
    memberships = list(
        GroupMembership.objects.filter(group__in=cohorts, role=MembershipRole.LEARNER)
        .select_related("person", "organisation", "completion")
        .order_by("started_on", "id")
    )
    people = [m.person for m in memberships if m.person is not None]
    rows = {r.id: r for r in person_rows(people, site=site, visibility=visibility, with_notes=False)}
    events = list(Event.objects.filter(site=site, cohort__in=cohorts).order_by("starts_at"))
    visits = list(Event.objects.filter(site=site, kind=EventKind.SITE_VISIT, parent__in=events).order_by("starts_at"))
    views = []
    for cohort in cohorts:
        learners = []
        for m in memberships:
            if m.group_id != cohort.pk:
                continue
            completion = getattr(m, "completion", None)
            learners.append(
                LearnerView(
                    membership=m,
                    person=rows.get(m.person_id) if m.person_id else None,
                    organisation_name=m.organisation.name if m.organisation else "",
                    completion=completion,
                )
            )
        cohort_events = [e for e in events if e.cohort_id == cohort.pk]
        ids = {e.pk for e in cohort_events}
        views.append(
            CohortView(
                group=cohort,
                learners=learners,
                events=cohort_events,
                site_visits=[v for v in visits if v.parent_id in ids],
            )
        )
    return views


def learner_in_site(site: Site, membership_id: int) -> GroupMembership:
    membership = (
        GroupMembership.objects.filter(
            pk=membership_id, group__site=site, group__kind=GroupKind.LEARNING_COHORT, role=MembershipRole.LEARNER
        )
        .select_related("group")
        .first()
    )
    if membership is None:
        raise Http404("No such learner in this site")
    return membership


def findings_of(event: Event) -> list[WalkaboutFinding]:
    return list(WalkaboutFinding.objects.filter(event=event).order_by("kind", "id"))


def site_visits_of(event: Event) -> list[Event]:
    return list(Event.objects.filter(parent=event).order_by("starts_at"))


def event_links(site: Site, events: list[Any]) -> dict[int, str]:
    """Each event's page: a listening event that the listening app has taken up (it has a
    ``listening`` row and the app's ``listening_detail`` page exists) links there."""
    from django.core.exceptions import FieldError
    from django.urls import NoReverseMatch, reverse

    listening_ids: set[int] = set()
    candidates = [e.pk for e in events if e.kind == EventKind.LISTENING_EVENT]
    if candidates:
        try:
            reverse("listening_detail", args=[site.slug, candidates[0]])
            listening_ids = set(
                Event.objects.filter(pk__in=candidates, listening__isnull=False).values_list("pk", flat=True)
            )
        except (NoReverseMatch, FieldError):
            listening_ids = set()
    return {
        e.pk: reverse("listening_detail" if e.pk in listening_ids else "event_detail", args=[site.slug, e.pk])
        for e in events
    }
