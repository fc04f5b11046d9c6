#!/usr/bin/env python
"""Board report benchmark: how long does the board report take, as DOCX and as PDF, with charts,
for a site with two years of records?

    .venv/bin/python bench/reports.py [--runs 5] [--write-docs]      # or: make bench-reports

In a temporary data directory and SQLite database: loads the demo programme (with its real area
statistics) and times, for Camborne as of today — its two years of events, meetings, the listening
event with its comments and dots, the action plan with its updates, wins, community groups, and
Appendix 3's crime chart and evaluation verdict —

1. assembling the report from the records (``board.board_report``);
2. assembly + the DOCX (python-docx, the chart as a PNG with its alt text);
3. assembly + the PDF (WeasyPrint, tagged PDF/UA-1, the chart as SVG).

Each is run --runs times after one warm-up; the median and the slowest are reported. The target
is 5 seconds each. A benchmark, not a test: nothing fails because something is slow.
``--write-docs`` rewrites the figures between the reports markers of docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- bench:reports:begin -->", "<!-- bench:reports:end -->"
TARGET_SECONDS = 5.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--site", default="camborne")
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="c2hub-bench-reports-"))
    os.environ["C2HUB_DATA_DIR"] = str(work)
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2hub.settings")
    import django

    django.setup()
    try:
        run(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _times(fn, runs: int) -> list[float]:
    fn()  # warm-up: template compilation, fonts, the chart renderer
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from c2hub.demo.loader import demo_load
    from c2hub.programmes.models import Site
    from c2hub.reports import render
    from c2hub.reports.board import board_report

    call_command("migrate", verbosity=0)
    print("Loading the demo (once)…", flush=True)
    demo_load()
    site = Site.objects.get(slug=args.site)
    as_of = timezone.localdate()
    content = board_report(site, as_of=as_of)
    charts = sum(len(a.charts) for a in content.appendices)
    words = sum(len(s.text.split()) for s in content.sections)
    rows = sum(len(t.rows) for a in content.appendices for t in a.tables)
    print(f"{site.name} as of {as_of}: {len(content.sections)} sections, {words} words, "
          f"{rows} appendix table rows, {charts} chart(s)")

    def assemble() -> None:
        board_report(site, as_of=as_of)

    def docx() -> None:
        render.render_docx(board_report(site, as_of=as_of))

    def pdf() -> None:
        render.render_pdf(board_report(site, as_of=as_of))

    results = {name: _times(fn, args.runs) for name, fn in (("assemble", assemble), ("docx", docx), ("pdf", pdf))}
    lines = []
    for name, label in (("assemble", "Assembling the report from the records"),
                        ("docx", "Board report as DOCX (with chart)"),
                        ("pdf", "Board report as tagged PDF (with chart)")):
        t = results[name]
        verdict = "within" if statistics.median(t) <= TARGET_SECONDS else "OVER"
        if verdict == "within" and max(t) > TARGET_SECONDS:
            verdict += " (slowest run over)"
        lines.append(f"| {label} | {statistics.median(t):.2f} s | {max(t):.2f} s | median {verdict} |")
        print(lines[-1])
    if args.write_docs:
        table = "\n".join(
            [
                BEGIN,
                f"{site.name} as of {as_of:%-d %B %Y}: {len(content.sections)} sections ({words} words), "
                f"{rows} rows in the appendices' tables, {charts} chart(s); median and slowest of {args.runs} "
                f"runs after a warm-up, on {platform.machine()} with {os.cpu_count()} CPUs, Python "
                f"{platform.python_version()}.",
                "",
                "| What | Median | Slowest | Target: 5 s |",
                "|---|---|---|---|",
                *lines,
                END,
            ]
        )
        text = DOC.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            text = text[: text.index(BEGIN)] + table + text[text.index(END) + len(END):]
            DOC.write_text(text, encoding="utf-8")
            print(f"Wrote the figures to {DOC}")
        else:
            print(f"No reports markers in {DOC}: add them, then run again with --write-docs.")


if __name__ == "__main__":
    main()
