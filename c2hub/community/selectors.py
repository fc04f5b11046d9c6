"""Reads for community groups, activities, participation and volunteering — always through a site."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from c2hub.community.models import CommunityGroup
from c2hub.programmes.models import Site


def running_groups(site: Site) -> list[CommunityGroup]:
    """Groups founded (or with no founding date) and not ended, as of today, by name."""
    today = timezone.localdate()
    return list(
        CommunityGroup.objects.filter(site=site)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=today))
        .order_by("name", "id")
    )


def public_groups(site: Site) -> list[CommunityGroup]:
    """The site's public, running groups and activities by name, each with its ``age_groups``
    (youngest first) and ``health_priorities`` — for the public page and newsletters. No personal
    data: name, kind, description, schedule, venue, ages and priorities only."""
    return [group for group in running_groups(site) if group.public]
