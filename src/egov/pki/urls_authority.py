"""Public PKI endpoints (API.md): CA certificates, CRLs, OCSP, timestamps; the certificate
pages of agency administrators and holders; the certificate API under /api/v1/pki/."""

from django.urls import include, path, re_path

from .web import certificates, public, sign

app_name = "pki"

urlpatterns = [
    path("pki/ca/<slug:name>.crt", public.ca_certificate, name="ca-certificate"),
    path("pki/crl/<slug:name>.crl", public.certificate_revocation_list, name="crl"),
    path("pki/ocsp", public.ocsp_post, name="ocsp"),
    re_path(r"^pki/ocsp/(?P<encoded>.+)$", public.ocsp_get, name="ocsp-get"),
    path("pki/tsa", public.timestamp, name="tsa"),
    path("certificates/", certificates.overview, name="certificates"),
    path("certificates/request/", certificates.new_request, name="request-new"),
    path("certificates/sign/", sign.sign_page, name="sign"),
    path("certificates/requests/<int:pk>/decide/", certificates.decide, name="request-decide"),
    path("certificates/<int:pk>/", certificates.detail, name="certificate"),
    path("certificates/<int:pk>/act/", certificates.act, name="certificate-act"),
    path("api/v1/pki/", include("egov.pki.api.urls_certificates")),
]
