"""Community groups, activities and volunteering (step 6 evidence).

The register of groups and activities the partnership started or supported (the TR14ers dance
group at Camborne, a youth club, a lunch club), the ages they serve and the health priorities they
target, and month by month how many took part and how many volunteered for how many hours.
A group here is not a governance group (``people.Group``: steering groups, the partnership).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from c2hub.people.models import AgeBand

#: The age groups of the coverage view, youngest first (every band but "not known").
AGE_GROUPS: tuple[str, ...] = tuple(band for band in AgeBand.values if band)


class CommunityGroupKind(models.TextChoices):
    GROUP = "group", "Community group"
    ACTIVITY = "activity", "Regular activity"
    CLUB = "club", "Club"
    ENTERPRISE = "enterprise", "Social enterprise"
    CHARITY = "charity", "Charity"


class Involvement(models.TextChoices):
    STARTED = "started", "Started by the partnership"
    SUPPORTED = "supported", "Supported by the partnership"


class HealthPriority(models.TextChoices):
    PHYSICAL_ACTIVITY = "physical_activity", "Physical activity"
    MENTAL_WELLBEING = "mental_wellbeing", "Mental wellbeing"
    HEALTHY_EATING = "healthy_eating", "Healthy eating"
    SOCIAL_ISOLATION = "social_isolation", "Loneliness and social isolation"
    EARLY_YEARS = "early_years", "Early years and child development"
    SMOKING = "smoking", "Smoking"
    ALCOHOL_DRUGS = "alcohol_drugs", "Alcohol and drugs"
    LONG_TERM_CONDITIONS = "long_term_conditions", "Long-term conditions"
    SKILLS_EMPLOYMENT = "skills_employment", "Skills and employment"
    COMMUNITY_SAFETY = "community_safety", "Community safety"


class CommunityGroup(models.Model):
    site = models.ForeignKey("programmes.Site", on_delete=models.CASCADE, related_name="community_groups")
    kind = models.CharField(max_length=12, choices=CommunityGroupKind.choices, default=CommunityGroupKind.GROUP)
    involvement = models.CharField(max_length=10, choices=Involvement.choices, default=Involvement.STARTED)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    founded_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    #: Values of ``AGE_GROUPS`` it serves, e.g. ["11-15", "16-18"].
    age_groups = models.JSONField(default=list, blank=True)
    #: Values of ``HealthPriority`` it targets.
    health_priorities = models.JSONField(default=list, blank=True)
    schedule = models.CharField(max_length=200, blank=True, help_text="e.g. Tuesdays 6–8pm, term time.")
    venue = models.CharField(max_length=200, blank=True)
    #: Shown on the public partnership page and offered to newsletters.
    public = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["site", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_running(self) -> bool:
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class Participation(models.Model):
    """One month of a group: how many took part, how many volunteered, for how many hours."""

    group = models.ForeignKey(CommunityGroup, on_delete=models.CASCADE, related_name="participation")
    #: The first day of the month.
    month = models.DateField()
    participants = models.PositiveIntegerField(default=0)
    volunteers = models.PositiveIntegerField(default=0)
    volunteer_hours = models.DecimalField(max_digits=8, decimal_places=1, default=Decimal("0"))

    class Meta:
        ordering = ["group", "month"]
        constraints = [models.UniqueConstraint(fields=["group", "month"], name="participation_month_once")]

    def __str__(self) -> str:
        return f"{self.group} in {self.month:%b %Y}"

    @property
    def site_id(self) -> int:
        return self.group.site_id


class VolunteeringValue(models.Model):
    """The value a site puts on one hour of volunteering (configurable; none until set)."""

    site = models.OneToOneField("programmes.Site", on_delete=models.CASCADE, related_name="volunteering_value")
    per_hour = models.DecimalField(max_digits=6, decimal_places=2)
    basis = models.CharField(
        max_length=300, blank=True, help_text="Where the figure comes from, e.g. the National Living Wage 2025/26."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"£{self.per_hour} an hour at {self.site}"
