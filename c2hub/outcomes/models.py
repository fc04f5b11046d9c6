"""A site's comparison areas, the changes in its area that could explain a difference, and its
evaluation runs.

The site's own geography is ``programmes.Site.lsoa_codes`` (2021 LSOA codes): one source of truth,
shown on the overview and used here. Outcomes only changes it through
``outcomes.services.site_lsoas_set``, which checks the codes against the area-statistics store and
turns 2011 codes into 2021 ones.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from c2hub.programmes.models import Site, lsoa_code_validator


class ComparisonArea(models.Model):
    """An LSOA compared with a site: suggested by matching, accepted, added by hand, or removed.

    A removed suggestion is kept (status "removed") so that suggesting again does not bring it back.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ACCEPTED = "accepted", "Accepted"
        REMOVED = "removed", "Removed"

    class Origin(models.TextChoices):
        MATCHED = "matched", "Suggested by matching"
        ADDED = "added", "Added by hand"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="comparison_areas")
    lsoa = models.CharField(max_length=9, validators=[lsoa_code_validator])
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MATCHED)
    reasons = models.TextField(blank=True, help_text="Why it is comparable, in plain words.")
    score = models.FloatField(null=True, blank=True, help_text="Matching distance (smaller is closer).")
    imd_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    rural_urban = models.CharField(max_length=100, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "score", "lsoa"]
        constraints = [models.UniqueConstraint(fields=["site", "lsoa"], name="unique_comparison_lsoa")]

    def __str__(self) -> str:
        return f"{self.site}: {self.lsoa} ({self.get_status_display()})"


class AreaChange(models.Model):
    """A change in the site's area, other than C2, that could explain a difference in outcomes
    (e.g. "£2.2m housing regeneration"): shown on the timeline and marked on the charts."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="area_changes")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "starts_on", "id"]

    def __str__(self) -> str:
        return self.title


class EvaluationRun(models.Model):
    """One run of the evaluation methods for a site, as requested, with its progress and result.

    The run keeps the LSOAs it used (the site's and the comparison areas') so that later edits to
    the geography do not change what an old result says it compared.
    """

    class Method(models.TextChoices):
        DID = "did", "Difference-in-differences"
        SYNTHETIC_CONTROL = "synthetic_control", "Synthetic control"
        BOTH = "both", "Both methods"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Could not run"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="evaluation_runs")
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.BOTH)
    crime_type = models.CharField(max_length=100, blank=True, help_text="Blank: all crime and anti-social behaviour.")
    treatment_start = models.DateField(help_text="When C2 could first have made a difference.")
    treatment_label = models.CharField(max_length=200, blank=True)
    site_lsoas = models.JSONField(default=list)
    comparison_lsoas = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.site}: {self.get_method_display()} from {self.treatment_start}"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.FINISHED, self.Status.FAILED)
