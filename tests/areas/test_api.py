"""GET /api/v1/areas/{lsoa}: any signed-in user; public statistics only; 404 JSON for unknown codes."""

from __future__ import annotations

import pytest

from c2hub.accounts.models import Role
from c2hub.accounts.services import api_token_create
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_an_area_with_its_deprivation_population_and_crime(client, area_store, member):
    client.force_login(member)
    body = client.get("/api/v1/areas/E01034866").json()
    assert body["ward_name"] == "Camborne Roskear & Tuckingmill" and body["force"] == "Devon & Cornwall"
    editions = {(d["edition"], d["domain"]) for d in body["deprivation"]}
    assert (2019, "imd") in editions and (2025, "housing") in editions and (2015, "imd") in editions
    imd2019 = next(d for d in body["deprivation"] if d["edition"] == 2019 and d["domain"] == "imd")
    assert imd2019["rank"] == 3964 and imd2019["domain_label"] == "Index of Multiple Deprivation"
    assert {p["age_band"] for p in body["population"]} == {"0-15", "16-64", "65+"}
    assert body["neighbours"] and "E01034866" not in body["neighbours"]
    assert isinstance(body["crime"], list) and isinstance(body["indicators"], list)


def test_unknown_code_is_a_404_json(client, area_store, member):
    client.force_login(member)
    for code in ("E01999999", "nonsense"):
        response = client.get(f"/api/v1/areas/{code}")
        assert response.status_code == 404 and "No LSOA" in response.json()["detail"]


def test_signed_out_is_401(client, area_store):
    assert client.get("/api/v1/areas/E01018865").status_code == 401


@pytest.mark.parametrize(
    "role", [Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER]
)
def test_every_role_may_read_public_statistics(client, area_store, site, role):
    user = user_with_role(role, site)
    _, token = api_token_create(actor=None, user=user)
    assert client.get("/api/v1/areas/E01018865", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    client.force_login(user)
    assert client.get("/api/v1/areas/E01018865").status_code == 200
