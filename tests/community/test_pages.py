"""The community pages: the participation table (errors beside their cell, all or nothing), the
coverage view's gaps and volunteering without a value, CSV downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from c2hub.community import services
from c2hub.community.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tr14ers(site):
    return services.group_create(
        actor=None, site=site, name="TR14ers", founded_on=dt.date(2008, 8, 1), age_groups=["5-10", "11-15"]
    )


def test_the_participation_table_saves_months_and_shows_errors_by_cell(client, site, facilitator, tr14ers):
    client.force_login(facilitator)
    url = reverse("participation_save", args=[site.slug, tr14ers.pk])
    bad = {
        "row_count": "3",
        "rows-0-month": "2009-01",
        "rows-0-participants": "40",
        "rows-0-volunteers": "4",
        "rows-0-volunteer_hours": "12",
        "rows-2-month": "2009-02",
        "rows-2-participants": "-3",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and 'id="id_rows-2-participants-error"' in page
    assert not Participation.objects.filter(group=tr14ers).exists()
    bad["rows-2-participants"] = "41"
    response = client.post(url, bad)
    assert response.status_code == 302
    assert list(Participation.objects.filter(group=tr14ers).values_list("month", "participants")) == [
        (dt.date(2009, 1, 1), 40),
        (dt.date(2009, 2, 1), 41),
    ]


def test_coverage_page_names_gaps_and_says_when_no_value_is_set(client, site, member, tr14ers):
    services.participation_set(actor=None, group=tr14ers, month=dt.date(2009, 1, 1), volunteers=2, volunteer_hours=8)
    client.force_login(member)
    page = client.get(reverse("community_coverage", args=[site.slug])).content.decode()
    assert "No group serves 0–4." in page and "No group serves 65 and over." in page
    assert "No value per hour has been set" in page and "£0" not in page
    assert "A facilitator or programme admin can set it." in page
    assert "<svg" in page and 'data-testid="monthly-totals"' in page
    csv = b"".join(
        client.get(reverse("community_coverage", args=[site.slug]) + "?format=csv&table=coverage").streaming_content
    ).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("group or activity,0–4,5–10")
    assert "TR14ers,,yes,yes" in csv
    csv = b"".join(
        client.get(reverse("community_coverage", args=[site.slug]) + "?format=csv&table=volunteering").streaming_content
    ).decode("utf-8-sig")
    assert "2009,8.0,not set," in csv


def _csv(text: str, name: str = "months.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_participation_csv_import_is_all_or_nothing(client, site, facilitator, tr14ers):
    client.force_login(facilitator)
    url = reverse("participation_import", args=[site.slug, tr14ers.pk])
    response = client.post(url, {"file": _csv("month,participants\n2009-01,40\n")})
    assert response.status_code == 400 and "no column volunteers, volunteer_hours" in response.content.decode()
    bad = "month,participants,volunteers,volunteer_hours\n2009-01,40,4,12\nJanuary,41,4,12\n2009-03,-2,4,12\n"
    response = client.post(url, {"file": _csv(bad)})
    page = response.content.decode()
    assert response.status_code == 400 and "line 3: the month must be like 2013-06" in page
    bad = "month,participants,volunteers,volunteer_hours\n2009-01,40,4,12\n2009-03,-2,4,12\n"
    page = client.post(url, {"file": _csv(bad)}).content.decode()
    assert "line 3: Participants cannot be negative." in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"file": SimpleUploadedFile("months.csv", b"\xff\xfem\x00o\x00")})
    assert response.status_code == 400 and "saved as UTF-8" in response.content.decode()
    assert not Participation.objects.filter(group=tr14ers).exists()
    good = "Month,Participants,Volunteers,Volunteer hours\n2009-01,40,4,12\n2009-02-14,41,4,12.5\n\n"
    response = client.post(url, {"file": _csv("\ufeff" + good)})
    assert response.status_code == 302
    assert list(Participation.objects.filter(group=tr14ers).values_list("month", "volunteer_hours")) == [
        (dt.date(2009, 1, 1), 12),
        (dt.date(2009, 2, 1), Decimal("12.5")),
    ]


def test_only_the_sites_team_imports(client, site, other_site, commissioner, facilitator, tr14ers):
    client.force_login(commissioner)
    good = "month,participants,volunteers,volunteer_hours\n2009-01,40,4,12\n"
    url = reverse("participation_import", args=[site.slug, tr14ers.pk])
    assert client.post(url, {"file": _csv(good)}).status_code == 403
    client.force_login(facilitator)
    beacon_group = services.group_create(actor=None, site=other_site, name="Beacon youth club")
    url = reverse("participation_import", args=[other_site.slug, beacon_group.pk])
    assert client.post(url, {"file": _csv(good)}).status_code == 404
    url = reverse("participation_import", args=[site.slug, beacon_group.pk])
    assert client.post(url, {"file": _csv(good)}).status_code == 404
    assert not Participation.objects.exists()


def test_a_groups_months_download_in_the_import_format(client, site, researcher, tr14ers):
    services.participation_set(
        actor=None, group=tr14ers, month=dt.date(2009, 2, 1), participants=9, volunteers=1, volunteer_hours="2.5"
    )
    services.participation_set(actor=None, group=tr14ers, month=dt.date(2009, 1, 1), participants=8)
    client.force_login(researcher)
    response = client.get(reverse("community_group_detail", args=[site.slug, tr14ers.pk]) + "?format=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["month,participants,volunteers,volunteer_hours", "2009-01,8,0,0.0", "2009-02,9,1,2.5"]
