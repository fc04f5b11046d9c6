"""Property-based fuzzing of the whole API from its own OpenAPI document (schemathesis): with a
real bearer token and the real site's slug, no input gives a server error, and every answer
matches the schema the document promises."""

from __future__ import annotations

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from c2hub.accounts.models import Role
from c2hub.api.main import api
from c2hub.people.models import GroupMembership
from c2hub.programmes import services
from c2hub.programmes.models import EvidenceKind
from tests.api.conftest import make_token
from tests.factories import GroupFactory, PersonFactory, user_with_role

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
application = get_wsgi_application()


@pytest.fixture
def keep_test_connection():
    """Requests go through the real WSGI handler, whose request signals would close the test's
    database connection mid-transaction (on PostgreSQL); Django's test client holds them back
    in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(site) -> dict[str, str]:
    """A programme admin (who may do everything) with some data to find in the site."""
    admin = user_with_role(Role.PROGRAMME_ADMIN, site)
    person = PersonFactory(programme=site.programme, sites=[site])
    GroupMembership.objects.create(group=GroupFactory(site=site), person=person)
    criterion = site.pathway_model.steps.get(number=1).criteria.first()
    services.evidence_add(
        actor=admin, site=site, criterion=criterion, kind=EvidenceKind.NOTE, summary="Seen"
    )
    return {"Authorization": f"Bearer {make_token(admin)}"}


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_gives_a_server_error(case, site, bearer, keep_test_connection):
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = site.slug
    response = case.call(app=application, headers=bearer)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
    if 400 <= response.status_code < 500 and response.status_code != 405:
        assert "detail" in response.json()
