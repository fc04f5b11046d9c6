"""The application's URLs unchanged, plus /bench/baseline/: the cheapest Django view there is,
served through the same middleware stack, to separate the framework's floor from page cost."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("", include("c2hub.urls")),
]

handler404 = "c2hub.errors.not_found"
handler403 = "c2hub.errors.forbidden"
handler400 = "c2hub.errors.bad_request"
handler500 = "c2hub.errors.server_error"
