"""Writing and verifying the tamper-evident audit trail."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import Agency, AuditChainHead, AuditEvent
from .requestcontext import current_request_context
from .rows import insert

GENESIS_HASH = "0" * 64


def canonical_content(event: AuditEvent) -> bytes:
    """The bytes the hash covers: every meaningful field, in a fixed order and encoding."""
    content = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "agency_id": event.agency_id,
        "changes": event.changes,
        "reason": event.reason,
        "ip": event.ip,
        "request_id": event.request_id,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_content(event)).hexdigest()


def _object_identity(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:255]


def _as_stored(changes: dict | None) -> dict:
    """``changes`` exactly as the JSON column gives it back (dates as text, tuples as lists),
    so the hash computed now matches the hash recomputed from the database later."""
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def record_event(
    action: str,
    obj=None,
    *,
    actor=None,
    changes: dict | None = None,
    reason: str = "",
    agency: Agency | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, inside the caller's transaction.

    Services call this in the same ``transaction.atomic()`` block as the change they record,
    so the event and the change commit or roll back together. The chain head is locked
    (``SELECT … FOR UPDATE``) so concurrent writers append one after another.
    """
    ctx = current_request_context()
    if actor is None and ctx.user is not None and getattr(ctx.user, "is_authenticated", False):
        actor = ctx.user
    object_type, object_id, object_label = _object_identity(obj)
    # No savepoint: the event belongs to the caller's transaction, and a failure here must
    # undo the change it records anyway.
    with transaction.atomic(savepoint=False):
        head_seq, head_hash = _lock_chain_head()
        event = AuditEvent(
            seq=head_seq + 1,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=(f"{actor.username} ({actor})" if actor else "system")[:200],
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label,
            agency=agency,
            changes=_as_stored(changes),
            reason=reason,
            ip=ctx.ip,  # already validated and normalised by client_ip()
            request_id=ctx.request_id,
            prev_hash=head_hash,
        )
        event.hash = compute_hash(event)
        insert([event])  # append-only: plain INSERT, no signals (see core.rows)
        _move_chain_head(event)
    return event


# Every transaction that changes anything passes through the two statements below, so they
# are written as plain SQL: building them through the ORM cost three times their own time.
def _head_table() -> str:
    return connection.ops.quote_name(AuditChainHead._meta.db_table)


def _lock_chain_head() -> tuple[int, str]:
    """(seq, hash) of the chain's last link, its row locked until the transaction ends."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, hash FROM {_head_table()} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # the very first event of an installation
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        row = head.seq, head.hash
    return row


def _move_chain_head(event: AuditEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_head_table()} SET seq = %s, hash = %s WHERE id = 1",  # noqa: S608
            [event.seq, event.hash],
        )


@dataclass
class ChainReport:
    """Outcome of ``verify_chain``: the number of events checked and every problem found."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain and report edited, deleted, inserted or reordered rows.

    - a row whose stored hash differs from its recomputed hash was edited;
    - a gap in ``seq`` means rows were deleted;
    - a ``prev_hash`` that is not the previous row's hash means rows were removed, inserted or
      reordered;
    - the chain head must match the last row (truncation of the tail).
    """
    report = ChainReport()
    expected_prev, expected_seq = GENESIS_HASH, 1
    rows = AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size)
    for event in rows:
        report.checked += 1
        if event.seq != expected_seq:
            report.problems.append(
                f"#{event.seq}: expected #{expected_seq} — events "
                f"#{expected_seq}..#{event.seq - 1} are missing (deleted)"
            )
        if event.prev_hash != expected_prev:
            report.problems.append(
                f"#{event.seq}: link to the previous event is broken "
                "(an event before it was deleted, inserted or reordered)"
            )
        if compute_hash(event) != event.hash:
            report.problems.append(f"#{event.seq}: content does not match its hash (edited)")
        expected_prev, expected_seq = event.hash, event.seq + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is None and report.checked:
        report.problems.append("the chain head is missing (removed together with events?)")
    elif head and (head.seq != last_seq or head.hash != expected_prev):
        report.problems.append(
            f"chain head says #{head.seq} but the last event is #{last_seq} "
            "(events at the end were deleted or the head was altered)"
        )
    return report


def verify_anchors(lines: list[str]) -> list[str]:
    """Check anchors written earlier (``<seq> <hash>`` per line) against the chain.

    An anchor kept outside the database (a file, a timestamp, a report) proves the chain up to
    that point even against someone who can rewrite every row and the head.
    """
    problems = []
    for line in lines:
        parts = line.split()
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        seq, expected = int(parts[0]), parts[1]
        event = AuditEvent.objects.filter(seq=seq).first()
        if event is None:
            problems.append(f"anchor #{seq}: the event no longer exists")
        elif event.hash != expected:
            problems.append(f"anchor #{seq}: the chain was rewritten (hash differs from anchor)")
    return problems
