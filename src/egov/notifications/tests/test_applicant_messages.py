"""The applicant hears about every change she cares about: in the portal, by e-mail over real
SMTP and by SMS through the operator's gateway; each message once, retried when a server fails."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks.backends.dummy import DummyBackend

from egov.core.models import User
from egov.dossiers import services as dossiers
from egov.dossiers.tests.conftest import APPLICANT, all_documents
from egov.notifications import services
from egov.notifications.models import Delivery, MessageTemplate, Notice
from egov.notifications.sms import LogBackend

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2025, 3, 10, 9, 30)


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        "citizen.an",
        password="x-Strong-pass-1",
        kind=User.Kind.CITIZEN,
        full_name="Nguyễn Văn An",
        email="an.account@example.vn",
    )


def submitted_online(citizen, desk, version, documents=None):
    dossier = dossiers.create_dossier(
        citizen,
        version,
        desk["center"],
        APPLICANT,
        channel="online",
        documents=all_documents(version) if documents is None else documents,
        applicant_user=citizen,
    )
    return dossiers.submit(citizen, dossier)


def subject(mail) -> str:
    """The decoded subject (Django folds long encoded subjects onto the next line)."""
    return str(mail["Subject"]).strip()


def deliveries(dossier, **filters):
    return {d.channel: d for d in Delivery.objects.filter(dossier=dossier, **filters)}


def test_receiving_an_online_dossier_tells_the_applicant_everywhere(
    citizen, desk, procedures, at, smtp, gateway, django_capture_on_commit_callbacks
):
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    code = dossier.code

    # In the portal: a notice on her account.
    notice = Notice.objects.get(user=citizen)
    assert notice.title == f"Hồ sơ {code} đã được tiếp nhận"
    assert "17/03/2025 17:00" in notice.body

    # By e-mail, over SMTP, to the address on the dossier, UTF-8 intact.
    [mail] = smtp.messages
    assert mail["To"] == "an@example.vn"
    assert mail["X-Envelope-To"] == "an@example.vn"
    assert subject(mail) == f"Hồ sơ {code} đã được tiếp nhận"
    body = mail.get_content()
    assert "Kính gửi Nguyễn Văn An" in body
    assert f"Mã hồ sơ: {code}" in body
    assert "Ngày tiếp nhận: 10/03/2025 09:30" in body
    assert "Ngày hẹn trả kết quả: 17/03/2025 17:00" in body
    # an applicant with an account follows the dossier on her portal page
    assert f"/dich-vu-cong/ho-so/{code}/" in body
    assert "Trung tâm Hành chính công" in body

    # By SMS, through the gateway, without diacritics (one 160-character ASCII message).
    [sms] = gateway.received
    assert sms["phone"] == "0912345678"
    assert sms["brandname"] == "UBND-DAKNONG"
    assert sms["request_id"]
    assert sms["message"].startswith(f"Trung tam Hanh chinh cong: Ho so {code} da duoc tiep nhan.")
    assert "Hen tra ket qua 17/03/2025 17:00" in sms["message"]
    assert sms["message"].isascii()

    # The delivery log has the three, sent, with the providers' ids.
    log = deliveries(dossier)
    assert set(log) == {"portal", "email", "sms"}
    assert all(d.status == "sent" and d.attempts == 1 and d.sent_at for d in log.values())
    assert log["sms"].provider_id == "VT-00001"
    assert log["email"].provider_id == mail["Message-ID"]
    assert log["portal"].notice == notice


def test_a_supplement_request_lists_every_missing_document_and_the_reason(
    citizen, desk, procedures, at, smtp, django_capture_on_commit_callbacks
):
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"], documents=[])
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.request_supplement(
            desk["officer"],
            dossier,
            [
                {"name": "Tờ khai theo mẫu", "kind": "original", "count": 1},
                {"name": "Bản sao giấy tờ tùy thân", "kind": "certified_copy", "count": 2},
            ],
            "Thiếu tờ khai và giấy tờ tùy thân",
        )
    [mail] = smtp.messages
    assert subject(mail) == f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    body = mail.get_content()
    assert "1. Tờ khai theo mẫu (bản chính, 1 bản)" in body
    assert "2. Bản sao giấy tờ tùy thân (bản sao chứng thực, 2 bản)" in body
    assert "Lý do: Thiếu tờ khai và giấy tờ tùy thân" in body
    assert f"{dossier.code}/HDHS" in body
    [(phone, text)] = LogBackend.outbox
    assert phone == "0912345678"
    assert "can bo sung: To khai theo mau; Ban sao giay to tuy than." in text
    notice = Notice.objects.get(user=citizen)
    assert "Tờ khai theo mẫu" in notice.body


def test_an_edited_template_is_used_for_the_next_message(
    citizen, desk, procedures, at, smtp, django_capture_on_commit_callbacks
):
    admin = User.objects.create_superuser("quantri", password="x-Strong-pass-1")
    template = MessageTemplate.objects.get(event="received", channel="email", language="vi")
    template.subject = "[Một cửa] Đã nhận hồ sơ {{ code }}"
    template.body = "Chào {{ applicant_name }}, hẹn trả ngày {{ appointment }}."
    services.save_template(admin, template)
    template.refresh_from_db()
    assert template.updated_by == admin

    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    [mail] = smtp.messages
    assert subject(mail) == f"[Một cửa] Đã nhận hồ sơ {dossier.code}"
    assert mail.get_content().strip() == "Chào Nguyễn Văn An, hẹn trả ngày 17/03/2025 17:00."


def test_a_channel_the_applicant_turned_off_is_not_used(
    citizen, desk, procedures, at, smtp, django_capture_on_commit_callbacks
):
    services.set_preferences(citizen, email=False, sms=True)
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossiers.receive(desk["officer"], dossier)
    assert smtp.messages == []
    assert len(LogBackend.outbox) == 1
    assert set(deliveries(dossier)) == {"portal", "sms"}


def test_a_counter_dossier_without_email_gets_only_an_sms(
    desk, procedures, at, smtp, django_capture_on_commit_callbacks
):
    at(MONDAY)
    version = procedures["1.000001"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive_at_counter(
            desk["officer"],
            version,
            desk["center"],
            {**APPLICANT, "applicant_email": ""},
            documents=all_documents(version),
        )
    assert smtp.messages == []
    assert Notice.objects.count() == 0
    [(phone, text)] = LogBackend.outbox
    assert phone == "0912345678" and dossier.code in text
    assert set(deliveries(dossier)) == {"sms"}


def test_running_the_jobs_twice_sends_each_message_once(
    citizen, desk, procedures, at, smtp, django_capture_on_commit_callbacks
):
    from egov.notifications.tasks import deliver, dispatch_dossier_event

    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_dossier_event.enqueue(dossier.pk, "receive")  # the job runs again
    for delivery in Delivery.objects.filter(dossier=dossier):
        deliver.enqueue(delivery.pk)  # and each sending job too
    services.retry_due_deliveries(now=timezone.now() + dt.timedelta(hours=1))
    assert len(smtp.messages) == 1
    assert len(LogBackend.outbox) == 1
    assert Notice.objects.filter(user=citizen).count() == 1
    assert Delivery.objects.filter(dossier=dossier).count() == 3
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_mail_server_that_is_down_is_retried_until_the_message_goes_out(
    citizen, desk, procedures, at, smtp_down, django_capture_on_commit_callbacks
):
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    mail = Delivery.objects.get(dossier=dossier, channel="email")
    assert mail.status == "failed" and mail.attempts == 1
    assert "Connection refused" in mail.last_error or "Errno" in mail.last_error
    assert mail.next_attempt_at > timezone.now()
    # The SMS and the portal notice did not wait for the mail server.
    assert Delivery.objects.get(dossier=dossier, channel="sms").status == "sent"

    # Not yet due: the periodic job leaves it alone.
    assert services.retry_due_deliveries()["sent"] == 0
    # Still down a minute later: second attempt fails, the wait grows.
    later = timezone.now() + dt.timedelta(minutes=2)
    services.retry_due_deliveries(now=later)
    mail.refresh_from_db()
    assert mail.status == "failed" and mail.attempts == 2
    assert mail.next_attempt_at >= later + dt.timedelta(minutes=5)

    smtp_down.start()  # the server is back
    services.retry_due_deliveries(now=later + dt.timedelta(minutes=6))
    mail.refresh_from_db()
    assert mail.status == "sent" and mail.attempts == 3 and mail.last_error == ""
    [received] = smtp_down.messages
    assert subject(received) == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    # And never again.
    services.retry_due_deliveries(now=later + dt.timedelta(days=1))
    assert len(smtp_down.messages) == 1


def test_retries_stop_after_the_last_attempt(
    citizen, desk, procedures, at, smtp_down, settings, django_capture_on_commit_callbacks
):
    settings.EGOV_NOTIFY_MAX_ATTEMPTS = 2
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    with django_capture_on_commit_callbacks(execute=True):
        dossiers.receive(desk["officer"], dossier)
    services.retry_due_deliveries(now=timezone.now() + dt.timedelta(hours=1))
    mail = Delivery.objects.get(dossier=dossier, channel="email")
    assert mail.status == "failed" and mail.attempts == 2 and mail.next_attempt_at is None
    # An administrator sends it again once the server is back.
    smtp_down.start()
    admin = User.objects.create_superuser("quantri", password="x-Strong-pass-1")
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(admin, mail)
    mail.refresh_from_db()
    assert mail.status == "sent" and len(smtp_down.messages) == 1


def test_an_sms_gateway_error_is_logged_and_retried(
    desk, procedures, at, gateway, django_capture_on_commit_callbacks
):
    gateway.failing = 1  # the operator answers HTTP 500 once
    at(MONDAY)
    version = procedures["1.000001"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive_at_counter(
            desk["officer"],
            version,
            desk["center"],
            APPLICANT,
            documents=all_documents(version),
        )
    sms = Delivery.objects.get(dossier=dossier, channel="sms")
    assert sms.status == "failed" and sms.attempts == 1
    assert "HTTP 500" in sms.last_error and "operator unavailable" in sms.last_error
    assert gateway.received == []
    services.retry_due_deliveries(now=timezone.now() + dt.timedelta(minutes=2))
    sms.refresh_from_db()
    assert sms.status == "sent" and sms.attempts == 2 and sms.provider_id == "VT-00001"
    assert len(gateway.received) == 1


def test_the_whole_journey_tells_the_applicant_at_each_step(
    citizen, desk, stp_staff, procedures, at, smtp, django_capture_on_commit_callbacks
):
    version = procedures["1.000001"]
    at(MONDAY)
    dossier = submitted_online(citizen, desk, version)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
        dossier = dossiers.handover(desk["officer"], dossier)
        dossier = dossiers.assign(stp_staff["head"], dossier, stp_staff["specialist"])
        dossier = dossiers.request_fee(stp_staff["specialist"], dossier, 150000)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.confirm_payment(stp_staff["specialist"], dossier, "GD-1")
        dossier = dossiers.pause_for_supplement(
            stp_staff["specialist"],
            dossier,
            [{"name": "Giấy xác nhận cư trú", "kind": "copy"}],
            "Cần xác minh nơi cư trú",
        )
    at(dt.datetime(2025, 3, 11, 9, 0))
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.resume(stp_staff["specialist"], dossier)
        new_date = timezone.make_aware(dt.datetime(2025, 3, 25, 16, 0))
        dossier = dossiers.apologize(stp_staff["director"], dossier, new_date, "Chờ xác minh")
        dossier = dossiers.forward(stp_staff["specialist"], dossier)
        dossier = dossiers.forward(stp_staff["head"], dossier)
        dossier = dossiers.approve(stp_staff["director"], dossier, "Phiếu lý lịch tư pháp số 9")
        dossier = dossiers.return_result(desk["officer"], dossier, "counter")
    # (officials get their own notices by e-mail too: only the applicant's are looked at)
    to_her = [m for m in smtp.messages if m["To"] == "an@example.vn"]
    subjects = [subject(m) for m in to_her]
    code = dossier.code
    assert subjects == [
        f"Hồ sơ {code} đã được tiếp nhận",
        f"Hồ sơ {code}: đề nghị nộp phí, lệ phí",
        f"Hồ sơ {code} tạm dừng để bổ sung",
        f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
        f"Hồ sơ {code} đã có kết quả",
        f"Hồ sơ {code} đã trả kết quả",
        f"Mời đánh giá mức độ hài lòng – hồ sơ {code}",
    ]
    bodies = [m.get_content() for m in to_her]
    assert "150.000 đồng" in bodies[1] and f"/thanh-toan/ho-so/{code}/" in bodies[1]
    assert "Giấy xác nhận cư trú (bản sao, 1 bản)" in bodies[2]
    assert "hẹn trả kết quả vào 25/03/2025 16:00" in bodies[3]
    assert "Lý do: Chờ xác minh" in bodies[3]
    assert "Phiếu lý lịch tư pháp số 9" in bodies[4]
    assert "Trung tâm Hành chính công" in bodies[4]
    # No SMS for the invitation to rate the service (no SMS template: it saves cost).
    assert len(LogBackend.outbox) == 6
    assert Notice.objects.filter(user=citizen).count() == 7


def test_on_a_queue_that_can_defer_the_retry_is_enqueued_for_its_time(
    citizen, desk, procedures, at, smtp_down, settings, django_capture_on_commit_callbacks
):
    """The database backend runs tasks later: the failed delivery re-enqueues itself for the
    time of its next attempt (here a queue that only records what it is given)."""
    from django_tasks import task_backends

    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    queue = task_backends["default"]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    [dispatch] = queue.results  # nothing ran yet: the worker would run it
    assert dispatch.task.name == "dispatch_dossier_event"
    dispatch.task.call(*dispatch.args)  # the worker runs it...
    services.deliver_one(Delivery.objects.get(dossier=dossier, channel="email").pk)  # ...and this
    mail = Delivery.objects.get(dossier=dossier, channel="email")
    assert mail.status == "failed"
    retry = queue.results[-1]
    assert retry.task.name == "deliver" and retry.args == [mail.pk]
    assert retry.task.run_after == mail.next_attempt_at


def test_the_periodic_command_sends_a_delivery_whose_job_never_ran(
    citizen, desk, procedures, at, smtp, settings, django_capture_on_commit_callbacks
):
    """The worker was down when the dossier was received: the scheduler's command sends the
    queued messages once their grace has passed, and reports what it did."""
    import io

    from django.core.management import call_command

    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    services.dispatch_dossier_event(dossier.pk, "receive")  # the job, run late by hand
    Delivery.objects.filter(dossier=dossier).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )  # the grace has passed
    out = io.StringIO()
    call_command("retry_deliveries", stdout=out)
    assert out.getvalue().startswith("sent 2, failed 0")
    assert len(smtp.messages) == 1 and len(LogBackend.outbox) == 1
    call_command("retry_deliveries", stdout=io.StringIO())
    assert len(smtp.messages) == 1


def test_the_message_job_is_queued_with_the_change_or_not_at_all(
    citizen, desk, procedures, at, settings
):
    """On the database queue the applicant's job is written in the transaction of the change:
    a receipt that commits has its job even if the process dies before any after-commit work
    (here: after-commit callbacks never run), and a receipt rolled back leaves none."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    settings.TASKS = {"default": {"BACKEND": "egov.core.tasks.DatabaseBackend"}}
    jobs = DBTaskResult.objects.filter(task_path__endswith="dispatch_dossier_event")
    before = jobs.count()

    class Crash(Exception):
        pass

    with pytest.raises(Crash), transaction.atomic():
        dossiers.receive(desk["officer"], dossier)
        raise Crash
    dossier.refresh_from_db()
    assert dossier.state == "submitted" and jobs.count() == before

    dossiers.receive(desk["officer"], dossier)  # no on-commit callback runs in this test
    assert jobs.count() == before + 1
    job = jobs.order_by("-enqueued_at").first()
    assert job.args_kwargs["args"] == [dossier.pk, "receive"]
    assert not Notice.objects.filter(user=citizen, deliveries__dossier=dossier).exists()

    queued = job.task_result  # what the worker reads back from the row, and runs
    assert queued.status == "READY" and queued.task.name == "dispatch_dossier_event"
    queued.task.call(*queued.args, **queued.kwargs)
    assert Notice.objects.filter(user=citizen, deliveries__dossier=dossier).exists()


class DownBackend(DummyBackend):
    """A task queue outside the database that is down (see the test below)."""

    def enqueue(self, task, args, kwargs):
        raise ConnectionError("queue down")


def test_a_queue_elsewhere_that_is_down_does_not_undo_a_committed_receipt(
    citizen, desk, procedures, at, settings, django_capture_on_commit_callbacks, caplog
):
    """With a queue outside the database the job is queued after commit; if that queue is down
    the receipt stands and the failure is logged for the operators."""
    at(MONDAY)
    dossier = submitted_online(citizen, desk, procedures["1.000001"])
    settings.TASKS = {
        "default": {"BACKEND": "egov.notifications.tests.test_applicant_messages.DownBackend"}
    }
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossiers.receive(desk["officer"], dossier)
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.code
    assert "could not queue the messages of receive" in caplog.text
