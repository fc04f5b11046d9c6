"""The one relational record of the area store: an import started from the upload page."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    """An upload to the area-statistics store, run as a background task; the page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    kind = models.CharField(max_length=20)
    #: The uploaded files (paths under MEDIA_ROOT) and their names as uploaded.
    files = models.JSONField(default=list)
    file_names = models.JSONField(default=list)
    #: Edition, year and indicator metadata, as entered.
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    #: What was imported (on success) or every problem found (on failure).
    summary = models.TextField(blank=True)
    problems = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(round(100 * self.progress))
