"""Sending notices: stored in the transaction, e-mailed by a background task after commit."""

from django.db import transaction

from .models import Notice


def notify(users, title: str, body: str = "", url: str = "", topic: str = "") -> list[Notice]:
    """Create one notice per user (deduplicated) and queue the e-mails for after commit."""
    seen, notices = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notices.append(Notice(user=user, title=title[:200], body=body, url=url, topic=topic))
    created = Notice.objects.bulk_create(notices)
    ids = [n.pk for n in created if n.pk and n.user.email]
    if ids:
        from .tasks import email_notices

        transaction.on_commit(lambda: email_notices.enqueue(ids))
    return created
