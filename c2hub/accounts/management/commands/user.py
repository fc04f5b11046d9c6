"""`c2hub user create|grant|revoke|deactivate|reset-2fa`: accounts and roles, for whoever
operates the server."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from c2hub.accounts import services
from c2hub.accounts.models import Role, RoleAssignment, User
from c2hub.accounts.selectors import user_by_email
from c2hub.programmes.models import Programme, Site


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages in exc.message_dict.values() for m in messages)
    return " ".join(exc.messages)


def find_user(email: str) -> User:
    user = user_by_email(email)
    if user is None:
        raise CommandError(f"There is no account for {email!r}.")
    return user


def find_site(slug: str) -> Site:
    site = Site.objects.select_related("programme").filter(slug=slug).first()
    if site is None:
        known = ", ".join(Site.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"There is no site {slug!r} (sites: {known}).")
    return site


def find_programme(slug: str | None, site: Site | None) -> Programme:
    """The programme named, else the site's, else the only one there is."""
    if slug:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(f"There is no programme {slug!r}.")
        if site is not None and site.programme_id != programme.pk:
            raise CommandError(f"Site {site.slug!r} is not part of programme {slug!r}.")
        return programme
    if site is not None:
        return site.programme
    programmes = list(Programme.objects.all()[:2])
    if len(programmes) == 1:
        return programmes[0]
    raise CommandError("Name the programme with --programme SLUG." if programmes else "There is no programme yet.")


def role_arguments(parser: CommandParser) -> None:
    parser.add_argument("--role", required=True, choices=Role.values, help="The role to give.")
    parser.add_argument("--site", help="The site's slug (every role but programme_admin works in one site).")
    parser.add_argument("--programme", help="The programme's slug (needed if there are several).")


class Command(BaseCommand):
    help = "Create accounts and give or take away roles."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,grant,revoke,deactivate,reset-2fa}"
        )

        create = actions.add_parser("create", help="Create an account and give it a role.")
        create.add_argument("--email", required=True)
        create.add_argument("--name", default="", help="The person's full name.")
        create.add_argument(
            "--password",
            help="Without it you are asked for one; leave the answer empty (or run without a "
            "terminal) and a password is generated and printed.",
        )
        role_arguments(create)

        grant = actions.add_parser("grant", help="Give an existing account another role.")
        grant.add_argument("--email", required=True)
        role_arguments(grant)

        revoke = actions.add_parser("revoke", help="Take a role away from an account.")
        revoke.add_argument("--email", required=True)
        role_arguments(revoke)

        deactivate = actions.add_parser("deactivate", help="Stop an account signing in or using the API.")
        deactivate.add_argument("--email", required=True)

        reset = actions.add_parser(
            "reset-2fa", help="Remove an account's authenticator app and recovery codes (lost phone)."
        )
        reset.add_argument("--email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "deactivate":
            user = services.user_deactivate(actor=None, user=find_user(options["email"]))
            self.stdout.write(f"{user.email} can no longer sign in or use API tokens.")
            return
        if options["action"] == "reset-2fa":
            user = find_user(options["email"])
            removed = services.two_factor_reset(actor=None, user=user)
            self.stdout.write(
                f"Removed {removed} authenticator(s) from {user.email}. "
                "They set up two-factor authentication again when they next sign in."
            )
            return
        site = find_site(options["site"]) if options.get("site") else None
        programme = find_programme(options.get("programme"), site)
        try:
            if options["action"] == "create":
                self.create(options, programme, site)
            elif options["action"] == "grant":
                user = find_user(options["email"])
                assignment = services.role_grant(
                    actor=None, user=user, role=options["role"], programme=programme, site=site
                )
                self.stdout.write(f"{user.email} is now {assignment}.")
            else:
                self.revoke(options, programme, site)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc

    def create(self, options: dict[str, Any], programme: Programme, site: Site | None) -> None:
        password = options.get("password")
        generated = False
        if password is None:
            password = self.ask_password(options)
        if not password:
            password, generated = services.generate_password(), True
        with transaction.atomic():  # no account is left behind without its role
            user = services.user_create(
                actor=None, email=options["email"], full_name=options["name"], password=password
            )
            assignment = services.role_grant(
                actor=None, user=user, role=options["role"], programme=programme, site=site
            )
        self.stdout.write(self.style.SUCCESS(f"Created {user.email}: {assignment}."))
        if options["role"] in {Role.PROGRAMME_ADMIN, Role.FACILITATOR}:
            self.stdout.write("They will be asked to set up two-factor authentication when they first sign in.")
        if generated:
            self.stdout.write(f"Password (shown only now): {password}")

    def ask_password(self, options: dict[str, Any]) -> str:
        """Ask on the terminal; an empty answer (or no terminal) means generate one."""
        if not sys.stdin.isatty():
            return ""
        while True:
            first = getpass.getpass("Password (leave empty to generate one): ")
            if not first:
                return ""
            if getpass.getpass("Password again: ") == first:
                return first
            self.stderr.write("The passwords do not match. Try again.")

    def revoke(self, options: dict[str, Any], programme: Programme, site: Site | None) -> None:
        user = find_user(options["email"])
        assignment = RoleAssignment.objects.filter(
            user=user, programme=programme, site=site, role=options["role"]
        ).first()
        if assignment is None:
            raise CommandError(f"{user.email} does not hold that role there.")
        services.role_revoke(actor=None, assignment=assignment)
        self.stdout.write(f"Removed: {assignment}.")
