"""The action plan (steps 4–7): from what residents said to what was done.

Each listening-event priority (a ``listening.Theme``) becomes one or more ``Objective``s, each
with ``Action``s; an action can also come from a partnership meeting or a walkabout finding. An
action led by an agency carries the dates its responsiveness is measured by (asked, acknowledged,
first response, completed). ``ActionUpdate``s are its dated history; an update made at a
partnership meeting names the meeting and appears in its minutes. "You said, we did" is read from
these records: the theme (and its comments) an action answers, and ``what_changed``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    WAITING_ON_AGENCY = "waiting_on_agency", "Waiting on agency"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


#: Statuses of an action still to be done (listed at partnership meetings).
OPEN_STATUSES = frozenset({ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.WAITING_ON_AGENCY})


class Objective(models.Model):
    """What the partnership sets out to achieve for one of residents' priorities."""

    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: The listening-event priority (theme) it answers; blank for an objective of the partnership's own.
    theme = models.ForeignKey(
        "listening.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="objectives"
    )
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    #: The priority it answers — the objective's theme, or set directly.
    theme = models.ForeignKey(
        "listening.Theme", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    #: Where else it came from: a partnership meeting or a walkabout finding.
    source_meeting = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_raised"
    )
    source_finding = models.ForeignKey(
        "events.WalkaboutFinding", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_resident = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_led"
    )
    lead_organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_led"
    )
    #: The named officer of the lead organisation.
    lead_officer = models.ForeignKey(
        "people.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_as_officer"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    dropped_reason = models.TextField(blank=True)
    # Agency responsiveness (step 6): asked ≤ acknowledged, first response, completed.
    asked_on = models.DateField(null=True, blank=True, help_text="When the lead agency was asked.")
    acknowledged_on = models.DateField(null=True, blank=True)
    first_response_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    #: "We did": what was done and what changed, in words fit for the public.
    what_changed = models.TextField(blank=True)
    #: Shown in the public "you said, we did" (never with personal data).
    public = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "due_on", "id"]
        indexes = [
            models.Index(fields=["site", "status"]),
            models.Index(fields=["site", "lead_organisation"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acknowledged_on__isnull=True)
                | models.Q(asked_on__isnull=True)
                | models.Q(acknowledged_on__gte=models.F("asked_on")),
                name="action_acknowledged_after_asked",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_on__isnull=True)
                | models.Q(asked_on__isnull=True)
                | models.Q(first_response_on__gte=models.F("asked_on")),
                name="action_response_after_asked",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(asked_on__isnull=True)
                | models.Q(completed_on__gte=models.F("asked_on")),
                name="action_completed_after_asked",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def update_file_path(instance: ActionUpdate, filename: str) -> str:
    return f"actions/{instance.action.site_id}/{instance.action_id}/{filename}"


class ActionUpdate(models.Model):
    """A dated step in an action's history: a note, the status it moved to, optional evidence."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(default=timezone.localdate)
    #: The status after this update (the action's status when it was made, if unchanged).
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    #: The partnership meeting this update was made at; it then appears in the meeting's minutes.
    meeting = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_updates"
    )
    link = models.URLField(blank=True, max_length=500)
    file = models.FileField(upload_to=update_file_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "on", "id"]
        indexes = [models.Index(fields=["meeting"])]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} on {self.on}"

    @property
    def site_id(self) -> int:
        return self.action.site_id
