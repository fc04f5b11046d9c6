"""Writes to the action plan: the rules, each broken one a field-level error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from c2hub.actions import services
from c2hub.actions.models import Action, ActionStatus, ActionUpdate
from c2hub.events import services as event_services
from c2hub.events.models import EventKind, EventStatus
from c2hub.people.models import OrganisationKind, PersonKind
from tests.events.conftest import days_ago
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _errors(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_create_an_action_from_a_priority_with_its_leads(site, said, agency, officer, resident, facilitator):
    objective = services.objective_create(actor=facilitator, site=site, title="Safer pavements", theme=said.parking)
    action = services.action_create(
        actor=facilitator,
        site=site,
        title="Bollards on Maple Road",
        objective=objective,
        lead_resident=resident,
        lead_organisation=agency,
        lead_officer=officer,
        due_on=dt.date(2014, 3, 31),
        asked_on=dt.date(2014, 1, 10),
        acknowledged_on=dt.date(2014, 1, 12),
        first_response_on=dt.date(2014, 1, 20),
    )
    assert action.theme == said.parking  # from the objective
    assert action.status == ActionStatus.NOT_STARTED and action.created_by == facilitator


def test_people_and_organisations_of_another_site_are_refused(site, other_site, said, agency, facilitator):
    stranger = PersonFactory(programme=site.programme, name="Someone Else", sites=[other_site])
    elsewhere = OrganisationFactory(programme=site.programme, kind=OrganisationKind.POLICE)
    elsewhere.sites.add(other_site)
    group = OrganisationFactory(programme=site.programme, kind=OrganisationKind.COMMUNITY_GROUP)
    group.sites.add(site)
    worker = PersonFactory(programme=site.programme, kind=PersonKind.WORKER, sites=[site], organisation=elsewhere)
    errors = _errors(
        services.action_create,
        actor=facilitator,
        site=site,
        title="X",
        lead_resident=stranger,
        lead_organisation=elsewhere,
    )
    assert set(errors) == {"lead_resident", "lead_organisation"}
    assert (
        "community group"
        in _errors(services.action_create, actor=facilitator, site=site, title="X", lead_organisation=group)[
            "lead_organisation"
        ][0]
    )
    assert (
        "must work for"
        in _errors(
            services.action_create,
            actor=facilitator,
            site=site,
            title="X",
            lead_organisation=agency,
            lead_officer=worker,
        )["lead_officer"][0]
    )


def test_agency_dates_in_order_and_dropped_needs_a_reason(site, agency, facilitator):
    errors = _errors(
        services.action_create,
        actor=facilitator,
        site=site,
        title="Fix the lights",
        lead_organisation=agency,
        asked_on=dt.date(2014, 2, 1),
        acknowledged_on=dt.date(2014, 1, 30),
        completed_on=dt.date(2014, 1, 2),
        status=ActionStatus.DROPPED,
    )
    assert errors["completed_on"] == ["The action cannot be completed before the agency was asked."]
    assert "acknowledge" in errors["acknowledged_on"][0]
    assert errors["dropped_reason"] == ["Say why the action was dropped."]
    assert "status" in _errors(services.action_create, actor=facilitator, site=site, title="X", status="finished")
    assert (
        "future"
        in _errors(
            services.action_create,
            actor=facilitator,
            site=site,
            title="X",
            lead_organisation=agency,
            asked_on=dt.date.today() + dt.timedelta(days=3),
        )["asked_on"][0]
    )


def test_the_database_refuses_dates_out_of_order_too(site):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(site=site, title="X", asked_on=dt.date(2014, 2, 1), completed_on=dt.date(2014, 1, 1))


def test_updates_move_the_status_done_sets_completed_on(site, agency, facilitator):
    action = services.action_create(
        actor=facilitator, site=site, title="Clear the alley", lead_organisation=agency, asked_on=dt.date(2014, 1, 6)
    )
    services.action_update_add(
        actor=facilitator, action=action, status=ActionStatus.IN_PROGRESS, note="Survey done", on=dt.date(2014, 1, 20)
    )
    update = services.action_update_add(
        actor=facilitator,
        action=action,
        status=ActionStatus.DONE,
        note="Skip came",
        on=dt.date(2014, 2, 3),
        what_changed="The alley is clear.",
    )
    action.refresh_from_db()
    assert update.status == ActionStatus.DONE
    assert action.status == ActionStatus.DONE and action.completed_on == dt.date(2014, 2, 3)
    assert action.what_changed == "The alley is clear."
    assert [u.status for u in ActionUpdate.objects.filter(action=action)] == ["in_progress", "done"]
    # Done without a date and no update: today.
    other = services.action_create(actor=facilitator, site=site, title="Paint", status=ActionStatus.DONE)
    assert other.completed_on == dt.date.today()


def test_update_errors(site, agency, facilitator):
    action = services.action_create(actor=facilitator, site=site, title="Clear the alley")
    assert "dropped_reason" in _errors(services.action_update_add, actor=facilitator, action=action, status="dropped")
    assert "status" in _errors(services.action_update_add, actor=facilitator, action=action, status="nope", note="x")
    assert "note" in _errors(services.action_update_add, actor=facilitator, action=action, status=action.status)
    services.action_update_add(actor=facilitator, action=action, status="dropped", note="The council sold the land.")
    action.refresh_from_db()
    assert action.dropped_reason == "The council sold the land."


def test_an_update_at_a_meeting_is_in_its_published_minutes_without_names(site, resident, facilitator):
    meeting = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="March meeting",
        starts_at=days_ago(20),
        status=EventStatus.HELD,
    )
    later = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="April meeting",
        starts_at=days_ago(5),
        status=EventStatus.HELD,
    )
    action = services.action_create(actor=facilitator, site=site, title="Youth club on Fridays", lead_resident=resident)
    update = services.action_update_add(
        actor=facilitator,
        action=action,
        status=ActionStatus.IN_PROGRESS,
        note="Doreen Pike has the hall keys",
        meeting=meeting,
    )
    assert update.on == days_ago(20).date()
    event_services.minutes_save(actor=None, event=meeting, agenda="", text="We met.")
    event_services.minutes_approve(actor=None, event=meeting, at_meeting=later)
    minutes = event_services.minutes_publish(actor=None, event=meeting)
    assert "Action plan updates" in minutes.published_text
    assert "Youth club on Fridays: In progress. a resident has the hall keys" in minutes.published_text
    assert "Doreen" not in minutes.published_text and "Pike" not in minutes.published_text
    # Another site's meeting is refused.
    assert "meeting" in _errors(
        services.action_update_add, actor=facilitator, action=action, status="done", meeting=_foreign_meeting(site)
    )


def _foreign_meeting(site):
    from tests.factories import make_site

    elsewhere = make_site(programme=site.programme, name="Redruth", slug="redruth", lsoa_codes=("E01018900",))
    return event_services.event_create(
        actor=None, site=elsewhere, kind=EventKind.PARTNERSHIP_MEETING, title="Theirs", starts_at=days_ago(3)
    )


def test_an_action_from_a_walkabout_finding(site, facilitator):
    walkabout = event_services.event_create(
        actor=None,
        site=site,
        kind=EventKind.WALKABOUT,
        title="Walkabout",
        starts_at=days_ago(9),
        status=EventStatus.HELD,
    )
    finding = event_services.finding_add(actor=None, event=walkabout, kind="issue", title="Broken swings")
    action = services.action_from_finding(actor=facilitator, finding=finding)
    assert action.title == "Broken swings" and action.source_finding == finding


def test_permission_is_checked(site, commissioner):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.action_create(actor=commissioner, site=site, title="X")


def test_pathway_suggests_responsiveness_and_done_actions_once(site, agency, facilitator):
    from c2hub.programmes.models import StepCriterion
    from c2hub.programmes.suggestions import suggestions_by_criterion

    services.action_create(
        actor=facilitator,
        site=site,
        title="Clear the alley",
        lead_organisation=agency,
        asked_on=dt.date(2014, 1, 6),
        first_response_on=dt.date(2014, 1, 16),
        status=ActionStatus.DONE,
        completed_on=dt.date(2014, 2, 1),
        what_changed="The alley is clear.",
    )
    criteria = list(
        StepCriterion.objects.filter(
            step__model_id=site.pathway_model_id,
            key__in=["accelerated-responses", "visible-change", "monthly-meetings"],
        )
    )
    by_key = {c.key: c for c in criteria}
    found = suggestions_by_criterion(site, criteria)
    assert [s.title for s in found[by_key["visible-change"].pk]] == ["Clear the alley"]
    (responsiveness,) = found[by_key["accelerated-responses"].pk]
    assert responsiveness.attach_url.endswith("/actions/responsiveness/evidence/")
    assert "median days to first response 10" in responsiveness.meta
    assert by_key["monthly-meetings"].pk not in found  # meetings are the events app's suggestions
    evidence = services.responsiveness_attach_evidence(
        actor=facilitator, site=site, criterion=by_key["accelerated-responses"]
    )
    assert evidence.summary.startswith("Agency responsiveness: 1 action asked of agencies")
    assert (
        "Southend Borough Council: 1 action, median 10 days to first response, 26 days to completion" in evidence.note
    )
    action = Action.objects.get(title="Clear the alley")
    services.action_attach_evidence(actor=facilitator, action=action, criterion=by_key["visible-change"])
    assert suggestions_by_criterion(site, criteria) == {}
    with pytest.raises(ValidationError):
        services.action_attach_evidence(actor=facilitator, action=action, criterion=by_key["visible-change"])
