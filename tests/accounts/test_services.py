"""Account services: the only writers of users, roles and API tokens."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.accounts import services
from c2hub.accounts.models import ApiToken, Role, RoleAssignment
from c2hub.accounts.rules import site_roles
from tests.factories import ProgrammeFactory, make_site


def test_user_create_stores_a_normalised_address_and_a_hashed_password(db):
    user = services.user_create(actor=None, email="  Ann.Other@Example.ORG ", full_name=" Ann Other ",
                                password="a long passphrase here")
    assert user.email == "ann.other@example.org" and user.full_name == "Ann Other"
    assert user.check_password("a long passphrase here")


def test_user_create_without_a_password_makes_an_account_that_must_reset_it(db):
    user = services.user_create(actor=None, email="ann@example.org")
    assert not user.has_usable_password()


def test_user_create_refuses_duplicates_weak_passwords_and_bad_addresses(db, member):
    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=None, email=member.email.upper())
    assert "already an account" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=None, email="bob@example.org", password="12345678901")
    assert "password" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.user_create(actor=None, email="not an address")


def test_only_programme_admins_create_users(member, programme_admin):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=member, email="new@example.org")
    user = services.user_create(actor=programme_admin, email="new@example.org")
    assert LogEntry.objects.get_for_object(user).get().actor == programme_admin


def test_role_grant_gives_a_site_role_and_is_logged(site, programme_admin, db):
    user = services.user_create(actor=None, email="new@example.org")
    assignment = services.role_grant(actor=programme_admin, user=user, role=Role.COMMISSIONER,
                                     programme=site.programme, site=site)
    assert site_roles(user, site) == {Role.COMMISSIONER}
    assert LogEntry.objects.get_for_object(assignment).get().actor == programme_admin
    again = services.role_grant(actor=None, user=user, role=Role.COMMISSIONER,
                                programme=site.programme, site=site)
    assert again.pk == assignment.pk


def test_role_grant_checks_where_the_role_applies(site, db):
    user = services.user_create(actor=None, email="new@example.org")
    with pytest.raises(ValidationError, match="no site"):
        services.role_grant(actor=None, user=user, role=Role.PROGRAMME_ADMIN, programme=site.programme, site=site)
    with pytest.raises(ValidationError, match="one site"):
        services.role_grant(actor=None, user=user, role=Role.FACILITATOR, programme=site.programme)
    with pytest.raises(ValidationError, match="Unknown role"):
        services.role_grant(actor=None, user=user, role="mayor", programme=site.programme, site=site)
    other_programme = ProgrammeFactory(slug="other", name="Other programme")
    with pytest.raises(ValidationError, match="not a site of"):
        services.role_grant(actor=None, user=user, role=Role.RESEARCHER, programme=other_programme, site=site)


def test_only_an_admin_of_that_programme_grants_roles(site, facilitator, db):
    user = services.user_create(actor=None, email="new@example.org")
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=facilitator, user=user, role=Role.RESEARCHER, programme=site.programme, site=site)
    other = ProgrammeFactory(slug="other", name="Other programme")
    other_site = make_site(programme=other, name="Elsewhere")
    from tests.factories import user_with_role

    other_admin = user_with_role(Role.PROGRAMME_ADMIN, other_site)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=other_admin, user=user, role=Role.RESEARCHER, programme=site.programme, site=site)


def test_role_revoke_takes_the_role_away(site, member, programme_admin):
    assignment = member.role_assignments.get()
    assert site_roles(member, site)
    services.role_revoke(actor=programme_admin, assignment=assignment)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert site_roles(member, site) == frozenset()


def test_api_token_create_stores_only_a_hash(member):
    token, key = services.api_token_create(actor=member, user=member, name="Export script")
    assert key.startswith("c2h_") and len(key) > 40
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert token.hint == key[:8] and token.name == "Export script"
    assert LogEntry.objects.get_for_object(token).get().actor == member


def test_people_cannot_make_or_revoke_tokens_for_someone_else(member, commissioner):
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=commissioner, user=member)
    token, _key = services.api_token_create(actor=member, user=member)
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=commissioner, token=token)


def test_a_new_token_works_on_the_api_until_it_is_revoked(client, member):
    token, key = services.api_token_create(actor=member, user=member)
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    services.api_token_revoke(actor=member, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/sites", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
