"""`c2hub report board --site SLUG --as-of YYYY-MM-DD --format docx|pdf --out FILE`: a site's board
report straight from its records as of a date (no saved draft needed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from c2hub.programmes.models import Site
from c2hub.reports import render
from c2hub.reports.board import DEFAULT_BOARD, board_report


class Command(BaseCommand):
    help = "Reports from a site's records. `board`: the report to a board as of a date, as DOCX or PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="board")
        board = kinds.add_parser("board", help="The board report (the seed report's shape) as of a date.")
        board.add_argument("--site", required=True, help="The site's slug, e.g. southchurch.")
        board.add_argument("--as-of", dest="as_of", required=True, help="YYYY-MM-DD: nothing after this day is stated.")
        board.add_argument("--format", dest="fmt", choices=["docx", "pdf"], default="docx")
        board.add_argument("--out", required=True, help="The file to write.")
        board.add_argument("--board", default=DEFAULT_BOARD, help=f"The board's name (default: {DEFAULT_BOARD}).")
        board.add_argument("--template", help="An organisation's Word template (.docx) for the DOCX.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["site"]).first()
        if site is None:
            raise CommandError(f"There is no site with the slug {options['site']!r}.")
        try:
            as_of = dt.date.fromisoformat(options["as_of"])
        except ValueError as exc:
            raise CommandError(f"--as-of must be a date like 2013-12-01, not {options['as_of']!r}.") from exc
        out = Path(options["out"])
        if not out.parent.exists():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            content = board_report(site, as_of=as_of, board_name=options["board"])
            if options["fmt"] == "pdf":
                body = render.render_pdf(content)
            else:
                template = None
                if options.get("template"):
                    path = Path(options["template"])
                    if not path.is_file():
                        raise CommandError(f"There is no file {path}.")
                    template = path.open("rb")
                try:
                    if template is not None:
                        render.check_word_template(template)
                    body = render.render_docx(content, template=template)
                finally:
                    if template is not None:
                        template.close()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        out.write_bytes(body)
        note = "" if content.has_data else " (the site had no records by that date: the report says so)"
        self.stdout.write(f"Wrote the {site.name} board report as of {as_of:%-d %B %Y} to {out}{note}.")
