"""The outcomes pages: the indicators page (charts beside tables, CSV of each chart), the LSOAs,
comparison areas, changes in the area and evaluations, for the site's team and for commissioners."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.outcomes import services
from c2hub.outcomes.models import AreaChange, ComparisonArea
from c2hub.programmes.models import PathwayEvent
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(camborne):
    services.comparison_suggest(actor=None, site=camborne)
    services.comparison_accept_all(actor=None, site=camborne)
    services.area_change_add(actor=None, site=camborne, title="£2.2m housing regeneration",
                             starts_on=dt.date(2024, 2, 12))
    return camborne


def test_indicators_page_shows_each_chart_beside_its_table(client, ready):
    client.force_login(user_with_role(Role.FACILITATOR, ready))
    page = client.get(reverse("site_outcomes", args=[ready.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("crime-rate", "crime-types", "lsoas", "deprivation"):
        assert f'data-testid="chart-{key}"' in html
    assert html.count("<svg") >= 4
    assert "Cornwall" in html and "Comparison areas (" in html
    assert "suppression-note" not in html  # facilitators see exact counts
    assert "£2.2m housing regeneration" in html


def test_commissioners_see_small_numbers_hidden(client, ready):
    client.force_login(user_with_role(Role.COMMISSIONER, ready))
    html = client.get(reverse("site_outcomes", args=[ready.slug])).content.decode()
    assert "suppression-note" in html
    assert "&lt;5" in html


def test_each_chart_has_a_csv(client, ready):
    client.force_login(user_with_role(Role.FACILITATOR, ready))
    for key in ("crime-rate", "crime-types", "lsoas", "deprivation"):
        response = client.get(reverse("site_outcomes_csv", args=[ready.slug, key]))
        assert response.status_code == 200, key
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert body.splitlines()[0].startswith(("Month", "Crime type", "LSOA")), key
    assert client.get(reverse("site_outcomes_csv", args=[ready.slug, "nothing"])).status_code == 404


def test_crime_type_filter(client, ready):
    client.force_login(user_with_role(Role.FACILITATOR, ready))
    html = client.get(reverse("site_outcomes", args=[ready.slug]), {"type": "Burglary"}).content.decode()
    assert "Burglary per 1,000 residents" in html
    html = client.get(reverse("site_outcomes", args=[ready.slug]), {"type": "Not a type"}).content.decode()
    assert "All crime and anti-social behaviour per 1,000 residents" in html


def test_geography_form_reconciles_2011_codes_and_reports_unknown_ones(client, camborne):
    client.force_login(user_with_role(Role.FACILITATOR, camborne))
    url = reverse("site_geography", args=[camborne.slug])
    response = client.post(url, {"lsoa_codes": "E01018865 E01099999"})
    assert response.status_code == 200
    assert "E01099999" in response.content.decode()
    assert "E01018865 E01099999" in response.content.decode()  # what was typed is kept
    response = client.post(url, {"lsoa_codes": "E01018865, E01018867"}, follow=True)
    camborne.refresh_from_db()
    assert camborne.lsoa_codes == ["E01018865", "E01034866", "E01034867"]
    assert "E01018867 → E01034866, E01034867" in response.content.decode()


def test_geography_from_wards(client, camborne):
    client.force_login(user_with_role(Role.FACILITATOR, camborne))
    services.site_lsoas_set(actor=None, site=camborne, codes=["E01018865"])
    client.post(reverse("site_geography", args=[camborne.slug]), {"from_wards": "1"})
    camborne.refresh_from_db()
    assert len(camborne.lsoa_codes) == 7


def test_comparison_page_suggest_accept_remove_add(client, camborne):
    client.force_login(user_with_role(Role.FACILITATOR, camborne))
    url = reverse("site_comparison_areas", args=[camborne.slug])
    client.post(url, {"action": "suggest"})
    suggested = list(ComparisonArea.objects.filter(site=camborne))
    assert suggested
    html = client.get(url).content.decode()
    assert "same IMD decile" in html and "not adjacent" in html
    first, second = suggested[0].lsoa, suggested[1].lsoa
    client.post(url, {"action": "accept", "lsoa": first})
    client.post(url, {"action": "remove", "lsoa": second})
    statuses = dict(ComparisonArea.objects.filter(site=camborne).values_list("lsoa", "status"))
    assert statuses[first] == "accepted" and statuses[second] == "removed"
    response = client.post(url, {"action": "add", "lsoa": camborne.lsoa_codes[0]})
    assert "one of the site" in response.content.decode()


def test_area_change_goes_on_the_timeline(client, camborne):
    client.force_login(user_with_role(Role.FACILITATOR, camborne))
    url = reverse("site_area_changes", args=[camborne.slug])
    response = client.post(url, {"title": "", "starts_on": "2024-02-01"})
    assert "There is a problem" in response.content.decode()
    client.post(url, {"title": "£2.2m housing regeneration", "starts_on": "2024-02-01",
                      "description": "Tuckingmill estate"})
    change = AreaChange.objects.get(site=camborne)
    event = PathwayEvent.objects.get(site=camborne, kind=PathwayEvent.Kind.AREA_CHANGE)
    assert "£2.2m housing regeneration" in event.reason
    timeline = client.get(reverse("site_timeline", args=[camborne.slug])).content.decode()
    assert "Change in the area recorded" in timeline
    client.post(reverse("site_area_change_delete", args=[camborne.slug, change.pk]))
    assert not AreaChange.objects.filter(site=camborne).exists()


def test_pages_work_on_an_empty_store(client, site, empty_outcomes_store):
    client.force_login(user_with_role(Role.FACILITATOR, site))
    for name in ("site_outcomes", "site_comparison_areas", "site_area_changes", "site_evaluations",
                 "site_geography"):
        response = client.get(reverse(name, args=[site.slug]))
        assert response.status_code == 200, name
    html = client.get(reverse("site_outcomes", args=[site.slug])).content.decode()
    assert "No crime data has been imported yet" in html
    response = client.post(reverse("site_comparison_areas", args=[site.slug]), {"action": "suggest"}, follow=True)
    assert "0 comparison areas suggested" in response.content.decode()
    response = client.post(reverse("site_evaluations", args=[site.slug]), {"method": "did",
                                                                            "treatment_start": "2024-03-01"})
    assert response.status_code == 200 and "Accept at least 2 comparison areas" in response.content.decode()


def _year_of_crime(folder, months):
    """Test-only data: the demo's real Devon & Cornwall rows for January–April 2024 relabelled as
    earlier months (2023-05 to 2023-12), so the store holds 12 months. Not real counts for those months."""
    import csv
    import gzip

    from c2hub.demo.areas import BUNDLE

    sources = sorted((BUNDLE / "crime").glob("2024-0?-devon-and-cornwall-street.csv.gz"))
    paths = []
    for i, month in enumerate(months):
        with gzip.open(sources[i % len(sources)], "rt", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        month_col = rows[0].index("Month")
        for row in rows[1:]:
            row[month_col] = month
        path = folder / f"{month}-devon-and-cornwall-street.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
        paths.append(path)
    return paths


def test_rolling_12_months_once_a_year_is_held(client, ready, tmp_path):
    from c2hub.areas import importers

    (tmp_path / "extra").mkdir()
    importers.import_police(_year_of_crime(tmp_path / "extra", [f"2023-{m:02d}" for m in range(5, 13)]))
    client.force_login(user_with_role(Role.FACILITATOR, ready))
    html = client.get(reverse("site_outcomes", args=[ready.slug])).content.decode()
    assert 'data-testid="chart-crime-rolling"' in html
    assert "Rolling 12-month totals need 12 months" not in html
    rows = b"".join(client.get(reverse("site_outcomes_csv", args=[ready.slug, "crime-rolling"]))
                    .streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].startswith("2024-04,")  # one window: May 2023 to April 2024
    monthly = b"".join(client.get(reverse("site_outcomes_csv", args=[ready.slug, "crime-rate"]))
                       .streaming_content).decode("utf-8-sig").splitlines()[1:]
    assert int(rows[1].split(",")[1]) == sum(int(line.split(",")[1]) for line in monthly)
