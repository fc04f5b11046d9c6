"""The service navigation shows each user only what their roles allow."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("who", "sees_area_data", "sees_audit_log"),
    [("programme_admin", True, True), ("facilitator", False, False), ("commissioner", False, False)],
)
def test_menu_links_follow_the_rules(db, client, request, who, sees_area_data, sees_audit_log):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("dashboard")).content.decode()
    assert (f'href="{reverse("areas_import")}"' in html) is sees_area_data
    assert (f'href="{reverse("audit_log")}"' in html) is sees_audit_log
