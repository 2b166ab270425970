"""Sending notices and messages. The only way the notifications' state changes.

Two kinds of messages leave the platform:

* notices to officials (``notify``): stored in the transaction, e-mailed by a task after commit;
* messages to applicants about their dossier (``dispatch_dossier_event``): for each change
  the applicant cares about, the event's templates are rendered and one ``Delivery`` per
  channel (portal, e-mail, SMS) is logged; e-mail and SMS are sent by one background task per
  delivery (``deliver``), retried with back-off when the mail server or SMS gateway fails.

A delivery is sent at most once: the task first *claims* it (one conditional UPDATE from
queued/failed to sending), and only the run that claimed it sends it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, make_msgid
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egov.core.audit import record_event

from . import events as ev
from .models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Language,
    MessageTemplate,
    Notice,
    Preference,
)

logger = logging.getLogger("egov.notifications")

# Seconds to wait before attempt 2, 3, ...; the last value repeats.
BACKOFF = (60, 300, 900, 3600, 3 * 3600)
# A delivery claimed this long ago and not finished: its worker died while sending.
STALE_SENDING = dt.timedelta(minutes=15)
# A queued delivery whose task never ran (worker down, lost after-commit hook) is picked up
# by ``retry_deliveries`` after this grace.
QUEUED_GRACE = dt.timedelta(minutes=2)


def max_attempts() -> int:
    return int(getattr(settings, "EGOV_NOTIFY_MAX_ATTEMPTS", 5))


# --- notices to officials -------------------------------------------------------------------
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


def mark_read(user, notice_ids=None) -> int:
    """Mark ``user``'s notices read (those of ``notice_ids``, or all); return how many."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=timezone.now())


# --- preferences and templates ------------------------------------------------------------
def preference_for(user) -> Preference | None:
    """The account's preference, or None (defaults: every channel on, Vietnamese)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Preference.objects.filter(user=user).first()


@transaction.atomic
def set_preferences(user, *, email: bool, sms: bool, language: str = Language.VI) -> Preference:
    """The account holder turns e-mail / SMS messages on or off (the portal notice stays on)."""
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose Vietnamese or English.")]})
    preference, _created = Preference.objects.select_for_update().get_or_create(user=user)
    before = {"email": preference.email, "sms": preference.sms, "language": preference.language}
    preference.email, preference.sms, preference.language = bool(email), bool(sms), language
    preference.save()
    after = {"email": preference.email, "sms": preference.sms, "language": preference.language}
    if before != after or _created:
        record_event("notifications.preferences", preference, actor=user, changes={"to": after})
    return preference


def check_template(subject: str, body: str) -> None:
    """Raise ValidationError naming the field whose template text does not compile."""
    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        problem = ev.syntax_error(text)
        if problem:
            errors[field] = [_("The template is broken: %(error)s") % {"error": problem}]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_template(actor, template: MessageTemplate) -> MessageTemplate:
    """Store a template an administrator edited, after checking that it compiles."""
    check_template(template.subject, template.body)
    if template.channel != Channel.SMS and not template.subject.strip():
        raise ValidationError({"subject": [_("E-mail and portal messages need a subject.")]})
    if template.event not in ev.EVENT_LABELS:
        raise ValidationError({"event": [_("Unknown event.")]})
    created = template.pk is None
    template.updated_by = actor if getattr(actor, "pk", None) else None
    template.save()
    record_event(
        "notifications.template_" + ("create" if created else "update"),
        template,
        actor=actor,
        changes={
            "event": template.event,
            "channel": template.channel,
            "language": template.language,
            "active": template.active,
        },
    )
    return template


def preview(template: MessageTemplate, dossier=None) -> tuple[str, str]:
    """(subject, body) of ``template`` rendered for ``dossier`` or for a sample dossier."""
    context = ev.dossier_context(dossier) if dossier is not None else ev.sample_context()
    with translation.override(template.language):
        return ev.render(template.subject, context), ev.render(template.body, context)


def _templates(event: str, language: str) -> dict[str, MessageTemplate]:
    """The active template of each channel for ``event``, in ``language`` or else Vietnamese."""
    found: dict[str, MessageTemplate] = {}
    rows = MessageTemplate.objects.filter(event=event, active=True, language__in=[language, "vi"])
    for template in sorted(rows, key=lambda t: t.language != language):
        found.setdefault(template.channel, template)
    return found


# --- messages to applicants -----------------------------------------------------------------
def _occurrence(dossier, action: str):
    """The audit event of the latest ``action`` on ``dossier``: what the message is about."""
    from egov.core.models import AuditEvent

    return (
        AuditEvent.objects.filter(
            object_type="dossiers.dossier", object_id=str(dossier.pk), action=f"dossier.{action}"
        )
        .order_by("-seq")
        .first()
    )


def recipients(dossier) -> dict[str, str]:
    """Channel -> address for the dossier's applicant, leaving out channels she turned off."""
    user = dossier.applicant_user if dossier.applicant_user_id else None
    if user is not None and not user.is_active:
        user = None
    preference = preference_for(user)
    found = {}
    if user is not None:
        found[Channel.PORTAL] = user.username
    email = dossier.applicant_email or (user.email if user else "")
    if email and (preference is None or preference.email):
        found[Channel.EMAIL] = email
    phone = dossier.applicant_phone or (getattr(user, "phone", "") if user else "")
    if phone and (preference is None or preference.sms):
        found[Channel.SMS] = phone
    return found


@transaction.atomic
def dispatch_dossier_event(dossier_id: int, action: str) -> list[Delivery]:
    """Tell the applicant about ``action`` on the dossier: render the event's templates, post
    the portal notice, log one delivery per channel and queue the e-mail and SMS after commit.

    Safe to run twice for the same change: deliveries are keyed by the audit event of the
    change, and an existing one is not created (nor sent) again.
    """
    from egov.dossiers.models import Dossier

    event_keys = ev.ACTION_EVENTS.get(action, ())
    dossier = (
        Dossier.objects.select_related("procedure_version", "receiving_agency", "applicant_user")
        .filter(pk=dossier_id)
        .first()
    )
    if not event_keys or dossier is None:
        return []
    audit = _occurrence(dossier, action)
    occurrence = f"audit:{audit.seq}" if audit else f"{action}:{dossier.updated_at.isoformat()}"
    changes = dict(audit.changes) if audit else {}
    if audit and audit.reason:
        changes.setdefault("reason", audit.reason)
    addresses = recipients(dossier)
    preference = preference_for(dossier.applicant_user if dossier.applicant_user_id else None)
    language = preference.language if preference else Language.VI
    created: list[Delivery] = []
    for event in event_keys:
        templates = _templates(event, language)
        with translation.override(language):  # labels in the context (how returned, ...)
            context = ev.dossier_context(dossier, changes)
        for channel, address in addresses.items():
            template = templates.get(channel)
            if template is None:
                continue
            with translation.override(template.language):
                subject = ev.render(template.subject, context)[:200]
                body = ev.render(template.body, context)
            key = f"{occurrence}:{event}"[:60]
            if Delivery.objects.filter(occurrence=key, channel=channel, recipient=address).exists():
                continue
            try:
                with transaction.atomic():  # a concurrent run may have logged it meanwhile
                    created.append(
                        _log_delivery(dossier, key, event, channel, address, subject, body)
                    )
            except IntegrityError:
                continue
    queued = [d.pk for d in created if d.status == DeliveryStatus.QUEUED]
    if queued:
        transaction.on_commit(lambda: _enqueue(queued))
    return created


def _log_delivery(dossier, key, event, channel, address, subject, body) -> Delivery:
    """Store one delivery; the portal one is "sent" at once by posting the notice."""
    delivery = Delivery(
        occurrence=key,
        event=event,
        dossier=dossier,
        channel=channel,
        recipient=address,
        subject=subject,
        body=body,
    )
    if channel == Channel.PORTAL:
        delivery.notice = Notice.objects.create(
            user=dossier.applicant_user,
            title=(subject or body)[:200],
            body=body,
            url=reverse("portal:dossier", args=[dossier.code]) if dossier.code else "",
            topic=f"dossier:{dossier.code}",
        )
        delivery.status, delivery.attempts = DeliveryStatus.SENT, 1
        delivery.sent_at = timezone.now()
        delivery.provider_id = f"notice:{delivery.notice.pk}"
    else:
        delivery.next_attempt_at = timezone.now() + QUEUED_GRACE
    delivery.save()
    return delivery


def _enqueue(delivery_ids, run_after: dt.datetime | None = None) -> None:
    """One ``deliver`` task per delivery; deferred when the task backend can defer."""
    from .tasks import deliver

    task = deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic ``retry_deliveries`` command picks it up
        task = task.using(run_after=run_after)
    for pk in delivery_ids:
        try:
            task.enqueue(pk)
        except Exception:  # the queue is down: retry_deliveries will find the row
            logger.exception("could not enqueue delivery %s", pk)


# --- sending -----------------------------------------------------------------------------------
def _claim(delivery_id: int, now: dt.datetime) -> bool:
    """Take the delivery for sending; False when it is sent, being sent, or not yet due."""
    due = Q(status=DeliveryStatus.QUEUED) | Q(
        status=DeliveryStatus.FAILED, next_attempt_at__lte=now
    )
    return bool(
        Delivery.objects.filter(
            due, pk=delivery_id, channel__in=[Channel.EMAIL, Channel.SMS]
        ).update(
            status=DeliveryStatus.SENDING,
            sending_since=now,
            attempts=F("attempts") + 1,
            next_attempt_at=None,
        )
    )


def _send_email(delivery: Delivery) -> str:
    message_id = make_msgid(domain=getattr(settings, "EGOV_MAIL_DOMAIN", None) or "egov.local")
    message = EmailMessage(
        subject=delivery.subject,
        body=delivery.body,
        to=[delivery.recipient],
        headers={"Message-ID": message_id},
    )
    message.send(fail_silently=False)
    return message_id


def _send_sms(delivery: Delivery) -> str:
    from .sms import send_sms

    return send_sms(delivery.recipient, delivery.body)


def deliver_one(delivery_id: int, now: dt.datetime | None = None) -> str:
    """Send one queued (or due failed) delivery; return its status afterwards.

    A delivery that is already sent, being sent by another worker, or not yet due is left
    alone: running this twice sends once. On failure the error is kept and the next attempt
    scheduled with back-off, until ``EGOV_NOTIFY_MAX_ATTEMPTS`` attempts have failed.
    """
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        provider_id = (_send_email if delivery.channel == Channel.EMAIL else _send_sms)(delivery)
    except Exception as error:  # SMTP, socket, gateway: all are "try again later"
        message = f"{type(error).__name__}: {error}"[:1000]
        retry = delivery.attempts < max_attempts()
        next_at = None
        if retry:
            delay = BACKOFF[min(delivery.attempts - 1, len(BACKOFF) - 1)]
            next_at = now + dt.timedelta(seconds=delay)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED,
            last_error=message,
            next_attempt_at=next_at,
            sending_since=None,
        )
        logger.warning(
            "delivery %s (%s to %s) failed, attempt %s: %s",
            delivery.pk,
            delivery.channel,
            delivery.recipient,
            delivery.attempts,
            message,
        )
        if next_at is not None:
            _enqueue([delivery.pk], run_after=next_at)
        return DeliveryStatus.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
        provider_id=str(provider_id or "")[:200],
        last_error="",
        sending_since=None,
    )
    return DeliveryStatus.SENT


def retry_due_deliveries(limit: int = 500, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic job: send deliveries whose next attempt has come by ``now``; idempotent.

    Also releases deliveries whose worker died while sending: they are marked failed and not
    resent automatically (the message may have gone out; an officer resends it if needed).
    """
    now = now or timezone.now()
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, sending_since__lt=now - STALE_SENDING
    ).update(
        status=DeliveryStatus.FAILED,
        last_error="Interrupted while sending: not resent automatically.",
        next_attempt_at=None,
        sending_since=None,
    )
    due = list(
        Delivery.objects.filter(
            status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED],
            next_attempt_at__lte=now,
            channel__in=[Channel.EMAIL, Channel.SMS],
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"stale": stale, "sent": 0, "failed": 0, "skipped": 0}
    for pk in due:
        status = deliver_one(pk, now)
        key = {DeliveryStatus.SENT: "sent", DeliveryStatus.FAILED: "failed"}.get(status, "skipped")
        counts[key] += 1
    return counts


@transaction.atomic
def resend(actor, delivery: Delivery) -> Delivery:
    """An administrator asks for a failed delivery to be tried again now (one more attempt)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status != DeliveryStatus.FAILED or delivery.channel == Channel.PORTAL:
        raise ValidationError(_("Only a failed e-mail or SMS can be sent again."))
    delivery.next_attempt_at = timezone.now()
    delivery.attempts = min(delivery.attempts, max_attempts() - 1)
    delivery.save(update_fields=["next_attempt_at", "attempts"])
    record_event(
        "notifications.resend",
        delivery,
        actor=actor,
        changes={"channel": delivery.channel, "recipient": delivery.recipient},
    )
    pk = delivery.pk
    transaction.on_commit(lambda: _enqueue([pk]))
    return delivery
