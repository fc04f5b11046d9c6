"""The unit-cost library (one per programme, shared by its sites) and saved value-for-money scenarios."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from c2hub.programmes.models import Programme, Site
from c2hub.value.calculation import BEARERS


class UnitCost(models.Model):
    """What one occurrence of something costs (e.g. one robbery), who bears it and where the figure comes from."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="unit_costs")
    name = models.CharField(max_length=200)
    cost_of = models.CharField(max_length=300, help_text="What it is a cost of, e.g. one robbery.")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=60, default="per offence")
    crime_category = models.CharField(
        max_length=60, blank=True, help_text="The police.uk crime category it prices, if any (e.g. robbery)."
    )
    source_citation = models.TextField()
    source_url = models.URLField(max_length=500, blank=True)
    source_year = models.PositiveSmallIntegerField(help_text="The year the source was published.")
    price_base_year = models.PositiveSmallIntegerField(help_text="The year whose prices the amount is in.")
    licence = models.CharField(max_length=200)
    shares = models.JSONField(default=dict, help_text="Bearer → per cent of the cost, summing to 100.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["programme", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_unit_cost_name")]

    def __str__(self) -> str:
        return f"{self.name}: £{self.amount:,.2f} {self.unit} ({self.price_base_year} prices)"

    @property
    def share_rows(self) -> list[tuple[str, float]]:
        return [(BEARERS.get(k, k), float(v)) for k, v in self.shares.items()]


class Scenario(models.Model):
    """A saved value-for-money calculation: its inputs and every figure it produced, so that a board
    report can quote it later exactly as it was computed."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="value_scenarios")
    title = models.CharField(max_length=200)
    illustrative = models.BooleanField(
        default=False, help_text="The effect is an illustration, not a result computed from an evaluation."
    )
    evaluation_run = models.ForeignKey(
        "outcomes.EvaluationRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    inputs = models.JSONField(default=dict)
    results = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.site}: {self.title}"
