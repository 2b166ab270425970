"""``/api/v1/reports/…`` (listed in ../shared/API.md)."""

from django.urls import path  # noqa: F401

urlpatterns = []
