"""A published newsletter is suggested as evidence that communication channels are open (step 4),
and attaches in one click."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from c2hub.newsletters import services
from c2hub.programmes import records
from c2hub.programmes.models import Evidence, StepCriterion
from c2hub.programmes.suggestions import suggestions_for

pytestmark = pytest.mark.django_db


def _channels(site) -> StepCriterion:
    return StepCriterion.objects.get(step__model_id=site.pathway_model_id, key="communication-channels")


def test_published_newsletters_are_suggested_until_attached(client, site, facilitator, published):
    draft = services.issue_create(actor=None, site=site, title="Not yet")
    criterion = _channels(site)
    suggested = suggestions_for(site, criterion)
    assert [s.record for s in suggested] == [published]
    assert draft not in [s.record for s in suggested]

    client.force_login(facilitator)
    pathway = reverse("site_pathway", args=[site.slug])
    response = client.post(suggested[0].attach_url, {"criterion": criterion.pk, "next": pathway})
    assert response.status_code == 302 and response["Location"] == pathway
    evidence = Evidence.objects.get(site=site, criterion=criterion)
    assert evidence.record == published and evidence.summary == "Newsletter 1: Spring news"
    assert suggestions_for(site, criterion) == []


def test_a_newsletter_is_evidence_once_and_only_when_published(site, facilitator, published):
    criterion = _channels(site)
    services.issue_attach_evidence(actor=facilitator, issue=published, criterion=criterion)
    with pytest.raises(ValidationError):
        services.issue_attach_evidence(actor=facilitator, issue=published, criterion=criterion)
    draft = services.issue_create(actor=None, site=site, title="Draft")
    with pytest.raises(ValidationError):
        services.issue_attach_evidence(actor=facilitator, issue=draft, criterion=criterion)


def test_published_newsletters_are_linkable_records(site, published):
    services.issue_create(actor=None, site=site, title="Draft")
    labels = [label for _, label in records.record_choices(site) if label.startswith("Newsletter:")]
    assert labels == ["Newsletter: Newsletter 1: Spring news"]
