"""Online fee payment, mounted at ``/thanh-toan/``."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<str:code>/", views.pay, name="pay"),
    path("ket-qua/", views.payment_return, name="return"),
    path("ipn/", views.ipn, name="ipn"),
    path("bien-lai/<str:txn_ref>.pdf", views.receipt, name="receipt"),
    path("quan-ly/", views.staff_list, name="staff_list"),
    path("quan-ly/doi-soat/", views.reconcile_now, name="reconcile"),
    path("quan-ly/<str:txn_ref>/", views.staff_detail, name="staff_detail"),
]
