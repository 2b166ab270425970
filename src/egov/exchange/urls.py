from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    # Public path (API.md): peers post edXML packages and status packages here.
    path("v1/edxml", views.receive_edxml, name="edxml"),
]
