#!/usr/bin/env python
"""Partnership benchmark: how fast are a busy site's action plan, "you said, we did" and agency
responsiveness pages?

    .venv/bin/python bench/partnership.py [--requests 40] [--actions 2000] [--updates 10000] [--wins 500]

In a temporary data directory and SQLite database: a site with a listening event (12 themes, 1,200
comments, dot votes), 8 agencies with a named officer each, 60 residents, 12 objectives, 2,000
actions over four years with agency dates, 10,000 dated updates (some at 48 partnership meetings)
and 500 wins — rows inserted with ``bulk_create`` (the services would take many minutes) — then
the pages over HTTP (django.test.Client, signed in as a partnership member): median and 95th percentile
of --requests requests each, after one warm-up request (which draws the chart once).

A benchmark, not a test: nothing fails because something is slow. Figures go in docs/performance.md;
the target is a median of at most 150 ms per page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 150


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--wins", type=int, default=500)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="c2hub-bench-partnership-"))
    os.environ["C2HUB_DATA_DIR"] = str(work)
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "c2hub.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    try:
        run(args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def build(args: argparse.Namespace):  # noqa: ANN201 - (site, user)
    from django.core.management import call_command
    from django.utils import timezone

    from c2hub.accounts.models import Role, RoleAssignment, User
    from c2hub.actions.models import Action, ActionStatus, ActionUpdate, Objective
    from c2hub.events.models import Event, EventKind, EventStatus
    from c2hub.listening import services as listening_services
    from c2hub.listening.models import Comment, CommentSource, Theme, Vote, VoteSource
    from c2hub.people.models import Organisation, OrganisationKind, Person, PersonKind
    from c2hub.programmes import services as programme_services
    from c2hub.programmes.models import PathwayModel, Programme
    from c2hub.programmes.pathway_files import sync_pathway_models
    from c2hub.wins.models import Win, WinKind

    rng = random.Random(2014)
    call_command("migrate", verbosity=0)
    sync_pathway_models()
    programme = Programme.objects.create(name="Bench", slug="bench")
    site = programme_services.site_create(
        actor=None,
        programme=programme,
        name="Southchurch",
        slug="southchurch",
        start_date=dt.date(2013, 6, 1),
        pathway_model=PathwayModel.objects.order_by("version").first(),
        local_authority="Southend-on-Sea",
        lsoa_codes=["E01015883"],
    )
    kinds = [
        OrganisationKind.POLICE,
        OrganisationKind.COUNCIL,
        OrganisationKind.HOUSING,
        OrganisationKind.FIRE,
        OrganisationKind.EDUCATION,
        OrganisationKind.NHS_PROVIDER,
        OrganisationKind.ICB,
        OrganisationKind.VOLUNTARY,
    ]
    agencies = Organisation.objects.bulk_create(
        Organisation(programme=programme, name=f"Agency {n} ({kind})", short_name=f"A{n}", kind=kind)
        for n, kind in enumerate(kinds, start=1)
    )
    for agency in agencies:
        agency.sites.add(site)
    officers = Person.objects.bulk_create(
        Person(programme=programme, kind=PersonKind.WORKER, name=f"Officer {n}", organisation=agency)
        for n, agency in enumerate(agencies, start=1)
    )
    residents = Person.objects.bulk_create(
        Person(programme=programme, kind=PersonKind.RESIDENT, name=f"Resident {n:02d}") for n in range(1, 61)
    )
    site.people.add(*officers, *residents)

    listening = listening_services.listening_event_create(
        actor=None, site=site, title="Listening event", held_on=dt.date(2014, 1, 18), status=EventStatus.HELD
    )
    themes = Theme.objects.bulk_create(
        Theme(listening_event=listening, name=f"Priority {n}", order=n) for n in range(1, 13)
    )
    Comment.objects.bulk_create(
        Comment(
            listening_event=listening,
            theme=themes[n % len(themes)],
            participant="resident",
            text=f"Comment {n} about {themes[n % len(themes)].name.lower()} on our street",
            count=rng.randint(1, 4),
            source=CommentSource.PAPER,
            given_name="Maureen" if n % 50 == 0 else "",
            name_consent=n % 50 == 0,
        )
        for n in range(1200)
    )
    Vote.objects.bulk_create(
        Vote(listening_event=listening, theme=t, participant=p, dots=rng.randint(2, 60), source=VoteSource.PAPER)
        for t in themes
        for p in ("resident", "provider")
    )
    objectives = Objective.objects.bulk_create(
        Objective(site=site, title=f"Objective for {t.name}", theme=t, order=n) for n, t in enumerate(themes, 1)
    )
    meetings = Event.objects.bulk_create(
        Event(
            site=site,
            kind=EventKind.PARTNERSHIP_MEETING,
            title=f"Partnership meeting {n}",
            status=EventStatus.HELD,
            starts_at=timezone.make_aware(dt.datetime(2014 + n // 12, n % 12 + 1, 10, 18, 30)),
            steps=[5],
        )
        for n in range(48)
    )
    start = dt.date(2014, 2, 1)
    statuses = [ActionStatus.DONE] * 6 + [
        ActionStatus.IN_PROGRESS,
        ActionStatus.WAITING_ON_AGENCY,
        ActionStatus.NOT_STARTED,
        ActionStatus.DROPPED,
    ]
    rows = []
    for n in range(args.actions):
        asked = start + dt.timedelta(days=n * 1400 // args.actions)
        first = asked + dt.timedelta(days=rng.randint(1, 40))
        status = rng.choice(statuses)
        objective = objectives[n % len(objectives)]
        agency_index = rng.randrange(len(agencies))
        rows.append(
            Action(
                site=site,
                objective=objective,
                theme=objective.theme,
                title=f"Action {n}: do something useful",
                lead_resident=residents[n % len(residents)],
                lead_organisation=agencies[agency_index],
                lead_officer=officers[agency_index],
                due_on=asked + dt.timedelta(days=90),
                status=status,
                dropped_reason="Overtaken by events" if status == ActionStatus.DROPPED else "",
                asked_on=asked,
                acknowledged_on=asked + dt.timedelta(days=1),
                first_response_on=first,
                completed_on=first + dt.timedelta(days=rng.randint(5, 80)) if status == ActionStatus.DONE else None,
                what_changed="Residents can see the difference." if status == ActionStatus.DONE else "",
                public=n % 5 != 0,
            )
        )
    actions = Action.objects.bulk_create(rows, batch_size=1000)
    ActionUpdate.objects.bulk_create(
        (
            ActionUpdate(
                action=actions[n % len(actions)],
                on=actions[n % len(actions)].asked_on + dt.timedelta(days=n % 60),
                status=ActionStatus.IN_PROGRESS,
                note=f"Update {n}",
                meeting=meetings[n % 48] if n % 3 == 0 else None,
            )
            for n in range(args.updates)
        ),
        batch_size=2000,
    )
    Win.objects.bulk_create(
        (
            Win(
                site=site,
                kind=rng.choice(WinKind.values),
                title=f"Win {n}",
                won_on=start + dt.timedelta(days=n * 1400 // max(1, args.wins)),
            )
            for n in range(args.wins)
        ),
        batch_size=1000,
    )
    user = User.objects.create_user(email="fran@example.org", password="bench-password-123")
    RoleAssignment.objects.create(user=user, programme=programme, site=site, role=Role.PARTNERSHIP_MEMBER)
    return site, user


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    print(
        f"Building a site with {args.actions:,} actions, {args.updates:,} updates and {args.wins:,} wins…", flush=True
    )
    site, user = build(args)
    client = Client()
    client.force_login(user)
    pages = {
        "action plan (first page of 100, grouped)": f"/sites/{site.slug}/actions/",
        "action plan, filtered (open, overdue)": f"/sites/{site.slug}/actions/?status=open&overdue=1",
        "you said, we did (team)": f"/sites/{site.slug}/you-said-we-did/",
        "you said, we did (public version)": f"/sites/{site.slug}/you-said-we-did/?version=public",
        "agency responsiveness (chart and tables)": f"/sites/{site.slug}/actions/responsiveness/",
    }
    results = {}
    for label, url in pages.items():
        response = client.get(url)  # warm-up: the chart is drawn once and kept
        assert response.status_code == 200, (url, response.status_code)
        times = sorted(_ms(lambda url=url: client.get(url)) for _ in range(args.requests))
        median = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        verdict = "within" if median <= TARGET_MS else "OVER"
        results[label] = f"median {median:,.0f} ms, p95 {p95:,.0f} ms ({verdict} the {TARGET_MS} ms target)"
    width = max(len(k) for k in results)
    print(f"{args.requests} requests each, django.test.Client, SQLite:")
    for key, value in results.items():
        print(f"  {key:<{width}}  {value}")


if __name__ == "__main__":
    main()
