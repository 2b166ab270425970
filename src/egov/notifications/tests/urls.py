"""The platform's URLs with the notification pages mounted where the project mounts them."""

from django.urls import include, path

from egov.urls import urlpatterns as platform

urlpatterns = [path("thong-bao/", include("egov.notifications.urls")), *platform]
