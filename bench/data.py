"""Generate a large C2 Hub programme quickly, for the page-speed benchmark.

The rows are the ones the services in ``c2hub/programmes/services.py`` (and the people and
account services) would have written — a progress row per step per site, evidence per
criterion, a timeline entry per evidence added or verified and per step completed, an audit-log
entry per audited create/update/m2m change — but inserted with ``bulk_create`` in batches,
because going through the services would take hours at 200,000 evidence items.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

BATCH = 4000

FIRST_NAMES = [
    "Aisha",
    "Alan",
    "Amir",
    "Ann",
    "Barbara",
    "Ben",
    "Bola",
    "Carol",
    "Chen",
    "Chloe",
    "Dan",
    "Dawn",
    "Deepa",
    "Ed",
    "Ella",
    "Femi",
    "Fiona",
    "Gary",
    "Grace",
    "Hannah",
    "Hassan",
    "Ian",
    "Irene",
    "Jack",
    "Jade",
    "Jas",
    "Joan",
    "John",
    "Kate",
    "Keith",
    "Kemi",
    "Liam",
    "Linda",
    "Lucy",
    "Mark",
    "Mary",
    "Mo",
    "Nadia",
    "Neil",
    "Noor",
    "Olu",
    "Pat",
    "Paul",
    "Priya",
    "Raj",
    "Rose",
    "Ruth",
    "Sam",
    "Sara",
    "Sean",
    "Shona",
    "Tom",
    "Una",
    "Val",
    "Wei",
    "Yusuf",
    "Zara",
]
LAST_NAMES = [
    "Adams",
    "Ahmed",
    "Ali",
    "Baker",
    "Bell",
    "Brown",
    "Campbell",
    "Chen",
    "Clarke",
    "Cole",
    "Davies",
    "Evans",
    "Fisher",
    "Green",
    "Hall",
    "Harris",
    "Hill",
    "Hughes",
    "Hussain",
    "Jackson",
    "James",
    "Jones",
    "Khan",
    "King",
    "Lee",
    "Lewis",
    "Martin",
    "Mensah",
    "Mitchell",
    "Moore",
    "Morgan",
    "Murphy",
    "Nowak",
    "Okafor",
    "Owen",
    "Patel",
    "Price",
    "Roberts",
    "Robinson",
    "Scott",
    "Shah",
    "Smith",
    "Taylor",
    "Thomas",
    "Turner",
    "Walker",
    "Ward",
    "White",
    "Williams",
    "Wilson",
    "Wood",
    "Wright",
    "Young",
]
PLACES = [
    "Southchurch",
    "Kursaal",
    "Milton",
    "Victoria",
    "Shoebury",
    "Westborough",
    "Eastwood",
    "Blenheim",
    "Prittlewell",
    "Chalkwell",
    "Leigh",
    "Belfairs",
    "Thorpe",
    "Hamstel",
    "Priory",
    "Westcliff",
    "Canvey",
    "Benfleet",
    "Rayleigh",
    "Rochford",
    "Tilbury",
    "Grays",
    "Basildon",
    "Pitsea",
    "Vange",
    "Laindon",
    "Wickford",
    "Hockley",
    "Hadleigh",
    "Thundersley",
]
AUTHORITIES = (
    "Southend-on-Sea",
    "Thurrock",
    "Basildon",
    "Castle Point",
    "Rochford",
    "Essex",
    "Colchester",
    "Tendring",
    "Medway",
    "Swale",
)
ORG_KINDS_AND_NAMES = [
    ("icb", "Integrated Care Board"),
    ("council", "Borough Council"),
    ("police", "Police"),
    ("fire", "Fire and Rescue"),
    ("housing", "Housing Association"),
    ("education", "Academy Trust"),
    ("nhs_provider", "Community Health Trust"),
    ("voluntary", "Council for Voluntary Service"),
    ("business", "Traders' Association"),
    ("university", "University C2 team"),
    ("community_group", "Tenants' and Residents' Association"),
]
EVIDENCE_SUMMARIES = (
    "Notes from the steering group meeting",
    "Workshop attendance list",
    "Photos of the event",
    "Listening event feedback summary",
    "Letter of support from the council",
    "Minutes of the partnership meeting",
    "Record of conversations with residents",
    "Map of the neighbourhood's assets",
    "Action plan agreed by the partnership",
    "Report to the Health and Wellbeing Board",
)
NOTE = (
    "Met with residents and frontline workers at the community centre. Agreed who will take "
    "the next actions forward and when we will meet again; the ward councillor attended. "
)


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` into integers that add up to exactly total."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    raw = [total * w / weight_sum for w in weights]
    counts = [int(r) for r in raw]
    remainder = total - sum(counts)
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[:remainder]:
        counts[i] += 1
    return counts


@dataclass
class Sizes:
    sites: int = 500
    people: int = 50_000
    evidence: int = 200_000


@dataclass
class Generated:
    """What the benchmark needs to know about the data it made."""

    counts: dict[str, int] = field(default_factory=dict)
    admin_id: int = 0
    facilitator_id: int = 0
    site_slug: str = ""
    site_evidence: int = 0
    site_people: int = 0
    site_min_slug: str = ""
    site_min_evidence: int = 0
    site_min_facilitator_id: int = 0


class Loader:
    """Bulk inserts with a progress bar; records how many rows went into each table."""

    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.counts: dict[str, int] = {}

    def insert(self, model: type[models.Model], objs: Iterable[Any], label: str, total: int) -> list[Any]:
        task = self.progress.add_task(label, total=total)
        created: list[Any] = []
        batch: list[Any] = []

        def flush() -> None:
            model.objects.bulk_create(batch)
            created.extend(batch)
            self.progress.advance(task, len(batch))
            batch.clear()

        with transaction.atomic():
            for obj in objs:
                batch.append(obj)
                if len(batch) >= BATCH:
                    flush()
            if batch:
                flush()
        self.progress.update(task, total=len(created), completed=len(created))
        key = model._meta.label
        self.counts[key] = self.counts.get(key, 0) + len(created)
        return created


def generate(sizes: Sizes, *, seed: int = 2013, progress: Any) -> Generated:
    from allauth.mfa.models import Authenticator
    from auditlog.models import LogEntry

    from c2hub.accounts.models import Role, RoleAssignment, User
    from c2hub.people.models import (
        AgeBand,
        Consent,
        Group,
        GroupKind,
        GroupMembership,
        LawfulBasis,
        MembershipRole,
        Organisation,
        Person,
        PersonKind,
    )
    from c2hub.programmes.models import (
        Evidence,
        EvidenceKind,
        FundingLine,
        PathwayEvent,
        PathwayModel,
        Programme,
        Site,
        StepProgress,
        StepStatus,
    )
    from c2hub.programmes.pathway_files import sync_pathway_models

    rng = random.Random(seed)
    load = Loader(progress)
    now = timezone.now().replace(microsecond=0)
    today = now.date()

    sync_pathway_models(settings.PATHWAYS_DIR)
    model_steps: dict[int, list[tuple[Any, list[Any]]]] = {}
    pathway_models = list(PathwayModel.objects.filter(key="c2-seven-steps").order_by("version"))
    for pm in pathway_models:
        model_steps[pm.pk] = [
            (step, list(step.criteria.order_by("order", "id"))) for step in pm.steps.order_by("number")
        ]
    ct = {
        m: ContentType.objects.get_for_model(m)
        for m in (
            User,
            RoleAssignment,
            Programme,
            Site,
            FundingLine,
            StepProgress,
            Evidence,
            Organisation,
            Person,
            Consent,
            Group,
            GroupMembership,
        )
    }
    log_entries: list[LogEntry] = []

    def log(
        obj: Any, action: int, when: dt.datetime, actor: Any = None, changes: dict[str, list[str]] | None = None
    ) -> None:
        log_entries.append(
            LogEntry(
                content_type=ct[type(obj)],
                object_pk=str(obj.pk),
                object_id=obj.pk,
                object_repr=str(obj)[:200],
                action=action,
                changes=changes or {},
                actor=actor,
                actor_email=getattr(actor, "email", None),
                timestamp=when,
                remote_addr="127.0.0.1" if actor else None,
            )
        )

    def log_create(obj: Any, when: dt.datetime, actor: Any, fields: Sequence[str]) -> None:
        log(obj, LogEntry.Action.CREATE, when, actor, {f: ["None", str(getattr(obj, f))] for f in ("id", *fields)})

    # Programme, users and their second factor ----------------------------------------------
    programme = Programme.objects.create(name="C2 Bench Programme", slug="bench", description="Benchmark data")
    earliest = at(add_months(today, -42))
    log_create(programme, earliest, None, ["name", "slug"])
    password = make_password("bench-password-not-for-use")  # hashed once, shared by bench users
    n_sites = sizes.sites

    def users() -> Iterator[Any]:
        yield User(email="admin@bench.invalid", full_name="Bench Admin", password=password, date_joined=earliest)
        for i in range(n_sites):
            yield User(
                email=f"facilitator{i}@bench.invalid",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password=password,
                date_joined=earliest,
            )
            yield User(
                email=f"member{i}@bench.invalid",
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                password=password,
                date_joined=earliest,
            )

    all_users = load.insert(User, users(), "Users", 1 + 2 * n_sites)
    admin = all_users[0]
    facilitators = all_users[1::2]
    members = all_users[2::2]
    for u in all_users:
        log_create(u, earliest, None, ["email", "full_name"])
    load.insert(
        Authenticator,
        (
            Authenticator(user=u, type=Authenticator.Type.TOTP, data={"secret": "bench-not-a-secret"})
            for u in [admin, *facilitators]
        ),
        "TOTP authenticators",
        1 + n_sites,
    )

    # Organisations --------------------------------------------------------------------------
    orgs: list[Any] = []
    for authority in AUTHORITIES:
        for kind, suffix in ORG_KINDS_AND_NAMES:
            orgs.append(
                Organisation(programme=programme, name=f"{authority} {suffix}", short_name=suffix[:40], kind=kind)
            )
    orgs = load.insert(Organisation, orgs, "Organisations", len(orgs))
    for o in orgs:
        log_create(o, earliest, admin, ["name", "kind"])
    orgs_by_authority = {
        a: orgs[i * len(ORG_KINDS_AND_NAMES) : (i + 1) * len(ORG_KINDS_AND_NAMES)] for i, a in enumerate(AUTHORITIES)
    }

    # Sites ------------------------------------------------------------------------------------
    site_plans: list[dict[str, Any]] = []
    site_objs: list[Any] = []
    for i in range(n_sites):
        pm = pathway_models[0] if rng.random() < 0.8 or len(pathway_models) == 1 else pathway_models[1]
        start = add_months(today, -rng.randint(1, 40)) - dt.timedelta(days=rng.randint(0, 27))
        months = (today.year - start.year) * 12 + today.month - start.month
        steps = model_steps[pm.pk]
        done = 0
        for step, _criteria in steps:
            if (step.target_month or 0) + rng.randint(-1, 6) <= months:
                done += 1
            else:
                break
        authority = AUTHORITIES[i % len(AUTHORITIES)]
        place = PLACES[i % len(PLACES)]
        name = f"{place} {i // len(PLACES) + 1}"
        site_plans.append({"start": start, "done": done, "model": pm, "authority": authority})
        site_objs.append(
            Site(
                programme=programme,
                name=name,
                slug=f"site-{i:04d}",
                description=f"A resident-led partnership in {place}, {authority}.",
                status=(
                    Site.Status.ESTABLISHED
                    if done == len(steps)
                    else Site.Status.SCOPING
                    if done == 0 and rng.random() < 0.5
                    else Site.Status.ACTIVE
                ),
                local_authority=authority,
                local_authority_code=f"E06{i % 1000:06d}",
                wards=[{"code": f"E05{i:06d}", "name": f"{place} ward"}],
                lsoa_codes=[f"E01{(i * 3 + j) % 10_000_000:07d}" for j in range(3)],
                lead_agency=orgs_by_authority[authority][1],
                commissioner=orgs_by_authority[authority][0],
                start_date=start,
                pathway_model=pm,
                created_at=at(start, 9),
                last_activity_at=at(start, 9),
            )
        )
    sites = load.insert(Site, site_objs, "Sites", n_sites)
    for s in sites:
        log_create(s, at(s.start_date, 9), admin, ["name", "slug", "start_date"])

    load.insert(
        Organisation.sites.through,
        (
            Organisation.sites.through(organisation_id=o.pk, site_id=s.pk)
            for s, plan in zip(sites, site_plans, strict=True)
            for o in orgs_by_authority[plan["authority"]][:8]
        ),
        "Organisations ↔ sites",
        n_sites * 8,
    )

    def role_assignments() -> Iterator[Any]:
        yield RoleAssignment(user=admin, programme=programme, site=None, role=Role.PROGRAMME_ADMIN, granted_at=earliest)
        for s, f, m in zip(sites, facilitators, members, strict=True):
            yield RoleAssignment(
                user=f, programme=programme, site=s, role=Role.FACILITATOR, granted_at=at(s.start_date, 9)
            )
            yield RoleAssignment(
                user=m, programme=programme, site=s, role=Role.PARTNERSHIP_MEMBER, granted_at=at(s.start_date, 9)
            )

    for r in load.insert(RoleAssignment, role_assignments(), "Role assignments", 1 + 2 * n_sites):
        log_create(r, r.granted_at, admin, ["role"])

    load.insert(
        FundingLine,
        (
            FundingLine(
                site=s,
                funder=orgs_by_authority[p["authority"]][0],
                description="Commissioned programme funding",
                amount=rng.choice((40000, 60000, 75000)),
                steps_covered=[1, 2, 3, 4],
                starts_on=p["start"],
                ends_on=add_months(p["start"], 24),
            )
            for s, p in zip(sites, site_plans, strict=True)
        ),
        "Funding lines",
        n_sites,
    )

    # Pathway progress ---------------------------------------------------------------------------
    progress_objs: list[Any] = []
    for s, plan in zip(sites, site_plans, strict=True):
        for number, (step, _criteria) in enumerate(model_steps[plan["model"].pk], start=1):
            progress_objs.append(
                StepProgress(
                    site=s,
                    step=step,
                    status=StepStatus.COMPLETE if number <= plan["done"] else StepStatus.NOT_STARTED,
                    due_on=add_months(plan["start"], step.target_month) if step.target_month else None,
                )
            )
    # Evidence: shared out over the sites (some have much more than others), then over the
    # criteria of the completed steps and some of the current step's.
    weights = [rng.uniform(0.5, 1.5) for _ in sites]
    per_site = allocate(sizes.evidence, weights)
    evidence_objs: list[Any] = []
    evidence_meta: list[tuple[int, Any]] = []  # (site index, step)
    site_step_last: dict[tuple[int, int], dt.datetime] = {}
    group_ct = ct[Group]
    for idx, (s, plan, f, m) in enumerate(zip(sites, site_plans, facilitators, members, strict=True)):
        steps = model_steps[plan["model"].pk]
        done = plan["done"]
        targets: list[tuple[Any, Any]] = [(st, c) for st, cs in steps[:done] for c in cs]
        if done < len(steps):
            current, current_criteria = steps[done]
            k = rng.randint(1 if not targets else 0, len(current_criteria) - 1)
            targets += [(current, c) for c in rng.sample(current_criteria, k)]
        count = per_site[idx]
        if not targets or not count:
            continue
        picks = list(range(len(targets)))[:count]
        picks += [rng.randrange(len(targets)) for _ in range(count - len(picks))]
        picks.sort()
        for t in picks:
            step, criterion = targets[t]
            lo = at(add_months(plan["start"], max((step.target_month or 0) - 3, 0)))
            hi = min(at(add_months(plan["start"], step.target_month or 0)), now)
            added_at = lo + dt.timedelta(seconds=rng.randint(0, max(int((hi - lo).total_seconds()), 1)))
            added_at = min(added_at, now)
            roll = rng.random()
            kind = (
                EvidenceKind.NOTE
                if roll < 0.6
                else EvidenceKind.LINK
                if roll < 0.8
                else EvidenceKind.FILE
                if roll < 0.92
                else EvidenceKind.RECORD
            )
            verified = step.number <= done and rng.random() < 0.7
            verified_at = min(added_at + dt.timedelta(days=rng.randint(1, 14)), now) if verified else None
            evidence_objs.append(
                Evidence(
                    site=s,
                    criterion=criterion,
                    kind=kind,
                    summary=rng.choice(EVIDENCE_SUMMARIES),
                    note=NOTE if kind == EvidenceKind.NOTE else "",
                    url=f"https://example.org/{s.slug}/{len(evidence_objs)}" if kind == EvidenceKind.LINK else "",
                    file=f"evidence/{added_at:%Y/%m}/bench-{len(evidence_objs)}.pdf"
                    if kind == EvidenceKind.FILE
                    else "",
                    record_type=group_ct if kind == EvidenceKind.RECORD else None,
                    occurred_on=added_at.date() - dt.timedelta(days=rng.randint(0, 7)),
                    added_by=f if rng.random() < 0.7 else m,
                    added_at=added_at,
                    verified_by=f if verified else None,
                    verified_at=verified_at,
                )
            )
            evidence_meta.append((idx, step))
            key = (idx, step.number)
            last = verified_at or added_at
            if site_step_last.get(key, last) <= last:
                site_step_last[key] = last
    # The current step is in progress wherever it has evidence.
    step_count = {pk: len(v) for pk, v in model_steps.items()}
    offsets, running = [], 0
    for plan in site_plans:
        offsets.append(running)
        running += step_count[plan["model"].pk]
    for idx, plan in enumerate(site_plans):
        done = plan["done"]
        if done < step_count[plan["model"].pk] and (idx, done + 1) in site_step_last:
            progress_objs[offsets[idx] + done].status = StepStatus.IN_PROGRESS
    for idx, (plan, f) in enumerate(zip(site_plans, facilitators, strict=True)):
        for number in range(1, plan["done"] + 1):
            p = progress_objs[offsets[idx] + number - 1]
            last = site_step_last.get((idx, number), at(plan["start"], 9))
            p.completed_at = min(last + dt.timedelta(days=2), now)
            if rng.random() < 0.03:
                p.completed_by, p.overridden = admin, True
                p.override_reason = "Evidence held on paper by the lead agency; checked at the review."
            else:
                p.completed_by = f
    progress_objs = load.insert(StepProgress, progress_objs, "Step progress", len(progress_objs))
    # Groups come before evidence: "record" evidence points at one of the site's groups.
    group_objs: list[Any] = []
    for s, plan in zip(sites, site_plans, strict=True):
        for kind, label, months in (
            (GroupKind.STRATEGIC_STEERING, "Strategic Steering Network", 0),
            (GroupKind.PARTNERSHIP_STEERING, "Partnership Steering Group", 2),
            (GroupKind.LEARNING_COHORT, "Learning programme wave 1", 8),
        ):
            group_objs.append(
                Group(
                    site=s,
                    kind=kind,
                    name=f"{s.name} {label}",
                    formed_on=add_months(plan["start"], months),
                    wave=1 if kind == GroupKind.LEARNING_COHORT else None,
                )
            )
    groups = load.insert(Group, group_objs, "Groups", len(group_objs))
    for e, (idx, _step) in zip(evidence_objs, evidence_meta, strict=True):
        if e.kind == EvidenceKind.RECORD:
            e.record_id = groups[idx * 3 + 1].pk
    evidence = load.insert(Evidence, evidence_objs, "Evidence", len(evidence_objs))

    # Timeline -------------------------------------------------------------------------------------
    def events() -> Iterator[Any]:
        for s, plan in zip(sites, site_plans, strict=True):
            yield PathwayEvent(
                site=s,
                kind=PathwayEvent.Kind.SITE_STARTED,
                actor=admin,
                reason=f"Following {plan['model']}",
                occurred_at=at(plan["start"], 9),
            )
        for e, (_idx, step) in zip(evidence, evidence_meta, strict=True):
            yield PathwayEvent(
                site_id=e.site_id,
                kind=PathwayEvent.Kind.EVIDENCE_ADDED,
                step=step,
                criterion_id=e.criterion_id,
                evidence=e,
                actor_id=e.added_by_id,
                occurred_at=e.added_at,
            )
            if e.verified_at:
                yield PathwayEvent(
                    site_id=e.site_id,
                    kind=PathwayEvent.Kind.EVIDENCE_VERIFIED,
                    step=step,
                    criterion_id=e.criterion_id,
                    evidence=e,
                    actor_id=e.verified_by_id,
                    occurred_at=e.verified_at,
                )
        for p in progress_objs:
            if p.status == StepStatus.COMPLETE:
                yield PathwayEvent(
                    site_id=p.site_id,
                    kind=PathwayEvent.Kind.STEP_OVERRIDDEN if p.overridden else PathwayEvent.Kind.STEP_COMPLETED,
                    step_id=p.step_id,
                    reason=p.override_reason,
                    actor_id=p.completed_by_id,
                    occurred_at=p.completed_at,
                )

    n_events = (
        n_sites
        + len(evidence)
        + sum(1 for e in evidence if e.verified_at)
        + sum(1 for p in progress_objs if p.status == StepStatus.COMPLETE)
    )
    load.insert(PathwayEvent, events(), "Timeline entries", n_events)
    last_activity: dict[int, dt.datetime] = {}
    for e in evidence:
        t = e.verified_at or e.added_at
        if last_activity.get(e.site_id, t) <= t:
            last_activity[e.site_id] = t
    for p in progress_objs:
        if p.completed_at and last_activity.get(p.site_id, p.completed_at) <= p.completed_at:
            last_activity[p.site_id] = p.completed_at
    for s in sites:
        s.last_activity_at = last_activity.get(s.pk, s.created_at)
    with transaction.atomic():
        Site.objects.bulk_update(sites, ["last_activity_at"], batch_size=500)

    # Audit entries the pathway services would have written: evidence created, evidence verified
    # (an update), step progress completed (an update; "in progress" is a queryset update, which
    # the audit log does not see).
    users_by_id = {u.pk: u for u in all_users}
    for e in evidence:
        log_create(e, e.added_at, users_by_id[e.added_by_id], ["kind", "summary", "criterion", "site"])
        if e.verified_at:
            log(
                e,
                LogEntry.Action.UPDATE,
                e.verified_at,
                users_by_id[e.verified_by_id],
                {
                    "verified_by": ["None", str(users_by_id[e.verified_by_id])],
                    "verified_at": ["None", e.verified_at.isoformat()],
                },
            )
    for p in progress_objs:
        if p.status == StepStatus.COMPLETE:
            log(
                p,
                LogEntry.Action.UPDATE,
                p.completed_at,
                users_by_id[p.completed_by_id],
                {"status": ["not_started", "complete"], "completed_at": ["None", p.completed_at.isoformat()]},
            )

    # People ----------------------------------------------------------------------------------------
    n_people = sizes.people
    person_site = [min(i * n_sites // max(n_people, 1), n_sites - 1) for i in range(n_people)]
    age_bands = [b for b in AgeBand.values if b]

    def people() -> Iterator[Any]:
        for i in range(n_people):
            plan = site_plans[person_site[i]]
            worker = rng.random() < 0.2
            org = rng.choice(orgs_by_authority[plan["authority"]][:8]) if worker else None
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            yield Person(
                programme=programme,
                kind=PersonKind.WORKER if worker else PersonKind.RESIDENT,
                name=f"{first} {last}",
                organisation=org,
                job_title="Neighbourhood officer" if worker else "",
                email=f"{first}.{last}.{i}@example.net".lower(),
                phone=f"01702 {i % 1000000:06d}",
                address="" if worker else f"{rng.randint(1, 200)} {rng.choice(PLACES)} Road",
                postcode=f"SS{rng.randint(0, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                age_band="" if worker else rng.choice(age_bands),
                created_at=at(plan["start"], 12) + dt.timedelta(days=rng.randint(0, 300)),
            )

    persons = load.insert(Person, people(), "People", n_people)
    site_ids = [s.pk for s in sites]

    def person_sites() -> Iterator[Any]:
        through = Person.sites.through
        for i, p in enumerate(persons):
            yield through(person_id=p.pk, site_id=site_ids[person_site[i]])
            if rng.random() < 0.1 and n_sites > 1:  # some take part in a neighbouring site too
                yield through(person_id=p.pk, site_id=site_ids[(person_site[i] + 1) % n_sites])

    links = load.insert(Person.sites.through, person_sites(), "People ↔ sites", int(n_people * 1.1))
    sites_by_id = {s.pk: s for s in sites}
    for p, i in zip(persons, range(n_people), strict=True):
        f = facilitators[person_site[i]]
        log_create(p, p.created_at, f, ["name", "kind", "email"])
    persons_by_id = {p.pk: p for p in persons}
    for link in links:  # Person.sites.add() logs an m2m change on the person
        p = persons_by_id[link.person_id]
        log(p, LogEntry.Action.UPDATE, p.created_at, None, {"sites": ["", str(sites_by_id[link.site_id])]})
    load.insert(
        Consent,
        (
            Consent(
                person=p,
                purpose="Being contacted about the partnership's work",
                lawful_basis=LawfulBasis.CONSENT,
                source="Paper form at the listening event",
                given_on=p.created_at.date(),
                is_child=p.is_child,
                recorded_at=p.created_at,
            )
            for p in persons
            if p.kind == PersonKind.RESIDENT
        ),
        "Consents",
        sum(1 for p in persons if p.kind == PersonKind.RESIDENT),
    )
    # Facilitators of each site (the Site.facilitators m2m) and group memberships.
    people_of_site: dict[int, list[Any]] = {}
    for i, p in enumerate(persons):
        people_of_site.setdefault(person_site[i], []).append(p)
    load.insert(
        Site.facilitators.through,
        (
            Site.facilitators.through(site_id=s.pk, person_id=people_of_site[idx][0].pk)
            for idx, s in enumerate(sites)
            if people_of_site.get(idx)
        ),
        "Site facilitators",
        n_sites,
    )

    def memberships() -> Iterator[Any]:
        for idx, _s in enumerate(sites):
            members_here = people_of_site.get(idx, [])
            g_strategic, g_partnership, g_cohort = groups[idx * 3 : idx * 3 + 3]
            for j, p in enumerate(members_here[:30]):
                group = g_partnership if j < 15 else g_strategic
                role = (
                    MembershipRole.CHAIR
                    if j == 0
                    else MembershipRole.FACILITATOR
                    if j == 1
                    else MembershipRole.AGENCY_LEAD
                    if p.organisation_id
                    else MembershipRole.KEY_RESIDENT
                    if j < 8
                    else MembershipRole.MEMBER
                )
                yield GroupMembership(
                    group=group,
                    person=p,
                    role=role,
                    started_on=group.formed_on,
                    ended_on=None if rng.random() < 0.9 else today - dt.timedelta(days=30),
                )
            for p in members_here[30:38]:
                yield GroupMembership(
                    group=g_cohort, person=p, role=MembershipRole.LEARNER, started_on=g_cohort.formed_on
                )
            for o in orgs_by_authority[site_plans[idx]["authority"]][2:4]:
                yield GroupMembership(
                    group=g_strategic, organisation=o, role=MembershipRole.MEMBER, started_on=g_strategic.formed_on
                )

    group_memberships = load.insert(GroupMembership, memberships(), "Group memberships", n_sites * 40)
    for g in groups:
        log_create(g, at(g.formed_on or today), admin, ["name", "kind"])
    for gm in group_memberships:
        log_create(gm, at(gm.started_on or today), admin, ["role"])

    load.insert(LogEntry, log_entries, "Audit log entries", len(log_entries))

    # Pick the pages' subjects: the site with the most evidence (worst case) and the fewest.
    ev_count: dict[int, int] = {}
    for e in evidence:
        ev_count[e.site_id] = ev_count.get(e.site_id, 0) + 1
    big = max(sites, key=lambda s: ev_count.get(s.pk, 0))
    small = min(sites, key=lambda s: ev_count.get(s.pk, 0))
    big_idx = sites.index(big)
    return Generated(
        counts=dict(load.counts),
        admin_id=admin.pk,
        facilitator_id=facilitators[big_idx].pk,
        site_slug=big.slug,
        site_evidence=ev_count.get(big.pk, 0),
        site_people=sum(1 for link in links if link.site_id == big.pk),
        site_min_slug=small.slug,
        site_min_evidence=ev_count.get(small.pk, 0),
        site_min_facilitator_id=facilitators[sites.index(small)].pk,
    )


def analyse() -> None:
    """Refresh the planner's statistics, as autovacuum (PostgreSQL) would soon after a load."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


__all__ = ["Generated", "Sizes", "allocate", "analyse", "generate"]
