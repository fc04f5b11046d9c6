"""`c2hub user …` and `c2hub token …`: accounts, roles and API tokens from the command line."""

from __future__ import annotations

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command

from c2hub import cli
from c2hub.accounts.models import ApiToken, Role, User
from c2hub.accounts.rules import site_roles
from tests.factories import PASSWORD


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_user_create_with_a_password_and_a_site_role(site):
    output = run("user", "create", "--email", "Fay@Example.org", "--name", "Fay Cilitator",
                 "--password", "a long passphrase here", "--role", "facilitator", "--site", site.slug)
    user = User.objects.get(email="fay@example.org")
    assert user.full_name == "Fay Cilitator" and user.check_password("a long passphrase here")
    assert site_roles(user, site) == {Role.FACILITATOR}
    assert "Created fay@example.org" in output and "two-factor" in output
    assert "a long passphrase here" not in output


def test_user_create_generates_and_prints_a_password_when_none_is_given(site):
    output = run("user", "create", "--email", "rae@example.org", "--role", "researcher", "--site", site.slug)
    password = output.strip().splitlines()[-1].removeprefix("Password (shown only now): ")
    assert len(password) >= 16
    assert User.objects.get(email="rae@example.org").check_password(password)


def test_user_create_programme_admin_has_no_site(site):
    run("user", "create", "--email", "pat@example.org", "--password", PASSWORD,
        "--role", "programme_admin", "--programme", site.programme.slug)
    assignment = User.objects.get(email="pat@example.org").role_assignments.get()
    assert assignment.role == Role.PROGRAMME_ADMIN and assignment.site is None
    assert assignment.programme == site.programme


def test_user_create_is_in_the_audit_log_as_a_system_change(site):
    run("user", "create", "--email", "sys@example.org", "--password", PASSWORD,
        "--role", "commissioner", "--site", site.slug)
    user = User.objects.get(email="sys@example.org")
    entry = LogEntry.objects.get_for_object(user).get()
    assert entry.actor is None
    assert "password" not in (entry.changes_dict or {})


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "facilitator", "--site", "nowhere"], "There is no site 'nowhere'"),
        (["--role", "facilitator"], "works in one site"),
        (["--role", "programme_admin", "--programme", "nope"], "There is no programme 'nope'"),
        (["--role", "commissioner", "--site", "southchurch", "--password", "1234567890"],
         "This password is entirely numeric."),
    ],
)
def test_user_create_explains_what_is_wrong(site, args, message):
    with pytest.raises(CommandError, match=message):
        run("user", "create", "--email", "x@example.org", "--password", PASSWORD, *args)
    assert not User.objects.filter(email="x@example.org").exists()


def test_user_create_refuses_an_unknown_role(site):
    with pytest.raises(CommandError, match="invalid choice: 'mayor'"):
        run("user", "create", "--email", "x@example.org", "--role", "mayor", "--site", site.slug)


def test_user_create_refuses_an_existing_account(site, member):
    with pytest.raises(CommandError, match="already an account"):
        run("user", "create", "--email", member.email, "--password", PASSWORD,
            "--role", "researcher", "--site", site.slug)


def test_user_grant_and_revoke(site, member):
    run("user", "grant", "--email", member.email, "--role", "commissioner", "--site", site.slug)
    assert site_roles(member, site) == {Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER}
    run("user", "revoke", "--email", member.email, "--role", "partnership_member", "--site", site.slug)
    member = User.objects.get(pk=member.pk)
    assert site_roles(member, site) == {Role.COMMISSIONER}
    with pytest.raises(CommandError, match="does not hold that role"):
        run("user", "revoke", "--email", member.email, "--role", "researcher", "--site", site.slug)
    with pytest.raises(CommandError, match="There is no account"):
        run("user", "grant", "--email", "ghost@example.org", "--role", "researcher", "--site", site.slug)


def test_token_create_prints_the_token_on_the_last_line(member):
    output = run("token", "create", "--user", member.email, "--name", "Nightly export")
    key = output.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=member)
    assert token.key_hash == ApiToken.hash_key(key) and token.name == "Nightly export"


def test_token_create_for_an_unknown_user_fails_clearly(db):
    with pytest.raises(CommandError, match="There is no account for 'ghost@example.org'"):
        run("token", "create", "--user", "ghost@example.org")


def test_token_list_and_revoke(member):
    run("token", "create", "--user", member.email, "--name", "Nightly export")
    token = ApiToken.objects.get(user=member)
    assert "Nightly export" in run("token", "list", "--user", member.email)
    run("token", "revoke", "--user", member.email, "--id", str(token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "has no API tokens" in run("token", "list", "--user", member.email)
    with pytest.raises(CommandError, match="no API token with id"):
        run("token", "revoke", "--user", member.email, "--id", "999999")


@pytest.mark.django_db(transaction=True)
def test_the_c2hub_console_script_forwards_to_the_commands(member, capsys):
    """`c2hub` closes the database connections when a command ends (as Django's command line
    does), which would end a test wrapped in a transaction: this one commits for real."""
    cli.main(["token", "create", "--user", member.email])
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiToken.objects.filter(user=member, key_hash=ApiToken.hash_key(key)).exists()


def test_user_deactivate_stops_sign_in(client, member):
    run("user", "deactivate", "--email", member.email)
    member.refresh_from_db()
    assert not member.is_active
    response = client.post("/account/login/", {"login": member.email, "password": PASSWORD})
    assert response.status_code != 302 or "dashboard" not in response.get("Location", "")
    assert "_auth_user_id" not in client.session


def test_user_reset_2fa_for_a_lost_phone(client, facilitator):
    from c2hub.accounts.selectors import has_totp
    from tests.accounts.two_factor import give_recovery_codes

    give_recovery_codes(facilitator)
    output = run("user", "reset-2fa", "--email", facilitator.email)
    assert "Removed 2 authenticator(s)" in output
    assert not has_totp(facilitator)
    client.force_login(facilitator)
    assert client.get("/dashboard/")["Location"] == "/account/2fa/totp/activate/"
