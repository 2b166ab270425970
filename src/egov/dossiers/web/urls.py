from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
]
