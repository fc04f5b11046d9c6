"""`c2hub indicators --lsoa CODE[,CODE…] | --site SLUG [--json]`: a neighbourhood's crime counts."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from c2hub.areas import queries
from c2hub.programmes.models import Site


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 3)


class Command(BaseCommand):
    help = "Crime and anti-social behaviour counts per LSOA, month and type for LSOAs or a site."

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--lsoa", help="2021 LSOA codes, separated by commas.")
        where.add_argument("--site", help="A site's slug: its LSOAs (Site.lsoa_codes).")
        parser.add_argument("--start", help="First month, YYYY-MM.")
        parser.add_argument("--end", help="Last month, YYYY-MM.")
        parser.add_argument("--type", dest="crime_type", help="One crime type, e.g. 'Anti-social behaviour'.")
        parser.add_argument(
            "--json", action="store_true", help='A JSON list of {"lsoa", "month", "crime_type", "count"}.'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["site"]:
            site = Site.objects.filter(slug=options["site"]).first()
            if site is None:
                raise CommandError(f"There is no site with the slug {options['site']!r}.")
            codes = queries.to_lsoa21(site.lsoa_codes)
            if not site.lsoa_codes:
                raise CommandError(f"{site.name} has no LSOAs yet: choose its area first.")
        else:
            codes = [c.strip() for c in options["lsoa"].split(",") if c.strip()]
        unknown = queries.unknown_lsoas(codes)
        if unknown or not codes:
            raise CommandError(
                f"Unknown LSOA code(s): {', '.join(unknown) or 'none given'} (2021 codes, like E01018865)."
            )
        try:
            counts = queries.crime_counts(
                codes, start=options["start"], end=options["end"], crime_type=options["crime_type"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            rows = [
                {"lsoa": r.lsoa, "month": r.month, "crime_type": r.crime_type, "count": _number(r.count)}
                for r in counts.itertuples()
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        console = Console(file=self.stdout, width=100)
        console.print(f"Crime and anti-social behaviour in {len(codes)} LSOA(s)")
        if counts.empty:
            console.print("The store holds no crime for these LSOAs and months.")
        table = Table()
        for column in ("Month", "Crime type", "Count"):
            table.add_column(column, justify="right" if column == "Count" else "left")
        totals = counts.groupby(["month", "crime_type"], as_index=False)["count"].sum()
        for row in totals.itertuples():
            table.add_row(row.month, row.crime_type, f"{_number(row.count):,}")
        if not counts.empty:
            console.print(table)
        people = queries.population_total(codes)
        if people:
            console.print(f"Population (latest year held): {people:,}")
