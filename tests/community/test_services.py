"""Community groups, participation and volunteering: the services' rules and the selectors'
figures (coverage, trends, the value of volunteering)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from c2hub.community import selectors, services
from c2hub.community.models import Participation, VolunteeringValue
from c2hub.programmes.models import EvidenceKind
from c2hub.programmes.suggestions import suggestions_for

pytestmark = pytest.mark.django_db


def _errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def _group(site, name="TR14ers", **kwargs):
    kwargs.setdefault("founded_on", dt.date(2008, 8, 1))
    return services.group_create(actor=None, site=site, name=name, **kwargs)


def test_age_groups_are_known_bands_youngest_first(site):
    group = _group(site, age_groups=["16-18", "5-10", "11-15", "5-10"])
    assert group.age_groups == ["5-10", "11-15", "16-18"]
    with pytest.raises(ValidationError) as exc:
        _group(site, name="Other", age_groups=["5-10", "teenagers", "99+"])
    message = _errors(exc)["age_groups"][0]
    assert "teenagers" in message and "99+" in message
    with pytest.raises(ValidationError) as exc:
        _group(site, name="Other", age_groups="5-10")
    assert "age_groups" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        _group(site, name="Other", health_priorities=["happiness"])
    assert "health_priorities" in _errors(exc)


def test_group_dates_and_names(site):
    _group(site)
    with pytest.raises(ValidationError) as exc:
        _group(site, name="tr14ers")
    assert "already has" in _errors(exc)["name"][0]
    with pytest.raises(ValidationError) as exc:
        _group(site, name="Late", founded_on=dt.date(2010, 1, 1), ended_on=dt.date(2009, 1, 1))
    assert "ended_on" in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        _group(site, name="Future", founded_on=dt.date.today() + dt.timedelta(days=40))
    assert "founded_on" in _errors(exc)


def test_participation_is_one_row_a_month_normalised_to_the_first(site):
    group = _group(site)
    services.participation_set(
        actor=None, group=group, month=dt.date(2009, 3, 17), participants=40, volunteers=5, volunteer_hours="22.5"
    )
    services.participation_set(
        actor=None, group=group, month=dt.date(2009, 3, 2), participants=45, volunteers=5, volunteer_hours=20
    )
    rows = list(Participation.objects.filter(group=group))
    assert len(rows) == 1 and rows[0].month == dt.date(2009, 3, 1) and rows[0].participants == 45


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"participants": -1}, "participants"),
        ({"participants": "3.5"}, "participants"),
        ({"volunteers": "many"}, "volunteers"),
        ({"volunteer_hours": "-2"}, "volunteer_hours"),
        ({"volunteer_hours": "NaN"}, "volunteer_hours"),
        ({"volunteers": 0, "volunteer_hours": 4}, "volunteers"),
        ({"participants": 10**7}, "participants"),
    ],
)
def test_bad_participation_is_refused(site, values, field):
    group = _group(site)
    with pytest.raises(ValidationError) as exc:
        services.participation_set(actor=None, group=group, month=dt.date(2009, 3, 1), **values)
    assert field in _errors(exc)


def test_months_before_founding_or_in_the_future_are_refused(site):
    group = _group(site)
    for month in (dt.date(2008, 7, 1), dt.date.today() + dt.timedelta(days=40)):
        with pytest.raises(ValidationError) as exc:
            services.participation_set(actor=None, group=group, month=month, participants=3)
        assert "month" in _errors(exc)


def test_the_table_saves_all_or_nothing(site):
    group = _group(site)
    rows = [
        {"month": dt.date(2009, 1, 1), "participants": 30, "volunteers": 3, "volunteer_hours": 12},
        {"month": dt.date(2009, 1, 20), "participants": 31, "volunteers": 3, "volunteer_hours": 12},
    ]
    with pytest.raises(ValidationError) as exc:
        services.participation_save_rows(actor=None, group=group, rows=rows)
    assert "rows-1-month" in _errors(exc)
    assert not Participation.objects.filter(group=group).exists()
    rows[1]["month"] = dt.date(2009, 2, 1)
    assert len(services.participation_save_rows(actor=None, group=group, rows=rows)) == 2


def test_another_sites_group_cannot_be_written_by_this_sites_team(site, other_site, facilitator):
    beacon_group = _group(other_site, name="Beacon youth club")
    with pytest.raises(PermissionDenied):
        services.participation_set(actor=facilitator, group=beacon_group, month=dt.date(2009, 1, 1), participants=1)
    with pytest.raises(PermissionDenied):
        services.group_update(actor=facilitator, group=beacon_group, name="Mine now")


def test_coverage_shows_gaps(site):
    _group(site, name="TR14ers", age_groups=["5-10", "11-15", "16-18"])
    _group(site, name="Lunch club", age_groups=["65+"])
    _group(site, name="Closed", age_groups=["0-4"], founded_on=dt.date(2000, 1, 1), ended_on=dt.date(2005, 1, 1))
    grid = selectors.coverage(site)
    assert [r.group.name for r in grid.rows] == ["Lunch club", "TR14ers"]
    assert grid.counts["11-15"] == 1 and grid.counts["0-4"] == 0
    assert [b for b, _ in grid.gaps] == ["0-4", "19-25", "26-64"]
    assert grid.summary == (
        "2 running groups and activities serve 4 of 7 age groups; no group serves 0–4, 19–25, 26–64."
    )


def test_volunteering_value_is_never_a_silent_zero(site, facilitator, member, programme_admin):
    group = _group(site)
    services.participation_set(actor=None, group=group, month=dt.date(2009, 1, 1), volunteers=4, volunteer_hours=10)
    services.participation_set(actor=None, group=group, month=dt.date(2010, 1, 1), volunteers=4, volunteer_hours="5.5")
    v = selectors.volunteering(site)
    assert not v.is_valued and v.total_value is None and [y.value for y in v.years] == [None, None]
    assert v.total_hours == Decimal("15.5")
    with pytest.raises(PermissionDenied):
        services.volunteering_value_set(actor=member, site=site, per_hour="12.21", basis="NLW")
    for bad, field in (("0", "per_hour"), ("-3", "per_hour"), ("lots", "per_hour"), ("5000", "per_hour")):
        with pytest.raises(ValidationError) as exc:
            services.volunteering_value_set(actor=facilitator, site=site, per_hour=bad, basis="NLW")
        assert field in _errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.volunteering_value_set(actor=facilitator, site=site, per_hour="12", basis=" ")
    assert "basis" in _errors(exc)
    services.volunteering_value_set(actor=programme_admin, site=site, per_hour="12.21", basis="NLW 2025/26")
    v = selectors.volunteering(site)
    assert [y.value for y in v.years] == [Decimal("122.10"), Decimal("67.16")]
    assert v.total_value == Decimal("189.26")
    services.volunteering_value_set(actor=facilitator, site=site, per_hour="10", basis="Local valuation")
    assert VolunteeringValue.objects.get(site=site).per_hour == Decimal("10.00")


def test_monthly_totals_over_groups(site):
    a, b = _group(site, name="A"), _group(site, name="B")
    services.participation_set(
        actor=None, group=a, month=dt.date(2009, 1, 1), participants=10, volunteers=2, volunteer_hours=4
    )
    services.participation_set(
        actor=None, group=b, month=dt.date(2009, 1, 1), participants=5, volunteers=1, volunteer_hours=3
    )
    services.participation_set(actor=None, group=a, month=dt.date(2009, 2, 1), participants=12)
    totals = selectors.monthly_totals(site)
    assert [(t.month, t.groups, t.participants, t.volunteers, t.volunteer_hours) for t in totals] == [
        (dt.date(2009, 1, 1), 2, 15, 3, Decimal("7")),
        (dt.date(2009, 2, 1), 1, 12, 0, Decimal("0")),
    ]
    assert selectors.latest_participation([a, b])[a.pk].month == dt.date(2009, 2, 1)


def test_public_groups_are_public_and_running(site, other_site):
    _group(site, name="Open", age_groups=["65+"])
    _group(site, name="Private", public=False)
    _group(site, name="Ended", founded_on=dt.date(2000, 1, 1), ended_on=dt.date(2001, 1, 1))
    _group(other_site, name="Beacon's")
    assert [g.name for g in selectors.public_groups(site)] == ["Open"]


def test_groups_are_suggested_and_coverage_attached_as_evidence(site, facilitator):
    tr14ers = _group(site, age_groups=["5-10", "11-15"], health_priorities=["physical_activity"])
    services.participation_set(actor=None, group=tr14ers, month=dt.date(2009, 1, 1), volunteers=3, volunteer_hours=9)
    _group(site, name="No ages")
    steps = site.pathway_model.steps
    ages = steps.get(number=6).criteria.get(key="new-groups-all-ages")
    health = steps.get(number=6).criteria.get(key="health-priorities-targeted")
    volunteering = steps.get(number=5).criteria.get(key="confidence-and-volunteering")
    for criterion in (ages, health, volunteering):
        assert "TR14ers" in [s.title for s in suggestions_for(site, criterion)]
    assert "No ages" not in [s.title for s in suggestions_for(site, ages)]
    evidence = services.group_attach_evidence(actor=facilitator, group=tr14ers, criterion=health)
    assert evidence.kind == EvidenceKind.RECORD and "Physical activity" in evidence.note
    assert "TR14ers" not in [s.title for s in suggestions_for(site, health)]
    first = suggestions_for(site, ages)[0]
    assert first.title.startswith("Coverage of age groups: 2 running groups and activities serve 2 of 7")
    assert first.attach_url.endswith(f"/sites/{site.slug}/community-groups/coverage/evidence/")
    note = services.coverage_attach_evidence(actor=facilitator, site=site, criterion=ages)
    assert note.kind == EvidenceKind.NOTE and note.summary.startswith("2 running groups and activities serve 2 of 7")
    assert not [s for s in suggestions_for(site, ages) if s.title.startswith("Coverage")]
