"""The office API, under /api/v1/ (src/egov/urls.py includes this module there)."""

from django.urls import path

from . import views

app_name = "office-api"

urlpatterns = [
    path("office/outgoing/", views.OutgoingListView.as_view(), name="outgoing-list"),
    path("office/outgoing/<int:pk>/", views.OutgoingDetailView.as_view(), name="outgoing-detail"),
    path(
        "office/outgoing/<int:pk>/statuses/",
        views.OutgoingStatusView.as_view(),
        name="outgoing-statuses",
    ),
    path("office/incoming/", views.IncomingListView.as_view(), name="incoming-list"),
    path("office/incoming/<int:pk>/", views.IncomingDetailView.as_view(), name="incoming-detail"),
    path("office/registers/<str:kind>/", views.RegisterView.as_view(), name="register"),
]
