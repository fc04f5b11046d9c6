"""Board reports: drafts written by C2 Hub from a site's records, edited, approved and released.

A ``BoardReport`` is one report to a board (a site, an "as of" date, the board's name). Its
``content`` is the report as C2 Hub assembled it from the records on that date (the appendices'
tables and charts are kept there, so a released report never changes when records do). Every save
of the narrative makes a new ``BoardReportVersion`` (the sections as ``{key, heading, text, level}``).
A report is approved (one version) before it is released; a released report is frozen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class BoardReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    RELEASED = "released", "Released"


def word_template_path(instance: BoardReport, filename: str) -> str:
    return f"board-reports/{instance.site_id}/templates/{filename}"


class BoardReport(models.Model):
    """A report to a board on a site's progress as of a date."""

    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="board_reports")
    as_of = models.DateField(help_text="The report states what the records held at the end of this day.")
    board_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=BoardReportStatus.choices, default=BoardReportStatus.DRAFT)
    #: The assembled report (``board.BoardReportContent.to_dict()``) from the records on ``as_of``.
    content = models.JSONField(default=dict)
    #: An organisation's own Word template (.docx) for the DOCX: its styles, headers and footers.
    word_template = models.FileField(upload_to=word_template_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["site", "-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.board_name}: {self.site} as of {self.as_of:%-d %B %Y}"

    @property
    def is_released(self) -> bool:
        return self.status == BoardReportStatus.RELEASED


class BoardReportVersion(models.Model):
    """One saved version of a board report's narrative."""

    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    #: ``[{key, heading, text, level}]`` in the report's order.
    sections = models.JSONField(default=list)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True, help_text="What changed, in a few words.")

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="board_report_version_once")]

    def __str__(self) -> str:
        return f"{self.report}, version {self.number}"
