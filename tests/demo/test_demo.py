"""The demo programme: it loads, loads only once, and says what the Southchurch report says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from c2hub.accounts.models import Role, RoleAssignment, User
from c2hub.demo import content
from c2hub.demo.loader import demo_load
from c2hub.people.models import GroupKind
from c2hub.programmes.models import EvidenceKind, FundingLine, Site, StepStatus
from c2hub.programmes.selectors import sites_for_user

pytestmark = pytest.mark.django_db

C2HUB_APPS = ("accounts", "programmes", "people", "mfa", "auditlog")


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in C2HUB_APPS
    }


def test_the_demo_loads_the_programme_and_its_five_sites(demo):
    assert demo.programme.name == "C2 Connecting Communities"
    assert [s.slug for s in demo.sites] == [
        "southchurch", "beacon", "redruth", "camborne", "cliftonville"
    ]
    assert demo.created > 0


def test_running_the_demo_twice_changes_nothing(demo):
    before = row_counts()
    again = demo_load()
    assert again.created == 0
    assert row_counts() == before
    assert before["programmes.Evidence"] > 0 and before["auditlog.LogEntry"] > 0
    assert again.pathways.unchanged == ["c2-seven-steps 1.0", "c2-seven-steps 2.0"]


def test_the_demo_command_prints_logins_and_two_factor_details(demo, capsys):
    call_command("demo", port=8123)
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8123/" in out
    for spec in content.DEMO_USERS:
        assert spec.email in out
    assert content.DEMO_PASSWORD in out
    assert "C2HUBDEMOADMINTOTPSECRETFORTESTS" in out
    assert "otpauth://totp/admin%40example.org?secret=C2HUBDEMOADMINTOTPSECRETFORTESTS" in out
    assert "nothing changed" in out


# Southchurch as the report describes it ---------------------------------------------------------
def southchurch() -> Site:
    return Site.objects.select_related("lead_agency", "commissioner", "pathway_model").get(
        slug="southchurch"
    )


def test_southchurch_is_on_the_reports_model_with_its_ward_and_lsoas(demo):
    site = southchurch()
    assert (site.pathway_model.key, site.pathway_model.version) == ("c2-seven-steps", "1.0")
    assert site.pathway_model.parameter("listening_feedback_deadline_days") == 10
    assert site.wards == [{"code": "E05002223", "name": "Southchurch"}]
    assert (site.local_authority, site.local_authority_code) == ("Southend-on-Sea", "E06000033")
    assert site.lsoa_codes == [f"E0101588{n}" for n in range(3, 9)]
    assert site.planned_length_months == 24


def test_southend_ccg_leads_and_commissions_southchurch(demo):
    site = southchurch()
    assert site.lead_agency.name == "Southend Clinical Commissioning Group"
    assert site.commissioner == site.lead_agency


def test_southchurchs_funding_a_grant_for_steps_1_2_and_a_business_case_for_3_to_7(demo):
    grant, business_case = FundingLine.objects.filter(site=southchurch()).order_by("id")
    assert (grant.status, grant.steps_covered, grant.amount) == ("awarded", [1, 2], None)
    assert "7.5 months" in grant.description and "amount" in grant.notes
    assert (business_case.status, business_case.steps_covered) == ("pending", [3, 4, 5, 6, 7])
    assert business_case.funder.name == "Southend Clinical Commissioning Group"
    assert business_case.amount is None or isinstance(business_case.amount, Decimal)


def test_southchurch_has_step_1_complete_and_step_2_in_progress(demo):
    site = southchurch()
    status = dict(site.step_progress.values_list("step__number", "status"))
    assert status[1] == StepStatus.COMPLETE
    assert status[2] == StepStatus.IN_PROGRESS
    # Its listening event, held in January 2014 with feedback in time, evidences step 3.
    assert status[3] == StepStatus.IN_PROGRESS
    assert all(status[n] == StepStatus.NOT_STARTED for n in range(4, 8))
    waiting = site.pathway_model.steps.get(number=2).criteria.exclude(
        evidence__site=site
    )
    assert [c.key for c in waiting] == ["listening-event-planned"]
    due = dict(site.step_progress.values_list("step__number", "due_on"))
    assert due[2] == dt.date(2013, 12, 31)  # the connecting event, December 2013
    assert due[3] == dt.date(2014, 1, 31)  # the listening event, January 2014


def test_southchurchs_evidence_carries_the_reports_dates(demo):
    dated = {
        e.summary: e.occurred_on
        for e in southchurch().evidence.exclude(occurred_on=None)
    }
    assert dt.date(2012, 11, 1) in dated.values()  # the grant bid, November 2012
    assert dt.date(2013, 6, 14) in dated.values()  # the engagement workshop
    assert dt.date(2013, 9, 1) in dated.values()  # the residential training
    workshop = next(s for s, d in dated.items() if d == dt.date(2013, 6, 14))
    assert "Beacon" in workshop and "Redruth" in workshop
    notes = " ".join(southchurch().evidence.values_list("note", flat=True))
    assert "Streets Ahead" in notes and "walk around the local area" in notes
    assert "Kent" in notes and "18 months" in notes


def test_the_steering_network_has_appendix_2s_membership_and_is_linked_as_evidence(demo):
    site = southchurch()
    network = site.groups.get(kind=GroupKind.STRATEGIC_STEERING)
    assert network.name == "Southchurch C2 Strategic Steering Network"
    assert network.formed_on == dt.date(2013, 11, 1)
    members = {
        (m.organisation.name, m.notes)
        for m in network.memberships.select_related("organisation")
    }
    assert {name for name, _ in members} == {
        "Southend Clinical Commissioning Group", "Southend Borough Council",
        "University of Exeter (C2 team)", "Police (Southend)", "Education (Southend)",
        "Housing (Southend)", "Fire Service (Southend)", "Southchurch ward residents",
    }
    assert not network.memberships.exclude(person=None).exists()
    assert ("University of Exeter (C2 team)", "C2 representatives") in members
    for purpose in content.STEERING_NETWORK_PURPOSES:
        assert purpose in network.purpose
    link = site.evidence.get(kind=EvidenceKind.RECORD, record_type__model="group", record_id=network.pk)
    assert link.criterion.key == "steering-group-established" and link.record == network


def test_the_demo_invents_no_names(demo):
    names = set(site_people_names())
    assert {"Resident A", "Resident B", "Resident C"} <= names
    for name in names:
        assert name.startswith("Resident ") or "(" in name  # a fictional label or a post


def site_people_names():
    from c2hub.people.models import Person

    return Person.objects.values_list("name", flat=True)


# The other sites --------------------------------------------------------------------------------
@pytest.mark.parametrize("slug", ["beacon", "redruth", "camborne"])
def test_the_established_sites_have_every_step_complete_with_evidence(demo, slug):
    site = Site.objects.get(slug=slug)
    assert site.status == Site.Status.ESTABLISHED
    assert set(site.step_progress.values_list("status", flat=True)) == {StepStatus.COMPLETE}
    assert not site.step_progress.filter(overridden=True).exists()
    for step in site.pathway_model.steps.all():
        assert not step.criteria.exclude(evidence__site=site).exists()
    assert site.local_authority_code == "E06000052"


def test_outcome_claims_are_quoted_as_claims(demo):
    beacon = Site.objects.get(slug="beacon")
    claim = beacon.evidence.get(criterion__key="measurable-outcomes")
    assert "52% reduction in overall crime" in claim.note and "claim" in claim.note.lower()
    camborne = Site.objects.get(slug="camborne")
    assert "TR14ers" in " ".join(camborne.evidence.values_list("note", flat=True))


def test_the_kent_site_is_mid_pathway_on_the_newer_model(demo):
    site = Site.objects.get(slug="cliftonville")
    assert site.pathway_model.version == "2.0"
    assert (site.local_authority, site.local_authority_code) == ("Thanet", "E07000114")
    assert [w["name"] for w in site.wards] == ["Cliftonville East", "Cliftonville West"]
    status = dict(site.step_progress.values_list("step__number", "status"))
    assert [status[n] for n in range(1, 8)] == [
        "complete", "complete", "complete", "in_progress",
        "not_started", "not_started", "not_started",
    ]


# Users ------------------------------------------------------------------------------------------
def test_the_facilitator_sees_only_southchurch(demo):
    facilitator = User.objects.get(email="facilitator.southchurch@example.org")
    assert [s.slug for s in sites_for_user(facilitator)] == ["southchurch"]
    admin = User.objects.get(email="admin@example.org")
    assert sites_for_user(admin).count() == 5


def test_the_demo_users_hold_their_roles(demo):
    roles = set(RoleAssignment.objects.values_list("user__email", "role", "site__slug"))
    assert ("admin@example.org", Role.PROGRAMME_ADMIN, None) in roles
    assert ("facilitator.southchurch@example.org", Role.FACILITATOR, "southchurch") in roles
    assert ("commissioner.southend@example.org", Role.COMMISSIONER, "southchurch") in roles
    assert ("member.southchurch@example.org", Role.PARTNERSHIP_MEMBER, "southchurch") in roles
    assert ("researcher@example.org", Role.RESEARCHER, "southchurch") in roles
    assert User.objects.get(email="admin@example.org").check_password(content.DEMO_PASSWORD)


def test_the_demo_admins_authenticator_accepts_the_printed_secrets_codes(demo):
    admin = User.objects.get(email="admin@example.org")
    totp = TOTP(Authenticator.objects.get(user=admin, type=Authenticator.Type.TOTP))
    secret = "C2HUBDEMOADMINTOTPSECRETFORTESTS"
    now = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    wrong = f"{(int(now) + 1) % 1_000_000:06d}"
    assert not totp.validate_code(wrong)
    assert totp.validate_code(now)

    login = next(x for x in demo.logins if x.email == "admin@example.org")
    assert login.two_factor.otpauth_url.startswith("otpauth://totp/admin%40example.org?secret=")
    codes = RecoveryCodes(Authenticator.objects.get(user=admin, type="recovery_codes"))
    first = login.two_factor.unused_recovery_codes[0]
    assert codes.validate_code(first)
    assert not codes.validate_code(first)  # each code works once
    assert first not in demo_load().logins[0].two_factor.unused_recovery_codes


def test_the_facilitator_also_has_two_factor_and_others_do_not_need_it(demo):
    with_totp = set(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list(
            "user__email", flat=True
        )
    )
    assert with_totp == {"admin@example.org", "facilitator.southchurch@example.org"}
    assert not LogEntry.objects.filter(changes_text__icontains="C2HUBDEMO").exists()
