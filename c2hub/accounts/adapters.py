from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: programme admins create accounts (`c2hub user create`)."""

    def is_open_for_signup(self, request: Any) -> bool:
        return False
