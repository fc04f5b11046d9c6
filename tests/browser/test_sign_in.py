"""Signing in through the real pages: e-mail and password, then the authenticator code."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.support import (
    current_totp_code,
    submit_authenticator_code,
    submit_sign_in_form,
)
from tests.factories import PASSWORD


def test_facilitator_signs_in_with_an_authenticator_code(page, facilitator, live_server):
    submit_sign_in_form(page, facilitator.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    submit_authenticator_code(page, current_totp_code(facilitator.totp_secret))

    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My sites")
    expect(page.get_by_role("link", name="Southchurch")).to_be_visible()
    assert page.c2_console_errors == [], page.c2_console_errors


def test_a_wrong_authenticator_code_does_not_sign_in(page, facilitator):
    submit_sign_in_form(page, facilitator.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    right = current_totp_code(facilitator.totp_secret)
    submit_authenticator_code(page, f"{(int(right) + 1) % 10**len(right):0{len(right)}d}")

    expect(page).to_have_url(re.compile(r"/account/2fa/authenticate/$"))
    expect(page.locator("input[name=code]")).to_be_visible()
    # Still half signed in: the dashboard sends them back to finish signing in.
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/account/(login|2fa/authenticate)/"))


def test_a_wrong_password_stays_on_the_sign_in_page(page, facilitator):
    submit_sign_in_form(page, facilitator.email, "not the password at all")

    expect(page).to_have_url(re.compile(r"/account/login/"))
    expect(page.locator("input[name=code]")).to_have_count(0)
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
