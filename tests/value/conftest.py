from __future__ import annotations

from decimal import Decimal

import pytest

from c2hub.programmes.models import FundingLine
from c2hub.value import services


@pytest.fixture
def library(programme):
    """The Home Office figures and one user-entered cost, in the site's programme."""
    services.home_office_costs_load(actor=None, programme=programme)
    return services.unit_cost_create(
        actor=None, programme=programme, name="Domestic abuse call-out", cost_of="one call-out", amount="400",
        source_citation="Local figures, 2024", source_year=2024, price_base_year=2024,
        licence="Our own figures", shares={"police": 60, "council": 40},
    )


@pytest.fixture
def funded_site(site):
    FundingLine.objects.create(site=site, description="Grant for steps 1–2", amount=Decimal("36500"),
                               starts_on="2013-07-01", ends_on="2014-06-30")
    FundingLine.objects.create(site=site, description="Declined bid", amount=Decimal("99999"),
                               status=FundingLine.Status.DECLINED, starts_on="2013-07-01")
    return site


def payload(unit_cost_id: int | None, **extra: object) -> dict:
    return {
        "outcomes": [{"label": "Robbery", "effect": -12, "ci_low": -20, "ci_high": -3, "unit_cost_id": unit_cost_id}],
        "horizon_years": 5,
        **extra,
    }
