"""Server-side timing for the benchmark: ``Server-Timing: app;dur=<ms>`` and
``X-Bench-Queries: <n>`` and ``X-Bench-Cpu-Ms`` (the worker thread's CPU time, which other
processes competing for the CPU do not inflate) on every response, measured around the whole
middleware stack."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        start, cpu_start = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["X-Bench-Cpu-Ms"] = f"{(time.thread_time() - cpu_start) * 1000:.3f}"
        response["Server-Timing"] = f"app;dur={elapsed_ms:.3f}"
        response["X-Bench-Queries"] = str(count)
        return response
