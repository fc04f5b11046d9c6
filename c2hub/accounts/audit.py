"""The audit trail: every change to a registered model is logged by django-auditlog, with the
actor taken from the request (middleware) or from the service that made the change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.context import set_actor
from auditlog.registry import auditlog
from django.apps import apps

#: model label → fields never written into the log (secrets stay out of the audit trail).
AUDITED_MODELS: dict[str, list[str]] = {
    "accounts.User": ["password", "last_login"],
    "accounts.RoleAssignment": [],
    "accounts.ApiToken": ["key_hash"],
    "programmes.Programme": [],
    "programmes.Site": ["last_activity_at"],
    "programmes.FundingLine": [],
    "programmes.StepProgress": [],
    "programmes.Evidence": [],
    "people.Organisation": [],
    "people.Person": [],
    "people.PersonSiteNotes": [],
    "people.Consent": [],
    "people.Group": [],
    "people.GroupMembership": [],
    "events.Event": [],
    "areas.ImportRun": ["progress", "stage"],
    "events.Attendance": [],
    "events.HeadCount": [],
    "events.Minutes": [],
    "events.Decision": [],
    "events.LearnerCompletion": [],
    "events.WalkaboutFinding": [],
    "listening.ListeningEvent": [],
    "listening.Comment": [],
    "listening.Theme": [],
    "listening.Vote": [],
    "outcomes.ComparisonArea": [],
    "outcomes.AreaChange": [],
    "actions.Objective": [],
    "actions.Action": [],
    "actions.ActionUpdate": [],
    "wins.Win": [],
    "wins.FundingBid": [],
    "community.CommunityGroup": [],
    "community.Participation": [],
    "community.VolunteeringValue": [],
    "casestudies.CaseStudy": [],
    "casestudies.Quote": [],
    "casestudies.Photo": [],
    "outcomes.EvaluationRun": ["progress", "progress_message", "result"],
    "newsletters.PublicPage": [],
    "reports.BoardReport": [],
    "reports.BoardReportVersion": [],
    "newsletters.Subscriber": [],
    "newsletters.NewsletterIssue": [],
    "newsletters.Block": ["items"],
    "value.UnitCost": [],
    "value.Scenario": ["results"],
}


def register_models() -> None:
    for label, exclude in AUDITED_MODELS.items():
        model = apps.get_model(label)
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=exclude, m2m_fields=_m2m_fields(label))


def _m2m_fields(label: str) -> set[str]:
    return {
        "programmes.Site": {"facilitators"},
        "people.Person": {"sites"},
        "people.Organisation": {"sites"},
        "casestudies.CaseStudy": {"events", "wins", "community_groups"},
        "wins.Win": {"actions"},
    }.get(label, set())


@contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute every change inside the block to ``actor`` (a user, or None for the system)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        with set_actor(actor):
            yield
    else:
        yield
