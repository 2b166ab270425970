from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.intake, name="intake"),
    path("overview/", views.overview, name="overview"),
    path("search/", views.search, name="search"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/", views.act, name="act"),
]
