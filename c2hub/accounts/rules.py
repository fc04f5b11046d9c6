"""Who may do what, as `rules` predicates. Tested as a matrix in tests/accounts/test_permissions.py.

Every page, export and API endpoint asks these permissions, so a rule changed here changes
everywhere at once. A user's role assignments are read once per request and cached on the user.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import PermissionDenied

from c2hub.accounts.models import Role


def require(actor: Any, perm: str, obj: Any = None) -> None:
    """The services' permission check: an actor (a user) without ``perm`` on ``obj`` is refused.
    ``actor=None`` is the system itself (the demo loader, background tasks, data migrations)."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


def signed_in_user(actor: Any) -> Any:
    """The actor if it is a signed-in user (to record as the author of something), else None."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _roles_by_site(user: Any) -> tuple[frozenset[int], dict[int, frozenset[str]]]:
    """(programmes where the user is admin, {site id: roles}) — cached on the user object."""
    cached = getattr(user, "_c2_roles", None)
    if cached is not None:
        return cached
    admin_programmes: set[int] = set()
    by_site: dict[int, set[str]] = {}
    if user is not None and user.is_authenticated:
        for programme_id, site_id, role in user.role_assignments.values_list(
            "programme_id", "site_id", "role"
        ):
            if role == Role.PROGRAMME_ADMIN:
                admin_programmes.add(programme_id)
            elif site_id is not None:
                by_site.setdefault(site_id, set()).add(role)
    result = (frozenset(admin_programmes), {k: frozenset(v) for k, v in by_site.items()})
    if user is not None:
        user._c2_roles = result
    return result


def forget_cached_roles(user: Any) -> None:
    if hasattr(user, "_c2_roles"):
        del user._c2_roles


def site_roles(user: Any, site: Any) -> frozenset[str]:
    """The roles a user holds in a site, a programme admin's included."""
    if user is None or not user.is_authenticated or site is None:
        return frozenset()
    admin_programmes, by_site = _roles_by_site(user)
    roles = set(by_site.get(site.pk, frozenset()))
    if user.is_superuser or site.programme_id in admin_programmes:
        roles.add(Role.PROGRAMME_ADMIN)
    return frozenset(roles)


def admin_programme_ids(user: Any) -> frozenset[int]:
    return _roles_by_site(user)[0]


def member_site_ids(user: Any) -> frozenset[int]:
    return frozenset(_roles_by_site(user)[1])


def _has(*wanted: str) -> Any:
    wanted_set = frozenset(wanted)

    @rules.predicate(name="has_role_" + "_or_".join(wanted))
    def predicate(user: Any, site: Any) -> bool:
        return bool(site_roles(user, site) & wanted_set)

    return predicate


is_programme_admin = _has(Role.PROGRAMME_ADMIN)
is_facilitator = _has(Role.FACILITATOR)
is_partnership_member = _has(Role.PARTNERSHIP_MEMBER)
is_commissioner = _has(Role.COMMISSIONER)
is_researcher = _has(Role.RESEARCHER)
has_any_site_role = _has(*Role.values)
runs_the_site = is_programme_admin | is_facilitator
works_in_the_site = runs_the_site | is_partnership_member


@rules.predicate
def administers_programme(user: Any, programme: Any) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return programme is not None and programme.pk in admin_programme_ids(user)


@rules.predicate
def administers_any_programme(user: Any) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or admin_programme_ids(user)))


# Sites and the pathway -----------------------------------------------------------------------
rules.add_perm("programmes.view_site", has_any_site_role)
rules.add_perm("programmes.change_site", runs_the_site)
rules.add_perm("programmes.add_site", administers_programme)  # object: the programme
rules.add_perm("programmes.add_evidence", works_in_the_site)
rules.add_perm("programmes.verify_evidence", runs_the_site)
rules.add_perm("programmes.complete_step", runs_the_site)
rules.add_perm("programmes.override_step", is_programme_admin)
rules.add_perm("programmes.reopen_step", runs_the_site)

# People, organisations, groups (object: the site) ----------------------------------------------
rules.add_perm("people.view_people", has_any_site_role)
rules.add_perm("people.view_identity", has_any_site_role & ~is_researcher | is_programme_admin)
rules.add_perm(
    "people.view_contact_details", works_in_the_site
)  # not commissioners, not researchers
rules.add_perm("people.change_people", works_in_the_site)
rules.add_perm("people.view_organisations", has_any_site_role)
rules.add_perm("people.change_organisations", works_in_the_site)
rules.add_perm("people.view_groups", has_any_site_role)
rules.add_perm("people.change_groups", works_in_the_site)

# Events, meetings, walkabouts, the learning programme (object: the site) -----------------------
rules.add_perm("events.view_events", has_any_site_role)
rules.add_perm("events.change_events", works_in_the_site)
rules.add_perm("events.approve_minutes", works_in_the_site)

# The listening event (object: the site): commissioners read, only the site's team writes --------
rules.add_perm("listening.view_listening", has_any_site_role)
rules.add_perm("listening.change_listening", works_in_the_site)

# Neighbourhood outcomes (object: the site) ------------------------------------------------------
rules.add_perm("outcomes.view_indicators", has_any_site_role)
rules.add_perm("outcomes.change_geography", runs_the_site)
rules.add_perm("outcomes.run_evaluation", runs_the_site | is_researcher)

# The partnership at work (object: the site): the action plan, wins and funding bids, community
# groups and volunteering. Commissioners and researchers read; the site's team writes ----------------
rules.add_perm("actions.view_actions", has_any_site_role)
rules.add_perm("actions.change_actions", works_in_the_site)
rules.add_perm("wins.view_wins", has_any_site_role)
rules.add_perm("wins.change_wins", works_in_the_site)
rules.add_perm("community.view_groups", has_any_site_role)
rules.add_perm("community.change_groups", works_in_the_site)
rules.add_perm("community.set_volunteering_value", runs_the_site)

# The newsletter and the public page (object: the site): everyone in the site reads the issues
# (commissioners see how many subscribers, never who); the team composes; those who run the site
# publish, send and turn the public page on ------------------------------------------------------
rules.add_perm("newsletters.view_newsletters", has_any_site_role)
rules.add_perm("newsletters.change_newsletters", works_in_the_site)
rules.add_perm("newsletters.view_subscribers", works_in_the_site)
rules.add_perm("newsletters.send_newsletters", runs_the_site)

# Value for money. The unit-cost library belongs to the programme (object: the programme) and every
# site of the programme prices its outcomes with it, so only the programme's admins change it (a
# facilitator's edit would silently change other sites' figures); everyone working in one of its
# sites reads it. A site's scenarios (object: the site): everyone with a role reads them; the people
# who run the site and researchers compute and save them ---------------------------------------------
@rules.predicate
def belongs_to_programme(user: Any, programme: Any) -> bool:
    if administers_programme(user, programme):
        return True
    if programme is None or user is None or not user.is_authenticated:
        return False
    from c2hub.programmes.models import Site

    return Site.objects.filter(pk__in=member_site_ids(user), programme=programme).exists()


rules.add_perm("value.view_unit_costs", belongs_to_programme)
rules.add_perm("value.change_unit_costs", administers_programme)
rules.add_perm("value.view_value_for_money", has_any_site_role)
rules.add_perm("value.run_value_for_money", runs_the_site | is_researcher)

# Board reports (object: the site): everyone with a role reads them (commissioners are who they
# are written for); the team drafts and edits; those who run the site approve and release ---------
rules.add_perm("reports.view_board_reports", has_any_site_role)
rules.add_perm("reports.draft_board_reports", works_in_the_site)
rules.add_perm("reports.approve_board_reports", runs_the_site)

# Case studies (object: the site): everyone in the site reads the published ones; the site's team
# drafts and reads drafts; the facilitators publish ------------------------------------------------
rules.add_perm("casestudies.view_case_studies", has_any_site_role)
rules.add_perm("casestudies.view_drafts", works_in_the_site)
rules.add_perm("casestudies.change_case_studies", works_in_the_site)
rules.add_perm("casestudies.publish_case_studies", runs_the_site)

# The commissioner's view (object: the site): read-only, for everyone in the site ------------------
rules.add_perm("commissioning.view_overview", has_any_site_role)


@rules.predicate
def commissions_any_site(user: Any) -> bool:
    """A commissioner somewhere, or a programme admin (who sees what commissioners see)."""
    if user is None or not user.is_authenticated:
        return False
    admin_programmes, by_site = _roles_by_site(user)
    return bool(user.is_superuser or admin_programmes or any(Role.COMMISSIONER in r for r in by_site.values()))


rules.add_perm("commissioning.open_overview", commissions_any_site)

# Area statistics store (no object): importing public data is for programme admins -----------------
rules.add_perm("areas.import_data", administers_any_programme)

# Audit log (no object: programme admins of any programme, superusers) --------------------------
rules.add_perm("accounts.view_audit_log", administers_any_programme)
