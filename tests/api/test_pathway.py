"""The pathway through the API: read it, add and verify evidence, complete and reopen steps —
with the same permissions as the pages, through the same services."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind, PathwayEvent, StepStatus
from tests.factories import GroupFactory, make_site


def criterion_of(site, step_number: int = 1, index: int = 0):
    return list(site.pathway_model.steps.get(number=step_number).criteria.all())[index]


def evidence_url(site, criterion) -> str:
    return f"/api/v1/sites/{site.slug}/pathway/criteria/{criterion.pk}/evidence"


def evidence_all(site, step_number, actor):
    for criterion in site.pathway_model.steps.get(number=step_number).criteria.all():
        services.evidence_add(
            actor=actor, site=site, criterion=criterion, kind=EvidenceKind.NOTE,
            summary=f"Evidence for {criterion.key}",
        )


def test_pathway_shows_steps_criteria_and_evidence(site, facilitator, api_as):
    criterion = criterion_of(site)
    item = services.evidence_add(
        actor=facilitator, site=site, criterion=criterion, kind=EvidenceKind.LINK,
        summary="Ward profile", url="https://example.org/profile",
    )
    services.evidence_verify(actor=facilitator, evidence=item)

    response = api_as(facilitator).get(f"/api/v1/sites/{site.slug}/pathway")

    assert response.status_code == 200
    body = response.json()
    assert body["pathway_model"]["key"] == "c2-seven-steps"
    assert body["current_step"] == 1
    assert [s["number"] for s in body["steps"]] == [1, 2, 3, 4, 5, 6, 7]
    step1 = body["steps"][0]
    assert step1["status"] == "in_progress" and step1["criteria_total"] == 4
    assert step1["criteria_evidenced"] == 1 and not step1["ready"]
    assert step1["due_on"] is not None and step1["completed_at"] is None
    first = step1["criteria"][0]
    assert first["id"] == criterion.pk and first["evidenced"] and first["verified"]
    [evidence] = first["evidence"]
    assert evidence["url"] == "https://example.org/profile" and evidence["verified"]
    assert evidence["verified_by"]["id"] == facilitator.pk
    assert not step1["criteria"][1]["evidenced"]


def test_a_member_adds_a_note_as_evidence(site, member, api_as):
    criterion = criterion_of(site)
    response = api_as(member).post(
        evidence_url(site, criterion),
        {"kind": "note", "summary": "Walkabout with residents", "note": "Twelve came",
         "occurred_on": "2013-06-14"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "note" and body["occurred_on"] == "2013-06-14"
    assert body["added_by"]["id"] == member.pk and not body["verified"]
    assert site.evidence.get().summary == "Walkabout with residents"
    assert site.timeline.filter(kind=PathwayEvent.Kind.EVIDENCE_ADDED).exists()
    assert site.step_progress.get(step__number=1).status == StepStatus.IN_PROGRESS


def test_a_link_needs_a_valid_address(site, member, api_as):
    api = api_as(member)
    missing = api.post(evidence_url(site, criterion_of(site)), {"kind": "link", "summary": "Notes"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == {"url": ["Enter the link's address."]}
    bad = api.post(
        evidence_url(site, criterion_of(site)), {"kind": "link", "summary": "x", "url": "not a url"}
    )
    assert bad.status_code == 422 and "url" in bad.json()["errors"]
    assert not site.evidence.exists()


def test_a_group_of_the_site_is_evidence_for_a_criterion(site, member, api_as):
    group = GroupFactory(site=site, name="Southchurch Steering Network")
    response = api_as(member).post(
        evidence_url(site, criterion_of(site, 1, 2)),
        {"kind": "record", "summary": "The steering network",
         "record": {"type": "people.group", "id": group.pk}},
    )
    assert response.status_code == 201, response.content
    assert response.json()["record"] == {"type": "people.group", "type_name": "group", "id": group.pk}


def test_a_record_of_another_site_or_unknown_is_refused(site, other_site, member, api_as):
    theirs = GroupFactory(site=other_site)
    api = api_as(member)
    for record in ({"type": "people.group", "id": theirs.pk}, {"type": "people.group", "id": 999999},
                   {"type": "no.such", "id": 1}, {"type": "nonsense", "id": 1}):
        response = api.post(
            evidence_url(site, criterion_of(site)),
            {"kind": "record", "summary": "Theirs", "record": record},
        )
        assert response.status_code == 422, record
        assert response.json()["errors"] == {"record": ["No such record in this site."]}
    assert not site.evidence.exists()


def test_a_criterion_of_another_pathway_model_is_404(site, member, api_as):
    newer = make_site(programme=site.programme, name="Newer", version="2.0")
    foreign = criterion_of(newer)
    response = api_as(member).post(evidence_url(site, foreign), {"kind": "note", "summary": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No such criterion in this site's pathway"}
    assert api_as(member).post(
        f"/api/v1/sites/{site.slug}/pathway/criteria/987654/evidence", {"kind": "note", "summary": "x"}
    ).status_code == 404


@pytest.mark.parametrize("role", ["commissioner", "researcher"])
def test_commissioners_and_researchers_cannot_add_evidence(site, role, request, api_as):
    user = request.getfixturevalue(role)
    response = api_as(user).post(evidence_url(site, criterion_of(site)), {"kind": "note", "summary": "x"})
    assert response.status_code == 403
    assert "detail" in response.json()
    assert not site.evidence.exists()


def test_a_file_is_uploaded_as_evidence_and_downloaded(site, member, commissioner, api_as):
    upload = SimpleUploadedFile("terms.txt", b"Terms of reference", content_type="text/plain")
    response = api_as(member).upload(
        evidence_url(site, criterion_of(site)) + "/file",
        {"summary": "Terms of reference", "file": upload, "occurred_on": "2013-07-01"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "file" and body["occurred_on"] == "2013-07-01"
    download = api_as(commissioner).get(body["file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Terms of reference"


def test_an_upload_without_a_file_is_422(site, member, api_as):
    response = api_as(member).upload(evidence_url(site, criterion_of(site)) + "/file", {"summary": "x"})
    assert response.status_code == 422 and "file" in response.json()["detail"]


def test_an_upload_over_the_limit_is_413(site, member, api_as, settings):
    settings.C2HUB_EVIDENCE_MAX_BYTES = 10
    upload = SimpleUploadedFile("big.txt", b"x" * 11)
    response = api_as(member).upload(
        evidence_url(site, criterion_of(site)) + "/file", {"summary": "Big", "file": upload}
    )
    assert response.status_code == 413 and not site.evidence.exists()


def test_verifying_evidence_needs_someone_who_runs_the_site(site, member, facilitator, api_as):
    item = services.evidence_add(
        actor=member, site=site, criterion=criterion_of(site), kind=EvidenceKind.NOTE, summary="x"
    )
    url = f"/api/v1/sites/{site.slug}/pathway/evidence/{item.pk}/verify"
    assert api_as(member).post(url).status_code == 403
    response = api_as(facilitator).post(url)
    assert response.status_code == 200
    assert response.json()["verified"] and response.json()["verified_by"]["id"] == facilitator.pk
    assert site.timeline.filter(kind=PathwayEvent.Kind.EVIDENCE_VERIFIED).count() == 1


def test_evidence_of_another_site_cannot_be_verified_here(site, other_site, programme_admin, api_as):
    theirs = services.evidence_add(
        actor=programme_admin, site=other_site, criterion=criterion_of(other_site), kind=EvidenceKind.NOTE,
        summary="x",
    )
    response = api_as(programme_admin).post(
        f"/api/v1/sites/{site.slug}/pathway/evidence/{theirs.pk}/verify"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_verified


def test_completing_a_step_without_evidence_is_409_with_the_criteria(site, facilitator, api_as):
    response = api_as(facilitator).post(f"/api/v1/sites/{site.slug}/pathway/steps/1/complete")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Step 1 cannot be completed: 4 criteria have no evidence"
    assert [c["key"] for c in body["unevidenced"]] == [
        "neighbourhood-targeted", "key-residents-identified", "steering-group-established",
        "commitment-to-seven-steps",
    ]
    assert set(body["unevidenced"][0]) == {"id", "key", "text"}
    assert site.step_progress.get(step__number=1).status == StepStatus.NOT_STARTED


def test_a_step_completes_once_every_criterion_is_evidenced(site, facilitator, api_as):
    evidence_all(site, 1, facilitator)
    response = api_as(facilitator).post(f"/api/v1/sites/{site.slug}/pathway/steps/1/complete")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "complete" and not body["overridden"]
    assert body["completed_by"]["id"] == facilitator.pk
    again = api_as(facilitator).post(f"/api/v1/sites/{site.slug}/pathway/steps/1/complete")
    assert again.status_code == 422 and again.json()["detail"] == "step: Step 1 is already complete."


def test_a_programme_admin_overrides_with_a_reason(site, programme_admin, api_as):
    response = api_as(programme_admin).post(
        f"/api/v1/sites/{site.slug}/pathway/steps/1/complete",
        {"override_reason": "The evidence is on paper"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["overridden"] and body["override_reason"] == "The evidence is on paper"
    assert site.timeline.filter(kind=PathwayEvent.Kind.STEP_OVERRIDDEN).exists()


def test_a_facilitator_cannot_override(site, facilitator, api_as):
    response = api_as(facilitator).post(
        f"/api/v1/sites/{site.slug}/pathway/steps/1/complete", {"override_reason": "Trust me"}
    )
    assert response.status_code == 403
    assert site.step_progress.get(step__number=1).status == StepStatus.NOT_STARTED


def test_members_cannot_complete_steps(site, member, api_as):
    evidence_all(site, 1, member)
    response = api_as(member).post(f"/api/v1/sites/{site.slug}/pathway/steps/1/complete")
    assert response.status_code == 403


def test_an_unknown_step_number_is_404(site, facilitator, api_as):
    api = api_as(facilitator)
    response = api.post(f"/api/v1/sites/{site.slug}/pathway/steps/9/complete")
    assert response.status_code == 404 and "no step 9" in response.json()["detail"]
    reopen = api.post(f"/api/v1/sites/{site.slug}/pathway/steps/9/reopen", {"reason": "x"})
    assert reopen.status_code == 404


def test_a_step_is_reopened_with_a_reason(site, facilitator, api_as):
    evidence_all(site, 1, facilitator)
    services.step_complete(actor=facilitator, site=site, step_number=1)
    api = api_as(facilitator)
    url = f"/api/v1/sites/{site.slug}/pathway/steps/1/reopen"
    assert api.post(url, {}).status_code == 422
    assert api.post(url, {"reason": "   "}).status_code == 422
    response = api.post(url, {"reason": "The steering group lapsed"})
    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert site.timeline.filter(
        kind=PathwayEvent.Kind.STEP_REOPENED, reason="The steering group lapsed"
    ).exists()
    assert site.evidence.count() == 4
    not_complete = api.post(url, {"reason": "Again"})
    assert not_complete.status_code == 422
