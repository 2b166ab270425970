"""Template context shared by every page."""

from django.conf import settings


def platform(request):
    return {"province_name": settings.EGOV_PROVINCE_NAME}
