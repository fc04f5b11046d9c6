"""The rules of events, attendance, minutes, the learning programme, walkabouts and evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from c2hub.events import selectors, services
from c2hub.events.models import (
    Attendance,
    EventKind,
    EventStatus,
    ExchangeDirection,
    HeadCount,
    LearnerCompletion,
    MinutesStatus,
    VenueKind,
)
from c2hub.people.models import GroupKind, MembershipRole
from c2hub.people.selectors import Visibility
from c2hub.programmes.models import Evidence, StepCriterion
from tests.events.conftest import days_ago, png_upload
from tests.factories import GroupFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def criterion(site, key: str) -> StepCriterion:
    return StepCriterion.objects.get(step__model=site.pathway_model, key=key)


# Events ------------------------------------------------------------------------------------------
def test_event_create_records_everything(site, facilitator, resident, police):
    event = services.event_create(
        actor=facilitator,
        site=site,
        kind=EventKind.ENGAGEMENT_WORKSHOP,
        title="  Engagement workshop  ",
        starts_at=days_ago(3),
        steps=[2, 1, 1],
        venue_kind=VenueKind.ELSEWHERE,
        venue="Southchurch Hall",
        organisers=[resident],
        organiser_organisations=[police],
    )
    assert event.title == "Engagement workshop"
    assert event.steps == [1, 2]
    assert list(event.organisers.all()) == [resident]
    assert event.created_by == facilitator


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"venue_kind": VenueKind.ELSEWHERE, "venue": ""}, "venue"),
        ({"steps": [9]}, "steps"),
        ({"ends_at": days_ago(5)}, "ends_at"),
        ({"route_description": "Round the park"}, "route_description"),
        ({"exchange_direction": ExchangeDirection.MADE}, "exchange_direction"),
        ({"status": EventStatus.HELD, "starts_at": timezone.now() + dt.timedelta(days=2)}, "status"),
    ],
)
def test_event_create_refuses_bad_input(site, facilitator, changes, field):
    values = {"kind": EventKind.ENGAGEMENT_WORKSHOP, "title": "Workshop", "starts_at": days_ago(3)} | changes
    with pytest.raises(ValidationError) as caught:
        services.event_create(actor=facilitator, site=site, **values)
    assert field in caught.value.message_dict


def test_exchange_visit_needs_direction_and_another_site(site, other_site, facilitator):
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=facilitator, site=site, kind=EventKind.EXCHANGE_VISIT, title="Visit", starts_at=days_ago(2)
        )
    assert {"exchange_direction", "exchange_site"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=facilitator,
            site=site,
            kind=EventKind.EXCHANGE_VISIT,
            title="Visit",
            starts_at=days_ago(2),
            exchange_direction="hosted",
            exchange_site=site,
        )
    assert "exchange_site" in caught.value.message_dict
    visit = services.event_create(
        actor=facilitator,
        site=site,
        kind=EventKind.EXCHANGE_VISIT,
        title="Visit",
        starts_at=days_ago(2),
        exchange_direction="hosted",
        exchange_site=other_site,
    )
    assert visit.exchange_site == other_site


def test_site_visit_belongs_to_a_residential_of_the_site(site, other_site, facilitator, workshop):
    residential = services.event_create(
        actor=facilitator, site=site, kind=EventKind.RESIDENTIAL, title="Residential", starts_at=days_ago(50)
    )
    foreign = services.event_create(
        actor=None, site=other_site, kind=EventKind.RESIDENTIAL, title="Their residential", starts_at=days_ago(50)
    )
    for parent in (workshop, foreign):
        with pytest.raises(ValidationError) as caught:
            services.event_create(
                actor=facilitator,
                site=site,
                kind=EventKind.SITE_VISIT,
                title="Visit",
                starts_at=days_ago(49),
                parent=parent,
            )
        assert "parent" in caught.value.message_dict
    visit = services.event_create(
        actor=facilitator,
        site=site,
        kind=EventKind.SITE_VISIT,
        title="Visit",
        starts_at=days_ago(49),
        parent=residential,
    )
    assert selectors.site_visits_of(residential) == [visit]


def test_organisers_come_only_from_the_site(site, facilitator, outsider):
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=facilitator,
            site=site,
            kind=EventKind.TRAINING,
            title="Training",
            starts_at=days_ago(1),
            organisers=[outsider],
        )
    assert "organisers" in caught.value.message_dict


def test_commissioner_and_researcher_cannot_write(site, commissioner, researcher, workshop):
    for user in (commissioner, researcher):
        with pytest.raises(PermissionDenied):
            services.event_create(actor=user, site=site, kind=EventKind.TRAINING, title="T", starts_at=days_ago(1))
        with pytest.raises(PermissionDenied):
            services.event_set_status(actor=user, event=workshop, status=EventStatus.CANCELLED)


def test_status_held_cancelled(site, member, workshop):
    services.event_set_status(actor=member, event=workshop, status=EventStatus.CANCELLED)
    workshop.refresh_from_db()
    assert workshop.status == EventStatus.CANCELLED
    future = services.event_create(
        actor=member,
        site=site,
        kind=EventKind.CELEBRATION,
        title="Party",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        services.event_set_status(actor=member, event=future, status=EventStatus.HELD)


def test_filters_and_search(site, workshop, meeting, walkabout):
    assert list(selectors.events_for_site(site, kind=EventKind.WALKABOUT)) == [walkabout]
    assert list(selectors.events_for_site(site, step=1)) == [workshop]
    assert list(selectors.events_for_site(site, q="estate")) == [walkabout]
    assert list(selectors.events_for_site(site, status=EventStatus.PLANNED)) == []


# Attendance ----------------------------------------------------------------------------------------
def test_attendance_only_from_the_sites_people(site, facilitator, workshop, resident, outsider, police, other_site):
    services.attendance_add(actor=facilitator, event=workshop, person=resident)
    with pytest.raises(ValidationError) as caught:
        services.attendance_add(actor=facilitator, event=workshop, person=outsider)
    assert "person" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.attendance_add(actor=facilitator, event=workshop, person=resident)  # twice
    their_org = OrganisationFactory(programme=site.programme, name="Their council")
    their_org.sites.add(other_site)
    with pytest.raises(ValidationError) as caught:
        services.attendance_add(actor=facilitator, event=workshop, organisation=their_org)
    assert "organisation" in caught.value.message_dict
    assert Attendance.objects.filter(event=workshop).count() == 1


def test_totals_count_named_and_anonymous(facilitator, workshop, resident, officer, police):
    services.attendance_add(actor=facilitator, event=workshop, person=resident)
    services.attendance_add(actor=facilitator, event=workshop, person=officer)
    services.attendance_add(actor=facilitator, event=workshop, organisation=police)
    services.head_counts_set(
        actor=facilitator,
        event=workshop,
        counts={("resident", "26-64"): 10, ("resident", ""): 2, ("provider", "26-64"): 3},
    )
    totals = selectors.attendance_totals(workshop)
    assert (totals.residents, totals.providers, totals.total) == (13, 4, 17)
    assert totals.organisations == ["Essex Police"]
    # Replacing the head-count replaces it; zeros are not stored.
    services.head_counts_set(actor=facilitator, event=workshop, counts={("resident", "26-64"): 0, ("provider", ""): 5})
    assert list(HeadCount.objects.filter(event=workshop).values_list("participant", "count")) == [("provider", 5)]


@pytest.mark.parametrize(
    "counts", [{("resident", "26-64"): -1}, {("visitor", ""): 1}, {("resident", "200+"): 1}, {("resident", ""): 10**6}]
)
def test_head_counts_refuse_bad_input(facilitator, workshop, counts):
    with pytest.raises(ValidationError):
        services.head_counts_set(actor=facilitator, event=workshop, counts=counts)


def test_attendance_rows_apply_the_viewers_visibility(site, workshop, resident, researcher):
    services.attendance_add(actor=None, event=workshop, person=resident)
    rows = selectors.attendance_rows(workshop, Visibility.for_user(researcher, site))
    assert rows[0].person.name != resident.name and rows[0].person.pseudonymised
    assert rows[0].person.email is None


# Minutes ------------------------------------------------------------------------------------------------
def test_minutes_approved_at_a_later_held_meeting(site, facilitator, meeting, next_meeting, workshop):
    services.minutes_save(actor=facilitator, event=meeting, agenda="1. Welcome", text="We met.")
    with pytest.raises(ValidationError):  # not a meeting
        services.minutes_approve(actor=facilitator, event=meeting, at_meeting=workshop)
    with pytest.raises(ValidationError):  # not later
        services.minutes_approve(actor=facilitator, event=next_meeting, at_meeting=meeting)
    planned = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.PARTNERSHIP_MEETING,
        title="Future",
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    with pytest.raises(ValidationError):  # not held
        services.minutes_approve(actor=facilitator, event=meeting, at_meeting=planned)
    minutes = services.minutes_approve(actor=facilitator, event=meeting, at_meeting=next_meeting)
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_at == next_meeting
    assert selectors.minutes_approved_at(next_meeting) == [minutes]
    with pytest.raises(ValidationError):  # approved minutes are not changed
        services.minutes_save(actor=facilitator, event=meeting, agenda="", text="Rewritten")
    with pytest.raises(ValidationError):
        services.decision_add(actor=facilitator, event=meeting, text="Late decision")


def test_minutes_need_text_before_approval(facilitator, meeting, next_meeting):
    with pytest.raises(ValidationError) as caught:
        services.minutes_approve(actor=facilitator, event=meeting, at_meeting=next_meeting)
    assert "text" in caught.value.message_dict


def test_only_meetings_have_minutes(facilitator, workshop):
    with pytest.raises(ValidationError):
        services.minutes_save(actor=facilitator, event=workshop, agenda="", text="x")


def test_publishing_needs_approval(facilitator, meeting):
    services.minutes_save(actor=facilitator, event=meeting, agenda="", text="We met.")
    with pytest.raises(ValidationError):
        services.minutes_publish(actor=facilitator, event=meeting)


def test_published_minutes_have_no_personal_data(site, facilitator, meeting, next_meeting, resident, officer, police):
    services.attendance_add(actor=facilitator, event=meeting, person=resident)
    services.attendance_add(actor=facilitator, event=meeting, person=officer)
    services.head_counts_set(actor=facilitator, event=meeting, counts={("resident", ""): 4})
    services.minutes_save(
        actor=facilitator,
        event=meeting,
        agenda="1. Welcome from Jo Whitfield",
        text="Jo Whitfield (jo@example.net, 07700 900123, SS1 2AB) raised the park. Sam Okafor will ask. "
        "Jo said thanks.",
    )
    services.decision_add(actor=facilitator, event=meeting, text="Jo Whitfield to write to the council.")
    services.minutes_approve(actor=facilitator, event=meeting, at_meeting=next_meeting)
    published = services.minutes_publish(actor=facilitator, event=meeting).published_text
    for personal in ("Jo", "Whitfield", "Sam", "Okafor", "jo@example.net", "07700", "SS1 2AB"):
        assert personal not in published
    assert "a resident" in published and "someone from Police" in published and "SS1" in published
    assert "Attendance: 6 (5 residents, 1 from organisations)" in published
    assert "Essex Police" in published
    assert "1. a resident to write to the council." in published
    minutes = services.minutes_keep_internal(actor=facilitator, event=meeting)
    assert not minutes.is_published and minutes.published_text == ""


def test_approve_needs_the_permission(site, commissioner, meeting, next_meeting):
    services.minutes_save(actor=None, event=meeting, agenda="", text="We met.")
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=commissioner, event=meeting, at_meeting=next_meeting)


# The learning programme ----------------------------------------------------------------------------------
def _cohort(site, n: int, wave: int = 1):
    cohort = GroupFactory(site=site, kind=GroupKind.LEARNING_COHORT, name=f"Wave {wave}", wave=wave)
    from c2hub.people.models import GroupMembership

    members = []
    for i in range(n):
        person = PersonFactory(programme=site.programme, name=f"Learner {wave}-{i}", sites=[site])
        members.append(GroupMembership.objects.create(group=cohort, person=person, role=MembershipRole.LEARNER))
    return cohort, members


def test_learning_programme_lists_cohorts_and_warns_outside_six_to_eight(site, facilitator):
    small, members = _cohort(site, 4, wave=1)
    right, _ = _cohort(site, 7, wave=2)
    residential = services.event_create(
        actor=facilitator,
        site=site,
        kind=EventKind.RESIDENTIAL,
        title="Residential",
        starts_at=days_ago(60),
        cohort=small,
    )
    visit = services.event_create(
        actor=facilitator,
        site=site,
        kind=EventKind.SITE_VISIT,
        title="Visit to Beacon",
        starts_at=days_ago(59),
        parent=residential,
    )
    services.learner_complete(actor=facilitator, site=site, membership=members[0], completed_on=days_ago(58).date())
    views = selectors.learning_programme(site, Visibility.for_user(facilitator, site))
    assert [v.group for v in views] == [small, right]
    assert "4" in views[0].size_warning and views[1].size_warning == ""
    assert views[0].events == [residential] and views[0].site_visits == [visit]
    assert views[0].completed == 1


def test_completion_refuses_future_dates_and_non_learners(site, facilitator, other_site):
    cohort, members = _cohort(site, 1)
    with pytest.raises(ValidationError):
        services.learner_complete(
            actor=facilitator,
            site=site,
            membership=members[0],
            completed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    with pytest.raises(ValidationError):
        services.learner_complete(actor=None, site=other_site, membership=members[0], completed_on=timezone.localdate())
    services.learner_complete(actor=facilitator, site=site, membership=members[0], completed_on=timezone.localdate())
    services.learner_completion_undo(actor=facilitator, site=site, membership=members[0])
    assert not LearnerCompletion.objects.exists()


def test_cohort_must_be_a_learning_cohort_of_the_site(site, facilitator):
    steering = GroupFactory(site=site, kind=GroupKind.STRATEGIC_STEERING)
    with pytest.raises(ValidationError) as caught:
        services.event_create(
            actor=facilitator, site=site, kind=EventKind.RESIDENTIAL, title="R", starts_at=days_ago(3), cohort=steering
        )
    assert "cohort" in caught.value.message_dict


# Walkabouts ----------------------------------------------------------------------------------------------
def test_finding_with_point_and_photo(facilitator, walkabout):
    finding = services.finding_add(
        actor=facilitator,
        event=walkabout,
        kind="asset",
        title="Community garden",
        latitude=51.5432,
        longitude=0.7313,
        photo=png_upload(),
    )
    assert finding.has_point and finding.photo.name.startswith(f"walkabouts/{walkabout.site_id}/")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"latitude": 91, "longitude": 0}, "latitude"),
        ({"latitude": 51, "longitude": -181}, "longitude"),
        ({"latitude": 51}, "longitude"),
        ({"kind": "rumour"}, "kind"),
        ({"title": ""}, "title"),
        ({"photo": SimpleUploadedFile("x.png", b"<script>not an image</script>")}, "photo"),
    ],
)
def test_finding_refuses_bad_input(facilitator, walkabout, values, field):
    with pytest.raises(ValidationError) as caught:
        services.finding_add(actor=facilitator, event=walkabout, **({"kind": "issue", "title": "Fly-tipping"} | values))
    assert field in caught.value.message_dict


def test_big_photo_is_refused(facilitator, walkabout, settings):
    photo = png_upload()
    photo.size = services.FINDING_PHOTO_MAX_BYTES + 1
    with pytest.raises(ValidationError) as caught:
        services.finding_add(actor=facilitator, event=walkabout, kind="issue", title="Litter", photo=photo)
    assert "photo" in caught.value.message_dict


def test_findings_only_on_walkabouts(facilitator, workshop):
    with pytest.raises(ValidationError):
        services.finding_add(actor=facilitator, event=workshop, kind="issue", title="Litter")


# Evidence and suggestions ---------------------------------------------------------------------------------
def test_attach_event_as_evidence(site, member, workshop):
    target = criterion(site, "workshops-held")
    evidence = services.event_attach_evidence(actor=member, event=workshop, criterion=target)
    assert evidence.record == workshop and evidence.kind == "record"
    assert evidence.occurred_on == workshop.held_on
    with pytest.raises(ValidationError):
        services.event_attach_evidence(actor=member, event=workshop, criterion=target)
    assert selectors.event_evidence(workshop) == [evidence]


def test_attach_finding_as_evidence(site, facilitator, walkabout):
    finding = services.finding_add(actor=facilitator, event=walkabout, kind="asset", title="Garden")
    evidence = services.finding_attach_evidence(
        actor=facilitator, finding=finding, criterion=criterion(site, "communication-channels")
    )
    assert evidence.record == finding


def test_researcher_cannot_attach(site, researcher, workshop):
    with pytest.raises(PermissionDenied):
        services.event_attach_evidence(actor=researcher, event=workshop, criterion=criterion(site, "workshops-held"))


def test_suggestions_follow_the_mapping(site, facilitator, workshop, meeting, next_meeting):
    workshops = criterion(site, "workshops-held")
    assert selectors.suggested_events(site, workshops) == [workshop]
    # The first steering meeting only.
    assert selectors.suggested_events(site, criterion(site, "steering-group-established")) == [meeting]
    assert selectors.suggested_events(site, criterion(site, "monthly-meetings")) == [next_meeting, meeting]
    # A planned listening event suggests "planned", not "held".
    listening = services.event_create(
        actor=None,
        site=site,
        kind=EventKind.LISTENING_EVENT,
        title="Listening",
        starts_at=timezone.now() + dt.timedelta(days=20),
    )
    assert selectors.suggested_events(site, criterion(site, "listening-event-planned")) == [listening]
    assert selectors.suggested_events(site, criterion(site, "listening-event-held")) == []
    # Once attached, no longer suggested; unmapped criteria suggest nothing.
    services.event_attach_evidence(actor=facilitator, event=workshop, criterion=workshops)
    assert selectors.suggested_events(site, workshops) == []
    assert selectors.suggested_events(site, criterion(site, "neighbourhood-targeted")) == []


def test_suggestions_never_cross_sites(site, other_site, workshop):
    assert selectors.suggested_events(other_site, criterion(other_site, "workshops-held")) == []


def test_every_mapped_key_is_a_criterion_of_a_pathway_model(site):
    import pathlib

    import yaml

    keys = set()
    for path in pathlib.Path("pathways").glob("*.yaml"):
        for step in yaml.safe_load(path.read_text())["steps"]:
            keys |= {c["key"] for c in step["criteria"]}
    assert set(selectors.CRITERION_EVENTS) <= keys


def test_pathway_and_criterion_pages_suggest_and_attach(client, site, facilitator, workshop):
    from django.urls import reverse

    client.force_login(facilitator)
    target = criterion(site, "workshops-held")
    page = client.get(reverse("site_pathway", args=[site.slug]))
    assert f'data-testid="suggestions-{target.pk}"' in page.content.decode()
    page = client.get(reverse("criterion_detail", args=[site.slug, target.pk]))
    assert "Records that may evidence this" in page.content.decode()
    response = client.post(
        reverse("event_evidence", args=[site.slug, workshop.pk]),
        {"criterion": target.pk, "next": reverse("site_pathway", args=[site.slug]) + f"#criterion-{target.pk}"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#criterion-{target.pk}")
    assert Evidence.objects.filter(criterion=target, record_id=workshop.pk).exists()
    # An outside "next" is not followed.
    other = criterion(site, "commitment-to-seven-steps")
    response = client.post(
        reverse("event_evidence", args=[site.slug, workshop.pk]),
        {"criterion": other.pk, "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/sites/")


def test_the_list_links_a_listening_event_to_the_listening_page_once_it_has_one(site):
    from django.urls import NoReverseMatch, reverse

    from c2hub.listening.models import ListeningEvent

    event = services.event_create(
        actor=None, site=site, kind=EventKind.LISTENING_EVENT, title="Listening", starts_at=days_ago(3)
    )
    own_page = reverse("event_detail", args=[site.slug, event.pk])
    assert selectors.event_links(site, [event]) == {event.pk: own_page}
    ListeningEvent.objects.create(event=event, feedback_due=timezone.localdate())
    try:
        listening_page = reverse("listening_detail", args=[site.slug, event.pk])
    except NoReverseMatch:
        listening_page = own_page
    assert selectors.event_links(site, [event]) == {event.pk: listening_page}
