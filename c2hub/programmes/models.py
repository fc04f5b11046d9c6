"""Programmes, their sites, funding, and the seven-step pathway engine.

A pathway model (``pathways/*.yaml``) is loaded into immutable rows: ``PathwayModel`` →
``PathwayStep`` → ``StepCriterion``. A site follows one model version; its progress per step
(``StepProgress``) and its evidence per criterion (``Evidence``) point at those rows, so a newer
version of the model file never changes what an older site is measured against.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

lsoa_code_validator = RegexValidator(
    r"^[EW]0[1-9]\d{6}$", "An LSOA code looks like E01015883 (E or W, then 0, then 7 digits)."
)


class Programme(models.Model):
    """A commissioned programme of C2 sites, e.g. "C2 Connecting Communities"."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PathwayModel(models.Model):
    """One version of a pathway model, as loaded from its YAML file. Never edited in place."""

    key = models.SlugField(help_text="The model's identity across versions, e.g. 'c2-seven-steps'.")
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    source = models.TextField(blank=True, help_text="Where the wording comes from.")
    parameters = models.JSONField(default=dict, blank=True)
    file_name = models.CharField(max_length=200)
    content_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["key", "version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_pathway_model_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def parameter(self, name: str, default: object = None) -> object:
        return self.parameters.get(name, default)


class StepKind(models.TextChoices):
    ACTION = "action", "Things to do"
    EVIDENCE_STATE = "evidence_state", "What success looks like"


class PathwayStep(models.Model):
    """A step of a pathway model version, with its wording."""

    model = models.ForeignKey(PathwayModel, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    description = models.TextField()
    kind = models.CharField(max_length=20, choices=StepKind.choices, default=StepKind.ACTION)
    target_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months after the site's start by which it is expected."
    )

    class Meta:
        ordering = ["model", "number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="unique_step_number")
        ]

    def __str__(self) -> str:
        return f"Step {self.number}: {self.title}"


class StepCriterion(models.Model):
    """An exit criterion of a step: the step completes when every criterion has evidence."""

    step = models.ForeignKey(PathwayStep, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=80)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["step", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "key"], name="unique_criterion_key")
        ]
        verbose_name_plural = "step criteria"

    def __str__(self) -> str:
        return self.text


class Site(models.Model):
    """A neighbourhood where a partnership follows the pathway (e.g. Southchurch, Southend)."""

    class Status(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        ACTIVE = "active", "Active"
        ESTABLISHED = "established", "Established"
        CLOSED = "closed", "Closed"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sites")
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    local_authority = models.CharField(max_length=200, blank=True)
    local_authority_code = models.CharField(max_length=9, blank=True)
    wards = models.JSONField(
        default=list, blank=True, help_text='A list of {"code": "E05…", "name": "…"}.'
    )
    lsoa_codes = models.JSONField(default=list, blank=True)
    lead_agency = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commissioner = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    planned_length_months = models.PositiveSmallIntegerField(default=24)
    pathway_model = models.ForeignKey(PathwayModel, on_delete=models.PROTECT, related_name="sites")
    facilitators = models.ManyToManyField(
        "people.Person", blank=True, related_name="facilitated_sites"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def ward_names(self) -> str:
        return ", ".join(w.get("name", w.get("code", "")) for w in self.wards)


class FundingLine(models.Model):
    """Money for a site: who gives it, how much, for which steps and when."""

    class Status(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        PENDING = "pending", "Pending decision"
        PLANNED = "planned", "Planned"
        DECLINED = "declined", "Declined"

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="funding_lines")
    funder = models.ForeignKey(
        "people.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    funder_name = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWARDED)
    steps_covered = models.JSONField(default=list, blank=True, help_text="Step numbers, e.g. [1, 2].")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "starts_on", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder_id and self.funder else self.funder_name


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class StepProgress(models.Model):
    """Where one site stands on one step of its pathway model."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="step_progress")
    step = models.ForeignKey(PathwayStep, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_STARTED)
    due_on = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden = models.BooleanField(
        default=False, help_text="Completed by a programme admin without every criterion evidenced."
    )
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["site", "step__number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "step"], name="unique_site_step_progress")
        ]
        verbose_name_plural = "step progress"

    def __str__(self) -> str:
        return f"{self.site} – step {self.step.number}: {self.get_status_display()}"

    @property
    def is_complete(self) -> bool:
        return self.status == StepStatus.COMPLETE

    def is_overdue(self, today: object = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.due_on and not self.is_complete and self.due_on < today)  # type: ignore[operator]


class EvidenceKind(models.TextChoices):
    NOTE = "note", "Note"
    FILE = "file", "Uploaded file"
    LINK = "link", "Link"
    RECORD = "record", "Another record in C2 Hub"


class Evidence(models.Model):
    """Something that shows a site has met a criterion: a note, a file, a link, or a record."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(StepCriterion, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    summary = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    url = models.URLField(max_length=1000, blank=True)
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    occurred_on = models.DateField(
        null=True, blank=True, help_text="When the thing evidenced happened, if not when it was added."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["site", "criterion"])]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.summary

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class PathwayEvent(models.Model):
    """One entry on a site's timeline: evidence added or verified, a step completed, overridden
    or reopened. Written by the pathway services only, never edited."""

    class Kind(models.TextChoices):
        SITE_STARTED = "site_started", "Site started on the pathway"
        EVIDENCE_ADDED = "evidence_added", "Evidence added"
        EVIDENCE_VERIFIED = "evidence_verified", "Evidence verified"
        STEP_COMPLETED = "step_completed", "Step completed"
        STEP_OVERRIDDEN = "step_overridden", "Step completed by override"
        STEP_REOPENED = "step_reopened", "Step reopened"
        DUE_DATE_CHANGED = "due_date_changed", "Step due date changed"
        AREA_CHANGE = "area_change", "Change in the area recorded"  # written by outcomes.services

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    step = models.ForeignKey(PathwayStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    criterion = models.ForeignKey(
        StepCriterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence = models.ForeignKey(
        Evidence, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["site", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.site}: {self.get_kind_display()}"
