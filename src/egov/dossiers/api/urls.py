from django.urls import path

from . import views

app_name = "dossiers-api"

urlpatterns = [
    path("dossiers/", views.DossierListCreateView.as_view(), name="dossier-list"),
    path("dossiers/<str:code>/", views.DossierDetailView.as_view(), name="dossier-detail"),
    path(
        "dossiers/<str:code>/transitions/",
        views.TransitionView.as_view(),
        name="dossier-transitions",
    ),
    path("dossiers/<str:code>/events/", views.EventListView.as_view(), name="dossier-events"),
    path(
        "dossiers/<str:code>/documents/",
        views.DocumentUploadView.as_view(),
        name="dossier-documents",
    ),
    path(
        "dossiers/<str:code>/documents/<int:document_id>/file",
        views.DocumentFileView.as_view(),
        name="dossier-document-file",
    ),
    path("dossiers/<str:code>/forms/<str:form>.pdf", views.FormView.as_view(), name="dossier-form"),
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    path("tracking-book/", views.TrackingBookView.as_view(), name="tracking-book"),
]
