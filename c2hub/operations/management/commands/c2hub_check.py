"""`c2hub check`: Django's system checks, every pathway model file, and whether the database
follows the files. Exits non-zero, saying what to do, if anything is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser, SystemCheckError
from django.db import DatabaseError

from c2hub.programmes.pathway_files import (
    PathwayFileError,
    compare_with_database,
    read_pathway_files,
)


class Command(BaseCommand):
    help = "Check the configuration, the pathway model files and the database."
    requires_system_checks: list[str] = []  # run below, so that every problem is reported

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--deploy", action="store_true", help="Also run the checks for a production server."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = 0
        self.stdout.write("Django system checks…")
        try:
            call_command(
                "check", deploy=options["deploy"], stdout=self.stdout, stderr=self.stderr,
                verbosity=options["verbosity"],
            )
        except SystemCheckError as exc:
            self.stderr.write(str(exc))
            problems += 1

        directory = Path(settings.PATHWAYS_DIR)
        self.stdout.write(f"Pathway model files in {directory}…")
        specs = []
        try:
            if not directory.is_dir():
                raise PathwayFileError(f"{directory}: no such directory (C2HUB_PATHWAYS_DIR)")
            specs = read_pathway_files(directory)
            if not specs:
                raise PathwayFileError(f"{directory}: no *.yaml pathway model files")
        except PathwayFileError as exc:
            self.stderr.write(self.style.ERROR(f"  ✗ {exc}"))
            problems += 1
        for spec in specs:
            self.stdout.write(
                f"  ✓ {spec.file_name}: {spec.key} version {spec.version}, {len(spec.steps)} steps"
            )

        if specs:
            self.stdout.write("The database against the files…")
            try:
                differences = compare_with_database(specs)
            except DatabaseError as exc:
                self.stdout.write(self.style.WARNING(
                    f"  ! The database cannot be read ({exc}); run `c2hub migrate`."
                ))
                differences = []
            else:
                if not differences:
                    self.stdout.write("  ✓ every version in the files is loaded and unchanged")
            for difference in differences:
                if difference.is_error:
                    self.stderr.write(self.style.ERROR(f"  ✗ {difference.message}"))
                    problems += 1
                else:
                    self.stdout.write(self.style.WARNING(f"  ! {difference.message}"))

        if problems:
            raise CommandError(f"c2hub check found {problems} problem(s): see above.")
        self.stdout.write(self.style.SUCCESS("C2 Hub is ready."))
