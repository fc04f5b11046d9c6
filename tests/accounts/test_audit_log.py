"""The audit log: every change with who made it, filterable, exportable as CSV, for programme
admins and superusers only."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from c2hub.accounts import services as account_services
from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind
from tests.factories import UserFactory


@pytest.fixture
def evidence(site, facilitator):
    criterion = site.pathway_model.steps.get(number=1).criteria.order_by("pk").first()
    return services.evidence_add(
        actor=facilitator, site=site, criterion=criterion, kind=EvidenceKind.NOTE,
        summary="Steering group minutes", note="Agreed at the first meeting",
    )


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_a_change_through_a_service_is_logged_with_its_actor(evidence, facilitator):
    entry = LogEntry.objects.get_for_object(evidence).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.actor == facilitator


def test_the_page_lists_the_change_and_who_made_it(client, programme_admin, evidence, facilitator):
    client.force_login(programme_admin)
    html = client.get(reverse("audit_log")).content.decode()
    assert "Evidence: Steering group minutes" in html or "Steering group minutes" in html
    assert facilitator.email in html
    assert "Create" in html


def test_filters_by_record_type_actor_and_text(client, programme_admin, evidence, facilitator):
    client.force_login(programme_admin)
    url = reverse("audit_log")
    html = client.get(url, {"record_type": "programmes.evidence"}).content.decode()
    assert "Steering group minutes" in html and "1 entry" in html
    html = client.get(url, {"record_type": "accounts.apitoken"}).content.decode()
    assert "No entries match these filters." in html
    html = client.get(url, {"actor": facilitator.email.split("@")[0]}).content.decode()
    assert "Steering group minutes" in html
    html = client.get(url, {"actor": "nobody@example.org"}).content.decode()
    assert "No entries match these filters." in html
    html = client.get(url, {"q": "steering group"}).content.decode()
    assert "Steering group minutes" in html


def test_filters_by_date(client, programme_admin, evidence):
    client.force_login(programme_admin)
    today = timezone.localdate()
    url = reverse("audit_log")
    html = client.get(url, {"date_from": today.isoformat(), "date_to": today.isoformat()}).content.decode()
    assert "Steering group minutes" in html
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    html = client.get(url, {"date_from": tomorrow}).content.decode()
    assert "No entries match these filters." in html
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert "No entries match" in client.get(url, {"date_to": yesterday}).content.decode()


def test_invalid_filters_are_reported(client, programme_admin):
    client.force_login(programme_admin)
    response = client.get(reverse("audit_log"), {"date_from": "2025-02-01", "date_to": "2025-01-01",
                                                 "record_type": "secrets.everything"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert 'href="#id_date_to"' in html and 'href="#id_record_type"' in html


def test_csv_export_contains_the_filtered_entries(client, programme_admin, evidence, facilitator):
    client.force_login(programme_admin)
    response = client.get(reverse("audit_log"), {"format": "csv", "record_type": "programmes.evidence"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert len(rows) == 1
    assert rows[0]["actor"] == facilitator.email
    assert rows[0]["record type"] == "Evidence"
    assert rows[0]["action"] == "create"
    assert rows[0]["record"] == str(evidence)
    assert "Steering group minutes" in rows[0]["changes"]


def test_csv_export_neutralises_spreadsheet_formulas(client, programme_admin, site, facilitator):
    criterion = site.pathway_model.steps.get(number=1).criteria.order_by("pk").first()
    services.evidence_add(
        actor=facilitator, site=site, criterion=criterion, kind=EvidenceKind.NOTE,
        summary='=HYPERLINK("http://evil.example")', note="",
    )
    client.force_login(programme_admin)
    rows = csv_rows(client.get(reverse("audit_log"), {"format": "csv", "record_type": "programmes.evidence"}))
    assert rows and "HYPERLINK" in rows[0]["changes"]
    assert all(not row[column].startswith("=") for row in rows for column in row)


def test_system_changes_show_as_system(client, programme_admin, db):
    account_services.user_create(actor=None, email="made.by.command@example.org")
    client.force_login(programme_admin)
    rows = csv_rows(client.get(reverse("audit_log"), {"format": "csv", "q": "made.by.command"}))
    assert rows and rows[0]["actor"] == "System"


def test_secrets_stay_out_of_the_log(client, programme_admin, member):
    account_services.api_token_create(actor=member, user=member, name="Export script")
    client.force_login(programme_admin)
    body = b"".join(client.get(reverse("audit_log"), {"format": "csv"}).streaming_content).decode()
    assert "key_hash" not in body and "argon2" not in body


def test_superusers_may_see_it(client, db):
    from tests.factories import give_totp

    admin = UserFactory(is_superuser=True, is_staff=True)
    give_totp(admin)
    client.force_login(admin)
    assert client.get(reverse("audit_log")).status_code == 200


@pytest.mark.parametrize("who", ["facilitator", "member", "commissioner", "researcher"])
def test_everyone_else_is_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log"), {"format": "csv"}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_menu_shows_it_only_to_those_who_may_see_it(client, programme_admin, member):
    client.force_login(programme_admin)
    assert f'href="{reverse("audit_log")}"' in client.get(reverse("dashboard")).content.decode()
    client.force_login(member)
    assert f'href="{reverse("audit_log")}"' not in client.get(reverse("dashboard")).content.decode()
