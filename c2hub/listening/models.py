"""The listening event (step 3): residents' comments, their themes, the dot-vote priorities.

A ``ListeningEvent`` extends an ``events.Event`` of kind "listening event" and shares its id, so
``/api/v1/listening-events/{id}`` and the event page name the same thing. Every comment, however it
was captured (facilitator, a resident's phone, a paper card or tally, a CSV), is one ``Comment``
row with who said it; ``count`` > 1 is a paper tally ("12 people said this").
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from c2hub.events.models import ParticipantKind
from c2hub.people.models import AgeBand

COMMENT_MAX_LENGTH = 2000


def _public_token() -> str:
    return secrets.token_urlsafe(12)


class ThemingStatus(models.TextChoices):
    IDLE = "", "Not running"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Suggesting themes"
    FAILED = "failed", "Failed"


class ListeningEvent(models.Model):
    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, primary_key=True, related_name="listening"
    )
    #: The public capture link is /listen/<public_token>/; open only while capture_open.
    public_token = models.CharField(max_length=32, unique=True, default=_public_token)
    capture_open = models.BooleanField(default=False)
    consent_statement = models.TextField(
        blank=True,
        help_text="Shown to residents on the public form; a default is used when blank.",
    )
    dots_per_participant = models.PositiveSmallIntegerField(default=3)
    #: held_on + the site's pathway model's listening_feedback_deadline_days.
    feedback_due = models.DateField()
    feedback_event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_for"
    )
    next_steps = models.TextField(blank=True, help_text="What happens next, for the report.")
    #: Suggesting themes for a large event runs in the background (``c2hub worker``).
    theming_status = models.CharField(max_length=8, choices=ThemingStatus.choices, blank=True, default="")
    theming_requested_at = models.DateTimeField(null=True, blank=True)
    theming_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    theming_options = models.JSONField(default=dict, blank=True)
    theming_message = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return str(self.event)


class CommentSource(models.TextChoices):
    FACILITATOR = "facilitator", "Typed by a facilitator during the event"
    PUBLIC = "public", "A resident's own phone (public link)"
    PAPER = "paper", "Paper comment card or tally"
    CSV = "csv", "CSV upload"
    API = "api", "API"


class Theme(models.Model):
    listening_event = models.ForeignKey(ListeningEvent, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    #: True while the theme is as C2 Hub suggested it; False once a person renamed or edited it.
    suggested = models.BooleanField(default=False)
    #: Ids of up to 3 of its most typical comments, best first (from the suggestion; kept on edits).
    representatives = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listening_event", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Comment(models.Model):
    listening_event = models.ForeignKey(ListeningEvent, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(max_length=COMMENT_MAX_LENGTH)
    language = models.CharField(max_length=35, blank=True, default="en", help_text="BCP 47 tag, e.g. en, cy, pl.")
    participant = models.CharField(max_length=10, choices=ParticipantKind.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True, default="")
    postcode_district = models.CharField(max_length=4, blank=True, help_text="The first half, e.g. TR14.")
    #: A name only when the person gave it and consented to it being recorded.
    given_name = models.CharField(max_length=100, blank=True)
    name_consent = models.BooleanField(default=False)
    count = models.PositiveIntegerField(default=1, help_text="How many people said this (paper tallies).")
    source = models.CharField(max_length=12, choices=CommentSource.choices)
    #: Set by the client for public submissions so a re-sent form is stored once.
    submission_key = models.CharField(max_length=64, null=True, blank=True)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listening_event", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["listening_event", "submission_key"],
                condition=models.Q(submission_key__isnull=False),
                name="comment_submission_once",
            ),
            models.CheckConstraint(
                condition=models.Q(given_name="") | models.Q(name_consent=True),
                name="comment_name_only_with_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class VoteSource(models.TextChoices):
    LIVE = "live", "Entered live"
    PAPER = "paper", "Paper tally"
    API = "api", "API"


class Vote(models.Model):
    """Dots put on a theme: each row is one entry (a participant's dots, or a paper tally)."""

    listening_event = models.ForeignKey(ListeningEvent, on_delete=models.CASCADE, related_name="votes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="votes")
    participant = models.CharField(max_length=10, choices=ParticipantKind.choices)
    dots = models.PositiveIntegerField()
    source = models.CharField(max_length=8, choices=VoteSource.choices, default=VoteSource.LIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["listening_event", "id"]

    def __str__(self) -> str:
        return f"{self.dots} dots on {self.theme} ({self.get_participant_display()})"
