"""An evaluation for a site, run as a background task (django-tasks database backend, the same
worker as `c2hub worker`), on the real crime of Camborne and its comparison areas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from c2hub.accounts.models import Role
from c2hub.outcomes import services
from c2hub.outcomes.models import EvaluationRun
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def compared(camborne):
    services.comparison_suggest(actor=None, site=camborne)
    services.comparison_accept_all(actor=None, site=camborne)
    services.area_change_add(actor=None, site=camborne, title="£2.2m housing regeneration",
                             starts_on=dt.date(2024, 2, 12))
    return camborne


@pytest.mark.django_db(transaction=True)  # the worker closes its database connection between tasks
def test_an_evaluation_runs_through_the_task_queue(client, compared, django_capture_on_commit_callbacks):
    facilitator = user_with_role(Role.FACILITATOR, compared)
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("site_evaluations", args=[compared.slug]),
                               {"method": "both", "crime_type": "", "treatment_start": "2024-03-01"})
    run = EvaluationRun.objects.get(site=compared)
    assert response.status_code == 302 and response["Location"].endswith(f"/evaluations/{run.pk}/")
    assert run.status == "queued" and run.task_id
    # While queued, the page shows progress and htmx polls the panel.
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="evaluation-progress"' in html and "hx-trigger" in html

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "default")

    run.refresh_from_db()
    assert run.status == "finished", run.error
    assert run.progress == 100
    result = run.result
    assert set(result) >= {"mde", "did", "did_verdict", "synthetic_control", "sc_verdict"}
    assert result["did"]["n_treated"] == len(compared.lsoa_codes)
    assert 0 < result["did"]["ci_low"] < result["did"]["rate_ratio"] < result["did"]["ci_high"]
    assert abs(sum(result["synthetic_control"]["weights"].values()) - 1) < 1e-4  # rounded to 6 places
    # Four months of data: the verdict must not claim a change the data cannot show.
    assert result["did_verdict"]["level"] in ("too_small_to_tell", "no_clear_change")
    assert result["contemporaneous_changes"] == ["£2.2m housing regeneration (from 12 February 2024)"]

    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="verdict"' in html and 'data-testid="mde"' in html
    assert "£2.2m housing regeneration" in html
    assert 'data-testid="chart-event-study"' in html and 'data-testid="chart-synthetic-control"' in html
    # htmx asking for the panel of a finished run is told to reload the page.
    assert client.get(response["Location"], HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_a_run_that_cannot_work_is_recorded_as_failed(compared):
    run = services.evaluation_request(actor=None, site=compared, treatment_start=dt.date(2024, 3, 1),
                                      method="did", enqueue=False)
    run.comparison_lsoas = []  # e.g. the comparison areas' data vanished
    run.site_lsoas = []
    run.save()
    run = services.evaluation_execute(run)
    assert run.status == "failed" and run.error


@pytest.mark.parametrize(
    ("start", "message"),
    [(dt.date(2024, 1, 1), "at least 2 months before"), (dt.date(2030, 1, 1), "at least 2 months before")],
)
def test_a_start_outside_the_data_is_refused(compared, start, message):
    with pytest.raises(ValidationError, match=message):
        services.evaluation_request(actor=None, site=compared, treatment_start=start, enqueue=False)


def test_too_few_comparison_areas_is_refused(camborne):
    with pytest.raises(ValidationError, match="Accept at least 2 comparison areas"):
        services.evaluation_request(actor=None, site=camborne, treatment_start=dt.date(2024, 3, 1), enqueue=False)


def test_members_and_commissioners_cannot_run_one(compared):
    for role in (Role.PARTNERSHIP_MEMBER, Role.COMMISSIONER):
        with pytest.raises(PermissionDenied):
            services.evaluation_request(actor=user_with_role(role, compared), site=compared,
                                        treatment_start=dt.date(2024, 3, 1), enqueue=False)
    run = services.evaluation_request(actor=user_with_role(Role.RESEARCHER, compared), site=compared,
                                      treatment_start=dt.date(2024, 3, 1), enqueue=False)
    assert run.status == "queued"


def test_commissioners_do_not_see_small_monthly_counts_through_the_synthetic_rates(client, compared):
    # Robbery in Camborne: a handful a month, so the site's monthly rate gives small counts away.
    run = services.evaluation_request(actor=None, site=compared, treatment_start=dt.date(2024, 3, 1),
                                      method="synthetic_control", crime_type="Robbery", enqueue=False)
    run = services.evaluation_execute(run)
    assert run.status == "finished", run.error
    sc = run.result["synthetic_control"]
    people = sc["site_population"]
    small = [m for m, rate in sc["treated"].items() if 1 <= round(rate * people / 1000) < 5]
    assert small
    from c2hub.accounts.models import ApiToken

    key = ApiToken.new_key()
    ApiToken.objects.create(user=user_with_role(Role.COMMISSIONER, compared), key_hash=ApiToken.hash_key(key),
                            hint=key[:8])
    body = client.get(f"/api/v1/sites/{compared.slug}/evaluations/{run.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert all(body["result"]["synthetic_control"]["treated"][m] is None for m in small)
    assert all(body["result"]["synthetic_control"]["gaps"][m] is None for m in small)
    client.force_login(user_with_role(Role.COMMISSIONER, compared))
    html = client.get(reverse("site_evaluation", args=[compared.slug, run.pk])).content.decode()
    assert "&lt;5 crimes" in html
