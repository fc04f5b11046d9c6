#!/usr/bin/env python
"""Outcomes benchmark: how fast is a site's indicators page, its suppression and its evaluation?

    .venv/bin/python bench/outcomes.py [--requests 50]

In a temporary data directory and SQLite database: imports the demo's real area statistics
(c2hub/demo/data/areas: police.uk crime January–April 2024 for Cornwall, Southend-on-Sea and Thanet),
makes the Camborne site (7 LSOAs) with its suggested comparison areas accepted, then measures

1. the page's data and charts computed from nothing (no cache, no chart files);
2. the page's data computed again with the chart files kept (a new crime type or a new process);
3. the whole page over HTTP (django.test.Client, signed in as a facilitator) once cached: median
   and 95th percentile of --requests requests;
4. secondary suppression of a crime type × month table of 14 × 48 counts (four years);
5. one evaluation run (difference-in-differences, synthetic control with placebos, MDE, verdicts).

A benchmark, not a test: nothing fails because something is slow. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="c2hub-bench-outcomes-"))
    os.environ["C2HUB_DATA_DIR"] = str(work)
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2hub.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    try:
        run(args, work, cache, call_command)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def run(args: argparse.Namespace, work: Path, cache, call_command) -> None:
    import datetime as dt

    import numpy as np
    from django.test import Client

    from c2hub.accounts.models import Role, RoleAssignment, User
    from c2hub.areas import queries
    from c2hub.demo.areas import BUNDLE, import_folder
    from c2hub.outcomes import selectors, services
    from c2hub.outcomes.suppression import suppress_table
    from c2hub.programmes import services as programme_services
    from c2hub.programmes.models import PathwayModel, Programme
    from c2hub.programmes.pathway_files import sync_pathway_models

    call_command("migrate", verbosity=0)
    sync_pathway_models()
    print("Importing the demo's area statistics…", flush=True)
    import_folder(BUNDLE)
    programme = Programme.objects.create(name="Bench", slug="bench")
    site = programme_services.site_create(
        actor=None, programme=programme, name="Camborne", slug="camborne", start_date=dt.date(2008, 1, 1),
        pathway_model=PathwayModel.objects.order_by("version").first(), local_authority="Cornwall",
        local_authority_code="E06000052", lsoa_codes=queries.lsoas_in_wards(["E05013278", "E05013279"]),
        wards=[{"code": "E05013278", "name": "Camborne Roskear & Tuckingmill"},
               {"code": "E05013279", "name": "Camborne Trelowarren"}],
    )
    services.comparison_suggest(actor=None, site=site)
    services.comparison_accept_all(actor=None, site=site)
    charts = work / "cache" / "outcome-charts"

    def cold() -> None:
        cache.clear()
        shutil.rmtree(charts, ignore_errors=True)
        selectors.indicators_page(site, suppressed=True)

    def charts_kept() -> None:
        cache.clear()
        selectors.indicators_page(site, suppressed=True)

    results: dict[str, str] = {}
    cold_ms = [_time(cold) for _ in range(3)]
    results["page data and charts from nothing (median of 3)"] = f"{statistics.median(cold_ms):,.0f} ms"
    kept_ms = [_time(charts_kept) for _ in range(5)]
    results["page data again, chart files kept (median of 5)"] = f"{statistics.median(kept_ms):,.0f} ms"

    user = User.objects.create_user(email="fran@example.org", password="bench-password-123")
    RoleAssignment.objects.create(user=user, programme=programme, site=site, role=Role.RESEARCHER)
    client = Client()
    client.force_login(user)
    url = f"/sites/{site.slug}/outcomes/"
    assert client.get(url).status_code == 200
    times = sorted(_time(lambda: client.get(url)) for _ in range(args.requests))
    results[f"whole page over HTTP, cached ({args.requests} requests)"] = (
        f"median {statistics.median(times):,.0f} ms, p95 {times[int(0.95 * (len(times) - 1))]:,.0f} ms"
    )

    rng = np.random.default_rng(1)
    table = rng.poisson(rng.choice([0.5, 2, 6, 30], size=(14, 1)), size=(14, 48)).tolist()
    suppress_ms = [_time(lambda: suppress_table(table)) for _ in range(3)]
    hidden = suppress_table(table)
    results["suppression of a 14 × 48 table (median of 3)"] = (
        f"{statistics.median(suppress_ms):,.0f} ms "
        f"({int((hidden.status == 'primary').sum())} small, {int((hidden.status == 'secondary').sum())} withheld)"
    )

    run_ = services.evaluation_request(actor=None, site=site, treatment_start=dt.date(2024, 3, 1), enqueue=False)
    eval_ms = _time(lambda: services.evaluation_execute(run_))
    results[f"evaluation, both methods ({len(run_.site_lsoas)} site and {len(run_.comparison_lsoas)} comparison "
            f"LSOAs × {len(queries.crime_months())} months)"] = f"{eval_ms:,.0f} ms ({run_.status})"

    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
