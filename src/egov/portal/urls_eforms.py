"""The e-forms workspace of administrators, mounted at /bieu-mau/ (namespace ``eforms``)."""

from django.urls import path

from .eforms import views

app_name = "eforms"

urlpatterns = [
    path("", views.form_list, name="list"),
    path("<str:code>/", views.edit, name="edit"),
    path("<str:code>/xem-truoc/", views.preview, name="preview"),
    path("<str:code>/v<int:number>/", views.version, name="version"),
]
