from __future__ import annotations

import pytest

from c2hub.accounts.models import Role
from tests.factories import ProgrammeFactory, make_site, user_with_role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is deliberately slow; tests that are not about passwords use a fast hasher.
    Mark a test module `pytest.mark.argon2` to keep the production hashers."""
    if request.node.get_closest_marker("argon2") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def site(programme):
    return make_site(programme=programme)


@pytest.fixture
def other_site(programme):
    return make_site(programme=programme, name="Beacon", slug="beacon", local_authority="Cornwall",
                     lsoa_codes=("E01018806",))


@pytest.fixture
def facilitator(site):
    return user_with_role(Role.FACILITATOR, site)


@pytest.fixture
def programme_admin(site):
    return user_with_role(Role.PROGRAMME_ADMIN, site)


@pytest.fixture
def member(site):
    return user_with_role(Role.PARTNERSHIP_MEMBER, site)


@pytest.fixture
def commissioner(site):
    return user_with_role(Role.COMMISSIONER, site)


@pytest.fixture
def researcher(site):
    return user_with_role(Role.RESEARCHER, site)


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory):
    """What the app writes under DATA_DIR (the area-statistics store) goes to a temporary folder, not var/."""
    from django.test import override_settings

    with override_settings(DATA_DIR=tmp_path_factory.mktemp("data")):
        yield
