"""Wins and funding (steps 6–7): what the partnership achieved and celebrated, and the money it
bid for. A ``Win`` is dated, evidenced, linked to the actions that led to it, and says how it was
celebrated; a ``FundingBid`` is one application in the pipeline (an award can be recorded as a win).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class WinKind(models.TextChoices):
    FUNDING = "funding", "Funding secured"
    MEDIA = "media", "Positive media"
    IMPROVEMENT = "improvement", "Physical or environmental improvement"
    SERVICE_CHANGE = "service_change", "Service change by a provider"
    NEW_GROUP = "new_group", "New group, enterprise or charity formed"
    AWARD = "award", "Award or recognition"
    MILESTONE = "milestone", "Resident skills or leadership milestone"
    VISIT_HOSTED = "visit_hosted", "Visit hosted"


def win_file_path(instance: Win, filename: str) -> str:
    return f"wins/{instance.site_id}/{filename}"


class Win(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="wins")
    kind = models.CharField(max_length=20, choices=WinKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    won_on = models.DateField()
    # Funding secured
    funder = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="wins_funded"
    )
    funder_name = models.CharField(max_length=200, blank=True, help_text="When the funder is not an organisation here.")
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Positive media
    media_outlet = models.CharField(max_length=200, blank=True)
    media_url = models.URLField(blank=True, max_length=500)
    # A new group, enterprise or charity formed
    community_group = models.ForeignKey(
        "community.CommunityGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="wins"
    )
    evidence_url = models.URLField(blank=True, max_length=500)
    evidence_file = models.FileField(upload_to=win_file_path, blank=True)
    actions = models.ManyToManyField("actions.Action", blank=True, related_name="wins")
    celebrated_how = models.TextField(blank=True, help_text="How the win was celebrated.")
    celebration_event = models.ForeignKey(
        "events.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="wins_celebrated"
    )
    #: Shown on the public partnership page and offered to newsletters.
    public = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "-won_on", "-id"]
        indexes = [models.Index(fields=["site", "kind", "won_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_celebrated(self) -> bool:
        return bool(self.celebrated_how.strip()) or self.celebration_event_id is not None


class BidStatus(models.TextChoices):
    DRAFTING = "drafting", "Being written"
    SUBMITTED = "submitted", "Submitted"
    AWARDED = "awarded", "Awarded"
    PART_AWARDED = "part_awarded", "Partly awarded"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class FundingBid(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="funding_bids")
    funder = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="bids_received"
    )
    funder_name = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=300, help_text="What the money is for.")
    amount_asked = models.DecimalField(max_digits=12, decimal_places=2)
    submitted_on = models.DateField(null=True, blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=BidStatus.choices, default=BidStatus.DRAFTING)
    amount_awarded = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    #: The win recorded when the bid succeeded.
    win = models.OneToOneField(Win, on_delete=models.SET_NULL, null=True, blank=True, related_name="bid")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decided_on__isnull=True)
                | models.Q(submitted_on__isnull=True)
                | models.Q(decided_on__gte=models.F("submitted_on")),
                name="bid_decided_after_submitted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder or self.funder_name}: {self.purpose}"
