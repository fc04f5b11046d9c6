from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from c2hub.demo.loader import demo_load

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once per module in a transaction rolled back afterwards; each test runs
    in a savepoint inside it (the `db` fixture), so tests cannot disturb one another."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield demo_load()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fast_hashers(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
