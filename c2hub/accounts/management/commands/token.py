"""`c2hub token create|list|revoke`: API tokens, for whoever operates the server."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from c2hub.accounts import services
from c2hub.accounts.management.commands.user import find_user, validation_message
from c2hub.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. `create` prints the token on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list,revoke}")
        create = actions.add_parser("create", help="Create a token and print it (only this once).")
        create.add_argument("--user", required=True, help="The account's e-mail address.")
        create.add_argument("--name", default="API token", help="What the token is for.")
        listing = actions.add_parser("list", help="List an account's tokens that still work.")
        listing.add_argument("--user", required=True, help="The account's e-mail address.")
        revoke = actions.add_parser("revoke", help="Stop a token working.")
        revoke.add_argument("--user", required=True, help="The account's e-mail address.")
        revoke.add_argument("--id", type=int, required=True, help="The token's id (see `list`).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_user(options["user"])
        if options["action"] == "create":
            try:
                token, key = services.api_token_create(actor=None, user=user, name=options["name"])
            except ValidationError as exc:
                raise CommandError(validation_message(exc)) from exc
            self.stderr.write(f"Created {token}. Keep it secret: it is not shown again.")
            # Last line, alone, so scripts can take it with `tail -n 1`.
            self.stdout.write(key)
        elif options["action"] == "list":
            tokens = user.api_tokens.filter(revoked_at__isnull=True).order_by("created_at")
            for token in tokens:
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(f"{token.pk}\t{token.name}\t{token.hint}…\tlast used {used}")
            if not tokens:
                self.stdout.write(f"{user.email} has no API tokens.")
        else:
            token = ApiToken.objects.filter(pk=options["id"], user=user).first()
            if token is None:
                raise CommandError(f"{user.email} has no API token with id {options['id']}.")
            services.api_token_revoke(actor=None, token=token)
            self.stdout.write(f"Revoked {token}.")
