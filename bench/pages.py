#!/usr/bin/env python
"""Page-speed benchmark: how fast are C2 Hub's main pages on a large programme?

    .venv/bin/python bench/pages.py --database sqlite|postgres \
        [--sites 500 --people 50000 --evidence 200000] [--requests 200]

1. Makes its own database (a SQLite file in a temporary directory, or a fresh PostgreSQL
   database that it creates and drops), migrates it, loads the pathway model files and generates
   a programme with bulk inserts (bench/data.py).
2. Counts the SQL queries of each page in-process (django.test.Client + CaptureQueriesContext),
   at full size and — in a separate run — at a tenth of the size, to show that the count does not
   grow with the rows.
3. Serves C2 Hub with gunicorn (1 sync worker) on 127.0.0.1, with a minimal Django view beside
   it as the baseline (bench/urls.py), signs in as a programme admin (all sites) and as the
   facilitator of the largest site, and requests each page --requests times after a warm-up.
   The server time of a request is measured by bench/middleware.py around the whole middleware
   stack and sent back in a Server-Timing header; the client's round trip is recorded as well.
4. Writes bench/results/<database>.json and the figures section of docs/performance.md.

This is a benchmark, not a test: nothing here fails because a page is slow.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import http.client
import io
import json
import os
import platform
import pstats
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "performance.md"
TARGET_MS = 150.0
BEGIN, END = "<!-- bench:figures:begin -->", "<!-- bench:figures:end -->"
DEFAULT_POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--sites", type=int, default=500)
    p.add_argument("--people", type=int, default=50_000)
    p.add_argument("--evidence", type=int, default=200_000)
    p.add_argument("--requests", type=int, default=200, help="timed requests per page")
    p.add_argument("--warmup", type=int, default=20, help="untimed requests per page first")
    p.add_argument(
        "--small-factor",
        type=int,
        default=10,
        help="query counts are compared with a run at sizes divided by this (0: skip)",
    )
    p.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES,
        help="a PostgreSQL server to create the bench database on (default: %(default)s)",
    )
    p.add_argument("--seed", type=int, default=2013)
    p.add_argument(
        "--server-nice",
        type=int,
        default=0,
        help="run gunicorn at this nice value (negative needs root): on a shared machine, keeps "
        "other processes from inflating the server's wall-clock time",
    )
    p.add_argument(
        "--profile", action="store_true", help="also profile each page in-process (cProfile) into bench/results/"
    )
    p.add_argument("--keep", action="store_true", help="keep the bench database afterwards")
    p.add_argument("--no-doc", action="store_true", help="do not rewrite docs/performance.md")
    p.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


# The database ------------------------------------------------------------------------------------
class BenchDatabase:
    """A database of the benchmark's own, removed afterwards unless --keep."""

    def __init__(self, kind: str, postgres_url: str, keep: bool) -> None:
        self.kind, self.keep = kind, keep
        self.data_dir = Path(tempfile.mkdtemp(prefix="c2hub-bench-"))
        (self.data_dir / "static").mkdir()  # STATIC_ROOT, so that WhiteNoise does not warn
        if kind == "sqlite":
            self.url = f"sqlite:///{self.data_dir / 'bench.sqlite3'}"
            self.name = str(self.data_dir / "bench.sqlite3")
        else:
            import psycopg

            self.admin_url = postgres_url
            self.name = f"c2hub_bench_{os.getpid()}"
            with psycopg.connect(postgres_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                conn.execute(f'CREATE DATABASE "{self.name}"')
            parts = urlsplit(postgres_url)
            self.url = urlunsplit(parts._replace(path="/" + self.name))

    def env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.url,
            "C2HUB_DATA_DIR": str(self.data_dir),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
        }

    def drop(self) -> None:
        if self.keep:
            print(f"Kept the bench database: {self.url} (data directory {self.data_dir})")
            return
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def setup_django(db: BenchDatabase) -> None:
    os.environ.update(db.env())
    import django

    django.setup()


def migrate(console: Any) -> None:
    from django.core.management import call_command

    with console.status("Migrating the bench database…"):
        call_command("migrate", interactive=False, verbosity=0)


def make_progress(console: Any) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


# Pages ------------------------------------------------------------------------------------------------
def pages_for(gen: Any, sites: int) -> list[dict[str, str]]:
    slug = gen.site_slug
    return [
        {"key": "baseline", "label": "Baseline: minimal Django view", "user": "admin", "path": "/bench/baseline/"},
        {
            "key": "dashboard_admin",
            "label": f"Dashboard, programme admin ({sites} sites)",
            "user": "admin",
            "path": "/dashboard/",
        },
        {
            "key": "dashboard_facilitator",
            "label": "Dashboard, facilitator (1 site)",
            "user": "facilitator",
            "path": "/dashboard/",
        },
        {"key": "site_overview", "label": "Site overview", "user": "facilitator", "path": f"/sites/{slug}/"},
        {"key": "pathway", "label": "Pathway", "user": "facilitator", "path": f"/sites/{slug}/pathway/"},
        {"key": "people", "label": "People", "user": "facilitator", "path": f"/sites/{slug}/people/"},
        *capture_pages(gen),
    ]


# The public capture page of a listening event: no sign-in, a resident's cheap phone -------------------
#: A CSRF secret the benchmark sends as both the cookie and the form's token (Django accepts the
#: unmasked 32-character secret), so that POSTs need no page fetched first.
BENCH_CSRF = "benchcsrfsecret0123456789abcdefg"
CAPTURE_COMMENTS = 2000


def capture_pages(gen: Any) -> list[dict[str, str]]:
    """A held listening event in the largest site, capture open, with 2,000 comments; its public
    page by GET and by POST (each POST stores a new comment: a new submission_key each time)."""
    import datetime as dt

    from c2hub.listening import services
    from c2hub.listening.models import Comment, ListeningEvent
    from c2hub.programmes.models import Site

    site = Site.objects.get(slug=gen.site_slug)
    listening = ListeningEvent.objects.filter(event__site=site).first()
    if listening is None:
        listening = services.listening_event_create(
            actor=None, site=site, title="Bench listening event", held_on=dt.date(2024, 3, 1)
        )
        services.capture_set_open(actor=None, listening=listening, open=True)
        Comment.objects.bulk_create(
            Comment(
                listening_event=listening,
                text=f"Comment {n}: more for young people to do",
                participant="resident",
                source="facilitator",
            )
            for n in range(CAPTURE_COMMENTS)
        )
    path = f"/listen/{listening.public_token}/"
    label = "Public capture page (listening event)"
    return [
        {"key": "capture_get", "label": f"{label}, GET", "user": "anonymous", "path": path},
        {
            "key": "capture_post",
            "label": f"{label}, POST a comment",
            "user": "anonymous",
            "path": path,
            "method": "POST",
            "status": "302",
        },
    ]


def capture_form(n: int) -> dict[str, str]:
    return {
        "text": f"The street lights on our road have been out for weeks ({n})",
        "participant": "resident",
        "age_band": "26-64",
        "postcode_district": "SS2",
        "language": "en",
        "submission_key": f"bench-{os.getpid()}-{time.time_ns()}-{n}",
        "csrfmiddlewaretoken": BENCH_CSRF,
    }


def is_placeholder(body: bytes) -> bool:
    """The people pages were a stub returning an empty body while being built."""
    return len(body.strip()) < 200


def count_queries(gen: Any, pages: list[dict[str, str]], *, smallest: bool = False) -> dict[str, dict[str, Any]]:
    """Each page's SQL query count, total and SQL time, in-process, after one warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from c2hub.accounts.models import User

    facilitator = gen.site_min_facilitator_id if smallest else gen.facilitator_id
    users = {"admin": User.objects.get(pk=gen.admin_id), "facilitator": User.objects.get(pk=facilitator)}
    clients = {"anonymous": Client()}
    for name, user in users.items():
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        clients[name] = client
    sent = 0

    def request(client: Any, page: dict[str, str], path: str) -> Any:
        nonlocal sent
        if page.get("method") == "POST":
            sent += 1
            return client.post(path, capture_form(sent))
        return client.get(path)

    out: dict[str, dict[str, Any]] = {}
    for page in pages:
        path = page["path"].replace(gen.site_slug, gen.site_min_slug) if smallest else page["path"]
        client = clients[page["user"]]
        try:
            response = request(client, page, path)
            expected = int(page.get("status", "200"))
            problem = "" if response.status_code == expected else f"answered {response.status_code}"
        except Exception as exc:  # noqa: BLE001 - a page still being built elsewhere
            problem = f"raised {type(exc).__name__}: {exc}"
        if problem:
            out[page["key"]] = {"unavailable": problem}
            continue
        totals, sql_totals, counts = [], [], []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = request(client, page, path)
                totals.append((time.perf_counter() - start) * 1000)
            counts.append(len(ctx.captured_queries))
            sql_totals.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
        out[page["key"]] = {
            "queries": counts[-1],
            "queries_stable": len(set(counts)) == 1,
            "inprocess_ms": statistics.median(totals),
            "inprocess_sql_ms": statistics.median(sql_totals),
            "bytes": len(response.content),
            # A redirect (the capture page's POST) has no body to judge.
            "placeholder": page.get("status", "200") == "200" and is_placeholder(response.content),
        }
    return out


def profile_pages(gen: Any, pages: list[dict[str, str]], database: str) -> dict[str, str]:
    """cProfile each page (20 requests, in-process) into bench/results/profile-<db>-<page>.txt."""
    from django.test import Client

    from c2hub.accounts.models import User

    RESULTS.mkdir(parents=True, exist_ok=True)
    files = {}
    for page in pages:
        user = User.objects.get(pk=gen.admin_id if page["user"] == "admin" else gen.facilitator_id)
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        client.get(page["path"])
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(page["path"])
        profiler.disable()
        buf = io.StringIO()
        stats = pstats.Stats(profiler, stream=buf)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        target = RESULTS / f"profile-{database}-{page['key']}.txt"
        target.write_text(buf.getvalue())
        files[page["key"]] = str(target.relative_to(ROOT))
    return files


def session_cookie(user_id: int) -> str:
    """Sign in without the sign-in form: a session such as allauth leaves after a login with the
    second factor (the users have a TOTP authenticator, which is what the 2FA middleware asks)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from c2hub.accounts.models import User

    user = User.objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# The server -------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: BenchDatabase, port: int, nice: int = 0) -> subprocess.Popen[bytes]:
    env = os.environ | db.env() | {"PYTHONPATH": str(ROOT), "C2HUB_LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "c2hub.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--worker-class",
            "sync",
            "--timeout",
            "300",
            "--chdir",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        preexec_fn=(lambda: os.nice(nice)) if nice else None,  # noqa: PLW1509
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/baseline/")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 seconds")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def time_pages(
    port: int, cookies: dict[str, str], pages: list[dict[str, str]], *, requests: int, warmup: int, progress: Any
) -> dict[str, dict[str, Any]]:
    """Request the pages in turn (interleaved, so that drift affects them all alike)."""
    conns = {p["key"]: http.client.HTTPConnection("127.0.0.1", port, timeout=120) for p in pages}
    server: dict[str, list[float]] = {p["key"]: [] for p in pages}
    client: dict[str, list[float]] = {p["key"]: [] for p in pages}
    queries: dict[str, set[int]] = {p["key"]: set() for p in pages}
    cpu: dict[str, list[float]] = {p["key"]: [] for p in pages}
    load: list[float] = []
    sizes: dict[str, int] = {}
    task = progress.add_task("Timing requests", total=(requests + warmup) * len(pages))
    for round_ in range(warmup + requests):
        load.append(os.getloadavg()[0])
        for page in pages:
            conn = conns[page["key"]]
            headers = {"Cookie": cookies[page["user"]], "Accept": "text/html"}
            form = None
            if page.get("method") == "POST":
                form = urlencode(capture_form(round_)).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            start = time.perf_counter()
            conn.request(page.get("method", "GET"), page["path"], body=form, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != int(page.get("status", "200")):
                raise SystemExit(
                    f"{page['path']} answered {response.status}, not 200 "
                    f"({response.getheader('Location') or body[:200]!r})"
                )
            if response.will_close:
                conn.close()
            progress.advance(task)
            if round_ < warmup:
                continue
            timing = response.getheader("Server-Timing", "")
            server[page["key"]].append(float(timing.split("dur=")[1]))
            cpu[page["key"]].append(float(response.getheader("X-Bench-Cpu-Ms", "nan")))
            client[page["key"]].append(elapsed)
            queries[page["key"]].add(int(response.getheader("X-Bench-Queries", "-1")))
            sizes[page["key"]] = len(body)
    for conn in conns.values():
        conn.close()
    return {
        key: {
            "median_ms": statistics.median(server[key]),
            "p95_ms": percentile(server[key], 0.95),
            "min_ms": min(server[key]),
            "max_ms": max(server[key]),
            "client_median_ms": statistics.median(client[key]),
            "client_p95_ms": percentile(client[key], 0.95),
            "server_queries": sorted(queries[key]),
            "bytes": sizes[key],
            "cpu_median_ms": statistics.median(cpu[key]),
            "cpu_p95_ms": percentile(cpu[key], 0.95),
            "samples": len(server[key]),
            "load_average": [round(min(load), 2), round(statistics.median(load), 2), round(max(load), 2)],
        }
        for key in server
    }


# Facts about the run --------------------------------------------------------------------------------------------
def machine_facts() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": cpu, "memory_gib": round(mem_gib, 1), "os": platform.platform()}


def versions() -> dict[str, str]:
    import django
    import gunicorn
    from django.db import connection

    out = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "sqlite": sqlite3.sqlite_version,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            out["postgresql"] = cursor.fetchone()[0]
    return out


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "c2hub"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return rev + (" + uncommitted changes in c2hub/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# Running ----------------------------------------------------------------------------------------------------------
def run_small(args: argparse.Namespace) -> dict[str, Any] | None:
    """The same generator at a fraction of the size, in a child process, for query counts only."""
    if not args.small_factor:
        return None
    f = args.small_factor
    out = Path(tempfile.mkstemp(prefix="c2hub-bench-small-", suffix=".json")[1])
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--database",
        args.database,
        "--sites",
        str(max(args.sites // f, 1)),
        "--people",
        str(max(args.people // f, 1)),
        "--evidence",
        str(max(args.evidence // f, 1)),
        "--seed",
        str(args.seed),
        "--postgres-url",
        args.postgres_url,
        "--queries-only",
        "--out",
        str(out),
    ]
    print(f"Query counts at 1/{f} of the size first: {' '.join(cmd[2:-4])}")
    subprocess.run(cmd, check=True)
    data = json.loads(out.read_text())
    out.unlink()
    return data


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from rich.console import Console

    console = Console()
    small = None if args.queries_only else run_small(args)

    db = BenchDatabase(args.database, args.postgres_url, args.keep)
    try:
        setup_django(db)
        from django.db import connections

        from bench.data import Sizes, analyse, generate

        migrate(console)
        sizes = Sizes(sites=args.sites, people=args.people, evidence=args.evidence)
        started = time.perf_counter()
        with make_progress(console) as progress:
            gen = generate(sizes, seed=args.seed, progress=progress)
        analyse()
        generation_s = time.perf_counter() - started
        console.print(
            f"Generated in {generation_s:.0f} s: "
            + ", ".join(f"{label.split('.')[-1]} {n:,}" for label, n in gen.counts.items())
        )
        pages = pages_for(gen, args.sites)

        # No spinner here: its refresh thread would compete for the GIL with the pages measured.
        console.print("Counting queries in-process…")
        queries = count_queries(gen, pages)
        queries_min_site = count_queries(gen, pages, smallest=True)
        if args.queries_only:
            args.out.write_text(
                json.dumps(
                    {"sizes": vars(sizes), "counts": gen.counts, "queries": queries, "site_evidence": gen.site_evidence}
                )
            )
            return 0
        if "unavailable" in queries["baseline"]:
            raise SystemExit(
                f"Even the baseline view failed ({queries['baseline']['unavailable']}): the working "
                "tree is broken, so nothing was measured."
            )
        ready = [p for p in pages if "unavailable" not in queries[p["key"]]]
        for p in pages:
            if p not in ready:
                console.print(
                    f"[yellow]{p['label']} ({p['path']}) {queries[p['key']]['unavailable']}: "
                    "left out of the timings[/yellow]"
                )
        profiles = {}
        if args.profile:
            console.print("Profiling each page in-process…")
            profiles = profile_pages(gen, ready, args.database)
        cookies = {
            "admin": session_cookie(gen.admin_id),
            "facilitator": session_cookie(gen.facilitator_id),
            "anonymous": f"csrftoken={BENCH_CSRF}",
        }
        facts = {"machine": machine_facts(), "versions": versions()}
        connections.close_all()

        port = free_port()
        server = start_server(db, port, args.server_nice)
        try:
            with make_progress(console) as progress:
                timings = time_pages(
                    port, cookies, ready, requests=args.requests, warmup=args.warmup, progress=progress
                )
        finally:
            stop_server(server)
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - Django may not have been set up
            pass
        db.drop()

    result = {
        "database": args.database,
        "command": "python bench/pages.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        **facts,
        "sizes": vars(sizes),
        "rows": gen.counts,
        "generation_seconds": round(generation_s, 1),
        "requests": args.requests,
        "warmup": args.warmup,
        "server_nice": args.server_nice,
        "site": {
            "slug": gen.site_slug,
            "evidence": gen.site_evidence,
            "people": gen.site_people,
            "smallest_slug": gen.site_min_slug,
            "smallest_evidence": gen.site_min_evidence,
        },
        "small": small,
        "profiles": profiles,
        "pages": [page_result(page, timings, queries, queries_min_site, small) for page in pages],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.database}.json").write_text(json.dumps(result, indent=2))
    print_summary(console, result)
    if not args.no_doc:
        write_doc()
        console.print(f"Figures written to {DOC.relative_to(ROOT)}")
    return 0


def page_result(
    page: dict[str, str],
    timings: dict[str, Any],
    queries: dict[str, Any],
    queries_min_site: dict[str, Any],
    small: dict[str, Any] | None,
) -> dict[str, Any]:
    key = page["key"]
    if "unavailable" in queries[key]:
        return page | {"unavailable": queries[key]["unavailable"]}
    small_q = (small or {}).get("queries", {}).get(key, {})
    return (
        page
        | timings[key]
        | {
            "queries": queries[key]["queries"],
            "queries_stable": queries[key]["queries_stable"],
            "queries_smallest_site": queries_min_site.get(key, {}).get("queries"),
            "queries_small": small_q.get("queries"),
            "inprocess_ms": queries[key]["inprocess_ms"],
            "inprocess_sql_ms": queries[key]["inprocess_sql_ms"],
            "placeholder": queries[key]["placeholder"],
        }
    )


# Reporting ----------------------------------------------------------------------------------------------------------
def verdict(page: dict[str, Any], baseline_queries: int | None = None) -> str:
    if page["key"] == "baseline":
        return "floor"
    if page.get("placeholder"):
        return "placeholder page (not built yet)"
    grows = page.get("queries_small") is not None and page["queries_small"] != page["queries"]
    speed = "meets" if page["median_ms"] <= TARGET_MS else "**misses**"
    return speed + " 150 ms" + ("; **query count grows**" if grows else "")


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def table(result: dict[str, Any]) -> str:
    baseline = next(p for p in result["pages"] if p["key"] == "baseline")
    small_label = "?"
    if result.get("small"):
        small_label = f"{result['small']['sizes']['sites']} sites"
    lines = [
        f"| Page | Median ms | p95 ms | Baseline median ms | Queries ({result['sizes']['sites']} sites) "
        f"| Queries ({small_label}) | Worker CPU ms | SQL ms (in-process) | Response KB | Verdict |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for p in result["pages"]:
        if "unavailable" in p:
            lines.append(
                f"| {p['label']} | — | — | {baseline['median_ms']:.1f} | — | — | — | — | — "
                f"| not measured: the page {p['unavailable'][:120]} |"
            )
            continue
        lines.append(
            f"| {p['label']} | {p['median_ms']:.1f} | {p['p95_ms']:.1f} | {baseline['median_ms']:.1f} "
            f"| {p['queries']} | {p['queries_small'] if p['queries_small'] is not None else '—'} "
            f"| {_ms(p.get('cpu_median_ms'))} | {p['inprocess_sql_ms']:.0f} | {p['bytes'] / 1024:.0f} "
            f"| {verdict(p)} |"
        )
    return "\n".join(lines)


def render(results: list[dict[str, Any]]) -> str:
    out = [BEGIN, "", "_This section is written by `bench/pages.py`; edit the text around it, not inside it._", ""]
    for r in results:
        name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[r["database"]]
        v, m = r["versions"], r["machine"]
        engine = f"SQLite {v['sqlite']}" if r["database"] == "sqlite" else f"PostgreSQL {v.get('postgresql', '?')}"
        rows = r["rows"]
        out += [
            f"### {name}",
            "",
            f"- Command: `{r['command']}` — finished {r['finished_at']}, code at `{r['revision']}`",
            f"- Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gib']} GiB memory; {m['os']}",
            f"- Software: Python {v['python']}, Django {v['django']}, {engine}, gunicorn {v['gunicorn']} "
            "(1 sync worker), client and server on 127.0.0.1",
            f"- Data: {r['sizes']['sites']:,} sites, {rows.get('people.Person', 0):,} people "
            f"({rows.get('people.Person_sites', 0):,} person–site links), "
            f"{rows.get('programmes.Evidence', 0):,} evidence items, "
            f"{rows.get('programmes.PathwayEvent', 0):,} timeline entries, "
            f"{rows.get('auditlog.LogEntry', 0):,} audit-log entries, "
            f"{rows.get('programmes.StepProgress', 0):,} step-progress rows, "
            f"{rows.get('people.GroupMembership', 0):,} group memberships "
            f"(generated in {r['generation_seconds']:.0f} s)",
            f"- Site pages show `{r['site']['slug']}`, the site with the most evidence "
            f"({r['site']['evidence']:,} items, {r['site']['people']:,} people), as its facilitator",
            f"- {r['requests']} timed requests per page after {r['warmup']} warm-up requests, "
            "pages interleaved; times are server time (Server-Timing, whole middleware stack)",
            f"- Load average (1 min) while timing: {_load(r)} on {m['cpus']} CPUs: the machine was "
            f"shared with other work; gunicorn ran at nice {_nice(r)}. Worker CPU ms "
            "is the worker thread's CPU time per request (median), which competing processes do not "
            "inflate (on PostgreSQL it leaves out the database server's own time). SQL ms is the "
            "queries' time as Django's debug cursor records it in-process (1 ms resolution per query).",
            "",
            table(r),
            "",
            "Client round trip (median / p95 ms, loopback, new connection per request): "
            + "; ".join(
                f"{p['label']} {p['client_median_ms']:.1f} / {p['client_p95_ms']:.1f}"
                for p in r["pages"]
                if "unavailable" not in p
            )
            + ".",
            "",
            "Queries on the site with the least evidence "
            f"(`{r['site']['smallest_slug']}`, {r['site']['smallest_evidence']} items): "
            + "; ".join(
                f"{p['label']} {p['queries_smallest_site']}"
                for p in r["pages"]
                if p["key"] in {"site_overview", "pathway", "people"} and "unavailable" not in p
            )
            + ".",
            "",
        ]
    out.append(END)
    return "\n".join(out)


def _nice(r: dict[str, Any]) -> int:
    if "server_nice" in r:
        return int(r["server_nice"])
    words = r["command"].split()  # results written before the field existed
    return int(words[words.index("--server-nice") + 1]) if "--server-nice" in words else 0


def _load(r: dict[str, Any]) -> str:
    loads = [p["load_average"] for p in r["pages"] if "load_average" in p]
    if not loads:
        return "not recorded"
    lo, med, hi = loads[0]
    return f"min {lo}, median {med}, max {hi}"


def write_doc() -> None:
    results = []
    for name in ("sqlite", "postgres"):
        path = RESULTS / f"{name}.json"
        if path.exists():
            results.append(json.loads(path.read_text()))
    block = render(results)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    if DOC.exists() and BEGIN in DOC.read_text():
        text = DOC.read_text()
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1] if END in rest else ""
        DOC.write_text(head + block + tail)
    else:
        DOC.write_text("# Performance\n\n" + block + "\n")


def print_summary(console: Any, result: dict[str, Any]) -> None:
    from rich.table import Table

    t = Table(title=f"C2 Hub pages on {result['database']} ({result['sizes']['sites']} sites)")
    for col in ("Page", "Median ms", "p95 ms", "Queries", "Queries (small)", "KB", "Verdict"):
        t.add_column(col)
    for p in result["pages"]:
        if "unavailable" in p:
            t.add_row(p["label"], "—", "—", "—", "—", "—", "not measured: " + p["unavailable"][:60])
            continue
        t.add_row(
            p["label"],
            f"{p['median_ms']:.1f}",
            f"{p['p95_ms']:.1f}",
            str(p["queries"]),
            str(p["queries_small"]),
            f"{p['bytes'] / 1024:.0f}",
            verdict(p).replace("**", ""),
        )
    console.print(t)


if __name__ == "__main__":
    raise SystemExit(main())
