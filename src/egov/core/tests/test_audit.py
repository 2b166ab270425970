"""The audit trail (nhật ký): every change leaves an event that nobody can quietly alter.

Events are chained by hashes; the model and the database refuse updates and deletes; an
inspector runs ``manage.py verify_audit`` and learns which event was edited, deleted or moved,
even when a database administrator lifted the triggers first.
"""

import datetime as dt
import io
import json
import threading
from collections import Counter
from contextlib import contextmanager

import pytest
from conftest import PASSWORD
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from egov.core import services
from egov.core.audit import GENESIS_HASH, compute_hash, record_event, verify_chain
from egov.core.db_triggers import create_audit_triggers, drop_audit_triggers
from egov.core.models import AuditChainHead, AuditEvent
from egov.core.models.audit import AppendOnlyError

DOSSIER = "000.00.05.H17-250310-0001"
LIFE_OF_A_DOSSIER = [
    ("dossier.receive", "Tiếp nhận hồ sơ tại Bộ phận một cửa"),
    ("dossier.assign", "Chuyển chuyên viên Phòng CNTT thẩm định"),
    ("dossier.request_more", "Yêu cầu bổ sung bản sao giấy phép"),
    ("dossier.approve", "Lãnh đạo Sở phê duyệt"),
    ("dossier.return", "Trả kết quả cho công dân"),
]


@pytest.fixture(autouse=True)
def _anchor_file_of_this_test(settings, tmp_path):
    """Anchors go to a file of the test, never to the var/ of the checkout."""
    settings.EGOV_AUDIT_ANCHOR_FILE = str(tmp_path / "audit-anchors.log")


@pytest.fixture
def chain(db):
    """The five events of one dossier's life, and nothing else in the trail."""
    return [
        record_event(action, changes={"dossier": DOSSIER, "step": step}, reason=reason)
        for step, (action, reason) in enumerate(LIFE_OF_A_DOSSIER, start=1)
    ]


def head():
    return AuditChainHead.objects.get(pk=1)


def verify_audit(*args):
    """Run ``manage.py verify_audit``; return (stdout, stderr) or raise CommandError."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as error:
        error.stderr = err.getvalue()
        raise
    return out.getvalue(), err.getvalue()


def run_sql(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class _Prompt:
    """The statements of ``egov.core.db_triggers`` typed at the database prompt."""

    def __init__(self, cursor):
        self.connection = connection
        self._cursor = cursor

    def execute(self, sql, params=()):
        self._cursor.execute(sql, params)


@contextmanager
def triggers_lifted():
    """What a database administrator does before tampering: lift the append-only triggers.

    PostgreSQL: ``ALTER TABLE … DISABLE TRIGGER USER`` (after checking the foreign keys still
    deferred in this transaction, which ALTER TABLE insists on); SQLite: drop the triggers,
    then create them again with the SQL of migration 0002.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        else:
            drop_audit_triggers(_Prompt(cursor))
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            else:
                create_audit_triggers(_Prompt(cursor))


def assert_triggers_back():
    """After tampering the triggers refuse changes again."""
    with pytest.raises(DatabaseError), transaction.atomic():
        run_sql("UPDATE core_auditevent SET action = 'x'")


# --- writing events ---------------------------------------------------------------------------


def test_a_service_records_who_changed_what_and_links_it_to_the_chain(tree, officials):
    admin, agency = officials["admin"], tree["stttt"]

    services.update_agency(admin, agency, phone="0261 3544 123", address="Gia Nghĩa")

    event = AuditEvent.objects.last()
    previous = AuditEvent.objects.get(seq=event.seq - 1)
    assert event.action == "agency.update"
    assert event.actor == admin
    assert event.actor_label == f"admin ({admin})"
    assert (event.object_type, event.object_id) == ("core.agency", str(agency.pk))
    assert event.object_label == "Sở Thông tin và Truyền thông"
    assert event.agency == agency
    assert event.changes == {"phone": ["", "0261 3544 123"], "address": ["", "Gia Nghĩa"]}
    assert event.prev_hash == previous.hash
    assert event.hash == compute_hash(event)
    assert (head().seq, head().hash) == (event.seq, event.hash)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, event.seq + 1))


def test_the_first_event_starts_from_the_genesis_and_the_second_links_to_it(chain):
    first, second = AuditEvent.objects.filter(seq__in=[1, 2])
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert [e.seq for e in chain] == [1, 2, 3, 4, 5]
    assert first.actor is None and first.actor_label == "system"
    assert second.reason == "Chuyển chuyên viên Phòng CNTT thẩm định"


def test_a_change_rolled_back_takes_its_audit_event_with_it(tree):
    agency = tree["stp"]
    last_before = head().seq

    with pytest.raises(RuntimeError), transaction.atomic():
        services.update_agency(None, agency, name="Sở Tư pháp tỉnh Đắk Nông")
        assert AuditEvent.objects.filter(action="agency.update").count() == 1
        raise RuntimeError("the signing service failed after the change")

    agency.refresh_from_db()
    assert agency.name == "Sở Tư pháp"
    assert not AuditEvent.objects.filter(action="agency.update").exists()
    assert head().seq == last_before
    # the next event takes the number the rolled-back one would have had: no gap
    assert record_event("agency.view", agency).seq == last_before + 1
    assert verify_chain().ok


# --- the trail is append-only ---------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        pytest.param(lambda e: e.save(), id="saving an edited event"),
        pytest.param(lambda e: e.delete(), id="deleting an event"),
        pytest.param(
            lambda e: AuditEvent.objects.filter(pk=e.pk).update(reason="sửa"),
            id="updating through the queryset",
        ),
        pytest.param(
            lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
            id="deleting through the queryset",
        ),
        pytest.param(lambda e: AuditEvent.objects.all().delete(), id="emptying the trail"),
        pytest.param(lambda e: AuditEvent.objects.bulk_update([e], ["reason"]), id="bulk update"),
    ],
)
def test_the_model_refuses_to_change_or_remove_an_event(chain, attempt):
    event = AuditEvent.objects.get(seq=3)
    event.reason = "Hồ sơ đầy đủ, không cần bổ sung"

    with pytest.raises(AppendOnlyError), transaction.atomic():
        attempt(event)

    assert AuditEvent.objects.get(seq=3).reason == "Yêu cầu bổ sung bản sao giấy phép"
    assert AuditEvent.objects.count() == 5


@pytest.mark.parametrize(
    "sql",
    [
        pytest.param("UPDATE core_auditevent SET action = 'x'", id="UPDATE every row"),
        pytest.param("UPDATE core_auditevent SET reason = '' WHERE seq = 3", id="UPDATE one row"),
        pytest.param("DELETE FROM core_auditevent", id="DELETE every row"),
        pytest.param("DELETE FROM core_auditevent WHERE seq = 5", id="DELETE the last row"),
    ],
)
def test_the_database_refuses_raw_sql_that_changes_events(chain, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        run_sql(sql)

    assert AuditEvent.objects.count() == 5
    assert verify_chain().ok


def test_the_database_refuses_to_truncate_the_trail(chain):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    run_sql("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE wants no deferred checks pending
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        run_sql("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 5


def test_djangos_internal_manager_is_guarded_too(chain):
    """Django's base manager (used for related objects) refuses like the default one."""
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(seq=3).update(reason="")
    assert AuditEvent.objects.get(seq=3).reason == "Yêu cầu bổ sung bản sao giấy phép"


def test_the_database_refuses_to_overwrite_an_event_by_inserting_over_it(chain):
    """SQLite's INSERT OR REPLACE deletes the old row without firing a DELETE trigger;
    PostgreSQL's ON CONFLICT DO UPDATE is an update. Both must be refused."""
    columns = (
        "id, seq, occurred_at, actor_id, actor_label, action, object_type, object_id, "
        "object_label, agency_id, changes, reason, ip, request_id, prev_hash, hash"
    )
    forged = columns.replace("reason", "'Hồ sơ đầy đủ' AS reason")
    if connection.vendor == "sqlite":
        sql = (
            f"INSERT OR REPLACE INTO core_auditevent ({columns}) "
            f"SELECT {forged} FROM core_auditevent WHERE seq = 3"
        )
    else:
        sql = (
            f"INSERT INTO core_auditevent ({columns}) "
            f"SELECT {forged} FROM core_auditevent WHERE seq = 3 "
            "ON CONFLICT (seq) DO UPDATE SET reason = EXCLUDED.reason"
        )

    with pytest.raises(DatabaseError), transaction.atomic():
        run_sql(sql)

    assert AuditEvent.objects.get(seq=3).reason == "Yêu cầu bổ sung bản sao giấy phép"


# --- verifying the chain ----------------------------------------------------------------------


def test_an_intact_trail_is_reported_with_its_number_of_events(db):
    for step in range(7):
        record_event("dossier.receive", changes={"dossier": f"{DOSSIER[:-1]}{step}"})

    out, err = verify_audit()

    assert out.strip() == "audit trail intact: 7 events"
    assert err == ""
    report = verify_chain()
    assert (report.ok, report.checked) == (True, 7)


def test_an_edited_reason_is_detected_at_its_event(chain):
    with triggers_lifted():
        run_sql(
            "UPDATE core_auditevent SET reason = %s WHERE seq = 3",
            ["Hồ sơ đầy đủ, không cần bổ sung"],
        )
    assert_triggers_back()

    report = verify_chain()
    assert report.problems == ["#3: content does not match its hash (edited)"]
    with pytest.raises(CommandError, match="1 problem") as failure:
        verify_audit()
    assert "#3: content does not match its hash (edited)" in failure.value.stderr


def test_an_event_deleted_from_the_middle_is_detected(chain):
    with triggers_lifted():
        run_sql("DELETE FROM core_auditevent WHERE seq = 3")
    assert_triggers_back()

    problems = verify_chain().problems
    assert any(p.startswith("#4: expected #3") and "missing" in p for p in problems)
    assert any(p.startswith("#4: link to the previous event is broken") for p in problems)
    with pytest.raises(CommandError) as failure:
        verify_audit()
    assert "events #3..#3 are missing" in failure.value.stderr


def test_two_events_swapped_are_detected(chain):
    """The approval is moved before the request for more documents (seq 3 and 4 swapped)."""
    with triggers_lifted():
        run_sql("UPDATE core_auditevent SET seq = -1 WHERE seq = 3")
        run_sql("UPDATE core_auditevent SET seq = 3 WHERE seq = 4")
        run_sql("UPDATE core_auditevent SET seq = 4 WHERE seq = -1")
    assert AuditEvent.objects.get(seq=3).action == "dossier.approve"

    problems = verify_chain().problems
    assert "#3: link to the previous event is broken" in " ".join(problems)
    assert "#3: content does not match its hash (edited)" in problems
    assert "#4: content does not match its hash (edited)" in problems
    with pytest.raises(CommandError) as failure:
        verify_audit()
    assert "#3:" in failure.value.stderr and "#4:" in failure.value.stderr


def test_two_events_content_swapped_is_detected(chain):
    """Everything but the numbers exchanged between #2 and #3, hashes included."""
    fields = ["occurred_at", "action", "changes", "reason", "prev_hash", "hash"]
    second, third = AuditEvent.objects.filter(seq__in=[2, 3]).values_list(*fields)
    assignments = ", ".join(f"{name} = %s" for name in fields)
    with triggers_lifted():
        run_sql("UPDATE core_auditevent SET seq = -2 WHERE seq = 2")
        run_sql(f"UPDATE core_auditevent SET {assignments} WHERE seq = 3", [*_db_values(second)])
        run_sql(f"UPDATE core_auditevent SET {assignments} WHERE seq = -2", [*_db_values(third)])
        run_sql("UPDATE core_auditevent SET seq = 2 WHERE seq = -2")

    problems = verify_chain().problems
    assert "#2: content does not match its hash (edited)" in problems
    assert "#3: content does not match its hash (edited)" in problems
    with pytest.raises(CommandError):
        verify_audit()


def _db_values(row):
    """Field values as raw SQL parameters (the JSON column as text)."""
    occurred_at, action, changes, reason, prev_hash, hash_ = row
    return [occurred_at, action, json.dumps(changes, ensure_ascii=False), reason, prev_hash, hash_]


def test_the_last_events_deleted_are_detected_by_the_chain_head(chain):
    with triggers_lifted():
        run_sql("DELETE FROM core_auditevent WHERE seq >= 4")

    report = verify_chain()
    assert report.checked == 3
    assert report.problems == [
        "chain head says #5 but the last event is #3 "
        "(events at the end were deleted or the head was altered)"
    ]
    with pytest.raises(CommandError) as failure:
        verify_audit()
    assert "chain head says #5" in failure.value.stderr


def _rewrite_from(seq, new_reason):
    """Rewrite the chain from ``seq`` on so that every hash and the head agree again."""
    events = list(AuditEvent.objects.filter(seq__gte=seq - 1).order_by("seq"))
    previous_hash = events[0].hash
    with triggers_lifted():
        for event in events[1:]:
            if event.seq == seq:
                event.reason = new_reason
            event.prev_hash = previous_hash
            event.hash = compute_hash(event)
            run_sql(
                "UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [event.reason, event.prev_hash, event.hash, event.seq],
            )
            previous_hash = event.hash
    AuditChainHead.objects.filter(pk=1).update(hash=previous_hash)


def test_a_consistently_rewritten_chain_is_caught_by_an_anchor_kept_outside(chain, tmp_path):
    anchors = tmp_path / "anchors-on-the-archive-server.log"
    out, _err = verify_audit("--anchor-file", str(anchors))
    assert out.strip() == "audit trail intact: 5 events"
    seq, anchored_hash, _when = anchors.read_text().split()
    assert (int(seq), anchored_hash) == (5, chain[-1].hash)

    _rewrite_from(3, "Hồ sơ đầy đủ, không cần bổ sung")

    assert verify_chain().ok  # the rewrite is consistent: the chain alone cannot tell
    with pytest.raises(CommandError, match="1 problem") as failure:
        verify_audit("--anchor-file", str(anchors))
    assert "anchor #5: the chain was rewritten" in failure.value.stderr
    assert len(anchors.read_text().splitlines()) == 1  # nothing appended to a failed check


def test_a_truncated_chain_with_its_head_moved_back_is_caught_by_an_anchor(chain, tmp_path):
    anchors = tmp_path / "anchors.log"
    verify_audit("--anchor-file", str(anchors))

    with triggers_lifted():
        run_sql("DELETE FROM core_auditevent WHERE seq >= 4")
    AuditChainHead.objects.filter(pk=1).update(seq=3, hash=chain[2].hash)

    assert verify_chain().ok
    with pytest.raises(CommandError) as failure:
        verify_audit("--anchor-file", str(anchors))
    assert "anchor #5: the event no longer exists" in failure.value.stderr


def test_anchors_accumulate_while_the_chain_grows(chain, tmp_path):
    anchors = tmp_path / "anchors.log"
    verify_audit("--anchor-file", str(anchors))
    record_event("dossier.archive", reason="Lưu trữ hồ sơ")
    verify_audit("--anchor-file", str(anchors))

    lines = [line.split()[:2] for line in anchors.read_text().splitlines()]
    assert lines == [["5", chain[-1].hash], ["6", head().hash]]


# --- several clerks at once (PostgreSQL) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_eight_clerks_recording_at_the_same_time_keep_one_unbroken_chain():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are a PostgreSQL deployment")
    clerks, events_each = 8, 25
    already = AuditEvent.objects.count()
    start = threading.Barrier(clerks)
    failures = []

    def clerk(number):
        try:
            start.wait(timeout=10)
            for step in range(events_each):
                record_event("dossier.receive", changes={"clerk": number, "step": step})
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(clerks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    total = already + clerks * events_each
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, total + 1))
    report = verify_chain()
    assert report.problems == []
    assert report.checked == total
    assert (head().seq, head().hash) == (total, events[-1].hash)
    mine = [e.changes for e in events if e.action == "dossier.receive"]
    assert Counter(c["clerk"] for c in mine) == {n: events_each for n in range(clerks)}
    for number in range(clerks):  # each clerk's events in the order she recorded them
        steps = [c["step"] for c in mine if c["clerk"] == number]
        assert steps == list(range(events_each))


# --- who, from where: the request context ---------------------------------------------------


def test_an_api_log_in_is_traced_to_its_request_id_and_address(client, officials):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="auth.token").get()
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32
    assert event.ip == "127.0.0.1"
    assert event.actor == officials["specialist"]
    assert verify_chain().ok


def test_a_request_id_given_by_the_caller_is_kept_in_the_trail(client, officials):
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Request-ID": "hotline-20250310-0932"},
        REMOTE_ADDR="203.0.113.25",
    )

    event = AuditEvent.objects.filter(action="auth.token").get()
    assert response["X-Request-ID"] == event.request_id == "hotline-20250310-0932"
    assert event.ip == "203.0.113.25"


def test_an_event_outside_any_request_has_no_request_id(db):
    event = record_event("system.nightly_report")
    assert (event.request_id, event.ip) == ("", None)


def test_the_client_address_behind_the_provincial_proxy_is_recorded(client, officials, settings):
    """Two proxies: the provincial gateway (10.67.0.2) and our nginx in front of the app."""
    settings.EGOV_TRUSTED_PROXY_HOPS = 2
    client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Forwarded-For": "113.161.7.20, 10.67.0.2"},
    )

    assert AuditEvent.objects.filter(action="auth.token").get().ip == "113.161.7.20"


def test_a_log_in_from_an_ipv6_address_keeps_the_chain_intact(client, officials, settings):
    """The hash covers the address as the database stores it (lower case, compressed)."""
    settings.EGOV_TRUSTED_PROXY_HOPS = 1
    client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Forwarded-For": "2001:DB8:0:0:0:0:0:7"},
    )

    assert AuditEvent.objects.filter(action="auth.token").get().ip == "2001:db8::7"
    assert verify_chain().problems == []


def test_a_proxy_that_does_not_know_the_client_address_does_not_break_the_log_in(
    client, officials, settings
):
    settings.EGOV_TRUSTED_PROXY_HOPS = 2
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Forwarded-For": "unknown, 10.67.0.2"},
    )

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="auth.token").get()
    assert event.ip == "127.0.0.1"  # the proxy's own address is kept
    assert verify_chain().ok


def test_an_address_written_by_the_client_itself_is_not_believed(client, officials, settings):
    """The client forges X-Forwarded-For; our one proxy appends the address it really saw."""
    settings.EGOV_TRUSTED_PROXY_HOPS = 1
    client.post(
        "/api/v1/auth/token/",
        {"username": "specialist", "password": PASSWORD},
        content_type="application/json",
        headers={"X-Forwarded-For": "6.6.6.6, 113.161.7.20"},
    )

    assert AuditEvent.objects.filter(action="auth.token").get().ip == "113.161.7.20"


def test_events_without_a_chain_head_are_reported(chain):
    with triggers_lifted():
        AuditChainHead.objects.all().delete()

    assert any("head is missing" in problem for problem in verify_chain().problems)


def test_changes_holding_dates_keep_the_chain_intact(db):
    """A service may record a date as it is; the hash covers what the JSON column keeps."""
    event = record_event(
        "agency.merge",
        changes={"effective": dt.date(2025, 7, 1), "predecessors": ("STTTT", "SKHCN")},
    )

    assert AuditEvent.objects.get(seq=event.seq).changes == {
        "effective": "2025-07-01",
        "predecessors": ["STTTT", "SKHCN"],
    }
    assert verify_chain().ok
