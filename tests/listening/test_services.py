"""The listening event's services: capture from every source, themes, dots and the deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.events.models import EventKind, EventStatus
from c2hub.listening import selectors, services
from c2hub.listening.models import COMMENT_MAX_LENGTH, Comment, CommentSource, Theme, VoteSource
from c2hub.programmes.models import Evidence
from tests.factories import make_site
from tests.listening.conftest import make_listening

pytestmark = pytest.mark.django_db


def add(listening, text="The park needs lights", **kw):
    kw.setdefault("participant", "resident")
    return services.comment_add(actor=None, listening=listening, text=text, **kw)


# The listening event and its deadline ------------------------------------------------------------
def test_create_makes_the_event_and_the_deadline_from_the_seed_model(site, facilitator):
    listening = services.listening_event_create(
        actor=facilitator, site=site, title="Listening event", held_on=dt.date(2013, 11, 20)
    )
    assert listening.event.kind == EventKind.LISTENING_EVENT
    assert listening.event.site == site
    assert listening.event.steps == [3]
    assert listening.event.status == EventStatus.HELD  # in the past
    assert listening.feedback_due == dt.date(2013, 11, 30)  # 10 days in v1
    assert listening.pk == listening.event.pk


def test_newer_model_gives_seven_days(programme):
    site = make_site(programme=programme, name="Newer", slug="newer", version="2.0", lsoa_codes=("E01024653",))
    listening = make_listening(site, held_on=dt.date(2024, 3, 1))
    assert listening.feedback_due == dt.date(2024, 3, 8)


def test_future_event_is_planned(site):
    listening = make_listening(site, held_on=dt.date.today() + dt.timedelta(days=30))
    assert listening.event.status == EventStatus.PLANNED


def test_attaches_to_a_planned_event(site):
    from django.utils import timezone

    from c2hub.events.models import Event

    event = Event.objects.create(
        site=site,
        kind=EventKind.LISTENING_EVENT,
        title="January listening event",
        starts_at=timezone.make_aware(dt.datetime(2014, 1, 18, 10)),
    )
    listening = services.listening_event_create(
        actor=None, site=site, title="", held_on=dt.date(2014, 1, 18), event=event
    )
    assert listening.event == event
    assert listening.feedback_due == dt.date(2014, 1, 28)
    with pytest.raises(ValidationError):
        services.listening_event_create(actor=None, site=site, title="", held_on=dt.date(2014, 1, 18), event=event)


def test_only_the_sites_team_writes(site, commissioner, researcher, member, other_site):
    with pytest.raises(PermissionDenied):
        services.listening_event_create(actor=commissioner, site=site, title="x", held_on=dt.date(2013, 1, 1))
    listening = make_listening(site)
    for user in (commissioner, researcher):
        with pytest.raises(PermissionDenied):
            services.comment_add(actor=user, listening=listening, text="hello", participant="resident")
    comment, _ = services.comment_add(actor=member, listening=listening, text="hello", participant="resident")
    assert comment.created_by == member


# Comments -----------------------------------------------------------------------------------------
def test_comment_validation_names_each_field(listening):
    with pytest.raises(ValidationError) as exc:
        add(
            listening,
            text="   ",
            participant="alien",
            age_band="7-9",
            language="not a language!",
            postcode_district="TR14 8AB",
            count="many",
        )
    errors = exc.value.message_dict
    assert set(errors) == {"text", "participant", "age_band", "language", "postcode_district", "count"}


def test_over_long_comment_is_refused(listening):
    with pytest.raises(ValidationError) as exc:
        add(listening, text="x" * (COMMENT_MAX_LENGTH + 1))
    assert "2,000 characters" in exc.value.message_dict["text"][0]
    comment, _ = add(listening, text="x" * COMMENT_MAX_LENGTH)
    assert len(comment.text) == COMMENT_MAX_LENGTH


def test_language_and_postcode_district_are_normalised(listening):
    comment, _ = add(listening, text="Za mało autobusów", language="pl_pl", postcode_district="tr14")
    assert (comment.language, comment.postcode_district) == ("pl-PL", "TR14")
    assert add(listening, text="ok", language="")[0].language == "en"


def test_name_only_with_consent(listening):
    with pytest.raises(ValidationError) as exc:
        add(listening, given_name="Jo")
    assert "given_name" in exc.value.message_dict
    comment, _ = add(listening, given_name="Jo", name_consent=True)
    assert (comment.given_name, comment.name_consent) == ("Jo", True)
    plain, _ = add(listening, name_consent=True)
    assert (plain.given_name, plain.name_consent) == ("", False)


def test_a_resent_public_submission_is_stored_once(open_listening):
    first, created = add(open_listening, source=CommentSource.PUBLIC, submission_key="k" * 32)
    again, created_again = add(open_listening, source=CommentSource.PUBLIC, submission_key="k" * 32)
    assert created and not created_again
    assert first.pk == again.pk
    assert Comment.objects.filter(listening_event=open_listening).count() == 1


def test_link_spam_is_refused(listening):
    with pytest.raises(ValidationError):
        add(listening, text="cheap http://a.example http://b.example", source=CommentSource.PUBLIC)
    with pytest.raises(ValidationError):
        add(listening, text="http://a.example http://b.example www.c.example")
    add(listening, text="See http://council.example/bins for the bin days")


def test_fast_entry_one_comment_per_line_with_tallies(listening, facilitator):
    comments = services.comments_add_lines(
        actor=facilitator,
        listening=listening,
        participant="provider",
        age_band="26-64",
        language="en",
        lines="Too many burglaries\n\n12x Nothing for teenagers to do\n  3 x Potholes on Hamstel Road  \n",
    )
    assert [(c.text, c.count) for c in comments] == [
        ("Too many burglaries", 1),
        ("Nothing for teenagers to do", 12),
        ("Potholes on Hamstel Road", 3),
    ]
    assert all(c.participant == "provider" and c.source == CommentSource.FACILITATOR for c in comments)
    assert selectors.comment_totals(listening)["voices"] == 16


def test_fast_entry_is_all_or_nothing_with_line_numbers(listening, facilitator):
    with pytest.raises(ValidationError) as exc:
        services.comments_add_lines(
            actor=facilitator,
            listening=listening,
            participant="resident",
            lines="fine\n" + "y" * (COMMENT_MAX_LENGTH + 5),
        )
    assert exc.value.message_dict["lines"][0].startswith("Line 2:")
    assert not Comment.objects.exists()


def test_paper_tally_counts(listening):
    add(listening, text="Dog fouling on the green", count=12, source=CommentSource.PAPER)
    add(listening, text="Speeding cars")
    assert selectors.comment_totals(listening) == {"comments": 2, "voices": 13, "resident": 13, "provider": 0}


# Themes -------------------------------------------------------------------------------------------
def _themed(listening):
    texts = [
        "Kids have nowhere to go at night",
        "Nothing for teenagers to do",
        "Youth club closed",
        "Burglaries on our street",
        "Drug dealing by the shops",
        "Police never around",
    ]
    comments = [add(listening, text=t)[0] for t in texts]
    youth = services.theme_create(actor=None, listening=listening, name="Young people")
    crime = services.theme_create(actor=None, listening=listening, name="Crime")
    services.comments_move(actor=None, listening=listening, comment_ids=[c.pk for c in comments[:3]], theme=youth)
    services.comments_move(actor=None, listening=listening, comment_ids=[c.pk for c in comments[3:]], theme=crime)
    return comments, youth, crime


def test_suggest_replaces_suggested_themes_but_keeps_edited_ones(listening):
    comments, youth, crime = _themed(listening)
    extra = [
        add(listening, text=t)[0] for t in ("Bins left out for weeks", "Litter everywhere", "Fly-tipping in the alley")
    ]
    themes = services.themes_suggest(actor=None, listening=listening, n_themes=1)
    kept = {t.pk for t in themes if not t.suggested}
    assert {youth.pk, crime.pk} <= kept
    suggested = [t for t in themes if t.suggested]
    assert len(suggested) == 1
    assert set(suggested[0].comments.values_list("pk", flat=True)) == {c.pk for c in extra}
    assert suggested[0].representatives and set(suggested[0].representatives) <= {c.pk for c in extra}
    again = services.themes_suggest(actor=None, listening=listening, n_themes=1)
    assert len([t for t in again if t.suggested]) == 1
    assert not Theme.objects.filter(pk=suggested[0].pk).exists()
    everything = services.themes_suggest(actor=None, listening=listening, replace_edited=True, n_themes=2)
    assert all(t.suggested for t in everything)
    assert not Comment.objects.filter(listening_event=listening, theme__isnull=True).exists()


def test_rename_merge_split_move(listening):
    comments, youth, crime = _themed(listening)
    services.theme_rename(actor=None, theme=youth, name="Things for young people to do")
    youth.refresh_from_db()
    assert youth.name == "Things for young people to do" and not youth.suggested
    with pytest.raises(ValidationError):
        services.theme_rename(actor=None, theme=youth, name="  ")
    police = services.theme_split(actor=None, theme=crime, comment_ids=[comments[5].pk], name="Policing")
    assert list(police.comments.all()) == [comments[5]]
    with pytest.raises(ValidationError):
        services.theme_split(actor=None, theme=crime, comment_ids=[comments[0].pk], name="Wrong theme")
    services.vote_add(actor=None, theme=police, participant="resident", dots=2)
    merged = services.themes_merge(actor=None, into=crime, others=[police])
    assert merged.comments.count() == 3
    assert not Theme.objects.filter(pk=police.pk).exists()
    assert selectors.priorities(listening).resident_dots == 2
    services.comments_move(actor=None, listening=listening, comment_ids=[comments[0].pk], theme=None)
    comments[0].refresh_from_db()
    assert comments[0].theme is None


def test_themes_of_another_event_are_refused(listening, site):
    _, youth, _ = _themed(listening)
    other = make_listening(site, title="Another", held_on=dt.date(2014, 5, 1))
    comment, _ = add(other, text="Hello")
    with pytest.raises(ValidationError):
        services.comments_move(actor=None, listening=other, comment_ids=[comment.pk], theme=youth)


# Dots ---------------------------------------------------------------------------------------------
def test_dots_ranked_apart_with_ties(listening):
    _, youth, crime = _themed(listening)
    bins = services.theme_create(actor=None, listening=listening, name="Bins")
    services.votes_record(
        actor=None,
        listening=listening,
        participant="resident",
        dots_by_theme={youth.pk: 9, crime.pk: 4, bins.pk: 4},
        source=VoteSource.PAPER,
    )
    services.vote_add(actor=None, theme=bins, participant="provider", dots=3)
    p = selectors.priorities(listening)
    assert [(r.theme.name, r.dots, r.rank_label) for r in p.residents] == [
        ("Young people", 9, "1st"),
        ("Bins", 4, "joint 2nd"),
        ("Crime", 4, "joint 2nd"),
    ]
    assert p.providers[0].theme == bins and p.providers[0].rank_label == "1st"
    assert p.providers[1].rank_label == "joint 2nd"  # 0 and 0


def test_live_dots_are_limited_per_participant(listening):
    _, youth, crime = _themed(listening)
    with pytest.raises(ValidationError):
        services.vote_add(actor=None, theme=youth, participant="resident", dots=4, source=VoteSource.LIVE)
    with pytest.raises(ValidationError):
        services.votes_record(
            actor=None,
            listening=listening,
            participant="resident",
            dots_by_theme={youth.pk: 2, crime.pk: 2},
            source=VoteSource.LIVE,
        )
    services.votes_record(
        actor=None,
        listening=listening,
        participant="resident",
        dots_by_theme={youth.pk: 2, crime.pk: 1},
        source=VoteSource.LIVE,
    )


# The feedback deadline ----------------------------------------------------------------------------
def _feedback_evidence(site):
    return Evidence.objects.filter(site=site, criterion__key=services.FEEDBACK_CRITERION_KEY)


def test_feedback_held_in_time_evidences_the_criterion(listening, facilitator, site):
    event = services.feedback_event_plan(actor=facilitator, listening=listening, held_on=dt.date(2013, 11, 28))
    assert event.kind == EventKind.FEEDBACK_EVENT and listening.feedback_event == event
    assert not _feedback_evidence(site).exists()
    services.feedback_event_mark_held(actor=facilitator, listening=listening, held_on=dt.date(2013, 11, 30))
    evidence = _feedback_evidence(site).get()
    assert evidence.record == event and evidence.kind == "record"
    assert evidence.occurred_on == dt.date(2013, 11, 30)
    services.feedback_event_held(event)  # again: still one
    assert _feedback_evidence(site).count() == 1


def test_late_feedback_is_not_evidenced(listening, facilitator, site):
    services.feedback_event_plan(actor=facilitator, listening=listening, held_on=dt.date(2013, 12, 1))
    services.feedback_event_mark_held(actor=facilitator, listening=listening)
    assert not _feedback_evidence(site).exists()


def test_feedback_event_held_hook_for_the_events_pages(listening, site, member):
    """The events pages' "mark held" calls feedback_event_held(event, user)."""
    event = services.feedback_event_plan(actor=None, listening=listening, held_on=dt.date(2013, 11, 25))
    assert services.feedback_event_held(event, member) is None  # planned, not held
    event.status = EventStatus.HELD
    event.save()
    assert services.feedback_event_held(event) is None  # nobody to attribute it to
    evidence = services.feedback_event_held(event, member)
    assert evidence is not None and evidence.added_by == member
    assert _feedback_evidence(site).count() == 1


def test_linking_another_sites_event_is_refused(listening, other_site):
    foreign = make_listening(other_site, title="Beacon")
    with pytest.raises(ValidationError):
        services.feedback_event_link(actor=None, listening=listening, event=foreign.event)


def test_dashboard_warnings(site):
    today = dt.date(2013, 11, 28)
    due_soon = make_listening(site, held_on=dt.date(2013, 11, 20))  # due 30 Nov: 2 days
    overdue = make_listening(site, title="Earlier", held_on=dt.date(2013, 11, 1))  # due 11 Nov
    make_listening(site, title="Later", held_on=dt.date(2013, 11, 27))  # due 7 Dec: no warning
    warnings = selectors.feedback_warnings([site], today=today)
    assert [(w.listening, w.overdue, w.days_left) for w in warnings] == [(overdue, True, -17), (due_soon, False, 2)]
    services.feedback_event_plan(actor=None, listening=overdue, held_on=dt.date(2013, 11, 12))
    services.feedback_event_mark_held(actor=None, listening=overdue)  # late, but held: no more warning
    assert [w.listening for w in selectors.feedback_warnings([site], today=today)] == [due_soon]


def test_large_events_are_themed_in_the_background(
    listening, facilitator, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from c2hub.listening.models import ThemingStatus

    monkeypatch.setattr(services, "THEMING_INLINE_MAX", 3)
    for text in ("Bins", "Litter", "Speeding cars", "Parking"):
        add(listening, text=text)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.themes_suggest_request(actor=facilitator, listening=listening, n_themes=2)
    assert done is False
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "c2hub.listening.tasks.suggest_themes_in_background" and queued.args_kwargs["args"] == [
        listening.pk
    ]
    listening.refresh_from_db()
    assert listening.theming_status == ThemingStatus.QUEUED
    with pytest.raises(ValidationError):  # not twice at once
        services.themes_suggest_request(actor=facilitator, listening=listening)
    assert services.themes_suggest_run(listening.pk) == "done"
    listening.refresh_from_db()
    assert listening.theming_status == ThemingStatus.IDLE and listening.theming_message == "2 themes suggested."
    assert listening.themes.count() == 2
    assert services.themes_suggest_run(listening.pk) == "idle"  # a stray second run does nothing


def test_small_events_are_themed_at_once(listening, facilitator):
    add(listening, text="Bins")
    assert services.themes_suggest_request(actor=facilitator, listening=listening) is True
    assert listening.themes.count() == 1


def test_marking_the_feedback_event_held_on_the_events_pages_evidences_the_criterion(listening, site, facilitator):
    """events.services.event_set_status (the events pages' and API's "mark held") calls the hook."""
    from c2hub.events.services import event_set_status

    event = services.feedback_event_plan(actor=facilitator, listening=listening, held_on=dt.date(2013, 11, 25))
    event_set_status(actor=facilitator, event=event, status=EventStatus.HELD)
    evidence = _feedback_evidence(site).get()
    assert evidence.record == event and evidence.added_by == facilitator
