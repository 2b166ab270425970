from django.urls import path

from . import certificates as views

urlpatterns = [
    path("authorities/", views.AuthorityListView.as_view(), name="api-authorities"),
    path("certificates/", views.CertificateListView.as_view(), name="api-certificates"),
    path("certificates/<int:pk>/", views.CertificateDetailView.as_view(), name="api-certificate"),
    path(
        "certificates/<int:pk>/actions/",
        views.CertificateActionView.as_view(),
        name="api-certificate-actions",
    ),
    path("requests/", views.RequestListCreateView.as_view(), name="api-requests"),
    path("requests/<int:pk>/decision/", views.DecisionView.as_view(), name="api-request-decision"),
    path("counts/", views.CountsView.as_view(), name="api-counts"),
]
