from django.urls import path

from .web import views

app_name = "ict"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("bao-cao/<int:year>/", views.annual_report, name="annual_report"),
    path("bao-cao/<int:year>/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("bao-cao/<int:year>/xlsx/", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("co-quan/<str:code>/", views.agency_inventory, name="agency"),
    path("co-quan/<str:code>/<str:kind>/moi/", views.record_edit, name="record_new"),
    path("ban-ghi/<str:kind>/<int:pk>/", views.record_edit, name="record_edit"),
    path("ban-ghi/<str:kind>/<int:pk>/xoa/", views.record_delete, name="record_delete"),
    path("nhap/", views.import_inventory, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<int:pk>/", views.import_job, name="import_job"),
    path("nhap/<int:pk>/tien-do/", views.import_progress, name="import_progress"),
]
