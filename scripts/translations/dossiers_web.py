"""Vietnamese of the officer workspace (counter intake, my tasks, dossier page, overview, search).

Merged by ``scripts/translations_vi.py``. Some msgids are shared with other screens (the
catalogue, the workflow's state and step names): their wording here fits those too.
"""

VI = {
    # Navigation and page titles
    "My tasks": "Việc của tôi",
    "Counter intake": "Tiếp nhận hồ sơ",
    "Overview": "Tổng quan",
    "Find a dossier": "Tra cứu hồ sơ",
    "Not allowed": "Không được phép",
    "This page is for officials.": "Trang này dành cho cán bộ, công chức.",
    "Only a reception officer of a one-stop desk receives dossiers.": "Chỉ cán bộ tiếp nhận "
    "của bộ phận Một cửa mới được tiếp nhận hồ sơ.",
    "The overview is for unit and agency leaders.": "Trang tổng quan dành cho lãnh đạo phòng "
    "và lãnh đạo cơ quan.",
    # Lists of dossiers
    "Dossier code": "Mã hồ sơ",
    "Procedure": "Thủ tục",
    "Applicant": "Người nộp",
    "State": "Trạng thái",
    "Due": "Hạn xử lý",
    "Overdue": "Quá hạn",
    "Due soon": "Sắp đến hạn",
    "(draft)": "(bản nháp)",
    "Dossiers you hold, and those waiting for someone in your role at your agency, soonest "
    "due first. Red: overdue; amber: due within one working day.": "Hồ sơ bạn đang giữ và hồ "
    "sơ đang chờ người có vai trò như bạn tại cơ quan, hạn gần nhất lên trước. Đỏ: quá hạn; "
    "vàng: đến hạn trong một ngày làm việc.",
    "Nothing waits for you.": "Không có hồ sơ nào đang chờ bạn.",
    "Only the %(limit)s soonest due are shown; use the search for the others.": "Chỉ hiển thị "
    "%(limit)s hồ sơ có hạn gần nhất; dùng chức năng tra cứu để xem các hồ sơ khác.",
    # Counter intake
    "Desk: %(desk)s": "Bộ phận tiếp nhận: %(desk)s",
    "1. Find the procedure": "1. Tìm thủ tục hành chính",
    "Procedure name or code (accents are ignored)": "Tên hoặc mã thủ tục (gõ có dấu hay "
    "không dấu đều được)",
    "Search": "Tìm kiếm",
    "Searching…": "Đang tìm…",
    "Time limit": "Thời hạn giải quyết",
    "Choose": "Chọn",
    "No procedure in force matches.": "Không có thủ tục đang có hiệu lực nào phù hợp.",
    "Type a few words of the procedure's name, or its code.": "Gõ vài từ trong tên thủ tục, "
    "hoặc mã thủ tục.",
    "Choose another procedure": "Chọn thủ tục khác",
    "2. Applicant": "2. Người nộp hồ sơ",
    "Full name": "Họ và tên",
    "Identity document": "Loại giấy tờ",
    "Identity number": "Số giấy tờ",
    "Address": "Địa chỉ",
    "Phone": "Số điện thoại",
    "E-mail": "Thư điện tử",
    "People's Committee that handles the dossier": "Ủy ban nhân dân giải quyết hồ sơ",
    "— choose —": "— chọn —",
    "3. Documents received": "3. Thành phần hồ sơ đã nhận",
    "Tick each document the applicant hands in; attach its scans if you have them (PDF, "
    "JPEG, PNG, TIFF, Word, Excel).": "Đánh dấu từng giấy tờ người nộp đã nộp; đính kèm bản "
    "quét nếu có (PDF, JPEG, PNG, TIFF, Word, Excel).",
    "Scans of “%(name)s”": "Bản quét “%(name)s”",
    "mandatory": "bắt buộc",
    "optional": "không bắt buộc",
    "The procedure lists no document.": "Thủ tục không quy định thành phần hồ sơ.",
    "Number of sets": "Số bộ hồ sơ",
    "Request (optional)": "Nội dung yêu cầu (không bắt buộc)",
    "4. Decision": "4. Xử lý",
    "Receive a complete dossier. Otherwise request a supplement: it lists every mandatory "
    "document not ticked, and the lines you add below. Refuse a dossier outside the "
    "procedure or the desk's competence.": "Tiếp nhận khi hồ sơ đầy đủ. Nếu chưa đầy đủ, yêu "
    "cầu bổ sung: phiếu liệt kê mọi giấy tờ bắt buộc chưa đánh dấu và các dòng bạn thêm "
    "dưới đây. Từ chối khi hồ sơ không thuộc thủ tục hoặc thẩm quyền của bộ phận.",
    "Reason (required to request a supplement or to refuse)": "Lý do (bắt buộc khi yêu cầu "
    "bổ sung hoặc từ chối)",
    "Other documents the applicant must add (one per line)": "Giấy tờ khác người nộp cần bổ "
    "sung (mỗi dòng một giấy tờ)",
    "Receive": "Tiếp nhận",
    "Request a supplement": "Yêu cầu bổ sung",
    "Refuse": "Từ chối",
    "Some fields are not valid: see the messages below each one.": "Một số trường thông tin "
    "không hợp lệ: xem thông báo dưới từng trường.",
    "Mandatory documents not received: %(missing)s. Tick them, or request a supplement "
    "listing them.": "Chưa nhận giấy tờ bắt buộc: %(missing)s. Hãy đánh dấu nếu đã nhận, "
    "hoặc yêu cầu bổ sung các giấy tờ này.",
    "A reason is required.": "Cần nêu rõ lý do.",
    "List every document the applicant must add.": "Hãy liệt kê mọi giấy tờ người nộp cần bổ sung.",
    "You may not do this.": "Bạn không được thực hiện thao tác này.",
    "Dossier %(code)s is received. Print the receipt for the applicant.": "Đã tiếp nhận hồ "
    "sơ %(code)s. Hãy in giấy tiếp nhận và hẹn trả kết quả cho người nộp.",
    "Dossier %(code)s: the supplement request is issued. Print it for the applicant.": "Hồ sơ "
    "%(code)s: đã lập phiếu yêu cầu bổ sung. Hãy in phiếu cho người nộp.",
    "Dossier %(code)s: the refusal to receive is issued.": "Hồ sơ %(code)s: đã lập phiếu từ "
    "chối tiếp nhận.",
    # The dossier page
    "Dossier": "Hồ sơ",
    "Summary": "Thông tin chung",
    "Channel": "Hình thức nộp",
    "%(sets)s set(s)": "%(sets)s bộ",
    "Received on": "Ngày tiếp nhận",
    "tracking book no. %(n)s": "số theo dõi %(n)s",
    "Appointment": "Ngày hẹn trả",
    "Apologised, new appointment": "Đã xin lỗi, hẹn lại",
    "Competent agency": "Cơ quan có thẩm quyền",
    "Held by": "Đang xử lý tại",
    "Result ready on": "Ngày có kết quả",
    "Result returned on": "Ngày trả kết quả",
    "Result": "Kết quả",
    "Reason": "Lý do",
    "Request": "Nội dung yêu cầu",
    "Workflow steps": "Các bước xử lý",
    "Step": "Bước",
    "Agency": "Cơ quan",
    "Handled by": "Người xử lý",
    "Done": "Hoàn thành",
    "The workflow starts when the dossier is received.": "Quy trình xử lý bắt đầu khi hồ sơ "
    "được tiếp nhận.",
    "Documents": "Thành phần hồ sơ",
    "Download": "Tải về",
    "paper only": "chỉ có bản giấy",
    "No document received.": "Chưa nhận giấy tờ nào.",
    "Results": "Kết quả giải quyết",
    "Supplement requests": "Yêu cầu bổ sung hồ sơ",
    "answered": "đã bổ sung",
    "Apologies": "Phiếu xin lỗi",
    "Inter-agency tasks": "Phối hợp liên thông",
    "Status": "Tình trạng",
    "Answer": "Ý kiến trả lời",
    "Forms to print": "Biểu mẫu để in",
    "Receipt and appointment": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "Supplement request": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "Refusal to receive": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "Apology and new appointment": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "Notice that processing stopped": "Thông báo dừng giải quyết hồ sơ",
    "Dossier control sheet": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "form %(number)s": "mẫu %(number)s",
    "Your actions": "Thao tác của bạn",
    "No action of yours is possible on this dossier now.": "Hiện bạn không có thao tác nào "
    "trên hồ sơ này.",
    "Note (optional)": "Ghi chú (không bắt buộc)",
    "Documents the applicant must add (one per line)": "Giấy tờ người nộp cần bổ sung (mỗi "
    "dòng một giấy tờ)",
    "New appointment": "Ngày hẹn trả mới",
    "How the result is returned": "Hình thức trả kết quả",
    "Rating": "Mức độ hài lòng",
    "Unknown action.": "Thao tác không hợp lệ.",
    "Check the fields of the form.": "Vui lòng kiểm tra lại các trường thông tin.",
    "Done: %(action)s.": "Đã thực hiện: %(action)s.",
    "Timeline": "Diễn biến xử lý",
    "Dossier opened": "Tạo hồ sơ",
    "Document added": "Bổ sung giấy tờ",
    "Marked overdue": "Chuyển sang quá hạn",
    "Handover": "Bàn giao",
    "the applicant": "người nộp",
    # Leader's overview
    "All agencies of the province.": "Tất cả cơ quan trong tỉnh.",
    "Dossiers by state": "Hồ sơ theo trạng thái",
    "No dossier yet.": "Chưa có hồ sơ nào.",
    "Dossiers in all: %(total)s": "Tổng số hồ sơ: %(total)s",
    "Overdue dossiers": "Hồ sơ quá hạn",
    "No dossier is overdue.": "Không có hồ sơ quá hạn.",
    "Who holds what": "Hồ sơ đang do ai giữ",
    "Official": "Cán bộ",
    "Dossiers in hand": "Số hồ sơ đang giữ",
    "of which overdue": "trong đó quá hạn",
    "Nobody holds a dossier in progress.": "Không ai đang giữ hồ sơ đang xử lý.",
    # Search
    "Procedure code": "Mã thủ tục",
    "Received from": "Tiếp nhận từ ngày",
    "Received until": "Tiếp nhận đến ngày",
    "Overdue only": "Chỉ hồ sơ quá hạn",
    "Any state": "Mọi trạng thái",
    "Clear": "Xóa bộ lọc",
    "No dossier matches.": "Không có hồ sơ nào phù hợp.",
    "Pages": "Trang",
    "First page": "Trang đầu",
    "Next page": "Trang sau",
}
