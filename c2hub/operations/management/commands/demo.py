"""`c2hub demo`: load the demo programme (idempotent) and print how to sign in."""

from __future__ import annotations

import os
from typing import Any

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from rich.console import Console

from c2hub.demo.content import DEMO_PASSWORD, DEMO_USERS
from c2hub.demo.loader import DemoReport, demo_load


def current_totp_code(secret: str) -> str:
    """The code an authenticator app shows now for this secret (30-second steps)."""
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


class Command(BaseCommand):
    help = "Load the demo programme (pathway models, sites, evidence, users) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT") or 8000),
            help="The port `c2hub serve` will use, for the printed address (default: $PORT or "
            "8000).",
        )
        parser.add_argument(
            "--totp-codes", action="store_true",
            help="Only print the current authenticator codes of the demo accounts (for signing "
            "in without an authenticator app).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["totp_codes"]:
            for spec in DEMO_USERS:
                if spec.totp_secret:
                    self.stdout.write(f"{spec.email}: {current_totp_code(spec.totp_secret)}")
            return
        console = Console(stderr=True)
        with console.status("Loading the demo programme…") as status:
            report = demo_load(progress=lambda step: status.update(f"Loading: {step}…"))
        self._summary(report, options["port"])

    def _summary(self, report: DemoReport, port: int) -> None:
        out = self.stdout.write
        heading = self.style.MIGRATE_HEADING
        site_names = ", ".join(site.name for site in report.sites)
        out(self.style.SUCCESS(
            f'Demo programme "{report.programme.name}" loaded: {len(report.sites)} sites '
            f"({site_names})."
        ))
        sync = report.pathways
        out(
            f"Pathway models: created {', '.join(sync.created) or 'none'}; updated "
            f"{', '.join(sync.updated) or 'none'}; unchanged {', '.join(sync.unchanged) or 'none'}."
        )
        if report.created:
            out(f"This run wrote {report.created} new records.")
        else:
            out("The demo was already loaded: nothing changed.")

        out("")
        out(heading(f"Open http://127.0.0.1:{port}/ and sign in as one of:"))
        width = max(len(login.email) for login in report.logins)
        for login in report.logins:
            where = ", ".join(login.sites) if login.sites else "every site"
            factor = "  + two-factor" if login.two_factor else ""
            out(f"  {login.email:<{width}}  {login.role_label} – {where}{factor}")
        out(f"  Password for every demo account: {DEMO_PASSWORD}")

        out("")
        out(heading("Two-factor sign-in (programme admins and facilitators must use it):"))
        out(
            "  After the password C2 Hub asks for a code. Add the secret below to an "
            "authenticator app\n  (or open the otpauth:// link on a phone) and type the 6-digit "
            "code it shows, or type one of\n  the recovery codes instead (each works once). "
            "`c2hub demo --totp-codes` prints the\n  current codes without an app."
        )
        for login in report.logins:
            two_factor = login.two_factor
            if two_factor is None:
                continue
            out(f"  {login.email}")
            if two_factor.secret_is_current:
                out(f"    TOTP secret:    {two_factor.secret}")
                out(f"    otpauth link:   {two_factor.otpauth_url}")
            else:
                out("    TOTP: set up again by its user since the demo was loaded; the demo "
                    "secret no longer works.")
            codes = two_factor.unused_recovery_codes[:2]
            out(f"    Recovery codes: {', '.join(codes) if codes else 'all used'}")
        out("")
        out("Demo data only: these passwords and secrets are public. See docs/demo.md.")
