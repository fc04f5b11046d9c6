"""Helpers for API tests: bearer tokens and a client that sends them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from c2hub.accounts.models import ApiToken, User


def make_token(user: User, *, name: str = "Test token") -> str:
    """A new bearer token for the user, stored the way `c2hub token create` stores it."""
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash_key(key), hint=key[:8])
    return key


class ApiClient:
    """A test client that sends a bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, body: object = None, *, raw: str | bytes | None = None):
        if raw is not None:
            return self.client.post(path, raw, content_type="application/json", headers=self.headers)
        if body is None:  # no body at all, as `curl -X POST` sends
            return self.client.post(path, b"", content_type="application/json", headers=self.headers)
        return self.client.post(path, body, content_type="application/json", headers=self.headers)

    def upload(self, path: str, data: dict):
        return self.client.post(path, data, headers=self.headers)


@pytest.fixture
def api_as() -> Callable[[User], ApiClient]:
    """``api_as(user)``: an API client authenticated with a new bearer token of that user."""

    def make(user: User) -> ApiClient:
        return ApiClient(make_token(user))

    return make
