"""Background tasks for the listening event (django-tasks, database backend: run them with
`c2hub worker`)."""

from __future__ import annotations

from django.tasks import task


@task()
def suggest_themes_in_background(listening_id: int) -> str:
    """Suggest themes for a large listening event; its row carries the status and the outcome."""
    from c2hub.listening.services import themes_suggest_run

    return themes_suggest_run(listening_id)
