"""Notification pages; mounted at /thong-bao/ (``path("thong-bao/", include(...))``)."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("cai-dat/", views.preferences, name="preferences"),
    path("nhat-ky/", views.delivery_log, name="log"),
]
