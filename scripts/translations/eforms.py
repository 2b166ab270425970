"""Vietnamese of the application e-forms: the messages an applicant reads under a field, the
checks of a form definition and the administrators' e-forms workspace (/bieu-mau/).

Merged by ``scripts/translations_vi.py``. "This field is required.", "Yes" and "No" keep
Django's own Vietnamese wording, so other forms of the platform read the same.
"""

VI = {
    # The model
    "application e-form": "tờ khai điện tử",
    "application e-forms": "tờ khai điện tử",
    "Application form": "Tờ khai",
    "JSON schema": "lược đồ JSON",
    "UI schema": "giao diện biểu mẫu",
    "content hash": "mã băm nội dung",
    "created by": "người tạo",
    "updated at": "thời điểm cập nhật",
    "published by": "người công bố",
    "published at": "thời điểm công bố",
    "Edit": "Sửa",
    "Open in the e-forms workspace": "Mở trong trang quản lý tờ khai điện tử",
    # What the applicant reads
    "Yes": "Có",
    "No": "Không",
    "— Choose —": "— Chọn —",
    "(required)": "(bắt buộc)",
    'Fields marked <span class="text-danger">*</span> are required.': "Các trường có dấu "
    '<span class="text-danger">*</span> là bắt buộc.',
    "Date as dd/mm/yyyy.": "Ngày theo dạng ngày/tháng/năm (dd/mm/yyyy).",
    "This field is required.": "Trường này là bắt buộc.",
    "Choose an option.": "Vui lòng chọn một mục.",
    "Tick this box to continue.": "Vui lòng đánh dấu vào ô này để tiếp tục.",
    "Enter a real date as dd/mm/yyyy, for example 25/08/1990.": "Vui lòng nhập ngày có thật "
    "theo dạng ngày/tháng/năm, ví dụ 25/08/1990.",
    "Enter a valid e-mail address, for example ten@example.com.": "Vui lòng nhập địa chỉ thư "
    "điện tử hợp lệ, ví dụ ten@example.com.",
    "Enter a Vietnamese phone number: 10 digits starting with 0 (e.g. 0912345678), or a "
    "landline with its area code.": "Vui lòng nhập số điện thoại Việt Nam: 10 chữ số bắt đầu "
    "bằng 0 (ví dụ 0912345678), hoặc số cố định kèm mã vùng.",
    "Enter a tax code: 10 digits, 10 digits followed by -nnn for a branch, or a 12-digit "
    "personal identification number.": "Vui lòng nhập mã số thuế: 10 chữ số, 10 chữ số kèm "
    "-nnn đối với đơn vị phụ thuộc, hoặc số định danh cá nhân 12 chữ số.",
    "The value is not in the expected form.": "Giá trị không đúng định dạng yêu cầu.",
    "Enter a whole number, for example 2.": "Vui lòng nhập số nguyên, ví dụ 2.",
    "Enter a number, for example 2 or 2,5.": "Vui lòng nhập một số, ví dụ 2 hoặc 2,5.",
    "Choose yes or no.": "Vui lòng chọn Có hoặc Không.",
    "Choose from the list.": "Vui lòng chọn trong danh sách.",
    "Enter text.": "Vui lòng nhập chữ.",
    "The value is not valid.": "Giá trị không hợp lệ.",
    "Enter at least %(limit)s characters (you entered %(count)s).": "Vui lòng nhập ít nhất "
    "%(limit)s ký tự (bạn đã nhập %(count)s).",
    "Enter at most %(limit)s characters (you entered %(count)s).": "Vui lòng nhập không quá "
    "%(limit)s ký tự (bạn đã nhập %(count)s).",
    "Choose one of the options in the list.": "Vui lòng chọn một trong các mục có sẵn.",
    "Enter a value of at least %(limit)s.": "Vui lòng nhập giá trị không nhỏ hơn %(limit)s.",
    "Enter a value of at most %(limit)s.": "Vui lòng nhập giá trị không lớn hơn %(limit)s.",
    "Enter a value greater than %(limit)s.": "Vui lòng nhập giá trị lớn hơn %(limit)s.",
    "Enter a value less than %(limit)s.": "Vui lòng nhập giá trị nhỏ hơn %(limit)s.",
    "Choose at least %(limit)s options.": "Vui lòng chọn ít nhất %(limit)s mục.",
    "Choose at most %(limit)s options.": "Vui lòng chọn không quá %(limit)s mục.",
    "Choose each option only once.": "Mỗi mục chỉ được chọn một lần.",
    # Checks of a definition
    "Field name “%(name)s”: use Latin letters, digits and underscores, starting with a letter "
    "(it becomes the name of the input).": "Tên trường “%(name)s”: chỉ dùng chữ cái Latinh "
    "không dấu, chữ số và dấu gạch dưới, bắt đầu bằng chữ cái (tên này là tên ô nhập).",
    "Field “%(name)s” must be an object.": "Trường “%(name)s” phải là một đối tượng JSON.",
    "Field “%(name)s”: the keywords %(keywords)s are not supported by the e-forms.": "Trường "
    "“%(name)s”: tờ khai điện tử không hỗ trợ các từ khóa %(keywords)s.",
    "Field “%(name)s”: the type must be one of string, integer, number, boolean or array (of "
    "choices).": "Trường “%(name)s”: kiểu (type) phải là string, integer, number, boolean hoặc "
    "array (danh sách lựa chọn).",
    "Field “%(name)s”: a format applies only to a string.": "Trường “%(name)s”: định dạng "
    "(format) chỉ áp dụng cho kiểu string.",
    "Field “%(name)s”: the format “%(format)s” is not known; use one of %(known)s.": "Trường "
    "“%(name)s”: không có định dạng “%(format)s”; hãy dùng một trong các định dạng %(known)s.",
    'Field “%(name)s”: oneOf may only list the choices, each as {"const": value, "title": '
    "label}.": "Trường “%(name)s”: oneOf chỉ được liệt kê các lựa chọn, mỗi lựa chọn có dạng "
    '{"const": giá trị, "title": nhãn}.',
    'Field “%(name)s”: an array must be a list of choices: "items": {"type": "string", '
    '"enum": [...]}.': "Trường “%(name)s”: kiểu array phải là danh sách lựa chọn: "
    '"items": {"type": "string", "enum": [...]}.',
    '"$schema" must be %(uri)s (the e-forms use draft 2020-12).': '"$schema" phải là %(uri)s '
    "(tờ khai điện tử dùng JSON Schema draft 2020-12).",
    "The JSON schema must be a JSON object.": "Lược đồ JSON phải là một đối tượng JSON.",
    "The schema is not a valid JSON Schema (draft 2020-12) at %(where)s: %(error)s": "Lược đồ "
    "không phải JSON Schema (draft 2020-12) hợp lệ tại %(where)s: %(error)s",
    'The schema must describe an object: "type": "object".': "Lược đồ phải mô tả một đối "
    'tượng: "type": "object".',
    "The keywords %(keywords)s are not supported at the top of an e-form schema.": "Tờ khai "
    "điện tử không hỗ trợ các từ khóa %(keywords)s ở cấp ngoài cùng của lược đồ.",
    'The schema has no fields: add them under "properties".': "Lược đồ chưa có trường nào: "
    'hãy khai báo trong "properties".',
    "“%(name)s” is required but is not a field of the schema.": "“%(name)s” được khai báo bắt "
    "buộc nhưng không phải là trường của lược đồ.",
    "The UI schema must be a JSON object.": "Giao diện biểu mẫu phải là một đối tượng JSON.",
    "UI schema at %(where)s: %(error)s": "Giao diện biểu mẫu tại %(where)s: %(error)s",
    "The UI schema names “%(name)s” (in %(where)s) but the schema has no such field.": "Giao "
    "diện nhắc đến trường “%(name)s” (trong %(where)s) nhưng lược đồ không có trường này.",
    "The field “%(name)s” is placed in two groups.": "Trường “%(name)s” được xếp vào hai nhóm.",
    "The widget “%(widget)s” cannot show the field “%(name)s” (%(type)s).": "Kiểu hiển thị "
    "“%(widget)s” không dùng được cho trường “%(name)s” (%(type)s).",
    "The field “%(name)s” has no choices (enum) for the widget “%(widget)s”.": "Trường "
    "“%(name)s” không có danh sách lựa chọn (enum) cho kiểu hiển thị “%(widget)s”.",
    'The field “%(name)s” needs "format": "date" for the date widget.': "Trường “%(name)s” "
    'cần khai báo "format": "date" để hiển thị ô nhập ngày.',
    "The field “%(name)s” has no choice “%(value)s” to label.": "Trường “%(name)s” không có "
    "lựa chọn “%(value)s” để đặt nhãn.",
    "The %(what)s is not valid JSON: %(error)s (line %(line)s, column %(column)s).": "%(what)s "
    "không phải JSON hợp lệ: %(error)s (dòng %(line)s, cột %(column)s).",
    # Versions
    "The definition is the same as the version in use: there is nothing to save.": "Nội dung "
    "giống hệt phiên bản đang áp dụng: không có gì để lưu.",
    "Only a draft e-form can be published.": "Chỉ tờ khai đang dự thảo mới được công bố.",
    "An e-form cannot be published with a start date in the past.": "Không thể công bố tờ khai "
    "với ngày bắt đầu áp dụng trong quá khứ.",
    "The new version cannot start before the version in use (%(day)s).": "Phiên bản mới không "
    "thể áp dụng trước phiên bản đang áp dụng (%(day)s).",
    "Only a published e-form can be retired.": "Chỉ tờ khai đã công bố mới được thôi áp dụng.",
    "Only a draft e-form can be discarded.": "Chỉ tờ khai đang dự thảo mới được hủy bỏ.",
    # The workspace
    "Application e-forms": "Tờ khai điện tử",
    "JSON schema (draft 2020-12)": "Lược đồ JSON (JSON Schema draft 2020-12)",
    "UI schema (order, groups, labels, widgets, prefill)": "Giao diện biểu mẫu (thứ tự, nhóm, "
    "nhãn, kiểu hiển thị, điền sẵn)",
    "In use from (dd/mm/yyyy, when publishing; today if empty)": "Áp dụng từ ngày "
    "(dd/mm/yyyy, khi công bố; để trống là hôm nay)",
    "The e-forms are edited by system and agency administrators.": "Tờ khai điện tử do quản "
    "trị hệ thống và quản trị cơ quan biên tập.",
    "Only a system administrator or an administrator of the competent agency may edit this "
    "e-form.": "Chỉ quản trị hệ thống hoặc quản trị của cơ quan có thẩm quyền mới được sửa "
    "tờ khai này.",
    "The draft was discarded.": "Đã hủy bản dự thảo.",
    "Version %(number)s of the e-form is published.": "Đã công bố phiên bản %(number)s của tờ "
    "khai.",
    "Draft version %(number)s is saved. Publish it to put it in use.": "Đã lưu bản dự thảo "
    "phiên bản %(number)s. Hãy công bố để đưa vào áp dụng.",
    "The definition cannot be shown yet:": "Chưa hiển thị được biểu mẫu:",
    "Edit the e-form": "Biên tập tờ khai điện tử",
    "In use: version %(number)s, since %(day)s.": "Đang áp dụng: phiên bản %(number)s, từ "
    "ngày %(day)s.",
    "No version is in use yet.": "Chưa có phiên bản nào được áp dụng.",
    "You are editing draft version %(number)s.": "Bạn đang sửa bản dự thảo phiên bản %(number)s.",
    "Saving makes a new draft version; the version in use does not change until you "
    "publish.": "Khi lưu sẽ tạo phiên bản dự thảo mới; phiên bản đang áp dụng không thay đổi "
    "cho đến khi bạn công bố.",
    "The definition was not saved: see the messages below.": "Chưa lưu được biểu mẫu: xem "
    "các thông báo bên dưới.",
    "Save draft": "Lưu dự thảo",
    "Preview": "Xem trước",
    "Discard the draft": "Hủy bản dự thảo",
    "As applicants will see it, with a sample profile in the prefilled fields. It follows your "
    "typing.": "Biểu mẫu như người nộp hồ sơ sẽ thấy, các trường điền sẵn lấy từ một hồ sơ "
    "mẫu. Phần xem trước cập nhật theo nội dung bạn gõ.",
    "Loading the preview…": "Đang tải bản xem trước…",
    "Each procedure offered online has an application e-form. A published version never "
    "changes: your edits make a new draft, and publishing it retires the version before it. "
    "Dossiers keep the version they were filled in with.": "Mỗi thủ tục cung cấp trực tuyến có "
    "một tờ khai điện tử. Phiên bản đã công bố không bao giờ bị sửa: mỗi lần sửa tạo một bản "
    "dự thảo mới, và khi công bố thì phiên bản trước đó thôi áp dụng. Hồ sơ luôn giữ đúng "
    "phiên bản tờ khai đã dùng khi nộp.",
    "Find a procedure by name or code (accents are ignored)": "Tìm thủ tục theo tên hoặc mã "
    "(gõ có dấu hay không dấu đều được)",
    "Procedures with an e-form": "Thủ tục đã có tờ khai điện tử",
    "Only the first %(listed)s are listed: search to narrow the list.": "Chỉ hiển thị "
    "%(listed)s thủ tục đầu tiên: hãy tìm kiếm để thu hẹp danh sách.",
    "No procedure you administer has an e-form yet.": "Chưa có thủ tục nào bạn quản lý có tờ "
    "khai điện tử.",
    "Procedures without an e-form": "Thủ tục chưa có tờ khai điện tử",
    "Create its e-form": "Tạo tờ khai điện tử",
    "No procedure without an e-form matches.": "Không có thủ tục nào chưa có tờ khai phù hợp.",
    "in use today": "đang áp dụng hôm nay",
    "In use": "Thời gian áp dụng",
    "Created by": "Người tạo",
    "Published by": "Người công bố",
    "Content hash": "Mã băm nội dung",
    "Edit the draft": "Sửa bản dự thảo",
    "Edit (makes a new draft version)": "Sửa (tạo phiên bản dự thảo mới)",
    "As applicants see it": "Biểu mẫu người nộp hồ sơ nhìn thấy",
}
