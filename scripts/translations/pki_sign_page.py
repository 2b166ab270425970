# ruff: noqa: E501 - one entry per line reads best
"""Vietnamese for the page "Ký số văn bản" (/certificates/sign/): an official signs a PDF with
her certificate, a leader or clerk (văn thư) applies the agency seal, the result and download.

Terms follow Decree 30/2020/NĐ-CP and Decree 68/2024/NĐ-CP and the other PKI pages: ký số (sign
digitally), chứng thư số (certificate), con dấu cơ quan / đóng dấu (agency seal / to seal),
mã xác thực (authenticator code), nhật ký (audit trail), dấu thời gian (timestamp).
"""

VI = {
    # --- the form (egov.pki.web.sign_forms, pki/sign.html) ---------------------------------
    "Sign a document": "Ký số văn bản",
    "Upload a PDF document (at most %(limit_mb)s MB), choose your certificate and confirm with the code of your authenticator app. The signature is added to the document with a timestamp; you then download the signed file.": "Tải lên văn bản PDF (tối đa %(limit_mb)s MB), chọn chứng thư số và xác nhận bằng mã của ứng dụng xác thực. Chữ ký số được thêm vào văn bản kèm dấu thời gian; sau đó bạn tải về tệp đã ký.",
    "Nothing was signed.": "Văn bản chưa được ký.",
    "Position, format and image of the signature": "Vị trí, định dạng và hình ảnh chữ ký",
    "Sign": "Ký số",
    "PDF document to sign": "Văn bản PDF cần ký",
    "Choose the PDF document to sign.": "Hãy chọn văn bản PDF cần ký.",
    "Sign with": "Ký bằng",
    "To seal a document you have signed, upload the signed file and choose the agency seal: the seal is placed over the signature and both stay valid.": "Để đóng dấu văn bản đã ký, hãy tải lên tệp đã ký và chọn con dấu cơ quan: con dấu được đặt trùm lên chữ ký và cả hai chữ ký số đều giữ nguyên hiệu lực.",
    "Choose the certificate to sign with.": "Hãy chọn chứng thư số dùng để ký.",
    "Reason for signing": "Lý do ký",
    "e.g. Signed for issue": "Ví dụ: Ký ban hành",
    "Page": "Trang",
    "Leave empty for the last page.": "Để trống để ký ở trang cuối.",
    "Position on the page": "Vị trí trên trang",
    "Bottom right (signature block of Decree 30)": "Góc dưới bên phải (vị trí chữ ký theo Nghị định 30)",
    "Bottom left": "Góc dưới bên trái",
    "The agency seal on a signed document goes over the signature instead.": "Khi đóng dấu cơ quan lên văn bản đã ký, con dấu được đặt trùm lên chữ ký của người ký.",
    "Signature format": "Định dạng chữ ký",
    "PAdES B-T: with a timestamp of the signing time (recommended)": "PAdES B-T: kèm dấu thời gian của thời điểm ký (khuyến nghị)",
    "PAdES B-LT: also with the certificates and revocation data": "PAdES B-LT: kèm thêm chứng thư số và thông tin thu hồi",
    "PAdES B-LTA: also with an archive timestamp, for long-kept records": "PAdES B-LTA: kèm thêm dấu thời gian lưu trữ, cho hồ sơ lưu trữ lâu dài",
    "Signature or seal image (PNG on a transparent background)": "Ảnh chữ ký hoặc con dấu (PNG nền trong suốt)",
    "Optional: without it, an image is drawn from the name in the certificate.": "Không bắt buộc: nếu để trống, hệ thống tạo ảnh từ tên ghi trong chứng thư số.",
    "Code from your authenticator app": "Mã xác thực (6 chữ số trên ứng dụng xác thực)",
    "Enter the 6-digit code from your authenticator app to sign.": "Nhập mã 6 chữ số từ ứng dụng xác thực để ký.",
    "Signing binds you by law: confirm that it is you.": "Chữ ký số có giá trị pháp lý: hãy xác nhận chính bạn là người ký.",
    "Agency seal: %(agency)s (valid until %(date)s)": "Con dấu cơ quan: %(agency)s (hiệu lực đến %(date)s)",
    "Personal signature: %(name)s (valid until %(date)s)": "Chữ ký cá nhân: %(name)s (hiệu lực đến %(date)s)",
    "The PDF has no page to sign.": "Tệp PDF không có trang nào để ký.",
    "The image is larger than %(limit)s MB.": "Ảnh lớn hơn %(limit)s MB.",
    "Page %(page)s does not exist: the document ends at page %(count)s.": "Không có trang %(page)s: văn bản chỉ có đến trang %(count)s.",
    # --- refusals (egov.pki.web.sign) ---------------------------------------------------------
    "You hold no certificate you may sign with. Ask for one on the page “Digital certificates”.": "Bạn chưa có chứng thư số nào dùng để ký được. Hãy đề nghị cấp tại trang “Chứng thư số”.",
    "The key of this certificate cannot be used right now: nothing was signed. Try again later or tell the administrator.": "Hiện không dùng được khóa của chứng thư số này nên văn bản chưa được ký. Vui lòng thử lại sau hoặc báo cho quản trị viên.",
    "This code has already been used (to log in or for another signature): each code works once. Wait for the next code of your authenticator app.": "Mã này đã được dùng (để đăng nhập hoặc cho lần ký khác): mỗi mã chỉ dùng được một lần. Hãy chờ mã tiếp theo trên ứng dụng xác thực.",
    "The signed file is no longer available.": "Tệp đã ký không còn được lưu để tải về.",
    # --- the result (pki/sign_result.html) ----------------------------------------------------
    "The document is signed": "Đã ký số văn bản",
    "The agency seal is applied": "Đã đóng dấu cơ quan lên văn bản",
    "Download the signed file below: it is kept here for you for one day. Anyone can check its signatures on the public page.": "Tải tệp đã ký ở nút dưới đây: tệp được lưu cho bạn trong một ngày. Bất kỳ ai cũng có thể kiểm tra chữ ký số trên trang công khai.",
    "Document file": "Tệp văn bản",
    "Signed with": "Ký bằng chứng thư số",
    "Signing time": "Thời điểm ký",
    "Audit reference": "Số tham chiếu nhật ký",
    "Audit event no. %(seq)s": "Sự kiện nhật ký số %(seq)s",
    "SHA-256 of the signed file": "Mã băm SHA-256 của tệp đã ký",
    "Download %(name)s": "Tải về %(name)s",
    "Sign another document": "Ký văn bản khác",
    "To add the agency seal: download the signed file, then sign it again here choosing the agency seal. The seal is placed over your signature and both stay valid.": "Để đóng dấu cơ quan: tải tệp đã ký về, rồi ký lại tại trang này và chọn con dấu cơ quan. Con dấu được đặt trùm lên chữ ký của bạn và cả hai chữ ký số đều giữ nguyên hiệu lực.",
}
