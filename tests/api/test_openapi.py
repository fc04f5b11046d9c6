"""The OpenAPI document and the docs page describe every endpoint."""

from __future__ import annotations

import json

from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/sites": {"get"},
    "/api/v1/sites/{slug}": {"get"},
    "/api/v1/sites/{slug}/people": {"get"},
    "/api/v1/sites/{slug}/organisations": {"get"},
    "/api/v1/sites/{slug}/groups": {"get"},
    "/api/v1/sites/{slug}/pathway": {"get"},
    "/api/v1/sites/{slug}/timeline": {"get"},
    "/api/v1/sites/{slug}/pathway/criteria/{criterion_id}/evidence": {"post"},
    "/api/v1/sites/{slug}/pathway/criteria/{criterion_id}/evidence/file": {"post"},
    "/api/v1/sites/{slug}/pathway/evidence/{evidence_id}/file": {"get"},
    "/api/v1/sites/{slug}/pathway/evidence/{evidence_id}/verify": {"post"},
    "/api/v1/sites/{slug}/pathway/steps/{number}/complete": {"post"},
    "/api/v1/sites/{slug}/pathway/steps/{number}/reopen": {"post"},
    # Events and meetings (c2hub/events/api.py)
    "/api/v1/sites/{slug}/events": {"get", "post"},
    "/api/v1/events/{event_id}": {"get", "patch"},
    "/api/v1/events/{event_id}/attendance": {"get", "post"},
    "/api/v1/events/{event_id}/head-counts": {"put"},
    "/api/v1/events/{event_id}/evidence": {"post"},
    # Area statistics (c2hub/areas/api.py)
    "/api/v1/areas/{lsoa}": {"get"},
    # Neighbourhood outcomes (c2hub/outcomes/api.py)
    "/api/v1/sites/{slug}/indicators": {"get"},
    "/api/v1/sites/{slug}/evaluations": {"post"},
    "/api/v1/sites/{slug}/evaluations/{run_id}": {"get"},
    # The listening event (c2hub/listening/api.py)
    "/api/v1/sites/{slug}/listening-events": {"get", "post"},
    "/api/v1/listening-events/{listening_id}": {"get", "patch"},
    "/api/v1/listening-events/{listening_id}/comments": {"get", "post"},
    "/api/v1/listening-events/{listening_id}/comments/move": {"post"},
    "/api/v1/listening-events/{listening_id}/comments/csv": {"post"},
    "/api/v1/listening-events/{listening_id}/themes": {"get", "post"},
    "/api/v1/listening-events/{listening_id}/themes/suggest": {"post"},
    "/api/v1/listening-events/{listening_id}/themes/{theme_id}": {"patch", "delete"},
    "/api/v1/listening-events/{listening_id}/themes/{theme_id}/merge": {"post"},
    "/api/v1/listening-events/{listening_id}/themes/{theme_id}/split": {"post"},
    "/api/v1/listening-events/{listening_id}/votes": {"get", "post"},
    "/api/v1/listening-events/{listening_id}/report": {"get"},
    "/api/v1/sites/{slug}/actions": {"get", "post"},
    "/api/v1/actions/{action_id}": {"get"},
    "/api/v1/actions/{action_id}/updates": {"post"},
    "/api/v1/sites/{slug}/responsiveness": {"get"},
    "/api/v1/sites/{slug}/you-said-we-did": {"get"},
    # The newsletter (c2hub/newsletters/api.py)
    "/api/v1/sites/{slug}/newsletters": {"get", "post"},
    "/api/v1/sites/{slug}/newsletters/{number}": {"get"},
    "/api/v1/sites/{slug}/newsletter-subscribers/count": {"get"},
    # Wins, funding bids and community groups (c2hub/wins/api.py, c2hub/community/api.py)
    "/api/v1/sites/{slug}/wins": {"get", "post"},
    "/api/v1/sites/{slug}/funding-bids": {"get", "post"},
    "/api/v1/sites/{slug}/community-groups": {"get"},
    "/api/v1/sites/{slug}/coverage": {"get"},
    # Case studies (c2hub/casestudies/api.py)
    "/api/v1/sites/{slug}/case-studies": {"get"},
    "/api/v1/sites/{slug}/case-studies/{case_study_id}": {"get"},
    # Value for money (c2hub/value/api.py)
    "/api/v1/programmes/{programme_slug}/unit-costs": {"get", "post"},
    "/api/v1/sites/{slug}/value-for-money": {"post"},
    "/api/v1/sites/{slug}/value-for-money/scenarios": {"get"},
    "/api/v1/sites/{slug}/value-for-money/scenarios/{scenario_id}": {"get"},
    # Board reports (c2hub/reports/api.py)
    "/api/v1/sites/{slug}/reports/board": {"get"},
}


def test_openapi_document_is_json_listing_every_path(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "C2 Hub API"
    assert {path: set(ops) for path, ops in document["paths"].items()} == EXPECTED_PATHS
    schemes = document["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}


def test_openapi_documents_refusals_and_request_limits(db):
    document = Client().get("/api/v1/openapi.json").json()
    complete = document["paths"]["/api/v1/sites/{slug}/pathway/steps/{number}/complete"]["post"]
    assert {"200", "403", "404", "409", "422"} <= set(complete["responses"])
    evidence_in = document["components"]["schemas"]["EvidenceIn"]["properties"]
    assert evidence_in["summary"]["maxLength"] == 300
    assert evidence_in["url"]["maxLength"] == 1000
    upload = document["paths"]["/api/v1/sites/{slug}/pathway/criteria/{criterion_id}/evidence/file"]
    assert "multipart/form-data" in upload["post"]["requestBody"]["content"]


def test_docs_page_is_served_from_our_own_static_files(db):
    """The content security policy allows scripts from this server only: no CDN."""
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"/static/ninja/swagger-ui-bundle.js" in response.content
    assert b"cdn." not in response.content
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
