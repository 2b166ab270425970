"""The Vietnamese message templates the platform ships with (administrators edit them later).

``load_default_templates()`` adds the missing ones and never overwrites an edited text, so it
is safe to run at every deployment and from ``load_demo``. An event without a template for a
channel is simply not sent on that channel (the evaluation invitation has no SMS, to save cost).
"""

from __future__ import annotations

from . import events as ev
from .models import Channel, Language, MessageTemplate

EMAIL, SMS, PORTAL = Channel.EMAIL, Channel.SMS, Channel.PORTAL

_SIGNATURE = """
Trân trọng,
{{ agency }}{% if agency_phone %} – Điện thoại: {{ agency_phone }}{% endif %}
(Thư này được gửi tự động, xin không trả lời.)"""

_LOOKUP = """
Tra cứu tình trạng hồ sơ: {{ lookup_url }}
(nhập mã bí mật in trên Giấy tiếp nhận, bắt đầu bằng {{ secret_hint }})"""

_ITEMS = """{% for item in items %}
  {{ forloop.counter }}. {{ item.name }} ({{ item.kind }}, {{ item.count }} bản){% endfor %}"""

# (event, channel) -> (subject, body)
VI: dict[tuple[str, str], tuple[str, str]] = {
    # --- received ---------------------------------------------------------------------------
    (ev.RECEIVED, EMAIL): (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Kính gửi {{ applicant_name }},\n\n"
        "{{ agency }} đã tiếp nhận hồ sơ của Ông/Bà:\n"
        "- Mã hồ sơ: {{ code }}\n"
        "- Thủ tục: {{ procedure }}\n"
        "- Ngày tiếp nhận: {{ received_at }}\n"
        "- Ngày hẹn trả kết quả: {{ appointment }}\n" + _LOOKUP + "\n" + _SIGNATURE,
    ),
    (ev.RECEIVED, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} da duoc tiep nhan. Hen tra ket qua {{ appointment }}. "
        "Tra cuu: {{ lookup_url }}",
    ),
    (ev.RECEIVED, PORTAL): (
        "Hồ sơ {{ code }} đã được tiếp nhận",
        "Thủ tục: {{ procedure }}. Ngày hẹn trả kết quả: {{ appointment }}.",
    ),
    # --- supplement requested (before receipt) -----------------------------------------------
    (ev.SUPPLEMENT_REQUESTED, EMAIL): (
        "Hồ sơ {{ code }} cần bổ sung, hoàn thiện",
        "Kính gửi {{ applicant_name }},\n\n"
        "Hồ sơ {{ code }} ({{ procedure }}) chưa đủ điều kiện tiếp nhận. Đề nghị Ông/Bà "
        "bổ sung, hoàn thiện các giấy tờ sau (Phiếu yêu cầu số {{ supplement_number }}):"
        + _ITEMS
        + "\n\nLý do: {{ reason }}\n"
        + _LOOKUP
        + "\n"
        + _SIGNATURE,
    ),
    (ev.SUPPLEMENT_REQUESTED, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} can bo sung: "
        "{% for item in items %}{{ item.name }}{% if not forloop.last %}; {% endif %}"
        "{% endfor %}. Ly do: {{ reason }}",
    ),
    (ev.SUPPLEMENT_REQUESTED, PORTAL): (
        "Hồ sơ {{ code }} cần bổ sung",
        "Giấy tờ cần bổ sung:" + _ITEMS + "\nLý do: {{ reason }}",
    ),
    # --- refused ------------------------------------------------------------------------------
    (ev.REFUSED, EMAIL): (
        "Hồ sơ {{ code }} không được tiếp nhận",
        "Kính gửi {{ applicant_name }},\n\n"
        "{{ agency }} từ chối tiếp nhận hồ sơ {{ code }} ({{ procedure }}).\n"
        "Lý do: {{ reason }}\n\n"
        "Ông/Bà có thể liên hệ Bộ phận Một cửa để được hướng dẫn." + _SIGNATURE,
    ),
    (ev.REFUSED, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} khong duoc tiep nhan. Ly do: {{ reason }}",
    ),
    (ev.REFUSED, PORTAL): (
        "Hồ sơ {{ code }} không được tiếp nhận",
        "Lý do: {{ reason }}",
    ),
    # --- fee due -----------------------------------------------------------------------------
    (ev.FEE_DUE, EMAIL): (
        "Hồ sơ {{ code }}: đề nghị nộp phí, lệ phí",
        "Kính gửi {{ applicant_name }},\n\n"
        "Hồ sơ {{ code }} ({{ procedure }}) cần nộp phí, lệ phí: {{ amount_text }}.\n"
        "Thanh toán trực tuyến: {{ pay_url }}\n"
        "hoặc nộp trực tiếp tại {{ collect_at }}.\n" + _SIGNATURE,
    ),
    (ev.FEE_DUE, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} can nop phi, le phi {{ amount_text }}. "
        "Thanh toan: {{ pay_url }}",
    ),
    (ev.FEE_DUE, PORTAL): (
        "Hồ sơ {{ code }}: nộp phí {{ amount_text }}",
        "Thanh toán trực tuyến: {{ pay_url }}",
    ),
    # --- paused for a supplement during processing -------------------------------------------
    (ev.PAUSED, EMAIL): (
        "Hồ sơ {{ code }} tạm dừng để bổ sung",
        "Kính gửi {{ applicant_name }},\n\n"
        "Trong quá trình giải quyết hồ sơ {{ code }} ({{ procedure }}), cơ quan giải quyết "
        "đề nghị Ông/Bà bổ sung (Phiếu yêu cầu số {{ supplement_number }}):"
        + _ITEMS
        + "\n\nLý do: {{ reason }}\n"
        "Thời hạn giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.\n"
        + _LOOKUP
        + "\n"
        + _SIGNATURE,
    ),
    (ev.PAUSED, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} tam dung, can bo sung: "
        "{% for item in items %}{{ item.name }}{% if not forloop.last %}; {% endif %}"
        "{% endfor %}. Ly do: {{ reason }}",
    ),
    (ev.PAUSED, PORTAL): (
        "Hồ sơ {{ code }} tạm dừng để bổ sung",
        "Giấy tờ cần bổ sung:" + _ITEMS + "\nLý do: {{ reason }}",
    ),
    # --- apology and new appointment ---------------------------------------------------------
    (ev.APOLOGY, EMAIL): (
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {{ code }}",
        "Kính gửi {{ applicant_name }},\n\n"
        "Hồ sơ {{ code }} ({{ procedure }}) hẹn trả kết quả ngày {{ old_appointment }} "
        "nhưng chưa giải quyết kịp.\n"
        "Lý do: {{ reason }}\n\n"
        "Chúng tôi thành thật xin lỗi Ông/Bà và hẹn trả kết quả vào {{ new_appointment }}.\n"
        + _LOOKUP
        + "\n"
        + _SIGNATURE,
    ),
    (ev.APOLOGY, SMS): (
        "",
        "{{ agency }} xin loi: ho so {{ code }} chua giai quyet kip. "
        "Hen tra ket qua moi: {{ new_appointment }}",
    ),
    (ev.APOLOGY, PORTAL): (
        "Xin lỗi: hồ sơ {{ code }} hẹn lại ngày {{ new_appointment }}",
        "Lý do: {{ reason }}",
    ),
    # --- result ready ------------------------------------------------------------------------
    (ev.RESULT_READY, EMAIL): (
        "Hồ sơ {{ code }} đã có kết quả",
        "Kính gửi {{ applicant_name }},\n\n"
        "Hồ sơ {{ code }} ({{ procedure }}) đã có kết quả"
        "{% if result_note %}: {{ result_note }}{% endif %}.\n"
        "{% if download_url %}Tải kết quả: {{ download_url }}\n"
        "{% endif %}Ông/Bà mang Giấy tiếp nhận và giấy tờ tùy thân đến nhận kết quả tại "
        "{{ collect_at }}.\n" + _SIGNATURE,
    ),
    (ev.RESULT_READY, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} da co ket qua. Moi Ong/Ba nhan tai {{ agency }}"
        "{% if download_url %} hoac tai ve: {{ download_url }}{% endif %}",
    ),
    (ev.RESULT_READY, PORTAL): (
        "Hồ sơ {{ code }} đã có kết quả",
        "{% if download_url %}Tải kết quả: {{ download_url }}. {% endif %}"
        "Nhận kết quả tại {{ collect_at }}.",
    ),
    # --- result returned ---------------------------------------------------------------------
    (ev.RESULT_RETURNED, EMAIL): (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Kính gửi {{ applicant_name }},\n\n"
        "Kết quả hồ sơ {{ code }} ({{ procedure }}) đã được trả ({{ return_mode }}).\n"
        + _SIGNATURE,
    ),
    (ev.RESULT_RETURNED, SMS): (
        "",
        "{{ agency }}: Ho so {{ code }} da tra ket qua. Cam on Ong/Ba da su dung dich vu.",
    ),
    (ev.RESULT_RETURNED, PORTAL): (
        "Hồ sơ {{ code }} đã trả kết quả",
        "Hình thức trả: {{ return_mode }}.",
    ),
    # --- invitation to rate the service ------------------------------------------------------
    (ev.EVALUATION_INVITATION, EMAIL): (
        "Mời đánh giá mức độ hài lòng – hồ sơ {{ code }}",
        "Kính gửi {{ applicant_name }},\n\n"
        "Mời Ông/Bà đánh giá việc giải quyết hồ sơ {{ code }} ({{ procedure }}) tại:\n"
        "{{ evaluation_url }}\n"
        "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn.\n" + _SIGNATURE,
    ),
    (ev.EVALUATION_INVITATION, PORTAL): (
        "Mời đánh giá việc giải quyết hồ sơ {{ code }}",
        "Đánh giá tại: {{ evaluation_url }}",
    ),
}


def load_default_templates() -> int:
    """Create the shipped Vietnamese templates that do not exist yet; return how many.

    Idempotent: an existing template (edited or deactivated by an administrator) is left as is.
    """
    existing = set(
        MessageTemplate.objects.filter(language=Language.VI).values_list("event", "channel")
    )
    missing = [
        MessageTemplate(
            event=event, channel=channel, language=Language.VI, subject=subject, body=body
        )
        for (event, channel), (subject, body) in VI.items()
        if (event, channel) not in existing
    ]
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
