"""URL map of the platform. Public paths are listed in ../shared/API.md and must not move."""

from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from egov.core.api.views import HealthView, liveness
from egov.dossiers.web.public import lookup as lookup_page

# The Django admin requires a verified second factor, like every administrator screen.
admin.site.__class__ = OTPAdminSite
admin.site.site_header = "egov"

urlpatterns = [
    path("healthz", HealthView.as_view(), name="healthz"),
    path("livez", liveness, name="livez"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split view: the init script is a separate file, so the strict CSP needs no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/v1/", include("egov.core.api.urls")),
    path("api/v1/", include("egov.catalog.api.urls")),
    path("api/v1/", include("egov.dossiers.api.urls")),
    path("api/v1/", include("egov.reports.api_urls")),
    path("api/v1/", include("egov.portal.api.urls")),
    path("api/v1/", include("egov.office.api.urls")),
    path("dossiers/", include("egov.dossiers.web.urls")),
    path("", include("egov.pki.urls_authority")),
    path("", include("egov.pki.urls_signatures")),
    path("tra-cuu/", lookup_page, name="lookup"),
    path("catalog/", include("egov.catalog.web.urls")),
    path("dich-vu-cong/", include("egov.portal.urls")),
    path("tai-khoan/", include("egov.portal.urls_accounts")),
    path("bieu-mau/", include("egov.portal.urls_eforms")),
    path("thanh-toan/", include("egov.payments.urls")),
    path("thong-bao/", include("egov.notifications.urls")),
    path("van-phong/", include("egov.office.urls")),
    path("exchange/", include("egov.exchange.urls")),
    path("bao-cao/", include("egov.reports.urls")),
    path("ha-tang-cntt/", include("egov.ict.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("egov.core.web.urls")),
]
