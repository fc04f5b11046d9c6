"""`c2hub serve`: serve C2 Hub with gunicorn, collecting the static files first when needed."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

#: Written into STATIC_ROOT after collecting, so an unchanged set of files is not collected again.
STAMP_NAME = ".collected"


def static_files_changed(static_root: Path) -> bool:
    """True when a static source file is newer than the last collection (or there was none)."""
    stamp = static_root / STAMP_NAME
    if not stamp.exists():
        return True
    collected_at = stamp.stat().st_mtime
    for finder in get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > collected_at:
                return True
    return False


def gunicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    """The gunicorn command line that serves C2 Hub."""
    return [
        sys.executable, "-m", "gunicorn", "c2hub.wsgi:application",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--access-logfile", "-",
        "--timeout", "60",
    ]


class Command(BaseCommand):
    help = "Serve C2 Hub with gunicorn (collecting static files first when they have changed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("PORT") or 8000),
            help="Port to listen on (default: $PORT, else 8000).",
        )
        parser.add_argument(
            "--host", default="127.0.0.1",
            help="Address to listen on (default: 127.0.0.1, this machine only).",
        )
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 2),
            help="Worker processes (default: $WEB_CONCURRENCY, else 2).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {options['port']}.")
        if options["workers"] < 1:
            raise CommandError("--workers must be 1 or more.")
        static_root = Path(settings.STATIC_ROOT)
        if static_files_changed(static_root):
            self.stdout.write(f"Collecting static files into {static_root}…")
            call_command("collectstatic", interactive=False, verbosity=0)
            (static_root / STAMP_NAME).touch()
        command = gunicorn_command(
            host=options["host"], port=options["port"], workers=options["workers"]
        )
        self.stdout.write(
            self.style.SUCCESS(f"C2 Hub at http://{options['host']}:{options['port']}/")
            + "  (Ctrl+C stops it)"
        )
        self.stdout.flush()
        # Replace this process, so that signals (Ctrl+C, `kill`) reach gunicorn directly.
        os.execv(command[0], command)
