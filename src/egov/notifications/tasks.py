"""Background delivery of notices by e-mail (the Django tasks API)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notice


@task()
def email_notices(notice_ids: list[int]) -> int:
    """E-mail each notice not yet e-mailed; safe to run twice (idempotent)."""
    sent = 0
    for notice in Notice.objects.filter(pk__in=notice_ids, emailed_at__isnull=True).select_related(
        "user"
    ):
        body = notice.body
        if notice.url:
            body += f"\n\n{settings.EGOV_PUBLIC_URL.rstrip('/')}{notice.url}"
        send_mail(notice.title, body, None, [notice.user.email])
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
