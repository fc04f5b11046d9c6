"""Every write to programmes, sites and the pathway goes through these functions.

Each runs in one transaction, checks the actor's permission with the rules in
``c2hub/accounts/rules.py``, records a timeline entry where the pathway changes, and is
attributed to the actor in the audit log.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.rules import require
from c2hub.programmes.models import (
    Evidence,
    EvidenceKind,
    FundingLine,
    PathwayEvent,
    PathwayModel,
    PathwayStep,
    Programme,
    Site,
    StepCriterion,
    StepProgress,
    StepStatus,
    lsoa_code_validator,
)


class StepNotReady(Exception):
    """A step cannot complete: these criteria have no evidence yet."""

    def __init__(self, step: PathwayStep, unevidenced: Sequence[StepCriterion]) -> None:
        self.step = step
        self.unevidenced = list(unevidenced)
        super().__init__(f"Step {step.number} cannot be completed: {len(self.unevidenced)} criteria have no evidence")


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _touch(site: Site, when: dt.datetime | None = None) -> None:
    Site.objects.filter(pk=site.pk).update(last_activity_at=when or timezone.now())


def _clean_lsoas(codes: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        try:
            lsoa_code_validator(code)
        except ValidationError as exc:
            raise ValidationError({"lsoa_codes": f"{code!r}: {exc.messages[0]}"}) from exc
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


# Sites ------------------------------------------------------------------------------------------
def site_create(
    *,
    actor: Any,
    programme: Programme,
    name: str,
    slug: str,
    pathway_model: PathwayModel,
    start_date: dt.date,
    planned_length_months: int = 24,
    local_authority: str = "",
    local_authority_code: str = "",
    wards: Sequence[dict[str, str]] = (),
    lsoa_codes: Sequence[str] = (),
    description: str = "",
    status: str = Site.Status.ACTIVE,
    lead_agency: Any = None,
    commissioner: Any = None,
) -> Site:
    """Start a site on a pathway model version: one progress row per step, due dates from the
    model's target months, and a "site started" entry on the timeline."""
    require(actor, "programmes.add_site", programme)
    with transaction.atomic(), acting_as(actor):
        site = Site(
            programme=programme,
            name=name,
            slug=slug,
            pathway_model=pathway_model,
            start_date=start_date,
            planned_length_months=planned_length_months,
            local_authority=local_authority,
            local_authority_code=local_authority_code,
            wards=list(wards),
            lsoa_codes=_clean_lsoas(lsoa_codes),
            description=description,
            status=status,
            lead_agency=lead_agency,
            commissioner=commissioner,
        )
        site.full_clean()
        site.save()
        steps = list(pathway_model.steps.all())
        StepProgress.objects.bulk_create(
            StepProgress(
                site=site,
                step=step,
                due_on=add_months(start_date, step.target_month) if step.target_month else None,
            )
            for step in steps
        )
        # bulk_create skips the audit signal: the site's own entry records the creation.
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.SITE_STARTED,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=f"Following {pathway_model}",
            occurred_at=timezone.make_aware(dt.datetime.combine(start_date, dt.time(9))),
        )
    return site


SITE_EDITABLE_FIELDS = (
    "name",
    "description",
    "status",
    "local_authority",
    "local_authority_code",
    "wards",
    "lsoa_codes",
    "lead_agency",
    "commissioner",
    "start_date",
    "planned_length_months",
    "facilitators",
)


def site_update(*, actor: Any, site: Site, **changes: Any) -> Site:
    """Change a site's details (not its pathway model: a site keeps the version it started on)."""
    require(actor, "programmes.change_site", site)
    unknown = set(changes) - set(SITE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({f: "This field cannot be changed here." for f in unknown})
    if "lsoa_codes" in changes:
        changes["lsoa_codes"] = _clean_lsoas(changes["lsoa_codes"])
    facilitators = changes.pop("facilitators", None)
    if facilitators is not None:
        outsiders = [p for p in facilitators if not p.sites.filter(pk=site.pk).exists()]
        if outsiders:
            raise ValidationError({"facilitators": "A facilitator must be one of the site's people."})
    with transaction.atomic(), acting_as(actor):
        for name, value in changes.items():
            setattr(site, name, value)
        site.full_clean()
        site.save()
        if facilitators is not None:
            site.facilitators.set(facilitators)
        _touch(site)
    return site


def funding_line_create(
    *,
    actor: Any,
    site: Site,
    description: str,
    funder: Any = None,
    funder_name: str = "",
    amount: Decimal | None = None,
    status: str = FundingLine.Status.AWARDED,
    steps_covered: Sequence[int] = (),
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    notes: str = "",
) -> FundingLine:
    require(actor, "programmes.change_site", site)
    step_numbers = set(site.pathway_model.steps.values_list("number", flat=True))
    bad = [n for n in steps_covered if n not in step_numbers]
    if bad:
        raise ValidationError({"steps_covered": f"No such step in this site's model: {bad}"})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The end date is before the start date."})
    with transaction.atomic(), acting_as(actor):
        line = FundingLine(
            site=site,
            funder=funder,
            funder_name=funder_name,
            description=description,
            amount=amount,
            status=status,
            steps_covered=sorted(steps_covered),
            starts_on=starts_on,
            ends_on=ends_on,
            notes=notes,
        )
        line.full_clean()
        line.save()
        _touch(site)
    return line


# The pathway ------------------------------------------------------------------------------------
def _progress(site: Site, step_number: int) -> StepProgress:
    try:
        return StepProgress.objects.select_related("step").get(site=site, step__number=step_number)
    except StepProgress.DoesNotExist:
        raise StepProgress.DoesNotExist(f"{site.name} has no step {step_number} in its pathway model") from None


def unevidenced_criteria(site: Site, step: PathwayStep) -> list[StepCriterion]:
    evidenced = Evidence.objects.filter(site=site, criterion__step=step).values("criterion_id")
    return list(step.criteria.exclude(pk__in=evidenced))


@transaction.atomic
def evidence_add(
    *,
    actor: Any,
    site: Site,
    criterion: StepCriterion,
    kind: str,
    summary: str,
    note: str = "",
    url: str = "",
    file: UploadedFile | None = None,
    record: models.Model | None = None,
    occurred_on: dt.date | None = None,
) -> Evidence:
    """Add an evidence item to one of the site's criteria. A step not yet started moves to
    "in progress"."""
    require(actor, "programmes.add_evidence", site)
    if criterion.step.model_id != site.pathway_model_id:
        raise ValidationError({"criterion": "This criterion is not part of the site's pathway model."})
    errors: dict[str, str] = {}
    if kind == EvidenceKind.FILE and not file:
        errors["file"] = "Choose a file to upload."
    if kind == EvidenceKind.LINK and not url:
        errors["url"] = "Enter the link's address."
    if kind == EvidenceKind.RECORD and record is None:
        errors["record"] = "Choose the record that evidences this criterion."
    if kind == EvidenceKind.NOTE and not note.strip() and not summary.strip():
        errors["note"] = "Write the note."
    if record is not None and getattr(record, "site_id", site.pk) != site.pk:
        errors["record"] = "That record belongs to another site."
    if errors:
        raise ValidationError(errors)
    with acting_as(actor):
        evidence = Evidence(
            site=site,
            criterion=criterion,
            kind=kind,
            summary=summary.strip(),
            note=note,
            url=url,
            occurred_on=occurred_on,
            added_by=actor,
            record_type=ContentType.objects.get_for_model(record) if record is not None else None,
            record_id=record.pk if record is not None else None,
        )
        if file is not None:
            evidence.file = file
        evidence.full_clean()
        evidence.save()
        StepProgress.objects.filter(site=site, step=criterion.step, status=StepStatus.NOT_STARTED).update(
            status=StepStatus.IN_PROGRESS
        )
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.EVIDENCE_ADDED,
            step=criterion.step,
            criterion=criterion,
            evidence=evidence,
            actor=actor,
            occurred_at=evidence.added_at,
        )
        _touch(site, evidence.added_at)
    return evidence


@transaction.atomic
def evidence_verify(*, actor: Any, evidence: Evidence) -> Evidence:
    """Record that someone who runs the site has checked an evidence item."""
    require(actor, "programmes.verify_evidence", evidence.site)
    if evidence.is_verified:
        return evidence
    with acting_as(actor):
        evidence.verified_by = actor
        evidence.verified_at = timezone.now()
        evidence.save(update_fields=["verified_by", "verified_at"])
        PathwayEvent.objects.create(
            site=evidence.site,
            kind=PathwayEvent.Kind.EVIDENCE_VERIFIED,
            step=evidence.criterion.step,
            criterion=evidence.criterion,
            evidence=evidence,
            actor=actor,
            occurred_at=evidence.verified_at,
        )
        _touch(evidence.site, evidence.verified_at)
    return evidence


@dataclass(frozen=True)
class StepOutcome:
    progress: StepProgress
    overridden: bool


@transaction.atomic
def step_complete(*, actor: Any, site: Site, step_number: int, override_reason: str = "") -> StepOutcome:
    """Complete a step. Refused (StepNotReady) while a criterion has no evidence, unless a
    programme admin overrides with a written reason."""
    require(actor, "programmes.complete_step", site)
    progress = _progress(site, step_number)
    if progress.is_complete:
        raise ValidationError({"step": f"Step {step_number} is already complete."})
    missing = unevidenced_criteria(site, progress.step)
    override_reason = override_reason.strip()
    overridden = False
    if missing:
        if not override_reason:
            raise StepNotReady(progress.step, missing)
        require(actor, "programmes.override_step", site)
        overridden = True
    now = timezone.now()
    with acting_as(actor):
        progress.status = StepStatus.COMPLETE
        progress.completed_at = now
        progress.completed_by = actor
        progress.overridden = overridden
        progress.override_reason = override_reason if overridden else ""
        progress.save()
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.STEP_OVERRIDDEN if overridden else PathwayEvent.Kind.STEP_COMPLETED,
            step=progress.step,
            reason=progress.override_reason,
            actor=actor,
            occurred_at=now,
        )
        _touch(site, now)
    return StepOutcome(progress=progress, overridden=overridden)


@transaction.atomic
def step_reopen(*, actor: Any, site: Site, step_number: int, reason: str) -> StepProgress:
    """Reopen a completed step: progress is not linear. The evidence stays."""
    require(actor, "programmes.reopen_step", site)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the step is being reopened."})
    progress = _progress(site, step_number)
    if not progress.is_complete:
        raise ValidationError({"step": f"Step {step_number} is not complete, so it cannot be reopened."})
    now = timezone.now()
    with acting_as(actor):
        progress.status = StepStatus.IN_PROGRESS
        progress.completed_at = None
        progress.completed_by = None
        progress.overridden = False
        progress.override_reason = ""
        progress.save()
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.STEP_REOPENED,
            step=progress.step,
            reason=reason,
            actor=actor,
            occurred_at=now,
        )
        _touch(site, now)
    return progress


@transaction.atomic
def step_set_due_date(*, actor: Any, site: Site, step_number: int, due_on: dt.date | None) -> StepProgress:
    require(actor, "programmes.change_site", site)
    progress = _progress(site, step_number)
    with acting_as(actor):
        progress.due_on = due_on
        progress.save(update_fields=["due_on"])
        PathwayEvent.objects.create(
            site=site,
            kind=PathwayEvent.Kind.DUE_DATE_CHANGED,
            step=progress.step,
            reason=f"Due {due_on:%d %B %Y}" if due_on else "No due date",
            actor=actor,
        )
    return progress
