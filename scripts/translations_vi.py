"""Vietnamese translations of the interface, applied to src/egov/locale/vi/LC_MESSAGES/django.po.

Run after `manage.py makemessages -l vi -l en`: ``python scripts/translations_vi.py`` fills the
msgstr of every msgid listed here, then compiles the .mo files with msgfmt. Keeping the
dictionary in one reviewed file makes the wording easy to check with a Vietnamese official.
"""

import subprocess
import sys
from pathlib import Path

import polib

VI = {
    "Person": "Cá nhân",
    "Access": "Quyền truy cập",
    "Dates": "Thời gian",
    "The token has expired; log in again.": "Mã truy cập đã hết hạn; vui lòng đăng nhập lại.",
    "Some fields are not valid.": "Một số trường thông tin không hợp lệ.",
    "6-digit TOTP code; required for leaders and administrators.": "Mã TOTP gồm 6 chữ số; bắt buộc với lãnh đạo và quản trị viên.",
    "Too many failed log-ins: the account is locked for a while. Try again later.": "Đăng nhập sai quá nhiều lần: tài khoản tạm thời bị khóa. Vui lòng thử lại sau.",
    "Wrong user name or password.": "Sai tên đăng nhập hoặc mật khẩu.",
    "Your role requires a second factor: enrol an authenticator app in the web interface "
    "first.": "Vai trò của bạn yêu cầu xác thực hai lớp: hãy đăng ký ứng dụng xác thực trên "
    "giao diện web trước.",
    "Enter the 6-digit code from your authenticator app.": "Nhập mã 6 chữ số từ ứng dụng xác thực của bạn.",
    "Missing or wrong code.": "Thiếu mã hoặc mã không đúng.",
    "name or code, accents ignored": "tên hoặc mã, không phân biệt dấu",
    "in force on (YYYY-MM-DD)": "còn hiệu lực vào ngày (YYYY-MM-DD)",
    "Platform core": "Nền tảng dùng chung",
    "sequence": "số thứ tự",
    "time": "thời điểm",
    "actor": "người thực hiện",
    "action": "thao tác",
    "object type": "loại đối tượng",
    "object id": "mã đối tượng",
    "object": "đối tượng",
    "agency": "cơ quan",
    "changes": "nội dung thay đổi",
    "reason": "lý do",
    "IP address": "địa chỉ IP",
    "request id": "mã yêu cầu",
    "audit event": "sự kiện nhật ký",
    "audit events": "nhật ký hệ thống",
    "audit chain head": "đầu chuỗi nhật ký",
    "Day off (extra or compensatory)": "Ngày nghỉ (nghỉ thêm hoặc nghỉ bù)",
    "Working day (swapped)": "Ngày làm việc (làm bù)",
    "date": "ngày",
    "kind": "loại",
    "description": "mô tả",
    "legal basis": "căn cứ pháp lý",
    "calendar override": "điều chỉnh lịch làm việc",
    "calendar overrides": "điều chỉnh lịch làm việc",
    "Reception officer (one-stop desk)": "Cán bộ tiếp nhận (Một cửa)",
    "Specialist": "Chuyên viên",
    "Unit leader": "Lãnh đạo phòng",
    "Agency leader": "Lãnh đạo cơ quan",
    "Clerk (văn thư)": "Văn thư",
    "Agency administrator": "Quản trị cơ quan",
    "System administrator": "Quản trị hệ thống",
    "Staff": "Cán bộ, công chức",
    "Citizen": "Công dân",
    "Business": "Doanh nghiệp",
    "full name": "họ và tên",
    "phone": "điện thoại",
    "job title": "chức vụ",
    "user": "người dùng",
    "users": "người dùng",
    "person": "người",
    "internal unit": "phòng, đơn vị trực thuộc",
    "role": "vai trò",
    "position": "vị trí công tác",
    "positions": "vị trí công tác",
    "Province": "Cấp tỉnh",
    "District": "Cấp huyện",
    "Commune": "Cấp xã",
    "Province (tỉnh)": "Tỉnh",
    "Centrally-run city": "Thành phố trực thuộc trung ương",
    "Provincial city": "Thành phố thuộc tỉnh",
    "Town (thị xã)": "Thị xã",
    "Rural district (huyện)": "Huyện",
    "Urban district (quận)": "Quận",
    "Commune (xã)": "Xã",
    "Ward (phường)": "Phường",
    "Township (thị trấn)": "Thị trấn",
    "Special zone (đặc khu)": "Đặc khu",
    "official code": "mã đơn vị hành chính",
    "name": "tên",
    "type": "loại",
    "level": "cấp",
    "parent unit": "đơn vị cấp trên",
    "successor": "đơn vị kế thừa",
    "administrative unit": "đơn vị hành chính",
    "administrative units": "đơn vị hành chính",
    "People's Committee": "Ủy ban nhân dân",
    "Department (sở, ngành)": "Sở, ngành",
    "Board (ban)": "Ban",
    "Public Administration Service Center": "Trung tâm Phục vụ hành chính công",
    "Internal unit (phòng)": "Phòng, đơn vị trực thuộc",
    "Other": "Khác",
    "agency code": "mã định danh cơ quan",
    "abbreviation": "chữ viết tắt",
    "parent": "cơ quan cấp trên",
    "address": "địa chỉ",
    "e-mail": "thư điện tử",
    "website": "trang thông tin điện tử",
    "agencies": "cơ quan, đơn vị",
    "valid from": "hiệu lực từ",
    "valid to": "hiệu lực đến",
    "You are not allowed to %(action)s %(object)s.": "Bạn không có quyền %(action)s đối với %(object)s.",
    "%(agency)s starts after %(day)s; it cannot end before it starts.": "%(agency)s bắt đầu sau ngày %(day)s; không thể kết thúc trước khi bắt đầu.",
    "A reason (the legal decision) is required to merge agencies.": "Phải nêu lý do (văn bản quyết định) khi hợp nhất cơ quan.",
    "Choose at least one agency to merge into the successor.": "Chọn ít nhất một cơ quan để hợp nhất vào cơ quan kế thừa.",
    "The successor must be in force on the effective date.": "Cơ quan kế thừa phải có hiệu lực vào ngày hiệu lực.",
    "%(agency)s has already ceased to exist.": "%(agency)s đã chấm dứt hoạt động.",
    "A reason (the legal decision) is required to split an agency.": "Phải nêu lý do (văn bản quyết định) khi chia tách cơ quan.",
    "The main successor must be one of the new agencies.": "Cơ quan kế thừa chính phải là một trong các cơ quan mới.",
    "%(unit)s is not a unit of %(agency)s.": "%(unit)s không thuộc %(agency)s.",
    "Only administrators create staff accounts.": "Chỉ quản trị viên được tạo tài khoản cán bộ.",
    "No agency matches.": "Không có cơ quan nào phù hợp.",
    "Agencies": "Cơ quan, đơn vị",
    "Search by name or code (accents are ignored)": "Tìm theo tên hoặc mã (gõ có dấu hay không dấu đều được)",
    "Code": "Mã",
    "Name": "Tên",
    "Abbreviation": "Viết tắt",
    "Level": "Cấp",
    "Parent": "Cơ quan cấp trên",
    "Home": "Trang chủ",
    "Welcome, %(name)s": "Xin chào, %(name)s",
    "You hold no role in any agency yet. Ask your agency administrator.": "Bạn chưa được phân vai trò tại cơ quan nào. Hãy liên hệ quản trị viên của cơ quan.",
    "Account locked": "Tài khoản bị khóa",
    "Too many failed log-ins: the account is locked for a while. Try again later or ask your "
    "administrator.": "Đăng nhập sai quá nhiều lần: tài khoản tạm thời bị khóa. Vui lòng thử "
    "lại sau hoặc liên hệ quản trị viên.",
    "Log in": "Đăng nhập",
    "Two-step verification": "Xác thực hai lớp",
    "Set up two-step verification": "Thiết lập xác thực hai lớp",
    "Your role requires a second factor. Scan this code with an authenticator app (Google "
    "Authenticator, Microsoft Authenticator, FreeOTP…), then enter the 6-digit code it shows.": "Vai trò của bạn yêu cầu xác thực hai lớp. Quét mã này bằng ứng dụng xác thực (Google "
    "Authenticator, Microsoft Authenticator, FreeOTP…), rồi nhập mã 6 chữ số hiển thị.",
    "QR code for the authenticator app": "Mã QR cho ứng dụng xác thực",
    "Or enter this key by hand:": "Hoặc nhập khóa này bằng tay:",
    "Confirm": "Xác nhận",
    "“%(value)s” is not a valid agency code: the form is XXX.YY.ZZ.Lnn, for example "
    "000.00.00.H16.": "“%(value)s” không phải mã định danh cơ quan hợp lệ: dạng XXX.YY.ZZ.Lnn, "
    "ví dụ 000.00.00.H16.",
    "“%(value)s” is not a valid administrative unit code: use 2 digits for a province, 3 for a "
    "district, 5 for a commune.": "“%(value)s” không phải mã đơn vị hành chính hợp lệ: tỉnh 2 chữ "
    "số, huyện 3 chữ số, xã 5 chữ số.",
    "The citizen ID number must have exactly 12 digits.": "Số định danh cá nhân phải có đúng 12 chữ số.",
    "The first three digits of the citizen ID (%(place)s) are not a province code.": "Ba chữ số đầu của số định danh (%(place)s) không phải mã tỉnh, thành phố.",
    "User name": "Tên đăng nhập",
    "Password": "Mật khẩu",
    "6-digit code": "Mã 6 chữ số",
    "Your authenticator app is enrolled.": "Đã đăng ký ứng dụng xác thực.",
    "The code is not correct. Check the time on your phone.": "Mã không đúng. Hãy kiểm tra giờ trên điện thoại của bạn.",
    "Receive dossiers at the counter and return results.": "Tiếp nhận hồ sơ tại quầy và trả kết quả.",
    "Appraise the dossiers and documents assigned to you.": "Thẩm định hồ sơ và văn bản được giao.",
    "Assign work in your unit and review it.": "Phân công công việc trong phòng và kiểm tra.",
    "Follow your agency's work and sign.": "Theo dõi công việc của cơ quan và ký duyệt.",
    "Register incoming documents, number and release outgoing ones.": "Vào sổ văn bản đến, cấp số và phát hành văn bản đi.",
    "Manage your agency's staff, units and roles.": "Quản lý cán bộ, phòng ban và vai trò của cơ quan.",
    "Administer the platform: agencies, calendar, audit trail.": "Quản trị hệ thống: cơ quan, lịch làm việc, nhật ký.",
    "Vietnamese": "Tiếng Việt",
    "English": "Tiếng Anh",
    "Provincial e-government": "Chính quyền điện tử",
    "Skip to content": "Chuyển đến nội dung chính",
    "Main menu": "Trình đơn chính",
    "Open the menu": "Mở trình đơn",
    "Administration": "Quản trị",
    "Log out": "Đăng xuất",
    "Provincial e-government platform of %(province_name)s": "Hệ thống chính quyền điện tử tỉnh %(province_name)s",
    "Too many attempts": "Quá nhiều lần thử",
    "Too many requests came from your connection in a short time. Wait a minute and try again.": "Quá nhiều yêu cầu từ kết nối của bạn trong thời gian ngắn. Vui lòng chờ một phút rồi thử lại.",
    "You are not allowed to do this.": "Bạn không có quyền thực hiện thao tác này.",
    "view": "xem",
    "change": "sửa",
    "manage": "quản lý",
    "restructure": "sắp xếp lại",
}

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "egov" / "locale"


def all_translations() -> dict[str, str]:
    """This file's dictionary plus those of scripts/translations/*.py (one per area)."""
    import importlib.util

    merged = dict(VI)
    for path in sorted((ROOT / "scripts" / "translations").glob("*.py")):
        if path.name == "__init__.py":
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        merged.update(module.VI)
    return merged


def main() -> int:
    translations = all_translations()
    po_path = LOCALE / "vi" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in translations:
            text = translations[entry.msgid]
            if entry.msgid_plural:  # Vietnamese has one plural form: msgstr[0]
                entry.msgstr_plural = {0: text[0] if isinstance(text, list) else text}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif entry.msgid_plural and (not entry.msgstr_plural.get(0) or "fuzzy" in entry.flags):
            missing.append(entry.msgid)
        elif not entry.msgid_plural and (not entry.msgstr or "fuzzy" in entry.flags):
            # makemessages fills new entries with fuzzy guesses from similar strings
            # ("Passport" → "Mật khẩu"): they count as untranslated until reviewed.
            missing.append(entry.msgid)
    po.save()
    for lang in ("vi", "en"):
        lc = LOCALE / lang / "LC_MESSAGES"
        subprocess.run(["msgfmt", "-o", str(lc / "django.mo"), str(lc / "django.po")], check=True)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
