"""Signature validation: the public page and the API (paths fixed by API.md)."""

from django.urls import path

from .api import views as api
from .web import views as web

app_name = "signatures"

urlpatterns = [
    path("chu-ky-so/kiem-tra/", web.check, name="check"),
    path("api/v1/signatures/validate/", api.ValidateSignaturesView.as_view(), name="validate"),
]
