"""Events and meetings: steps 1–5 of the pathway are made of them.

An ``Event`` is anything that happens on a date in a site — a workshop, the learning-programme
residential, a walkabout, the listening event, a partnership meeting. Attendance is recorded as
named people and organisations (``Attendance``) and, for those who give no name, as an anonymous
head-count by age band and by resident/provider (``HeadCount``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from c2hub.people.models import AgeBand


class EventKind(models.TextChoices):
    ENGAGEMENT_WORKSHOP = "engagement_workshop", "Engagement workshop"
    CONNECTING_EVENT = "connecting_event", "Connecting workshop or event"
    RESIDENTIAL = "residential", "Learning-programme residential"
    SITE_VISIT = "site_visit", "Learning-programme site visit"
    WALKABOUT = "walkabout", "Walkabout"
    LISTENING_EVENT = "listening_event", "Listening event"
    FEEDBACK_EVENT = "feedback_event", "Feedback event"
    EXCHANGE_VISIT = "exchange_visit", "Exchange visit"
    PARTNERSHIP_MEETING = "partnership_meeting", "Partnership meeting"
    CELEBRATION = "celebration", "Celebration"
    TRAINING = "training", "Training"


#: Kinds that are meetings: they have an agenda, minutes and decisions.
MEETING_KINDS = frozenset({EventKind.PARTNERSHIP_MEETING})


class EventStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class VenueKind(models.TextChoices):
    HUB = "hub", "The community hub"
    ELSEWHERE = "elsewhere", "Elsewhere"


class ParticipantKind(models.TextChoices):
    """Who took part or said something: a resident or someone from a provider (an agency)."""

    RESIDENT = "resident", "Resident"
    PROVIDER = "provider", "Provider"


class ExchangeDirection(models.TextChoices):
    NONE = "", "Not an exchange visit"
    MADE = "made", "Visit made to another site"
    HOSTED = "hosted", "Visit hosted from another site"


class Event(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    venue_kind = models.CharField(max_length=12, choices=VenueKind.choices, default=VenueKind.HUB)
    venue = models.CharField(max_length=300, blank=True, help_text="Name and address, when not the hub.")
    steps = models.JSONField(default=list, blank=True, help_text="Pathway step numbers it serves, e.g. [1, 2].")
    organisers = models.ManyToManyField("people.Person", blank=True, related_name="organised_events")
    organiser_organisations = models.ManyToManyField(
        "people.Organisation", blank=True, related_name="organised_events"
    )
    # An exchange visit: made to, or hosted from, another site (a C2 site in C2 Hub, or by name).
    exchange_direction = models.CharField(
        max_length=8, choices=ExchangeDirection.choices, blank=True, default=""
    )
    exchange_site = models.ForeignKey(
        "programmes.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exchange_site_name = models.CharField(max_length=200, blank=True)
    # A site visit belongs to its residential; a residential or training may be for a cohort.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    cohort = models.ForeignKey(
        "people.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    # A walkabout's route.
    route_description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "starts_at", "id"]
        indexes = [models.Index(fields=["site", "kind", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%-d %b %Y})"

    @property
    def held_on(self):  # noqa: ANN201 - a date
        return timezone.localdate(self.starts_at)


class Attendance(models.Model):
    """A named person, or an organisation represented, at an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="attendances"
    )

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organisation__isnull=False),
                name="attendance_has_person_or_organisation",
            ),
            models.UniqueConstraint(
                fields=["event", "person"], condition=models.Q(person__isnull=False), name="attendance_person_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation} at {self.event}"


class HeadCount(models.Model):
    """Anonymous attendance: how many residents or providers of an age band came without a name."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="head_counts")
    participant = models.CharField(max_length=10, choices=ParticipantKind.choices)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True, default="")
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["event", "participant", "age_band"]
        constraints = [
            models.UniqueConstraint(fields=["event", "participant", "age_band"], name="head_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.get_participant_display()} ({self.get_age_band_display()})"
