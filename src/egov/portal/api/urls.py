"""``/api/v1/applications/`` (mounted under ``api/v1/`` by the platform's URL map)."""

from django.urls import path

from .views import ApplicationCreateView

urlpatterns = [
    path("applications/", ApplicationCreateView.as_view(), name="portal-applications"),
]
