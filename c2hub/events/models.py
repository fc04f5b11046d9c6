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
    organiser_organisations = models.ManyToManyField("people.Organisation", blank=True, related_name="organised_events")
    # An exchange visit: made to, or hosted from, another site (a C2 site in C2 Hub, or by name).
    exchange_direction = models.CharField(max_length=8, choices=ExchangeDirection.choices, blank=True, default="")
    exchange_site = models.ForeignKey(
        "programmes.Site", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exchange_site_name = models.CharField(max_length=200, blank=True)
    # A site visit belongs to its residential; a residential or training may be for a cohort.
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    cohort = models.ForeignKey("people.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
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


# Meetings: agenda, minutes, decisions ------------------------------------------------------------
class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class MinutesPublication(models.TextChoices):
    INTERNAL = "internal", "Kept internal"
    PUBLISHED = "published", "Published"


class Minutes(models.Model):
    """A meeting's agenda and minutes. Minutes are drafted in the page, approved at a later
    meeting (``approved_at``), then published — a copy without personal data, frozen at
    publication — or kept internal."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="minutes")
    agenda = models.TextField(blank=True)
    text = models.TextField(blank=True, help_text="The minutes as drafted.")
    status = models.CharField(max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    approved_at = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minutes_approved",
        help_text="The meeting at which these minutes were approved.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    publication = models.CharField(
        max_length=10, choices=MinutesPublication.choices, default=MinutesPublication.INTERNAL
    )
    published_at = models.DateTimeField(null=True, blank=True)
    #: What the public sees: the minutes and decisions with residents' names taken out, and the
    #: attendance as counts and organisations. Frozen when published.
    published_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "minutes"

    def __str__(self) -> str:
        return f"Minutes of {self.event}"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED

    @property
    def is_published(self) -> bool:
        return self.publication == MinutesPublication.PUBLISHED


class Decision(models.Model):
    """A decision taken at a meeting."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


# The learning programme ---------------------------------------------------------------------------
#: A wave of the learning programme is 6–8 learners: outside this range the page warns.
COHORT_SIZE = (6, 8)


class LearnerCompletion(models.Model):
    """That a learner (a cohort membership with role learner) completed the learning programme."""

    membership = models.OneToOneField("people.GroupMembership", on_delete=models.CASCADE, related_name="completion")
    completed_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.membership} completed on {self.completed_on}"


# Walkabouts ---------------------------------------------------------------------------------------
class FindingKind(models.TextChoices):
    ASSET = "asset", "Asset or strength"
    ISSUE = "issue", "Issue"


def finding_photo_path(instance: WalkaboutFinding, filename: str) -> str:
    return f"walkabouts/{instance.event.site_id}/{instance.event_id}/{filename}"


class WalkaboutFinding(models.Model):
    """Something seen on a walkabout: an asset or strength, or an issue; optionally a point on a
    map and a photo. A finding can become pathway evidence (and later an action)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=8, choices=FindingKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True, help_text="Where, in words (a street, a park).")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(upload_to=finding_photo_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def site_id(self) -> int:
        return self.event.site_id

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None
