"""Reads for programmes, sites and the pathway. Every read is scoped to the sites a user may see,
and runs a fixed number of queries however many rows there are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from c2hub.accounts.rules import admin_programme_ids, member_site_ids
from c2hub.programmes.models import (
    Evidence,
    PathwayEvent,
    PathwayModel,
    PathwayStep,
    Programme,
    Site,
    StepCriterion,
    StepProgress,
    StepStatus,
)


def sites_for_user(user: Any) -> QuerySet[Site]:
    """The sites a user belongs to: every site of the programmes they administer, and the sites
    where they hold a role. Nobody else's."""
    if user is None or not user.is_authenticated:
        return Site.objects.none()
    if user.is_superuser:
        return Site.objects.all()
    return Site.objects.filter(Q(programme_id__in=admin_programme_ids(user)) | Q(pk__in=member_site_ids(user)))


def site_get_for_user(user: Any, slug: str, perm: str = "programmes.view_site") -> Site:
    """The site with this slug, if the user may see it. Unknown and forbidden look the same (404),
    so that a site's existence is not revealed to outsiders. With ``perm``, the user must also
    hold that permission in the site (else 403)."""
    site = (
        sites_for_user(user)
        .select_related("programme", "pathway_model", "lead_agency", "commissioner")
        .filter(slug=slug)
        .first()
    )
    if site is None:
        raise Http404("No such site")
    if not user.has_perm("programmes.view_site", site) or not user.has_perm(perm, site):
        raise PermissionDenied("You do not have permission to do this.")
    return site


@dataclass
class PortfolioRow:
    site: Site
    current_step: int | None
    current_step_title: str
    steps_complete: int
    steps_total: int
    criteria_waiting: int
    overdue_steps: int
    next_due_on: dt.date | None
    last_activity_at: dt.datetime


def portfolio(user: Any, *, today: dt.date | None = None, q: str = "") -> list[PortfolioRow]:
    """The dashboard: each of my sites with its current step, the criteria of that step still
    waiting for evidence, overdue steps and the last activity. Two queries in all."""
    today = today or timezone.localdate()
    sites = sites_for_user(user).select_related("programme")
    if q:
        sites = sites.filter(Q(name__icontains=q) | Q(local_authority__icontains=q))
    incomplete = StepProgress.objects.filter(site=OuterRef("pk")).exclude(status=StepStatus.COMPLETE)
    sites = sites.annotate(
        steps_total=Count("step_progress", distinct=True),
        steps_complete=Count("step_progress", filter=Q(step_progress__status=StepStatus.COMPLETE), distinct=True),
        overdue_steps=Count(
            "step_progress",
            filter=Q(step_progress__due_on__lt=today) & ~Q(step_progress__status=StepStatus.COMPLETE),
            distinct=True,
        ),
        current_step_id=Subquery(incomplete.order_by("step__number").values("step_id")[:1]),
        next_due_on=Min("step_progress__due_on", filter=~Q(step_progress__status=StepStatus.COMPLETE)),
    ).order_by("name")
    # Criteria of each site's current step without any evidence from that site, counted by the
    # database: one index probe on (site, criterion) per criterion of the current step, however
    # much evidence the sites have. (Reading the evidenced (site, criterion) pairs into Python
    # fetched every evidence row of the programme: 200,000 rows for 500 sites.)
    unevidenced = (
        StepCriterion.objects.filter(step_id=OuterRef("current_step_id"))
        .exclude(Exists(Evidence.objects.filter(site_id=OuterRef(OuterRef("pk")), criterion_id=OuterRef("pk"))))
        .order_by()
        .values("step_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # No Coalesce around it: a bare Subquery stays out of the GROUP BY, so it runs once per site
    # rather than once per progress row (and PostgreSQL's cost estimate stays below the JIT
    # threshold, whose compilation alone took ~270 ms). No row (all evidenced) means None.
    sites = sites.annotate(criteria_waiting=Subquery(unevidenced))
    site_list = list(sites)
    step_ids = {s.current_step_id for s in site_list if s.current_step_id}
    steps = {s.pk: s for s in PathwayStep.objects.filter(pk__in=step_ids)}
    rows = []
    for site in site_list:
        step = steps.get(site.current_step_id) if site.current_step_id else None
        rows.append(
            PortfolioRow(
                site=site,
                current_step=step.number if step else None,
                current_step_title=step.title if step else "All steps complete",
                steps_complete=site.steps_complete,
                steps_total=site.steps_total,
                criteria_waiting=site.criteria_waiting or 0,
                overdue_steps=site.overdue_steps,
                next_due_on=site.next_due_on,
                last_activity_at=site.last_activity_at,
            )
        )
    return rows


@dataclass
class CriterionState:
    criterion: StepCriterion
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_evidenced(self) -> bool:
        return bool(self.evidence)

    @property
    def is_verified(self) -> bool:
        return any(e.is_verified for e in self.evidence)


@dataclass
class StepState:
    step: PathwayStep
    progress: StepProgress
    criteria: list[CriterionState]

    @property
    def evidenced_count(self) -> int:
        return sum(1 for c in self.criteria if c.is_evidenced)

    @property
    def unevidenced(self) -> list[StepCriterion]:
        return [c.criterion for c in self.criteria if not c.is_evidenced]

    @property
    def ready(self) -> bool:
        return not self.unevidenced


def pathway_state(site: Site) -> list[StepState]:
    """The site's steps with their criteria and evidence: four queries."""
    progress = {p.step_id: p for p in StepProgress.objects.filter(site=site).select_related("completed_by")}
    evidence_qs = (
        Evidence.objects.filter(site=site)
        .select_related("added_by", "verified_by", "record_type")
        # The page names each linked record: one query per kind of record, not one per item.
        .prefetch_related("record")
        .order_by("added_at", "id")
    )
    steps = PathwayStep.objects.filter(model_id=site.pathway_model_id).prefetch_related(
        Prefetch("criteria", queryset=StepCriterion.objects.order_by("order", "id"))
    )
    by_criterion: dict[int, list[Evidence]] = {}
    for item in evidence_qs:
        by_criterion.setdefault(item.criterion_id, []).append(item)
    states = []
    for step in steps:
        states.append(
            StepState(
                step=step,
                progress=progress[step.pk],
                criteria=[CriterionState(c, by_criterion.get(c.pk, [])) for c in step.criteria.all()],
            )
        )
    return states


def current_step(states: list[StepState]) -> StepState | None:
    return next((s for s in states if not s.progress.is_complete), None)


def site_timeline_events(site: Site) -> QuerySet[PathwayEvent]:
    """The site's timeline, newest first, ready to slice or paginate."""
    return (
        PathwayEvent.objects.filter(site=site)
        .select_related("step", "criterion", "evidence", "actor")
        .order_by("-occurred_at", "-id")
    )


def site_timeline(site: Site, *, limit: int = 50) -> list[PathwayEvent]:
    return list(site_timeline_events(site)[:limit])


def criterion_for_site(site: Site, criterion_id: int) -> StepCriterion:
    criterion = (
        StepCriterion.objects.select_related("step")
        .filter(pk=criterion_id, step__model_id=site.pathway_model_id)
        .first()
    )
    if criterion is None:
        raise Http404("No such criterion in this site's pathway")
    return criterion


def evidence_for_site(site: Site, evidence_id: int) -> Evidence:
    item = Evidence.objects.select_related("criterion__step", "site").filter(pk=evidence_id, site=site).first()
    if item is None:
        raise Http404("No such evidence in this site")
    return item


def has_overdue(site: Site, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return StepProgress.objects.filter(site=site, due_on__lt=today).exclude(status=StepStatus.COMPLETE).exists()


def programmes_administered(user: Any) -> QuerySet[Programme]:
    if user is None or not user.is_authenticated:
        return Programme.objects.none()
    if user.is_superuser:
        return Programme.objects.all()
    return Programme.objects.filter(pk__in=admin_programme_ids(user))


def programme_administered(user: Any, slug: str) -> Programme:
    programme = programmes_administered(user).filter(slug=slug).first()
    if programme is None:
        raise Http404("No such programme")
    return programme


def pathway_model_choices() -> list[tuple[str, str]]:
    return [(str(m.pk), f"{m.title} (version {m.version})") for m in PathwayModel.objects.order_by("key", "-version")]


def organisation_choices(programme: Programme) -> list[tuple[str, str]]:
    from c2hub.people.models import Organisation

    return [(str(pk), name) for pk, name in Organisation.objects.filter(programme=programme).values_list("pk", "name")]
