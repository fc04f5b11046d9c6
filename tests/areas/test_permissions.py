"""Who may import public data (rule areas.import_data: programme admins) and read it (anyone signed in)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.areas import services
from c2hub.areas.models import ImportRun
from tests.factories import ProgrammeFactory, make_site, user_with_role

pytestmark = pytest.mark.django_db

ROLES = [Role.PROGRAMME_ADMIN, Role.FACILITATOR, Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER]


@pytest.fixture
def sites(programme):
    own = make_site(programme=programme)
    other = make_site(programme=ProgrammeFactory(name="Another", slug="another"), name="Elsewhere", slug="elsewhere")
    return own, other


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_upload_pages(client, area_store, sites, role, where):
    site = sites[0] if where == "own" else sites[1]
    user = user_with_role(role, site)
    run = ImportRun.objects.create(kind="police", file_names=["x.csv"], created_by=user)
    client.force_login(user)
    expected = 200 if role == Role.PROGRAMME_ADMIN else 403
    assert client.get(reverse("areas_import")).status_code == expected
    assert client.get(reverse("areas_import_status", args=[run.pk])).status_code == expected
    posted = client.post(reverse("areas_import"), {"kind": "police", "file": SimpleUploadedFile("a.csv", b"x")})
    assert posted.status_code == (302 if role == Role.PROGRAMME_ADMIN else 403)


@pytest.mark.parametrize("role", ROLES)
def test_the_service_checks_the_rule_too(area_store, site, role, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    user = user_with_role(role, site)
    upload = SimpleUploadedFile("a.csv", b"x")
    if role == Role.PROGRAMME_ADMIN:
        assert services.import_upload_start(actor=user, kind="police", upload=upload, options={}).pk
    else:
        with pytest.raises(PermissionDenied):
            services.import_upload_start(actor=user, kind="police", upload=upload, options={})


def test_signed_out_visitors_are_sent_to_sign_in(client, area_store):
    response = client.get(reverse("areas_import"))
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert client.get("/api/v1/areas/E01018865").status_code == 401
