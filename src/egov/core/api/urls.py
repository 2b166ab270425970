from django.urls import path

from . import views

app_name = "core-api"

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("agencies/", views.AgencyListView.as_view(), name="agency-list"),
    path("agencies/<str:code>/", views.AgencyDetailView.as_view(), name="agency-detail"),
]
