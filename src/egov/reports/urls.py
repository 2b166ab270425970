from django.urls import path

from .web import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("chi-so/", views.scorecard_page, name="scorecard"),
    path("chi-so/<str:code>/<str:part>/", views.drilldown, name="drilldown"),
    path("chi-so.<str:fmt>", views.scorecard_export, name="scorecard_export"),
]
