"""Programme admins and facilitators must set up two-factor authentication before anything
else; the other roles are not forced to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from c2hub.accounts.models import Role
from tests.accounts.two_factor import sign_in_with_password
from tests.factories import PASSWORD, UserFactory, user_with_role

SETUP_URL = "/account/2fa/totp/activate/"


def pages(site) -> list[str]:
    return [
        "/",
        reverse("dashboard"),
        reverse("site_overview", args=[site.slug]),
        reverse("site_pathway", args=[site.slug]),
        reverse("audit_log"),
        reverse("admin:index"),
    ]


@pytest.fixture(params=[Role.PROGRAMME_ADMIN, Role.FACILITATOR])
def without_2fa(request, site):
    return user_with_role(request.param, site, totp=False)


def test_setup_url_is_allauths(db):
    assert reverse("mfa_activate_totp") == SETUP_URL


def test_admins_and_facilitators_without_2fa_are_sent_to_set_it_up_from_every_page(
    client, site, without_2fa
):
    client.force_login(without_2fa)
    for url in pages(site):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == SETUP_URL, url


def test_superusers_without_2fa_are_sent_to_set_it_up(client, site, db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get(reverse("dashboard"))["Location"] == SETUP_URL


def test_the_api_refuses_them_with_json(client, site, without_2fa):
    client.force_login(without_2fa)
    response = client.get(reverse("api-1.0.0:openapi-json"))
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_sign_in_pages_account_page_and_help_pages_stay_reachable(client, site, without_2fa):
    client.force_login(without_2fa)
    for url in [reverse("account_settings"), reverse("mfa_index"), reverse("accessibility"),
                reverse("privacy"), reverse("account_logout")]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER, Role.RESEARCHER])
def test_other_roles_are_not_forced_to_use_2fa(client, site, role):
    user = user_with_role(role, site, totp=False)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("site_overview", args=[site.slug])).status_code == 200


def test_with_2fa_set_up_they_get_through(client, site, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get(reverse("site_pathway", args=[site.slug])).status_code == 200


def test_setting_up_2fa_through_the_pages_then_signing_in_with_it(client, site):
    from tests.factories import totp_code

    facilitator = user_with_role(Role.FACILITATOR, site, totp=False)
    response = sign_in_with_password(client, facilitator.email)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"] == SETUP_URL

    # allauth asks for the password again before any change to two-factor settings.
    response = client.get(SETUP_URL)
    assert response["Location"] == f"{reverse('account_reauthenticate')}?next={SETUP_URL.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Confirm it is you" in page.content.decode()
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == SETUP_URL

    page = client.get(SETUP_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    secret = client.session["mfa.totp.secret"]
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in html
    assert "otpauth://totp/" in html

    response = client.post(SETUP_URL, {"code": "123456" if totp_code(secret) != "123456" else "654321"})
    assert response.status_code == 200 and "Incorrect code." in response.content.decode()

    response = client.post(SETUP_URL, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert codes_page.count("<li><code>") == 10
    assert client.get(reverse("dashboard")).status_code == 200

    client.post(reverse("account_logout"))
    response = sign_in_with_password(client, facilitator.email)
    assert response["Location"] == reverse("mfa_authenticate")
