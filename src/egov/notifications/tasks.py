"""Background jobs of the notifications (the Django tasks API, django-tasks backport).

django-tasks has no automatic retry: ``deliver`` schedules the next attempt itself (deferred
with ``run_after`` on backends that support it, such as the database backend), and the periodic
``retry_deliveries`` command sends whatever is due, whichever comes first.
"""

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


@task()
def dispatch_dossier_event(dossier_id: int, action: str) -> int:
    """Render and log the applicant's messages for a dossier change; return how many."""
    from .services import dispatch_dossier_event as dispatch

    return len(dispatch(dossier_id, action))


@task()
def deliver(delivery_id: int) -> str:
    """Send one e-mail or SMS delivery (at most once); return its status afterwards."""
    from .services import deliver_one

    return deliver_one(delivery_id)
