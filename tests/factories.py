"""Factories for tests: a programme on the real pathway model files, sites, people, users."""

from __future__ import annotations

import datetime as dt

import factory
from django.conf import settings

from c2hub.accounts.models import Role, RoleAssignment, User
from c2hub.people.models import Group, GroupKind, Organisation, OrganisationKind, Person, PersonKind
from c2hub.programmes import services
from c2hub.programmes.models import PathwayModel, Programme
from c2hub.programmes.pathway_files import sync_pathway_models

PASSWORD = "correct horse battery staple"


def pathway_model(version: str = "1.0") -> PathwayModel:
    """A pathway model version loaded from the repository's pathways/ folder."""
    found = PathwayModel.objects.filter(key="c2-seven-steps", version=version).first()
    if found is None:
        sync_pathway_models(settings.PATHWAYS_DIR)
        found = PathwayModel.objects.get(key="c2-seven-steps", version=version)
    return found


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    name = "C2 Connecting Communities"
    slug = "c2"


def make_site(
    *,
    programme: Programme | None = None,
    name: str = "Southchurch",
    slug: str | None = None,
    version: str = "1.0",
    start_date: dt.date = dt.date(2013, 6, 1),
    lsoa_codes: tuple[str, ...] = ("E01015883", "E01015884"),
    **extra: object,
):
    """A site started through the real service (progress rows, timeline entry)."""
    return services.site_create(
        actor=None,
        programme=programme or ProgrammeFactory(),
        name=name,
        slug=slug or name.lower().replace(" ", "-"),
        pathway_model=pathway_model(version),
        start_date=start_date,
        lsoa_codes=list(lsoa_codes),
        local_authority=str(extra.pop("local_authority", "Southend-on-Sea")),
        **extra,  # type: ignore[arg-type]
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


def give_totp(user: User, secret: str | None = None) -> str:
    """Activate a TOTP authenticator for the user, as allauth does; returns the secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The current 6-digit code for a TOTP secret."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def user_with_role(
    role: str,
    site=None,
    *,
    programme: Programme | None = None,
    email: str | None = None,
    totp: bool | None = None,
) -> User:
    """A user holding one role: in a site, or (programme admin) across the site's programme.
    Roles that must use 2FA get a TOTP authenticator unless ``totp=False``."""
    from c2hub.accounts.models import ROLES_REQUIRING_2FA

    user = UserFactory(**({"email": email} if email else {}))
    if totp if totp is not None else role in ROLES_REQUIRING_2FA:
        give_totp(user)
    programme = programme or (site.programme if site is not None else ProgrammeFactory())
    RoleAssignment.objects.create(
        user=user,
        programme=programme,
        site=None if role == Role.PROGRAMME_ADMIN else site,
        role=role,
    )
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.COUNCIL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    kind = PersonKind.RESIDENT
    name = factory.Sequence(lambda n: f"Resident {n}")
    email = factory.Sequence(lambda n: f"resident{n}@example.net")
    phone = "01702 000000"
    postcode = "SS1 2AB"

    @factory.post_generation
    def sites(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.sites.add(*extracted)

    @factory.post_generation
    def notes(obj, create, extracted, **kwargs):  # noqa: N805
        """Notes are kept per site: ``notes="…"`` writes them in each of the person's sites."""
        if create and extracted:
            from c2hub.people.models import PersonSiteNotes

            for site in obj.sites.all():
                PersonSiteNotes.objects.create(person=obj, site=site, notes=extracted)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Group {n}")
    kind = GroupKind.STRATEGIC_STEERING
