"""Superusers can use Django's admin for every model; pathway rows and the timeline are read-only."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory, give_totp

pytestmark = pytest.mark.django_db


def test_every_admin_changelist_opens_for_a_superuser(client, site):
    superuser = UserFactory(email="root@example.org")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    give_totp(superuser)
    client.force_login(superuser)
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    site_change = reverse("admin:programmes_site_change", args=[site.pk])
    assert client.get(site_change).status_code == 200
    model_change = reverse("admin:programmes_pathwaymodel_change", args=[site.pathway_model_id])
    page = client.get(model_change)
    assert page.status_code == 200 and b"Save" not in page.content


def test_a_superuser_without_2fa_is_sent_to_set_it_up(client, site):
    superuser = UserFactory(email="root2@example.org")
    superuser.is_superuser = superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "2fa" in response["Location"]


def test_programme_admins_are_not_django_admin_staff(client, programme_admin):
    client.force_login(programme_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
