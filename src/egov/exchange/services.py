"""Services of the document exchange: the only way its state changes.

Receiving (:func:`receive`) verifies, stores atomically and answers with a signed status
package; sending (:func:`queue_document`, :func:`queue_status`) signs and puts packages in the
outbox, which :func:`deliver` empties with retries and exponential back-off.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from egov.core.audit import record_event
from egov.core.models import Agency

from . import edxml, trust
from .conf import setting
from .edxml import Attachment, BusinessDocType, EdxmlError, StatusCode
from .models import OutboxMessage, Peer, ReceivedPackage, ReceivedStatus
from .outgoing import OutgoingInfo
from .revocation import REVOKED, check_package_signer
from .signals import package_received, status_received

logger = logging.getLogger(__name__)
XML = "application/xml; charset=utf-8"


class ExchangeRefused(Exception):
    """A change a person asked for cannot be made (clear message, nothing changed)."""


def _json_safe(data) -> dict:
    return json.loads(json.dumps(data, default=str))


# --- peers ----------------------------------------------------------------------------------
def save_peer(
    actor,
    *,
    name: str,
    code_prefix: str,
    endpoint_url: str,
    ca_certificates: str,
    active: bool = True,
) -> Peer:
    """Add the peer serving ``code_prefix``, or update it (endpoint, trust, activity)."""
    peer = Peer(
        name=name,
        code_prefix=code_prefix.strip(),
        endpoint_url=endpoint_url.strip(),
        ca_certificates=ca_certificates.strip(),
        active=active,
    )
    if not peer.trust_roots:
        raise ExchangeRefused(_("The peer's CA certificates are not PEM certificates."))
    with transaction.atomic():
        existing = Peer.objects.select_for_update().filter(code_prefix=peer.code_prefix).first()
        if existing is not None:
            peer.pk, peer.created_at = existing.pk, existing.created_at
        peer.updated_at = timezone.now()
        peer.full_clean(validate_unique=False)
        peer.save()
        record_event(
            "exchange.peer.save",
            peer,
            actor=actor,
            changes={
                "code_prefix": peer.code_prefix,
                "endpoint_url": peer.endpoint_url,
                "active": peer.active,
                "trust": [c.subject.human_friendly for c in peer.trust_roots],
            },
        )
    return peer


# --- status packages ------------------------------------------------------------------------
def status_fields(
    *,
    response_for: dict,
    from_code: str,
    status_code: str,
    description: str = "",
    staff: dict | None = None,
    at: dt.datetime | None = None,
) -> dict:
    agency = Agency.objects.filter(code=from_code).first()
    return {
        "ResponseFor": response_for,
        "From": {
            "OrganId": from_code,
            "OrganName": agency.name if agency else "",
            "Email": agency.email if agency else "",
        },
        "StatusCode": status_code,
        "Description": description[:500],
        "Timestamp": edxml.format_timestamp(at or timezone.now()),
        "StaffInfo": staff or {},
    }


def _response_for(package: edxml.Package) -> dict:
    code = package.header.get("Code", {})
    return {
        "OrganId": package.from_code,
        "Code": "/".join(p for p in (code.get("CodeNumber"), code.get("CodeNotation")) if p),
        "PromulgationDate": package.header.get("PromulgationInfo", {}).get("PromulgationDate", ""),
        "DocumentId": package.document_id,
    }


def _signed_status(answering: str | None, fields: dict) -> bytes:
    xml = edxml.build_status(fields)
    if answering is None:  # nobody here can sign: the answer goes unsigned
        return xml
    return trust.sign_as(answering, xml)


# --- receiving ------------------------------------------------------------------------------
@dataclass
class Answer:
    """What the endpoint answers: a status package (HTTP 200)."""

    status_code: str
    body: bytes
    duplicate: bool = False


def receive(raw: bytes) -> Answer:
    """Receive one edXML package or status package posted by a peer.

    Raises :class:`EdxmlError` for input that is not a package (nothing stored). A package
    whose signature, sender or recipient is not acceptable, or whose attachment differs from
    what the sender signed, is refused with status 02; a package already received gets the
    same answer again and is not stored twice.
    """
    root = edxml.parse_xml(raw, setting("EGOV_EXCHANGE_MAX_PACKAGE_BYTES"))
    message = edxml.read(root, attachments=False)  # the header says whose trust applies
    if isinstance(message, edxml.StatusPackage):
        return _receive_status(raw, message)
    return _receive_package(raw, root, message)


def _refuse(package: edxml.Package, answering: str | None, reason: str, peer=None) -> Answer:
    fields = status_fields(
        response_for=_response_for(package),
        from_code=answering or "",
        status_code=StatusCode.REFUSED,
        description=reason,
    )
    with transaction.atomic():
        record_event(
            "exchange.package.refuse",
            None,
            reason=reason[:500],
            changes={
                "document_id": package.document_id,
                "from": package.from_code,
                "to": package.to_codes,
                "peer": peer.code_prefix if peer else None,
            },
        )
    return Answer(StatusCode.REFUSED, _signed_status(answering, fields))


def _verify_package(raw: bytes, root, unverified: edxml.Package):
    """(peer, report, refusal reason, the package as signed, the signed XML) of a document
    package. Signed by parts (what we send), the signature is checked on the envelope without
    its attachments — a few kilobytes — and each attachment against its digest in the signed
    manifest; signed whole (other senders), on ``raw``."""
    if not edxml.signed_by_parts(root):
        peer, report, reason = trust.verify_from(raw, unverified.from_code)
        package = None if reason else edxml.read_package(report.signed_root)
        return peer, report, reason, package, raw
    attachments = edxml.detach_attachments(root)
    signed = etree.tostring(root)
    peer, report, reason = trust.verify_from(
        signed, unverified.from_code, references=edxml.SIGNED_PARTS
    )
    if reason:
        return peer, report, reason, None, signed
    try:
        package = edxml.read_signed_package(
            report.signed_parts[edxml.HEADER_ID],
            report.signed_parts[edxml.MANIFEST_ID],
            attachments,
        )
    except EdxmlError as error:
        return peer, report, str(error), None, signed
    return peer, report, "", package, signed


def _receive_package(raw: bytes, root, unverified: edxml.Package) -> Answer:
    peer, report, reason, package, signed = _verify_package(raw, root, unverified)
    if reason:
        return _refuse(unverified, trust.answering_agency(unverified.to_codes[0]), reason, peer)
    # Only what the signature covers is believed from here on.
    to_code = package.to_codes[0]
    if len(package.to_codes) != 1 or not trust.is_local(to_code):
        return _refuse(
            package,
            trust.answering_agency(to_code),
            _("The recipient %(code)s is not an agency of this installation.")
            % {"code": ", ".join(package.to_codes)},
            peer,
        )
    key = {
        "document_id": package.document_id,
        "from_code": package.from_code,
        "to_code": to_code,
        "business_doc_type": package.business_doc_type,
    }
    existing = ReceivedPackage.objects.filter(**key).first()
    if existing is not None:
        return Answer(StatusCode.ARRIVED, bytes(existing.answer), duplicate=True)
    # The signing certificate's revocation, soft-fail (egov.exchange.revocation).
    revocation = check_package_signer(signed, peer)
    if revocation.status == REVOKED:
        return _refuse(package, to_code, revocation.text, peer)
    answer = _signed_status(
        to_code,
        status_fields(
            response_for=_response_for(package),
            from_code=to_code,
            status_code=StatusCode.ARRIVED,
            description=_("The package arrived and was registered for processing."),
        ),
    )
    validation = _json_safe(report.as_dict())
    validation["revocation"] = revocation.as_dict() | {"text": str(revocation.text)}
    try:
        with transaction.atomic():
            stored = ReceivedPackage.objects.create(
                **key,
                subject=package.header.get("Subject", "")[:500],
                raw=raw,
                header=package.header,
                validation=validation,
                peer=peer,
                answer=answer,
            )
            # The office reads these without parsing the package again.
            stored.attachments = [a.as_tuple() for a in package.attachments]
            package_received.send(sender=ReceivedPackage, package=stored)
            # The audit event last: from it to the commit this transaction holds the audit
            # chain, which every other writer waits for (the office's files are written by now).
            record_event(
                "exchange.package.receive",
                stored,
                changes={
                    **key,
                    "subject": stored.subject,
                    "attachments": len(package.attachments),
                    "signer": report.signer.name if report.signer else "",
                },
            )
    except IntegrityError:
        existing = ReceivedPackage.objects.filter(**key).first()
        if existing is None:
            raise
        return Answer(StatusCode.ARRIVED, bytes(existing.answer), duplicate=True)
    except Exception as error:  # the office refused to register it: nothing is kept
        logger.warning("package %s refused by the office: %s", package.document_id, error)
        return _refuse(package, to_code, str(error) or error.__class__.__name__, peer)
    return Answer(StatusCode.ARRIVED, answer)


def _store_status(raw: bytes, status: edxml.StatusPackage, validation: dict) -> bool:
    """Store a status about one of our documents and tell the office; False if known."""
    try:
        with transaction.atomic():
            row = ReceivedStatus.objects.create(
                document_id=status.document_id,
                from_code=status.from_code,
                to_code=status.to_code,
                status_code=status.status_code,
                description=status.description,
                at=status.timestamp,
                staff=status.staff,
                raw=raw,
                validation=validation,
            )
            status_received.send(
                sender=ReceivedStatus,
                document_id=row.document_id,
                from_code=row.from_code,
                status_code=row.status_code,
                description=row.description,
                at=row.at,
                staff=row.staff,
            )
            record_event(  # last: see _receive_package
                "exchange.status.receive",
                row,
                changes={
                    "document_id": row.document_id,
                    "from": row.from_code,
                    "status": row.status_code,
                    "description": row.description[:200],
                },
            )
    except IntegrityError:
        return False
    return True


def _receive_status(raw: bytes, unverified: edxml.StatusPackage) -> Answer:
    answering = trust.answering_agency(unverified.to_code)
    response_for = {"OrganId": unverified.to_code, "DocumentId": unverified.document_id}
    peer, report, reason = trust.verify_from(raw, unverified.from_code)
    if reason:
        with transaction.atomic():
            record_event(
                "exchange.status.refuse",
                None,
                reason=reason[:500],
                changes={"document_id": unverified.document_id, "from": unverified.from_code},
            )
        fields = status_fields(
            response_for=response_for,
            from_code=answering or "",
            status_code=StatusCode.REFUSED,
            description=reason,
        )
        return Answer(StatusCode.REFUSED, _signed_status(answering, fields))
    status = edxml.read_status(report.signed_root)
    stored = _store_status(raw, status, _json_safe(report.as_dict()))
    fields = status_fields(
        response_for=response_for,
        from_code=answering or "",
        status_code=StatusCode.ARRIVED,
        description=_("The status was recorded."),
    )
    return Answer(StatusCode.ARRIVED, _signed_status(answering, fields), duplicate=not stored)


# --- sending --------------------------------------------------------------------------------
def _message_header(info: OutgoingInfo, recipient: str) -> dict:
    return {
        "From": {
            "OrganId": info.from_code,
            "OrganName": info.from_name,
            "OrganAdd": info.from_address,
            "Email": info.from_email,
            "Telephone": info.from_phone,
            "Website": info.from_website,
        },
        "To": [{"OrganId": recipient, "OrganName": info.recipient_names.get(recipient, "")}],
        "DocumentId": info.document_id,
        "Code": {"CodeNumber": info.code_number, "CodeNotation": info.code_notation},
        "PromulgationInfo": {
            "Place": info.place,
            "PromulgationDate": info.promulgation_date.strftime("%d/%m/%Y"),
        },
        "DocumentType": {"Type": info.type_code, "TypeName": info.type_name},
        "Subject": info.subject[:500],
        "Content": info.content[:500],
        "SignerInfo": {
            "Competence": info.signer_competence,
            "Position": info.signer_position,
            "FullName": info.signer_name,
        },
        "DueDate": info.due_date.strftime("%d/%m/%Y") if info.due_date else "",
        "ToPlaces": {"Place": info.to_places},
        "OtherInfo": {"Priority": info.priority},
        "SteeringType": info.steering_type,
        **({"ResponseFor": [info.response_for]} if info.response_for else {}),
    }


def build_signed_package(
    info: OutgoingInfo, recipient: str, business: int = BusinessDocType.NEW, reason: str = ""
) -> bytes:
    """One signed package of ``info`` for ``recipient`` (a revoke carries no files)."""
    trace = {
        "TraceHeader": [
            {"OrganId": info.from_code, "Timestamp": edxml.format_timestamp(timezone.now())}
        ],
        "Business": {"BusinessDocType": str(business), "BusinessDocReason": reason},
    }
    files = [] if business == BusinessDocType.REVOKE else info.attachments
    attachments = [Attachment(name=n, content_type=t, data=d) for n, t, d in files]
    # Signed by parts: the header, and the manifest with each attachment's digest (edxml).
    envelope = edxml.build_envelope(_message_header(info, recipient), trace, attachments)
    signed = trust.sign_as(info.from_code, envelope, references=edxml.SIGNED_PARTS)
    return edxml.add_attachments(signed, attachments)


def _enqueue(message_ids, run_after: dt.datetime | None = None) -> None:
    """One ``deliver_message`` task per message; deferred when the backend can defer."""
    from .tasks import deliver_message

    task = deliver_message
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the periodic ``send_outbox`` command picks it up
        task = task.using(run_after=run_after)
    for pk in message_ids:
        try:
            task.enqueue(pk)
        except Exception:  # the queue is down: send_outbox will find the row
            logger.exception("could not enqueue outbox message %s", pk)


def _queue(rows: list[OutboxMessage], action: str) -> list[OutboxMessage]:
    """Insert the messages not yet queued (same dedupe key), in one transaction."""
    created = []
    for row in rows:  # the package files first, out of the transaction (and its audit lock)
        if not OutboxMessage.objects.filter(dedupe_key=row.dedupe_key).exists():
            row.write_files()
    with transaction.atomic():
        for row in rows:
            if OutboxMessage.objects.filter(dedupe_key=row.dedupe_key).exists():
                continue
            row.save()
            record_event(
                action,
                row,
                changes={
                    "document_id": row.document_id,
                    "to": row.recipient_code,
                    "business": row.business_doc_type,
                    "status": row.status_code,
                    "peer": row.peer_url,
                    "error": row.last_error,
                },
            )
            created.append(row)
        ids = [r.pk for r in created if r.status == OutboxMessage.Status.QUEUED]
        if ids:
            transaction.on_commit(lambda: _enqueue(ids))
    return created


def queue_document(
    info: OutgoingInfo,
    recipient_codes: list[str],
    *,
    business: int = BusinessDocType.NEW,
    reason: str = "",
) -> list[OutboxMessage]:
    """Sign one package per external recipient of ``info`` and queue them for delivery.

    Recipients of this installation are skipped (the office delivers them directly). A
    recipient no peer serves, or a sender without a seal, gets a failed message that says so.
    Queuing the same document for the same recipient again changes nothing.
    """
    rows = []
    for code in dict.fromkeys(recipient_codes):
        if trust.is_local(code):
            continue
        peer = trust.peer_for(code)
        row = OutboxMessage(
            kind=OutboxMessage.Kind.PACKAGE,
            dedupe_key=f"package|{info.document_id}|{info.from_code}|{code}|{business}",
            office_document_id=info.office_document_id,
            document_id=info.document_id,
            from_code=info.from_code,
            recipient_code=code,
            business_doc_type=business,
            peer=peer,
            peer_url=peer.endpoint_url if peer else "",
            package=b"",
        )
        if peer is None:
            row.status = OutboxMessage.Status.FAILED
            row.last_error = _("No peer of this installation serves the agency %(code)s.") % {
                "code": code
            }
        else:
            try:
                row.package = build_signed_package(info, code, business, reason)
            except trust.NoSealCertificate as error:
                row.status, row.last_error = OutboxMessage.Status.FAILED, str(error)
        rows.append(row)
    return _queue(rows, "exchange.outbox.queue")


def queue_status(
    package: ReceivedPackage,
    status_code: str,
    description: str = "",
    staff: dict | None = None,
) -> OutboxMessage | None:
    """Sign a status package about ``package`` for its sender and queue it."""
    if status_code not in StatusCode.ALL:
        raise ExchangeRefused(_("Unknown status code %(code)s.") % {"code": status_code})
    at = timezone.now()
    parsed = edxml.Package(header=package.header)
    fields = status_fields(
        response_for=_response_for(parsed),
        from_code=package.to_code,
        status_code=status_code,
        description=description,
        staff=staff,
        at=at,
    )
    peer = trust.peer_for(package.from_code)
    row = OutboxMessage(
        kind=OutboxMessage.Kind.STATUS,
        dedupe_key=(
            f"status|{package.document_id}|{package.to_code}|{package.from_code}|"
            f"{status_code}|{fields['Timestamp']}"
        ),
        document_id=package.document_id,
        from_code=package.to_code,
        recipient_code=package.from_code,
        business_doc_type=package.business_doc_type,
        status_code=status_code,
        peer=peer,
        peer_url=peer.endpoint_url if peer else "",
        package=b"",
    )
    if peer is None:
        row.status = OutboxMessage.Status.FAILED
        row.last_error = _("No peer of this installation serves the agency %(code)s.") % {
            "code": package.from_code
        }
    else:
        try:
            row.package = trust.sign_as(package.to_code, edxml.build_status(fields))
        except trust.NoSealCertificate as error:
            row.status, row.last_error = OutboxMessage.Status.FAILED, str(error)
    created = _queue([row], "exchange.outbox.queue_status")
    return created[0] if created else None


def queue_recall(office_document_id: str, business: int, reason: str, info: OutgoingInfo):
    """Send a revoke / update / replace of a document to everyone it was sent to."""
    recipients = list(
        OutboxMessage.objects.filter(
            kind=OutboxMessage.Kind.PACKAGE,
            document_id=info.document_id,
            business_doc_type=BusinessDocType.NEW,
        ).values_list("recipient_code", flat=True)
    )
    return queue_document(info, recipients, business=business, reason=reason)


# --- delivering -----------------------------------------------------------------------------
_sessions = threading.local()


def _http() -> requests.Session:
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
    return session


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next attempt after ``attempts`` failed ones: 1 s, 2 s, 4 s, … max."""
    base = setting("EGOV_EXCHANGE_RETRY_BASE_SECONDS")
    cap = setting("EGOV_EXCHANGE_RETRY_MAX_SECONDS")
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Take the message for one attempt (a lease as long as the HTTP timeout)."""
    lease = dt.timedelta(seconds=setting("EGOV_EXCHANGE_TIMEOUT_SECONDS") + 30)
    with transaction.atomic():
        return bool(
            OutboxMessage.objects.filter(
                pk=message_id, status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=now
            ).update(attempts=F("attempts") + 1, next_attempt_at=now + lease)
        )


def _retry_later(message: OutboxMessage, error: str) -> str:
    attempts = message.attempts + 1
    next_at = timezone.now() + backoff(attempts)
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.QUEUED).update(
        next_attempt_at=next_at, last_error=error[:2000]
    )
    _enqueue([message.pk], run_after=next_at)
    return OutboxMessage.Status.QUEUED


def _fail(message: OutboxMessage, error: str, answer: bytes | None = None, code: str = "") -> str:
    with transaction.atomic():
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.QUEUED).update(
            status=OutboxMessage.Status.FAILED,
            last_error=error[:2000],
            answer=answer,
            answer_code=code,
        )
        record_event(
            "exchange.outbox.fail",
            message,
            reason=error[:500],
            changes={"document_id": message.document_id, "to": message.recipient_code},
        )
    return OutboxMessage.Status.FAILED


def _http_error(response) -> str:
    try:
        return response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}: {response.text[:300]}"


def deliver(message_id: int) -> str:
    """Try to send one outbox message now; return its status afterwards.

    A peer that does not answer, or answers 5xx, 408 or 429, is tried again later (exponential
    back-off). A 4xx answer fails the message. A 2xx answer carries a status package: 01 marks
    the message sent (once: the row is updated only while still queued), 02 fails it; both are
    recorded as statuses of the document.
    """
    now = timezone.now()
    if not _claim(message_id, now):
        return OutboxMessage.objects.filter(pk=message_id).values_list("status", flat=True).first()
    message = OutboxMessage.objects.select_related("peer").get(pk=message_id)
    message.attempts -= 1  # the value before the claim, for the back-off
    url = message.peer_url or (message.peer.endpoint_url if message.peer else "")
    if not url:
        return _retry_later(message, _("No peer address."))
    try:
        response = _http().post(
            url,
            data=bytes(message.package),
            headers={"Content-Type": XML},
            timeout=(5, setting("EGOV_EXCHANGE_TIMEOUT_SECONDS")),
        )
    except requests.RequestException as error:
        return _retry_later(message, f"{error.__class__.__name__}: {error}")
    if response.status_code >= 500 or response.status_code in (408, 429):
        return _retry_later(message, _http_error(response))
    if response.status_code >= 400:
        return _fail(message, _http_error(response))
    answer = response.content
    try:
        status = edxml.read_status(edxml.parse_xml(answer))
    except EdxmlError as error:
        return _retry_later(message, _("Unreadable answer: %(error)s") % {"error": error})
    _peer, report, reason = trust.verify_from(answer, status.from_code)
    validation = _json_safe(report.as_dict()) if report else {}
    if reason:
        # Delivered (2xx), but the answer itself cannot be believed: keep it, note why.
        logger.warning("answer to outbox message %s not trusted: %s", message.pk, reason)
        validation["refused"] = reason
    with transaction.atomic():
        # The status first, the outbox row and its audit event last: from the first audit
        # event to the commit the transaction holds the audit chain (see _receive_package).
        if message.kind == OutboxMessage.Kind.PACKAGE:
            _store_status(answer, status, validation)
        if status.status_code == StatusCode.ARRIVED:
            done = OutboxMessage.objects.filter(
                pk=message.pk, status=OutboxMessage.Status.QUEUED
            ).update(
                status=OutboxMessage.Status.SENT,
                sent_at=timezone.now(),
                answer=answer,
                answer_code=status.status_code,
                last_error="",
            )
            if done:
                record_event(
                    "exchange.outbox.sent",
                    message,
                    changes={"document_id": message.document_id, "to": message.recipient_code},
                )
            result = OutboxMessage.Status.SENT
        else:
            result = _fail(
                message, status.description or status.status_code, answer, status.status_code
            )
    return result


_pools: dict[int, ThreadPoolExecutor] = {}
_pools_lock = threading.Lock()


def _pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool of ``workers`` delivery threads. It outlives one round of
    :func:`send_due`, so each thread keeps its HTTP connection to the peer (keep-alive) and its
    database connection from one round to the next."""
    with _pools_lock:
        pool = _pools.get(workers)
        if pool is None:
            pool = _pools[workers] = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="exchange-deliver"
            )
        return pool


def _deliver_in_pool(pk: int) -> str:
    from django.db import connection

    try:
        return deliver(pk)
    except Exception:
        connection.close()  # a broken connection is opened afresh for the next message
        raise


def send_due(limit: int = 500, workers: int = 1) -> dict[str, int]:
    """Deliver the queued messages whose attempt is due (idempotent; the periodic job)."""
    ids = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "queued": 0, "failed": 0, "skipped": 0}
    if workers > 1 and ids:
        results = list(_pool(workers).map(_deliver_in_pool, ids))
    else:
        results = [deliver(pk) for pk in ids]
    for result in results:
        counts[result if result in counts else "skipped"] += 1
    return counts
