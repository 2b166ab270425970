"""``/api/v1/reports/…`` (listed in ../shared/API.md)."""

from django.urls import path

from .api.views import ScorecardView

urlpatterns = [
    path("reports/scorecard/", ScorecardView.as_view(), name="reports-scorecard"),
]
