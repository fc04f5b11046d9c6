"""Every write to users, their roles and their API tokens goes through these functions.

Each runs in one transaction, checks the actor's permission (``actor=None`` is the system: the
``c2hub`` commands run by whoever operates the server) and is attributed to the actor in the
audit log.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from c2hub.accounts.audit import acting_as
from c2hub.accounts.models import ApiToken, Role, RoleAssignment, User
from c2hub.accounts.rules import administers_any_programme, administers_programme, forget_cached_roles
from c2hub.programmes.models import Programme, Site


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You do not have permission to do this.")


def generate_password() -> str:
    """A random password that passes the password validators (shown once, then changed)."""
    return secrets.token_urlsafe(15)


@transaction.atomic
def user_create(*, actor: Any, email: str, full_name: str = "", password: str | None = None) -> User:
    """Create an account. Without a password the account cannot sign in until its owner resets
    the password by e-mail ("Forgot your password?")."""
    if actor is not None:
        _require(administers_any_programme(actor))
    email = User.objects.normalize_email(email.strip()).lower()
    if not email:
        raise ValidationError({"email": "Enter an e-mail address."})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"There is already an account for {email}."})
    user = User(email=email, full_name=full_name.strip())
    user.full_clean(exclude=["password"])
    if password is None:
        user.set_unusable_password()
    else:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    with acting_as(actor):
        user.save()
    return user


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, programme: Programme, site: Site | None = None) -> RoleAssignment:
    """Give a user a role: across the programme (programme admin) or in one of its sites.
    Granting a role the user already holds returns the existing assignment."""
    if actor is not None:
        _require(administers_programme(actor, programme))
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: choose one of {', '.join(Role.values)}."})
    if role == Role.PROGRAMME_ADMIN and site is not None:
        raise ValidationError({"site": "A programme admin works across every site: give no site."})
    if role != Role.PROGRAMME_ADMIN and site is None:
        raise ValidationError({"site": f"A {Role(role).label.lower()} works in one site: choose it."})
    if site is not None and site.programme_id != programme.pk:
        raise ValidationError({"site": f"{site.name} is not a site of {programme.name}."})
    with acting_as(actor):
        assignment, _created = RoleAssignment.objects.get_or_create(
            user=user, programme=programme, site=site, role=role
        )
    forget_cached_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    """Take a role away from a user."""
    if actor is not None:
        _require(administers_programme(actor, assignment.programme))
    user = assignment.user
    with acting_as(actor):
        assignment.delete()
    forget_cached_roles(user)


@transaction.atomic
def api_token_create(*, actor: Any, user: User, name: str = "API token") -> tuple[ApiToken, str]:
    """Create an API token for a user. Returns the token row and the token itself, which is
    never stored (only its SHA-256 hash) and so can be shown only this once.

    People create their own tokens; the system (``c2hub token create``) and superusers may
    create one for anybody."""
    if actor is not None:
        _require(actor.pk == user.pk or actor.is_superuser)
    name = name.strip() or "API token"
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": "Use a shorter name (100 characters at most)."})
    if not user.is_active:
        raise ValidationError({"user": f"{user.email}'s account is deactivated."})
    key = ApiToken.new_key()
    with acting_as(actor):
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=ApiToken.hash_key(key), hint=key[: len(ApiToken.PREFIX) + 4]
        )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Stop an API token working. The row stays, so the audit log can still name it."""
    if actor is not None:
        _require(actor.pk == token.user_id or actor.is_superuser)
    if token.revoked_at is None:
        with acting_as(actor):
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def user_deactivate(*, actor: Any, user: User) -> User:
    """Stop someone signing in or using their API tokens (they left, or the account is misused).
    Their records and the audit trail of what they did stay."""
    if actor is not None:
        _require(actor.is_superuser)
    if user.is_active:
        with acting_as(actor):
            user.is_active = False
            user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def two_factor_reset(*, actor: Any, user: User) -> int:
    """Remove a user's authenticator app and recovery codes, for someone who has lost both. If
    their role needs 2FA they must set it up again at their next sign-in. Returns how many
    authenticators were removed."""
    if actor is not None:
        _require(actor.is_superuser)
    from allauth.mfa.models import Authenticator

    deleted, _by_model = Authenticator.objects.filter(user=user).delete()
    return deleted
