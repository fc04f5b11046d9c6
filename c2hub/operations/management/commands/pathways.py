"""`c2hub pathways sync`: load the pathway model files into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from c2hub.programmes.pathway_files import PathwayFileError, sync_pathway_models


class Command(BaseCommand):
    help = "Work with the pathway model files (pathways/*.yaml)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="sync")
        sync = sub.add_parser(
            "sync",
            help="Load every pathway model file; a version a site follows must not change.",
        )
        sync.add_argument(
            "--dir", type=Path, default=None,
            help=f"The pathways directory (default: {settings.PATHWAYS_DIR}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["dir"] or Path(settings.PATHWAYS_DIR)
        try:
            report = sync_pathway_models(directory)
        except PathwayFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for heading, labels, style in (
            ("Created", report.created, self.style.SUCCESS),
            ("Updated", report.updated, self.style.WARNING),
            ("Unchanged", report.unchanged, str),
        ):
            self.stdout.write(f"{heading}: {', '.join(labels) if labels else 'none'}", style)
