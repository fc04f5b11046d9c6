"""Fixtures for the people tests: a site's organisations, people and steering network, and
signing in (users of roles that need 2FA already have it, from tests/factories.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from c2hub.people import services
from c2hub.people.models import GroupKind, MembershipRole, OrganisationKind, PersonKind


@pytest.fixture
def sign_in(client):
    def sign_in_as(user):
        client.force_login(user)
        return client

    return sign_in_as


@pytest.fixture
def council(site):
    return services.organisation_create(
        actor=None,
        site=site,
        name="Southend-on-Sea Borough Council",
        short_name="SBC",
        kind=OrganisationKind.COUNCIL,
    )


@pytest.fixture
def police(site):
    return services.organisation_create(actor=None, site=site, name="Essex Police", kind=OrganisationKind.POLICE)


@pytest.fixture
def resident(site):
    return services.person_create(
        actor=None,
        site=site,
        name="Jean Porter",
        email="jean@example.net",
        phone="07700 900123",
        address="12 Beach Road",
        postcode="ss1 2ab",
        age_band="65+",
        notes="Prefers phone calls",
    )


@pytest.fixture
def child(site):
    return services.person_create(
        actor=None,
        site=site,
        name="Kyle Baker",
        age_band="11-15",
        postcode="SS1 3CD",
        email="kyle@example.net",
    )


@pytest.fixture
def worker(site, council):
    return services.person_create(
        actor=None,
        site=site,
        name="Priya Shah",
        kind=PersonKind.WORKER,
        organisation=council,
        job_title="Community development officer",
        email="priya@council.example",
    )


@pytest.fixture
def steering(site, resident, police):
    group = services.group_create(
        actor=None,
        site=site,
        kind=GroupKind.STRATEGIC_STEERING,
        name="Southchurch Strategic Steering Network",
        formed_on=dt.date(2013, 6, 20),
    )
    services.membership_add(
        actor=None,
        group=group,
        person=resident,
        role=MembershipRole.KEY_RESIDENT,
        started_on=dt.date(2013, 6, 20),
        notes="Speaks for the tenants' association",
    )
    services.membership_add(actor=None, group=group, organisation=police, role=MembershipRole.MEMBER)
    return group
