"""Background tasks for newsletters (django-tasks, database backend: run them with `c2hub worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_issue_in_background(issue_id: int) -> str:
    """Send a newsletter to a long list; its deliveries carry the progress and the outcome."""
    from c2hub.newsletters.services import issue_send_run

    return issue_send_run(issue_id)
