"""Background tasks for outcomes (django-tasks, database backend: run them with `c2hub worker`)."""

from __future__ import annotations

from django.tasks import task

from c2hub.outcomes.models import EvaluationRun


@task()
def run_evaluation(run_id: int) -> str:
    """Run a recorded evaluation; the run row carries the progress, the result or the error."""
    from c2hub.outcomes.services import evaluation_execute

    run = EvaluationRun.objects.select_related("site").get(pk=run_id)
    if run.is_done:
        return run.status
    return evaluation_execute(run).status
