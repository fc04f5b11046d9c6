"""The demo's wins, bids, groups and volunteering: every age served at the established sites, the
TR14ers at Camborne after its listening event, funding with amounts, nothing for Southchurch yet,
and a second load writes nothing of ours."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from c2hub.community.models import CommunityGroup
from c2hub.community.selectors import coverage, monthly_totals, volunteering
from c2hub.demo.community import demo_community_ensure
from c2hub.demo.loader import demo_load
from c2hub.demo.wins import demo_wins_ensure
from c2hub.programmes.models import Site
from c2hub.wins.models import FundingBid, Win, WinKind
from c2hub.wins.selectors import bid_totals_by_year, funding_by_year

pytestmark = pytest.mark.django_db

ESTABLISHED = ("beacon", "redruth", "camborne")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


def test_established_sites_serve_every_age_with_participation_and_a_value(demo):
    for slug in ESTABLISHED:
        site = Site.objects.get(slug=slug)
        grid = coverage(site)
        assert not grid.gaps, (slug, grid.summary)
        months = monthly_totals(site, months=None)
        assert len(months) >= 24 and all(m.participants > 0 for m in months)
        v = volunteering(site)
        assert v.is_valued and v.total_value > 0 and v.basis


def test_camborne_has_the_tr14ers_after_its_listening_event(demo):
    site = Site.objects.get(slug="camborne")
    tr14ers = CommunityGroup.objects.get(site=site, name="TR14ers dance group")
    assert tr14ers.founded_on.year == 2008 and tr14ers.founded_on > dt.date(2008, 5, 17)
    assert tr14ers.age_groups == ["5-10", "11-15", "16-18"]
    assert Win.objects.filter(site=site, kind=WinKind.NEW_GROUP, community_group=tr14ers).exists()
    award = Win.objects.get(site=site, kind=WinKind.AWARD)
    assert award.won_on.year == 2011 and "Queen's Award" in award.title


def test_two_or_more_years_of_wins_with_funding_and_bids(demo):
    for slug in ESTABLISHED:
        site = Site.objects.get(slug=slug)
        wins = Win.objects.filter(site=site)
        years = {w.won_on.year for w in wins}
        assert max(years) - min(years) >= 2, slug
        assert {WinKind.FUNDING, WinKind.MEDIA, WinKind.IMPROVEMENT, WinKind.NEW_GROUP} <= {w.kind for w in wins}
        assert sum(f.amount for f in funding_by_year(site)) > 0
        assert any(y.decided for y in bid_totals_by_year(site))
        assert FundingBid.objects.filter(site=site, win__isnull=False).exists()
        assert all(w.is_celebrated for w in wins.filter(kind=WinKind.AWARD))


def test_southchurch_has_none_yet_and_a_second_load_writes_nothing(demo):
    southchurch = Site.objects.get(slug="southchurch")
    assert not Win.objects.filter(site=southchurch).exists()
    assert not CommunityGroup.objects.filter(site=southchurch).exists()
    sites = {s.slug: s for s in Site.objects.all()}
    assert demo_community_ensure(sites, None) == 0
    assert demo_wins_ensure(sites, None) == 0
