"""Users, the roles they hold in a programme or a site, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in to C2 Hub. Residents need no account; they are `people.Person` rows."""

    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


class Role(models.TextChoices):
    PROGRAMME_ADMIN = "programme_admin", "Programme admin"
    FACILITATOR = "facilitator", "Site facilitator"
    PARTNERSHIP_MEMBER = "partnership_member", "Partnership member"
    COMMISSIONER = "commissioner", "Commissioner"
    RESEARCHER = "researcher", "Researcher"


#: Roles whose accounts must sign in with a second factor.
ROLES_REQUIRING_2FA = frozenset({Role.PROGRAMME_ADMIN, Role.FACILITATOR})


class RoleAssignment(models.Model):
    """A user's role: across a whole programme (programme admin) or in one site (everyone else)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="role_assignments"
    )
    site = models.ForeignKey(
        "programmes.Site",
        on_delete=models.CASCADE,
        related_name="role_assignments",
        null=True,
        blank=True,
        help_text="Empty for a programme admin, who sees every site of the programme.",
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "site", "role"], name="unique_role_assignment"
            ),
            models.CheckConstraint(
                condition=(models.Q(role="programme_admin", site__isnull=True))
                | (~models.Q(role="programme_admin") & models.Q(site__isnull=False)),
                name="programme_admin_has_no_site_others_do",
            ),
        ]
        indexes = [models.Index(fields=["user", "site"])]

    def __str__(self) -> str:
        where = self.site.name if self.site_id and self.site else "all sites"
        return f"{self.user} – {self.get_role_display()} ({where})"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once, when created."""

    PREFIX = "c2h_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="API token")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to recognise a token.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…) for {self.user}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
