from django.http import HttpResponse
from django.urls import path

def _pending(request, slug):  # replaced by the people pages
    return HttpResponse("")

urlpatterns = [
    path("sites/<slug:slug>/people/", _pending, name="people_list"),
    path("sites/<slug:slug>/organisations/", _pending, name="organisation_list"),
    path("sites/<slug:slug>/groups/", _pending, name="group_list"),
]
