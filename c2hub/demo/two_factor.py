"""Two-factor authentication for the demo accounts, stored exactly as allauth.mfa stores it.

A demo admin or facilitator must use a second factor like anyone in that role, so the demo gives
each a TOTP authenticator with a fixed, printed secret (to add to an authenticator app) and a
fixed set of recovery codes. Never use this outside a demo: the secrets are public.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt, encrypt

from c2hub.accounts.models import User


@dataclass(frozen=True)
class DemoTwoFactor:
    secret: str
    otpauth_url: str
    unused_recovery_codes: list[str]
    #: False when the user has since set up another authenticator: the demo secret is then void.
    secret_is_current: bool


def recovery_seed(email: str) -> str:
    """A fixed seed per demo account, the same length as allauth's own (80 hex characters), so
    that the printed recovery codes stay the same from one `c2hub demo` to the next."""
    return hashlib.sha512(f"c2hub-demo-recovery-codes:{email}".encode()).hexdigest()[:80]


def demo_two_factor_ensure(user: User, secret: str) -> DemoTwoFactor:
    """Give the user a TOTP authenticator with this secret and recovery codes, unless they have
    them already (then nothing changes)."""
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        totp = TOTP.activate(user, secret).instance
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    if codes is None:
        # As RecoveryCodes.activate, with a fixed seed instead of a random one.
        codes = Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": encrypt(recovery_seed(user.email)), "used_mask": 0},
        )
    return DemoTwoFactor(
        secret=secret,
        otpauth_url=get_adapter().build_totp_url(user, secret),
        unused_recovery_codes=RecoveryCodes(codes).get_unused_codes(),
        secret_is_current=decrypt(totp.data["secret"]) == secret,
    )
