"""Demo e-forms for real procedures of the demo catalogue, modelled on the official forms:
birth, death and marriage registration and the marital status certificate (Circular
04/2020/TT-BTP), household business and one-member LLC registration (Circular
02/2023/TT-BKHĐT), the construction permit (Decree 15/2021/NĐ-CP, form 01) and, when the
catalogue has it, the criminal record certificate (lý lịch tư pháp).

:func:`load_demo_forms` is idempotent: a procedure whose e-form in use already has the same
definition is left alone. ``DEMO_FORMS[i]["sample"]`` is a valid set of answers for each form
(for demo dossiers).
"""

from __future__ import annotations

from egov.catalog.models import Procedure
from egov.core.text import fold
from egov.portal.models import definition_hash

from . import services

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
COMMITMENT = (
    "Tôi cam đoan nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
    "về lời cam đoan của mình."
)
GENDERS = [("nam", "Nam"), ("nu", "Nữ")]
RELATIONSHIPS = [
    ("cha", "Cha"),
    ("me", "Mẹ"),
    ("ong_ba", "Ông, bà"),
    ("anh_chi_em", "Anh, chị, em"),
    ("vo_chong", "Vợ, chồng"),
    ("con", "Con"),
    ("khac", "Người thân thích khác"),
]
VSIC = [
    (
        "4711",
        "4711 – Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá chiếm tỷ trọng lớn trong "
        "cửa hàng kinh doanh tổng hợp",
    ),
    ("4722", "4722 – Bán lẻ thực phẩm trong các cửa hàng chuyên doanh"),
    ("4752", "4752 – Bán lẻ đồ ngũ kim, sơn, kính và thiết bị lắp đặt khác trong xây dựng"),
    ("4530", "4530 – Bán phụ tùng và các bộ phận phụ trợ của ô tô, mô tô, xe máy"),
    ("5610", "5610 – Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"),
    ("5630", "5630 – Dịch vụ phục vụ đồ uống"),
    ("1077", "1077 – Sản xuất cà phê"),
    ("4632", "4632 – Bán buôn thực phẩm"),
    ("6201", "6201 – Lập trình máy vi tính"),
    ("9631", "9631 – Cắt tóc, làm đầu, gội đầu"),
]


def text(title, max_length=100, **extra):
    return {"type": "string", "title": title, "maxLength": max_length, **extra}


def choice(title, options, **extra):
    return {
        "type": "string",
        "title": title,
        "oneOf": [{"const": value, "title": label} for value, label in options],
        **extra,
    }


def date(title):
    return {"type": "string", "title": title, "format": "date"}


def integer(title, minimum, maximum, **extra):
    return {"type": "integer", "title": title, "minimum": minimum, "maximum": maximum, **extra}


def number(title, maximum, **extra):
    return {"type": "number", "title": title, "exclusiveMinimum": 0, "maximum": maximum, **extra}


def commitment():
    return {"type": "boolean", "title": COMMITMENT, "const": True}


def person(prefix, who, *, gender=True, birth=True, id_required=True, prefill=False):
    """The usual block about a person: name, gender, date of birth, ethnicity, nationality,
    citizen ID, residence (properties, required names, UI hints)."""
    props = {f"{prefix}_name": text(f"Họ, chữ đệm và tên {who}")}
    required = [f"{prefix}_name"]
    ui = {f"{prefix}_name": {"width": 6, "placeholder": "NGUYỄN VĂN A"}}
    if gender:
        props[f"{prefix}_gender"] = choice("Giới tính", GENDERS)
        required.append(f"{prefix}_gender")
        ui[f"{prefix}_gender"] = {"widget": "radio", "width": 3}
    if birth:
        props[f"{prefix}_birth_date"] = date("Ngày, tháng, năm sinh")
        required.append(f"{prefix}_birth_date")
        ui[f"{prefix}_birth_date"] = {"width": 3}
    props[f"{prefix}_ethnicity"] = text("Dân tộc", 50, default="Kinh")
    props[f"{prefix}_nationality"] = text("Quốc tịch", 50, default="Việt Nam")
    props[f"{prefix}_id"] = {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"}
    props[f"{prefix}_address"] = text("Nơi cư trú", 255)
    required += [f"{prefix}_ethnicity", f"{prefix}_nationality", f"{prefix}_address"]
    if id_required:
        required.append(f"{prefix}_id")
    ui[f"{prefix}_ethnicity"] = {"width": 3}
    ui[f"{prefix}_nationality"] = {"width": 3}
    ui[f"{prefix}_id"] = {"width": 6, "help": "12 chữ số, in trên thẻ căn cước."}
    ui[f"{prefix}_address"] = {"help": "Số nhà, đường hoặc thôn, xã/phường, tỉnh."}
    if prefill:
        ui[f"{prefix}_name"]["prefill"] = "full_name"
        ui[f"{prefix}_id"]["prefill"] = "citizen_id"
        ui[f"{prefix}_address"]["prefill"] = "address"
        if birth:
            ui[f"{prefix}_birth_date"]["prefill"] = "date_of_birth"
    return props, required, ui


def requester(relationship=True):
    """The person who files (người yêu cầu), prefilled from the profile."""
    props = {
        "requester_name": text("Họ, chữ đệm và tên người yêu cầu"),
        "requester_id": {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"},
        "requester_address": text("Nơi cư trú", 255),
        "requester_phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
    }
    required = ["requester_name", "requester_id", "requester_address", "requester_phone"]
    ui = {
        "requester_name": {"prefill": "full_name", "width": 6},
        "requester_id": {"prefill": "citizen_id", "width": 6},
        "requester_address": {"prefill": "address"},
        "requester_phone": {"prefill": "phone", "width": 6, "placeholder": "0912345678"},
    }
    if relationship:
        props["relationship"] = choice("Quan hệ với người được đăng ký", RELATIONSHIPS)
        required.append("relationship")
        ui["relationship"] = {"width": 6}
    return props, required, ui


def build(title, description, blocks, groups):
    """A definition from blocks of (properties, required, UI hints) and the groups."""
    properties, required, fields = {}, [], {}
    for props, req, ui in blocks:
        properties.update(props)
        required += req
        fields.update(ui)
    schema = {
        "$schema": SCHEMA_URI,
        "title": title,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
    }
    ui_schema = {
        "groups": [{"title": t, "fields": names} for t, names in groups],
        "fields": fields,
    }
    return schema, ui_schema


def names(*blocks):
    return [name for block in blocks for name in block[0]]


def copies(title="Số bản sao đề nghị cấp"):
    return (
        {"copies": integer(title, 0, 10, default=1)},
        ["copies"],
        {"copies": {"width": 4, "help": "Từ 0 đến 10 bản."}},
    )


def end():
    return ({"commitment": commitment()}, ["commitment"], {})


# --- the forms ----------------------------------------------------------------------------------
def birth_registration():
    req = requester()
    child, child_req, child_ui = person("child", "người được khai sinh", id_required=False)
    del child["child_id"], child_ui["child_id"], child["child_address"], child_ui["child_address"]
    child_req.remove("child_address")
    child["child_birth_place"] = text("Nơi sinh", 255)
    child["child_hometown"] = text("Quê quán", 255)
    child_req += ["child_birth_place", "child_hometown"]
    child_ui["child_birth_place"] = {"help": "Tên cơ sở y tế, hoặc xã/phường nơi sinh."}
    child_block = (child, child_req, child_ui)
    father = person("father", "người cha", gender=False, birth=False, id_required=False)
    mother = person("mother", "người mẹ", gender=False, birth=False, id_required=False)
    # The father may be unknown (khai sinh chưa xác định cha): nothing of his is required.
    father = (father[0], [], father[2])
    mother = (mother[0], ["mother_name"], mother[2])
    extra_birth_year = {
        "father_birth_year": integer("Năm sinh", 1930, 2012),
        "mother_birth_year": integer("Năm sinh", 1930, 2012),
    }
    father[0]["father_birth_year"] = extra_birth_year["father_birth_year"]
    mother[0]["mother_birth_year"] = extra_birth_year["mother_birth_year"]
    father[2]["father_birth_year"] = {"width": 3}
    mother[2]["mother_birth_year"] = {"width": 3}
    blocks = [
        req,
        child_block,
        father,
        mother,
        copies("Số bản sao Giấy khai sinh đề nghị cấp"),
        end(),
    ]
    return build(
        "Tờ khai đăng ký khai sinh",
        "Mẫu tờ khai ban hành kèm theo Thông tư số 04/2020/TT-BTP.",
        blocks,
        [
            ("Người yêu cầu", names(req)),
            ("Người được khai sinh", names(child_block)),
            ("Thông tin người cha", names(father)),
            ("Thông tin người mẹ", names(mother)),
            ("Đề nghị", ["copies", "commitment"]),
        ],
    )


def death_registration():
    req = requester()
    dead = person("deceased", "người đã chết", id_required=False)
    dead[0]["deceased_address"]["title"] = "Nơi cư trú cuối cùng"
    event = (
        {
            "death_date": date("Ngày chết"),
            "death_time": {
                "type": "string",
                "title": "Giờ, phút chết",
                "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            },
            "death_place": text("Nơi chết", 255),
            "death_cause": text("Nguyên nhân chết", 255),
            "death_notice": text("Giấy báo tử hoặc giấy tờ thay thế (số, ngày, cơ quan cấp)", 255),
        },
        ["death_date", "death_place", "death_cause", "death_notice"],
        {
            "death_date": {"width": 4},
            "death_time": {
                "width": 4,
                "placeholder": "hh:mm",
                "pattern_message": "Nhập giờ và phút dạng hh:mm, ví dụ 14:30.",
            },
            "death_cause": {"widget": "textarea", "rows": 2},
        },
    )
    blocks = [req, dead, event, copies("Số bản sao Trích lục khai tử đề nghị cấp"), end()]
    return build(
        "Tờ khai đăng ký khai tử",
        "Mẫu tờ khai ban hành kèm theo Thông tư số 04/2020/TT-BTP.",
        blocks,
        [
            ("Người yêu cầu", names(req)),
            ("Người đã chết", names(dead)),
            ("Thông tin về việc chết", names(event)),
            ("Đề nghị", ["copies", "commitment"]),
        ],
    )


def marriage_registration():
    bride = person("bride", "bên nữ", gender=False)
    groom = person("groom", "bên nam", gender=False)
    for prefix, block in (("bride", bride), ("groom", groom)):
        block[0][f"{prefix}_marriage_count"] = integer("Kết hôn lần thứ", 1, 9, default=1)
        block[1].append(f"{prefix}_marriage_count")
        block[2][f"{prefix}_marriage_count"] = {"width": 3}
    blocks = [bride, groom, copies("Số bản sao Giấy chứng nhận kết hôn đề nghị cấp"), end()]
    return build(
        "Tờ khai đăng ký kết hôn",
        "Hai bên nam, nữ cùng có mặt khi nhận Giấy chứng nhận kết hôn.",
        blocks,
        [
            ("Bên nữ", names(bride)),
            ("Bên nam", names(groom)),
            ("Đề nghị", ["copies", "commitment"]),
        ],
    )


def marital_status_certificate():
    req = requester()
    subject = person("subject", "người được xác nhận")
    status = (
        {
            "marital_status": choice(
                "Tình trạng hôn nhân",
                [
                    ("single", "Chưa đăng ký kết hôn với ai"),
                    ("married", "Đang có vợ/chồng"),
                    ("divorced", "Đã ly hôn, chưa kết hôn với người khác"),
                    ("widowed", "Vợ/chồng đã chết, chưa kết hôn với người khác"),
                ],
            ),
            "purpose": choice(
                "Mục đích sử dụng",
                [
                    ("marriage", "Để đăng ký kết hôn"),
                    ("property", "Để giao dịch nhà, đất"),
                    ("loan", "Để vay vốn ngân hàng"),
                    ("other", "Mục đích khác"),
                ],
            ),
            "intended_spouse": text("Họ tên người dự định kết hôn (nếu để kết hôn)"),
            "purpose_detail": text("Ghi rõ mục đích khác", 255),
        },
        ["marital_status", "purpose"],
        {
            "marital_status": {"widget": "radio"},
            "purpose": {"widget": "radio"},
            "intended_spouse": {"width": 6},
            "purpose_detail": {"width": 6},
        },
    )
    blocks = [req, subject, status, copies("Số bản đề nghị cấp"), end()]
    return build(
        "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
        "Giấy xác nhận có giá trị 06 tháng kể từ ngày cấp.",
        blocks,
        [
            ("Người yêu cầu", names(req)),
            ("Người được xác nhận", names(subject)),
            ("Nội dung xác nhận", names(status)),
            ("Đề nghị", ["copies", "commitment"]),
        ],
    )


def household_business():
    business = (
        {
            "business_name": text("Tên hộ kinh doanh", 200, pattern="^Hộ kinh doanh .+"),
            "business_address": text("Địa chỉ trụ sở hộ kinh doanh", 255),
            "business_phone": {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
            "business_email": {"type": "string", "title": "Thư điện tử", "format": "email"},
            "business_lines": {
                "type": "array",
                "title": "Ngành, nghề kinh doanh",
                "items": {"type": "string", "enum": [code for code, _label in VSIC]},
                "minItems": 1,
                "uniqueItems": True,
            },
            "capital": integer("Vốn kinh doanh (đồng)", 1_000_000, 100_000_000_000),
            "employees": integer("Số lượng lao động", 0, 1000, default=1),
        },
        ["business_name", "business_address", "business_phone", "business_lines", "capital"],
        {
            "business_name": {
                "placeholder": "Hộ kinh doanh Cà phê Hoa Sữa",
                "pattern_message": "Tên bắt đầu bằng “Hộ kinh doanh”, theo sau là tên riêng.",
            },
            "business_phone": {"width": 6},
            "business_email": {"width": 6},
            "business_lines": {
                "help": "Mã ngành cấp 4 theo Hệ thống ngành kinh tế Việt Nam.",
                "choice_labels": dict(VSIC),
            },
            "capital": {"width": 6, "placeholder": "100.000.000"},
            "employees": {"width": 6},
        },
    )
    owner = person("owner", "chủ hộ kinh doanh", prefill=True)
    owner[0]["owner_phone"] = {"type": "string", "title": "Điện thoại", "format": "vn-phone"}
    owner[2]["owner_phone"] = {"prefill": "phone", "width": 6}
    owner[1].append("owner_phone")
    founders = (
        {
            "founded_by": choice(
                "Hộ kinh doanh do",
                [("individual", "Một cá nhân thành lập"), ("family", "Các thành viên hộ gia đình")],
            )
        },
        ["founded_by"],
        {"founded_by": {"widget": "radio"}},
    )
    blocks = [business, owner, founders, end()]
    return build(
        "Giấy đề nghị đăng ký hộ kinh doanh",
        "Phụ lục III-1 ban hành kèm theo Thông tư số 02/2023/TT-BKHĐT.",
        blocks,
        [
            ("Thông tin hộ kinh doanh", names(business)),
            ("Chủ hộ kinh doanh", names(owner)),
            ("Cam kết", ["founded_by", "commitment"]),
        ],
    )


def llc_registration():
    company = (
        {
            "company_name": text(
                "Tên công ty viết bằng tiếng Việt", 255, pattern="^Công ty TNHH .+"
            ),
            "company_name_foreign": text("Tên công ty viết bằng tiếng nước ngoài", 255),
            "company_name_short": text("Tên công ty viết tắt", 100),
            "head_office": text("Địa chỉ trụ sở chính", 255),
            "company_phone": {"type": "string", "title": "Điện thoại", "format": "vn-phone"},
            "company_email": {"type": "string", "title": "Thư điện tử", "format": "email"},
            "business_lines": {
                "type": "array",
                "title": "Ngành, nghề kinh doanh",
                "items": {"type": "string", "oneOf": [{"const": c, "title": t} for c, t in VSIC]},
                "minItems": 1,
            },
            "charter_capital": integer("Vốn điều lệ (đồng)", 1_000_000, 10_000_000_000_000),
            "capital_source": choice(
                "Nguồn vốn điều lệ",
                [
                    ("private", "Vốn tư nhân"),
                    ("state", "Vốn ngân sách nhà nước"),
                    ("foreign", "Vốn nước ngoài"),
                    ("other", "Vốn khác"),
                ],
            ),
        },
        [
            "company_name",
            "head_office",
            "company_phone",
            "business_lines",
            "charter_capital",
            "capital_source",
        ],
        {
            "company_name": {
                "placeholder": "Công ty TNHH Cà phê Đắk Nông",
                "pattern_message": "Tên bắt đầu bằng “Công ty TNHH”, theo sau là tên riêng.",
            },
            "company_name_foreign": {"width": 6},
            "company_name_short": {"width": 6},
            "company_phone": {"width": 6},
            "company_email": {"width": 6},
            "charter_capital": {"width": 6, "placeholder": "500.000.000"},
            "capital_source": {"width": 6},
        },
    )
    owner = (
        {
            "owner_kind": choice(
                "Chủ sở hữu là", [("individual", "Cá nhân"), ("organisation", "Tổ chức")]
            ),
            "owner_tax_code": {
                "type": "string",
                "title": "Mã số doanh nghiệp/mã số thuế của chủ sở hữu là tổ chức",
                "format": "tax-code",
            },
        },
        ["owner_kind"],
        {"owner_kind": {"widget": "radio", "width": 6}, "owner_tax_code": {"width": 6}},
    )
    rep = person("rep", "người đại diện theo pháp luật", prefill=True)
    rep[0]["rep_title"] = choice(
        "Chức danh",
        [("director", "Giám đốc"), ("ceo", "Tổng giám đốc"), ("chair", "Chủ tịch công ty")],
    )
    rep[1].append("rep_title")
    rep[2]["rep_title"] = {"width": 6}
    tax = (
        {
            "vat_method": choice(
                "Phương pháp tính thuế giá trị gia tăng",
                [
                    ("deduction", "Khấu trừ"),
                    ("direct_vat", "Trực tiếp trên giá trị gia tăng"),
                    ("direct_revenue", "Trực tiếp trên doanh thu"),
                ],
            ),
            "employees": integer("Số lao động dự kiến", 0, 100_000, default=1),
            "fiscal_year_start": date("Năm tài chính bắt đầu từ ngày"),
        },
        ["vat_method"],
        {
            "vat_method": {"widget": "radio"},
            "employees": {"width": 6},
            "fiscal_year_start": {"width": 6},
        },
    )
    blocks = [company, owner, rep, tax, end()]
    return build(
        "Giấy đề nghị đăng ký công ty trách nhiệm hữu hạn một thành viên",
        "Phụ lục I-2 ban hành kèm theo Thông tư số 02/2023/TT-BKHĐT.",
        blocks,
        [
            ("Thông tin doanh nghiệp", names(company)),
            ("Chủ sở hữu", names(owner)),
            ("Người đại diện theo pháp luật", names(rep)),
            ("Thông tin đăng ký thuế", names(tax)),
            ("Cam kết", ["commitment"]),
        ],
    )


def construction_permit():
    investor = (
        {
            "investor_name": text("Tên chủ đầu tư (chủ hộ)", 200),
            "investor_id": {"type": "string", "title": "Số định danh cá nhân", "format": "cccd"},
            "investor_address": text("Địa chỉ liên hệ", 255),
            "investor_phone": {"type": "string", "title": "Số điện thoại", "format": "vn-phone"},
        },
        ["investor_name", "investor_id", "investor_address", "investor_phone"],
        {
            "investor_name": {"prefill": "full_name", "width": 6},
            "investor_id": {"prefill": "citizen_id", "width": 6},
            "investor_address": {"prefill": "address"},
            "investor_phone": {"prefill": "phone", "width": 6},
        },
    )
    site = (
        {
            "plot_number": text("Thửa đất số", 20),
            "map_sheet": text("Tờ bản đồ số", 20),
            "land_certificate": text("Số Giấy chứng nhận quyền sử dụng đất", 50),
            "plot_area": number("Diện tích thửa đất (m²)", 100_000),
            "site_address": text("Địa điểm xây dựng", 255),
        },
        ["plot_number", "map_sheet", "land_certificate", "plot_area", "site_address"],
        {
            "plot_number": {"width": 3},
            "map_sheet": {"width": 3},
            "land_certificate": {"width": 6, "placeholder": "CS 01234"},
            "plot_area": {"width": 4, "placeholder": "150,5"},
            "site_address": {"help": "Thôn/tổ dân phố, xã/phường, tỉnh."},
        },
    )
    work = (
        {
            "work_type": choice(
                "Loại công trình",
                [
                    ("house", "Nhà ở riêng lẻ"),
                    ("civil", "Công trình dân dụng khác"),
                    ("industrial", "Công trình công nghiệp"),
                ],
            ),
            "work_grade": choice("Cấp công trình", [("III", "Cấp III"), ("IV", "Cấp IV")]),
            "building_area": number("Diện tích xây dựng tầng 1 (tầng trệt) (m²)", 10_000),
            "total_floor_area": number("Tổng diện tích sàn (m²)", 100_000),
            "height": number("Chiều cao công trình (m)", 60),
            "floors": integer("Số tầng", 1, 20),
            "basement": {"type": "boolean", "title": "Có tầng hầm"},
            "designer": text("Đơn vị hoặc cá nhân thiết kế", 200),
            "designer_certificate": text("Số chứng chỉ hành nghề của chủ nhiệm thiết kế", 50),
            "completion_months": integer("Dự kiến thời gian hoàn thành (tháng)", 1, 60),
        },
        [
            "work_type",
            "work_grade",
            "building_area",
            "total_floor_area",
            "height",
            "floors",
            "designer",
            "completion_months",
        ],
        {
            "work_type": {"width": 6},
            "work_grade": {"widget": "radio", "width": 6},
            "building_area": {"width": 4},
            "total_floor_area": {"width": 4},
            "height": {"width": 4},
            "floors": {"width": 4},
            "completion_months": {"width": 4},
            "basement": {"width": 4},
            "designer": {"width": 6},
            "designer_certificate": {"width": 6},
        },
    )
    blocks = [investor, site, work, end()]
    return build(
        "Đơn đề nghị cấp giấy phép xây dựng",
        "Mẫu số 01 Phụ lục II ban hành kèm theo Nghị định số 15/2021/NĐ-CP.",
        blocks,
        [
            ("Chủ đầu tư", names(investor)),
            ("Địa điểm xây dựng", names(site)),
            ("Nội dung đề nghị cấp phép", names(work)),
            ("Cam kết", ["commitment"]),
        ],
    )


def criminal_record_certificate():
    subject = person("subject", "người yêu cầu", prefill=True)
    subject[0]["subject_birth_place"] = text("Nơi sinh", 255)
    subject[0]["subject_phone"] = {"type": "string", "title": "Số điện thoại", "format": "vn-phone"}
    subject[0]["subject_email"] = {"type": "string", "title": "Thư điện tử", "format": "email"}
    subject[1].extend(["subject_birth_place", "subject_phone"])
    subject[2]["subject_phone"] = {"prefill": "phone", "width": 6}
    subject[2]["subject_email"] = {"prefill": "email", "width": 6}
    family = (
        {
            "father_name": text("Họ và tên cha"),
            "mother_name": text("Họ và tên mẹ"),
            "spouse_name": text("Họ và tên vợ/chồng"),
            "residence_history": text(
                "Quá trình cư trú (từ đủ 14 tuổi: thời gian, nơi thường trú/tạm trú)", 2000
            ),
        },
        ["residence_history"],
        {
            "father_name": {"width": 4},
            "mother_name": {"width": 4},
            "spouse_name": {"width": 4},
            "residence_history": {
                "widget": "textarea",
                "rows": 4,
                "placeholder": "Từ 01/2005 đến nay: Tổ 3, phường Nghĩa Thành, TP. Gia Nghĩa",
            },
        },
    )
    request = (
        {
            "certificate_kind": choice(
                "Loại Phiếu lý lịch tư pháp",
                [("1", "Phiếu số 1"), ("2", "Phiếu số 2 (ghi đầy đủ án tích)")],
            ),
            "purpose": text("Mục đích sử dụng Phiếu", 255),
            "copies": integer("Số lượng Phiếu yêu cầu cấp", 1, 10, default=1),
            "ban_confirmation": {
                "type": "boolean",
                "title": "Yêu cầu xác nhận về việc cấm đảm nhiệm chức vụ, thành lập, quản lý "
                "doanh nghiệp, hợp tác xã",
            },
        },
        ["certificate_kind", "purpose", "copies"],
        {
            "certificate_kind": {"widget": "radio"},
            "purpose": {"placeholder": "Bổ sung hồ sơ xin việc"},
            "copies": {"width": 4},
            "ban_confirmation": {"widget": "radio"},
        },
    )
    blocks = [subject, family, request, end()]
    return build(
        "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
        "Mẫu số 03/2013/TT-LLTP.",
        blocks,
        [
            ("Người yêu cầu cấp Phiếu", names(subject)),
            ("Gia đình và quá trình cư trú", names(family)),
            ("Nội dung yêu cầu", names(request)),
            ("Cam kết", ["commitment"]),
        ],
    )


# --- valid answers for each form (demo dossiers, tests) ----------------------------------------
_REQUESTER = {
    "requester_name": "Nguyễn Văn An",
    "requester_id": "067090001234",
    "requester_address": "Tổ 3, phường Nghĩa Thành, thành phố Gia Nghĩa, tỉnh Đắk Nông",
    "requester_phone": "0912345678",
}

DEMO_FORMS = [
    {
        "code": "1.001193",
        "build": birth_registration,
        "sample": {
            **_REQUESTER,
            "relationship": "cha",
            "child_name": "Nguyễn Minh Khang",
            "child_gender": "nam",
            "child_birth_date": "2025-03-14",
            "child_birth_place": "Bệnh viện Đa khoa tỉnh Đắk Nông",
            "child_ethnicity": "Kinh",
            "child_nationality": "Việt Nam",
            "child_hometown": "Xã Quảng Khê, huyện Đắk Glong, tỉnh Đắk Nông",
            "father_name": "Nguyễn Văn An",
            "father_birth_year": 1990,
            "mother_name": "Trần Thị Bình",
            "mother_birth_year": 1993,
            "copies": 2,
            "commitment": True,
        },
    },
    {
        "code": "1.000656",
        "build": death_registration,
        "sample": {
            **_REQUESTER,
            "relationship": "con",
            "deceased_name": "Nguyễn Văn Bảy",
            "deceased_gender": "nam",
            "deceased_birth_date": "1941-05-02",
            "deceased_ethnicity": "Kinh",
            "deceased_nationality": "Việt Nam",
            "deceased_address": "Thôn 2, xã Đắk Ha, huyện Đắk Glong, tỉnh Đắk Nông",
            "death_date": "2025-06-01",
            "death_time": "05:30",
            "death_place": "Tại nhà riêng, thôn 2, xã Đắk Ha",
            "death_cause": "Tuổi cao, bệnh già",
            "death_notice": "Giấy báo tử số 12/GBT ngày 01/06/2025 của UBND xã Đắk Ha",
            "copies": 1,
            "commitment": True,
        },
    },
    {
        "code": "1.000894",
        "build": marriage_registration,
        "sample": {
            "bride_name": "Trần Thị Bình",
            "bride_birth_date": "1993-11-20",
            "bride_ethnicity": "Kinh",
            "bride_nationality": "Việt Nam",
            "bride_id": "067193004567",
            "bride_address": "Thôn 5, xã Nhân Cơ, huyện Đắk R'lấp, tỉnh Đắk Nông",
            "bride_marriage_count": 1,
            "groom_name": "Nguyễn Văn An",
            "groom_birth_date": "1990-08-25",
            "groom_ethnicity": "Kinh",
            "groom_nationality": "Việt Nam",
            "groom_id": "067090001234",
            "groom_address": "Tổ 3, phường Nghĩa Thành, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "groom_marriage_count": 1,
            "copies": 2,
            "commitment": True,
        },
    },
    {
        "code": "1.004873",
        "build": marital_status_certificate,
        "sample": {
            **_REQUESTER,
            "relationship": "khac",
            "subject_name": "Nguyễn Văn An",
            "subject_gender": "nam",
            "subject_birth_date": "1990-08-25",
            "subject_ethnicity": "Kinh",
            "subject_nationality": "Việt Nam",
            "subject_id": "067090001234",
            "subject_address": "Tổ 3, phường Nghĩa Thành, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "marital_status": "single",
            "purpose": "marriage",
            "intended_spouse": "Trần Thị Bình",
            "copies": 1,
            "commitment": True,
        },
    },
    {
        "code": "1.001612",
        "build": household_business,
        "sample": {
            "business_name": "Hộ kinh doanh Cà phê Hoa Sữa",
            "business_address": "Số 12 đường Lê Duẩn, phường Nghĩa Tân, thành phố Gia Nghĩa",
            "business_phone": "0905123456",
            "business_email": "hoasua.cafe@example.com",
            "business_lines": ["5630", "4722"],
            "capital": 150_000_000,
            "employees": 3,
            "owner_name": "Lê Thị Hoa",
            "owner_gender": "nu",
            "owner_birth_date": "1988-02-10",
            "owner_ethnicity": "Kinh",
            "owner_nationality": "Việt Nam",
            "owner_id": "067188007890",
            "owner_address": "Số 12 đường Lê Duẩn, phường Nghĩa Tân, thành phố Gia Nghĩa",
            "owner_phone": "0905123456",
            "founded_by": "individual",
            "commitment": True,
        },
    },
    {
        "code": "2.001583",
        "build": llc_registration,
        "sample": {
            "company_name": "Công ty TNHH Cà phê Đắk Nông Xanh",
            "company_name_foreign": "Dak Nong Green Coffee Company Limited",
            "company_name_short": "DNG COFFEE CO., LTD",
            "head_office": "Số 45 đường 23 tháng 3, phường Nghĩa Đức, thành phố Gia Nghĩa",
            "company_phone": "02613545678",
            "company_email": "lienhe@dngcoffee.example.com",
            "business_lines": ["1077", "4632"],
            "charter_capital": 2_000_000_000,
            "capital_source": "private",
            "owner_kind": "individual",
            "rep_name": "Phạm Quốc Huy",
            "rep_gender": "nam",
            "rep_birth_date": "1985-07-19",
            "rep_ethnicity": "Kinh",
            "rep_nationality": "Việt Nam",
            "rep_id": "067085002468",
            "rep_address": "Tổ 5, phường Nghĩa Đức, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "rep_title": "director",
            "vat_method": "deduction",
            "employees": 12,
            "fiscal_year_start": "2026-01-01",
            "commitment": True,
        },
    },
    {
        "code": "1.013225",
        "build": construction_permit,
        "sample": {
            "investor_name": "Hoàng Văn Dũng",
            "investor_id": "067082003579",
            "investor_address": "Thôn 1, xã Đắk Nia, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "investor_phone": "0987654321",
            "plot_number": "215",
            "map_sheet": "18",
            "land_certificate": "CS 04512",
            "plot_area": 150.5,
            "site_address": "Thôn 1, xã Đắk Nia, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "work_type": "house",
            "work_grade": "III",
            "building_area": 96.0,
            "total_floor_area": 288.0,
            "height": 11.7,
            "floors": 3,
            "basement": False,
            "designer": "Công ty TNHH Tư vấn thiết kế xây dựng Gia Nghĩa",
            "designer_certificate": "DAN-00012345",
            "completion_months": 8,
            "commitment": True,
        },
    },
    {
        "name": "phieu ly lich tu phap",
        "build": criminal_record_certificate,
        "sample": {
            "subject_name": "Nguyễn Văn An",
            "subject_gender": "nam",
            "subject_birth_date": "1990-08-25",
            "subject_birth_place": "Xã Quảng Khê, huyện Đắk Glong, tỉnh Đắk Nông",
            "subject_ethnicity": "Kinh",
            "subject_nationality": "Việt Nam",
            "subject_id": "067090001234",
            "subject_address": "Tổ 3, phường Nghĩa Thành, thành phố Gia Nghĩa, tỉnh Đắk Nông",
            "subject_phone": "0912345678",
            "father_name": "Nguyễn Văn Ba",
            "mother_name": "Lê Thị Tư",
            "residence_history": "Từ 08/2004 đến nay: Tổ 3, phường Nghĩa Thành, TP. Gia Nghĩa",
            "certificate_kind": "1",
            "purpose": "Bổ sung hồ sơ xin việc",
            "copies": 1,
            "ban_confirmation": False,
            "commitment": True,
        },
    },
]


def _procedure_for(entry) -> Procedure | None:
    if "code" in entry:
        return Procedure.objects.filter(code=entry["code"], current__isnull=False).first()
    wanted = entry["name"]
    candidates = Procedure.objects.filter(
        current__isnull=False, is_synthetic=False, current__search_text__contains=wanted
    ).order_by("code")
    return candidates.first()


def load_demo_forms() -> int:
    """Give each demo procedure found in the catalogue its e-form (published today); returns
    how many forms were published. Loading twice changes nothing."""
    published = 0
    for entry in DEMO_FORMS:
        procedure = _procedure_for(entry)
        if procedure is None:
            continue
        schema, ui_schema = entry["build"]()
        current = services.current_form(procedure)
        if current is not None and current.content_hash == definition_hash(schema, ui_schema):
            continue
        if procedure.application_forms.filter(created_by__isnull=False).exists():
            continue  # an administrator has taken the form over: the demo leaves it alone
        services.publish_definition(None, procedure, schema, ui_schema)
        published += 1
    return published


def demo_definition(code_or_name: str) -> tuple[dict, dict, dict]:
    """(schema, ui_schema, sample answers) of the demo form for a procedure code (or the
    ``name`` key of an entry matched by name)."""
    for entry in DEMO_FORMS:
        if entry.get("code") == code_or_name or entry.get("name") == fold(code_or_name):
            schema, ui_schema = entry["build"]()
            return schema, ui_schema, entry["sample"]
    raise KeyError(code_or_name)
