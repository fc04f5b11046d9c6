"""The pathway engine: gating on evidence, override with a reason, reopening, model versions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind, PathwayEvent, StepStatus
from c2hub.programmes.selectors import pathway_state


def evidence_all(site, step_number, actor):
    for criterion in site.pathway_model.steps.get(number=step_number).criteria.all():
        services.evidence_add(
            actor=actor, site=site, criterion=criterion, kind=EvidenceKind.NOTE,
            summary=f"Evidence for {criterion.key}", note="Seen at the workshop",
        )


def test_step_cannot_complete_without_evidence(site, facilitator):
    with pytest.raises(services.StepNotReady) as refused:
        services.step_complete(actor=facilitator, site=site, step_number=1)
    assert {c.key for c in refused.value.unevidenced} == {
        "neighbourhood-targeted", "key-residents-identified", "steering-group-established",
        "commitment-to-seven-steps",
    }
    assert site.step_progress.get(step__number=1).status == StepStatus.NOT_STARTED


def test_step_completes_when_every_criterion_is_evidenced(site, facilitator):
    evidence_all(site, 1, facilitator)
    outcome = services.step_complete(actor=facilitator, site=site, step_number=1)
    assert outcome.progress.status == StepStatus.COMPLETE and not outcome.overridden
    kinds = list(site.timeline.values_list("kind", flat=True))
    assert kinds.count(PathwayEvent.Kind.EVIDENCE_ADDED) == 4
    assert PathwayEvent.Kind.STEP_COMPLETED in kinds


def test_evidence_moves_a_step_in_progress(site, member):
    criterion = site.pathway_model.steps.get(number=2).criteria.first()
    services.evidence_add(actor=member, site=site, criterion=criterion, kind=EvidenceKind.LINK,
                          summary="Workshop notes", url="https://example.org/notes")
    assert site.step_progress.get(step__number=2).status == StepStatus.IN_PROGRESS


def test_only_a_programme_admin_may_override_and_must_give_a_reason(site, facilitator, programme_admin):
    with pytest.raises(PermissionDenied):
        services.step_complete(actor=facilitator, site=site, step_number=1, override_reason="Trust me")
    with pytest.raises(services.StepNotReady):
        services.step_complete(actor=programme_admin, site=site, step_number=1, override_reason="   ")
    outcome = services.step_complete(
        actor=programme_admin, site=site, step_number=1, override_reason="Evidence is on paper"
    )
    assert outcome.overridden and outcome.progress.override_reason == "Evidence is on paper"
    assert site.timeline.filter(kind=PathwayEvent.Kind.STEP_OVERRIDDEN, reason="Evidence is on paper").exists()


def test_a_step_can_be_reopened_with_a_reason_and_keeps_its_evidence(site, facilitator):
    evidence_all(site, 1, facilitator)
    services.step_complete(actor=facilitator, site=site, step_number=1)
    with pytest.raises(ValidationError):
        services.step_reopen(actor=facilitator, site=site, step_number=1, reason="")
    progress = services.step_reopen(actor=facilitator, site=site, step_number=1, reason="Key resident moved away")
    assert progress.status == StepStatus.IN_PROGRESS and progress.completed_at is None
    assert site.evidence.filter(criterion__step__number=1).count() == 4
    assert site.timeline.filter(kind=PathwayEvent.Kind.STEP_REOPENED, reason="Key resident moved away").exists()
    # and it can be completed again
    services.step_complete(actor=facilitator, site=site, step_number=1)


def test_unknown_step_is_refused(site, facilitator):
    from c2hub.programmes.models import StepProgress

    with pytest.raises(StepProgress.DoesNotExist):
        services.step_complete(actor=facilitator, site=site, step_number=9)


def test_criterion_from_another_model_version_is_refused(site, facilitator):
    from tests.factories import pathway_model

    other = pathway_model("2.0").steps.get(number=1).criteria.first()
    with pytest.raises(ValidationError):
        services.evidence_add(actor=facilitator, site=site, criterion=other, kind=EvidenceKind.NOTE,
                              summary="x", note="y")


def test_commissioner_cannot_add_evidence(site, commissioner):
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=commissioner, site=site, criterion=criterion,
                              kind=EvidenceKind.NOTE, summary="x", note="y")


def test_verification_records_who_and_when(site, member, facilitator):
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    item = services.evidence_add(actor=member, site=site, criterion=criterion, kind=EvidenceKind.NOTE,
                                 summary="Two residents found", note="By the Streets Ahead co-ordinator")
    with pytest.raises(PermissionDenied):
        services.evidence_verify(actor=member, evidence=item)
    services.evidence_verify(actor=facilitator, evidence=item)
    item.refresh_from_db()
    assert item.verified_by == facilitator and item.verified_at is not None


def test_pathway_state_reads_in_constant_queries(site, facilitator, django_assert_max_num_queries):
    evidence_all(site, 1, facilitator)
    evidence_all(site, 2, facilitator)
    with django_assert_max_num_queries(4):
        states = pathway_state(site)
        assert sum(s.evidenced_count for s in states) == 7
