"""`c2hub import KIND PATH…`: import public data into the area-statistics store (see docs/area-data.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from c2hub.areas import store
from c2hub.areas.files import ImportRefused
from c2hub.areas.importers import IndicatorMetaInput, load_meta_file
from c2hub.areas.services import KINDS, ImportOptions, run_import


def _yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in {"yes", "true", "1", "higher"}:
        return True
    if value in {"no", "false", "0", "lower"}:
        return False
    raise ValueError(text)


class Command(BaseCommand):
    help = "Import public data into the area-statistics store. Lookups first: LSOA codes are checked against them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True, metavar="|".join([*KINDS, "list"]))
        for kind, description in KINDS.items():
            command = sub.add_parser(kind, help=description)
            command.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="Files (or folders, zips).")
            if kind == "imd":
                command.add_argument("--edition", type=int, required=True, help="The edition, e.g. 2019.")
            if kind == "population":
                command.add_argument("--year", type=int, help="The year, when the file has no year column.")
            if kind == "indicator":
                command.add_argument("--meta", type=Path, help='JSON: {"indicator": {"source", "licence", …}}.')
                command.add_argument("--source", help="Where the numbers come from (for every indicator).")
                command.add_argument("--licence", help="Their licence, e.g. 'Open Government Licence v3.0'.")
                command.add_argument("--unit", default="", help="e.g. %%, per 1,000, pupils.")
                command.add_argument("--label", default="", help="A readable name.")
                command.add_argument(
                    "--higher-is-better", type=_yes_no, default=None, metavar="yes|no", help="Is a rise good news?"
                )
        sub.add_parser("list", help="What has been imported, when and from which files.")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == "list":
            for entry in store.manifest():
                files = ", ".join(entry.get("files", []))
                self.stdout.write(
                    f"{entry['imported_at']}  {entry['dataset']:<16} {entry.get('rows_read', 0):>10,} rows  {files}"
                )
            return
        import_options = ImportOptions(
            edition=options.get("edition"),
            year=options.get("year"),
            meta=load_meta_file(options["meta"]) if options.get("meta") else None,
            default_meta=(
                IndicatorMetaInput(
                    source=options["source"],
                    licence=options["licence"],
                    unit=options.get("unit") or "",
                    higher_is_better=options.get("higher_is_better"),
                    label=options.get("label") or "",
                )
                if options.get("source") and options.get("licence")
                else None
            ),
        )
        console = Console(file=sys.stderr)
        columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn())
        try:
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task(f"Importing {kind}", total=1.0)

                def progress(fraction: float, message: str) -> None:
                    bar.update(task, completed=min(1.0, fraction), description=message)

                results = run_import(kind, options["paths"], import_options, progress)
        except ImportRefused as refused:
            raise CommandError(refused.message) from refused
        for result in results:
            self.stdout.write(self.style.SUCCESS(result.summary()))
