"""The public service portal, mounted at /dich-vu-cong/ (Vietnamese paths citizens can read)."""

from django.urls import path

from .web import applicant, public

app_name = "portal"

urlpatterns = [
    path("", public.home, name="home"),
    path("thu-tuc/", public.search, name="search"),
    path("thu-tuc/<str:code>/", public.procedure, name="procedure"),
    path("thu-tuc/<str:code>/mau/<int:document_id>/", public.template_file, name="template"),
    path("thu-tuc/<str:code>/nop/", applicant.apply, name="apply"),
    path("danh-gia/", public.ratings, name="ratings"),
    path("ho-so/", applicant.my_dossiers, name="my_dossiers"),
    path("ho-so/nhap/<uuid:key>/", applicant.draft, name="draft"),
    path("ho-so/<str:code>/", applicant.dossier, name="dossier"),
    path("ho-so/<str:code>/bo-sung/", applicant.supplement, name="supplement"),
    path("ho-so/<str:code>/danh-gia/", applicant.evaluate, name="evaluate"),
    path(
        "ho-so/<str:code>/tai-lieu/<int:document_id>/",
        applicant.document_file,
        name="document",
    ),
    path("kho-du-lieu/", applicant.store, name="store"),
    path("kho-du-lieu/<int:stored_id>/", applicant.store_file, name="store_file"),
    path("kho-du-lieu/<int:stored_id>/xoa/", applicant.store_remove, name="store_remove"),
]
