"""The action plan's candidate evidence for pathway criteria (registered in ``apps.py``): the
agencies' responsiveness figures for step 6's "faster responses" criterion, and actions done
with a visible change for step 7. Meetings are the events app's suggestions, not repeated here."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from c2hub.actions.models import Action, ActionStatus
from c2hub.programmes.models import Evidence, EvidenceKind, Site, StepCriterion
from c2hub.programmes.suggestions import Suggestion

#: Step 6, "accelerated responses in service delivery" (v1) and its v2 equivalent.
RESPONSIVENESS_KEYS = frozenset({"accelerated-responses", "faster-agency-responses"})
#: Step 7: visible change and the action plan's measurable outcomes.
DONE_ACTION_KEYS = frozenset({"visible-change", "measurable-outcomes"})
CRITERION_KEYS = RESPONSIVENESS_KEYS | DONE_ACTION_KEYS


def action_suggestions(site: Site, criteria: list[StepCriterion]) -> dict[int, list[Suggestion]]:
    from c2hub.actions.selectors import quarter_label, quarter_of, responsiveness, responsiveness_summary
    from c2hub.actions.services import RESPONSIVENESS_PREFIX

    found: dict[int, list[Suggestion]] = {}
    wanted = [c for c in criteria if c.key in RESPONSIVENESS_KEYS]
    if wanted:
        report = responsiveness(site)
        if report.agencies:
            today = timezone.localdate()
            # A responsiveness note attached this quarter is today's figures already.
            fresh = set(
                Evidence.objects.filter(
                    site=site,
                    criterion__in=wanted,
                    kind=EvidenceKind.NOTE,
                    summary__startswith=RESPONSIVENESS_PREFIX,
                    occurred_on__gte=_quarter_start(today),
                ).values_list("criterion_id", flat=True)
            )
            headline = responsiveness_summary(report)[0]
            for criterion in wanted:
                if criterion.pk in fresh:
                    continue
                found[criterion.pk] = [
                    Suggestion(
                        record=site,
                        title=f"Agency responsiveness, {quarter_label(quarter_of(today))}",
                        url=reverse("responsiveness", args=[site.slug]),
                        attach_url=reverse("responsiveness_evidence", args=[site.slug]),
                        meta=headline[:200],
                    )
                ]
    wanted = [c for c in criteria if c.key in DONE_ACTION_KEYS]
    if wanted:
        done = list(
            Action.objects.filter(site=site, status=ActionStatus.DONE)
            .exclude(what_changed="")
            .order_by("-completed_on", "-id")[:10]
        )
        for criterion in wanted:
            found[criterion.pk] = [
                Suggestion(
                    record=a,
                    title=a.title,
                    url=reverse("action_detail", args=[site.slug, a.pk]),
                    attach_url=reverse("action_evidence", args=[site.slug, a.pk]),
                    meta=f"Done{f', {a.completed_on:%-d %B %Y}' if a.completed_on else ''}: {a.what_changed[:120]}",
                )
                for a in done
            ]
    return found


def _quarter_start(day: dt.date) -> dt.date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
