"""The commissioner's view: for each site a commissioner (or anyone) can see, one read-only
summary drawn from every app's own selectors — the current step and its dates, what is overdue,
residents' priorities and the action plan's progress, the agencies' responsiveness, wins, the
outcome evaluations' verdicts, value for money and the latest board report.

It shows no resident's personal details: no person is named, and the words of actions and wins
pass through the action plan's ``NameGuard`` (names, e-mail addresses and phone numbers of the
site's people replaced), as the public "you said, we did" does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum
from django.utils import timezone

from c2hub.actions import selectors as actions
from c2hub.actions.models import Action, ActionStatus
from c2hub.outcomes.models import EvaluationRun
from c2hub.programmes.models import Site
from c2hub.programmes.selectors import PortfolioRow, portfolio
from c2hub.value.models import Scenario
from c2hub.wins.models import Win, WinKind

PRIORITIES_SHOWN = 5
WINS_SHOWN = 5


@dataclass(frozen=True)
class ActionProgress:
    total: int
    by_status: list[tuple[str, int]]
    overdue: int

    @property
    def done(self) -> int:
        return dict(self.by_status).get(str(ActionStatus.DONE.label), 0)


@dataclass(frozen=True)
class Verdict:
    method: str
    outcome: str
    headline: str
    detail: str
    level: str
    finished_at: dt.datetime | None
    run_id: int


@dataclass(frozen=True)
class ValueForMoney:
    scenario_id: int
    title: str
    illustrative: bool
    complete: bool
    npv: tuple[float | None, float | None, float | None]
    bcr: tuple[float | None, float | None, float | None]
    commissioner_saving: float | None
    commissioner_name: str


@dataclass
class SiteSummary:
    site: Site
    pathway: PortfolioRow
    actions: ActionProgress
    priorities: list[actions.Priority]
    responsiveness_headline: str
    responsiveness_lines: list[str]
    wins_total: int
    wins_by_kind: list[tuple[str, int]]
    funding_secured: Decimal
    latest_wins: list[tuple[dt.date, str, str]]
    verdicts: list[Verdict] = field(default_factory=list)
    value_for_money: ValueForMoney | None = None
    board_report: Any = None

    @property
    def overdue_total(self) -> int:
        return self.pathway.overdue_steps + self.actions.overdue


def action_progress(site: Site, today: dt.date) -> ActionProgress:
    labels = dict(ActionStatus.choices)
    counts = dict(Action.objects.filter(site=site).values_list("status").annotate(n=Count("id")))
    by_status = [(str(labels[s]), counts.get(s, 0)) for s in ActionStatus.values if counts.get(s)]
    return ActionProgress(sum(counts.values()), by_status, actions.overdue_count(site, today))


def latest_verdicts(site: Site) -> list[Verdict]:
    """The verdicts of the newest finished evaluation of each outcome (crime type)."""
    found: list[Verdict] = []
    seen: set[str] = set()
    runs = EvaluationRun.objects.filter(site=site, status=EvaluationRun.Status.FINISHED).order_by("-finished_at", "-id")
    for run in runs:
        if run.crime_type in seen:
            continue
        seen.add(run.crime_type)
        outcome = run.crime_type or "All crime and anti-social behaviour"
        for key, method in (("did_verdict", "Difference-in-differences"), ("sc_verdict", "Synthetic control")):
            v = (run.result or {}).get(key)
            if v:
                found.append(
                    Verdict(method, outcome, v.get("headline", ""), v.get("detail", ""), v.get("level", ""),
                            run.finished_at, run.pk)
                )
    return found


def _case_figure(results: dict[str, Any], case: str, key: str) -> float | None:
    value = ((results.get("cases") or {}).get(case) or {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def latest_value_for_money(site: Site) -> ValueForMoney | None:
    scenario = Scenario.objects.filter(site=site).order_by("-created_at", "-id").first()
    if scenario is None:
        return None
    r = scenario.results or {}
    cases = ("low", "central", "high")
    return ValueForMoney(
        scenario_id=scenario.pk,
        title=scenario.title,
        illustrative=scenario.illustrative,
        complete=bool(r.get("complete", False)),
        npv=tuple(_case_figure(r, c, "npv") for c in cases),  # type: ignore[arg-type]
        bcr=tuple(_case_figure(r, c, "bcr") for c in cases),  # type: ignore[arg-type]
        commissioner_saving=_case_figure(r, "central", "commissioner_saving"),
        commissioner_name=str(r.get("commissioner_name") or ""),
    )


def latest_board_report(site: Site) -> Any:
    """The newest approved or released board report, when the reports app has one."""
    if not apps.is_installed("c2hub.reports"):
        return None
    from c2hub.reports.models import BoardReport, BoardReportStatus

    return (
        BoardReport.objects.filter(site=site, status__in=[BoardReportStatus.APPROVED, BoardReportStatus.RELEASED])
        .order_by("-as_of", "-id")
        .first()
    )


def site_summary(site: Site, pathway: PortfolioRow, *, today: dt.date | None = None) -> SiteSummary:
    today = today or timezone.localdate()
    guard = actions.name_guard(site)
    ranked = [p for p in actions.priorities(site) if p.rank <= PRIORITIES_SHOWN]
    headline, lines = actions.responsiveness_summary(actions.responsiveness(site, today=today))
    kinds = dict(WinKind.choices)
    wins = Win.objects.filter(site=site)
    by_kind = [(str(kinds.get(k, k)), n) for k, n in wins.values_list("kind").annotate(n=Count("id")).order_by("-n")]
    funding = wins.filter(kind=WinKind.FUNDING).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    latest = [
        (w.won_on, guard.scrub(w.title), str(kinds.get(w.kind, w.kind)))
        for w in wins.order_by("-won_on", "-id")[:WINS_SHOWN]
    ]
    return SiteSummary(
        site=site,
        pathway=pathway,
        actions=action_progress(site, today),
        priorities=ranked,
        responsiveness_headline=headline,
        responsiveness_lines=lines,
        wins_total=sum(n for _, n in by_kind),
        wins_by_kind=by_kind,
        funding_secured=funding,
        latest_wins=latest,
        verdicts=latest_verdicts(site),
        value_for_money=latest_value_for_money(site),
        board_report=latest_board_report(site),
    )


def commissioner_overview(user: Any, *, today: dt.date | None = None) -> list[SiteSummary]:
    """Every site the user can see, each summarised."""
    today = today or timezone.localdate()
    return [site_summary(row.site, row, today=today) for row in portfolio(user, today=today)]


def site_overview(user: Any, site: Site, *, today: dt.date | None = None) -> SiteSummary:
    today = today or timezone.localdate()
    row = next(r for r in portfolio(user, today=today) if r.site.pk == site.pk)
    return site_summary(site, row, today=today)
