"""Vietnamese of online fee payment (thanh toán phí, lệ phí trực tuyến): the applicant's pages,
the return from the gateway, the staff's list of payments, refunds and reconciliation.

Merged by ``scripts/translations_vi.py``. Msgids already translated elsewhere (“Status”,
“Dossier code”, “Reason”…) are not repeated here.
"""

VI = {
    # The app and its models
    "Payments": "Thanh toán trực tuyến",
    "Awaiting the gateway": "Chờ cổng thanh toán",
    "Paid": "Đã thanh toán",
    "Cancelled": "Đã hủy",
    "Refunded": "Đã hoàn tiền",
    "payer account": "tài khoản người nộp",
    "payer": "người nộp tiền",
    "gateway": "cổng thanh toán",
    "payment reference": "mã giao dịch",
    "fee lines": "các khoản thu",
    "started": "bắt đầu lúc",
    "gateway response": "mã phản hồi của cổng thanh toán",
    "gateway transaction no.": "mã giao dịch tại cổng thanh toán",
    "bank": "ngân hàng",
    "bank transaction no.": "mã giao dịch tại ngân hàng",
    "paid at": "thời điểm thanh toán",
    "confirmed by": "xác nhận qua",
    "ipn or reconciliation": "thông báo IPN hoặc đối soát",
    "refunded (VND)": "đã hoàn trả (đồng)",
    "last reconciled": "lần đối soát gần nhất",
    "reconciliation": "đối soát",
    "payment": "giao dịch thanh toán",
    "payments": "giao dịch thanh toán",
    "Refused by the gateway": "Cổng thanh toán từ chối",
    "Gateway unreachable": "Không kết nối được cổng thanh toán",
    "refund": "hoàn tiền",
    "refunds": "hoàn tiền",
    "Payment request": "Yêu cầu thanh toán",
    "Browser return": "Trình duyệt quay về",
    "IPN call": "Thông báo IPN",
    "Transaction query": "Truy vấn giao dịch",
    "Refund request": "Yêu cầu hoàn tiền",
    "gateway message": "trao đổi với cổng thanh toán",
    "gateway messages": "trao đổi với cổng thanh toán",
    # Services: refusals and reconciliation notes
    "A receipt exists only for a paid fee.": "Chỉ có biên lai khi phí, lệ phí đã được thanh toán.",
    "Only the applicant of this dossier pays its fee online.": "Chỉ người nộp hồ sơ mới "
    "thanh toán trực tuyến phí, lệ phí của hồ sơ này.",
    "This dossier does not wait for a fee payment (it is “%(state)s”).": "Hồ sơ này không "
    "ở trạng thái chờ nộp phí, lệ phí (hồ sơ đang “%(state)s”).",
    "The fee of this dossier has already been paid.": "Phí, lệ phí của hồ sơ này đã được "
    "thanh toán.",
    "This dossier has no fee to pay.": "Hồ sơ này không phải nộp phí, lệ phí.",
    "The gateway reports another amount (%(amount)s đồng): check by hand.": "Cổng thanh "
    "toán báo số tiền khác (%(amount)s đồng): cần kiểm tra thủ công.",
    "Paid (confirmed by transaction query).": "Đã thanh toán (xác nhận qua truy vấn giao dịch).",
    "The gateway reports the payment failed (%(code)s).": "Cổng thanh toán báo giao dịch "
    "không thành công (%(code)s).",
    "Unknown to the gateway after the time to pay: abandoned.": "Cổng thanh toán không ghi "
    "nhận giao dịch khi đã hết thời hạn thanh toán: coi như bỏ dở.",
    "Still pending at the gateway.": "Giao dịch vẫn đang chờ tại cổng thanh toán.",
    "The gateway answered %(code)s.": "Cổng thanh toán trả lời mã %(code)s.",
    "You may not refund payments of this dossier.": "Bạn không có quyền hoàn tiền các "
    "khoản thanh toán của hồ sơ này.",
    "Only a paid payment can be refunded, and only once in full.": "Chỉ hoàn tiền cho giao "
    "dịch đã thanh toán, và tổng số hoàn không vượt quá số đã nộp.",
    "Refund between 1 and %(max)s đồng.": "Số tiền hoàn từ 1 đến %(max)s đồng.",
    # The applicant's pages
    "Pay the fee": "Nộp phí, lệ phí",
    "Fee": "Khoản thu",
    "In words:": "Bằng chữ:",
    "Pay online": "Thanh toán trực tuyến",
    "You will be taken to the payment gateway, then brought back here.": "Bạn sẽ được chuyển "
    "sang cổng thanh toán, sau đó quay lại trang này.",
    "Your payments": "Các lần thanh toán của bạn",
    "Payment reference": "Mã giao dịch",
    "Started": "Bắt đầu lúc",
    "Receipt (PDF)": "Biên lai (PDF)",
    "Payment result": "Kết quả thanh toán",
    "This answer from the payment gateway is not valid; nothing was recorded. If money was "
    "taken, contact the agency with your bank's transaction number.": "Phản hồi này của cổng "
    "thanh toán không hợp lệ; hệ thống không ghi nhận. Nếu tài khoản đã bị trừ tiền, vui "
    "lòng liên hệ cơ quan giải quyết kèm mã giao dịch của ngân hàng.",
    "The fee is paid. The agency continues processing your dossier.": "Phí, lệ phí đã được "
    "thanh toán. Cơ quan tiếp tục giải quyết hồ sơ của bạn.",
    "The gateway reports the payment succeeded; we are waiting for its confirmation. This "
    "page will show the receipt once it arrives.": "Cổng thanh toán báo giao dịch thành công; "
    "hệ thống đang chờ xác nhận từ cổng thanh toán. Biên lai sẽ có tại trang này khi nhận "
    "được xác nhận.",
    "You cancelled the payment. Nothing was charged; you can pay again.": "Bạn đã hủy giao "
    "dịch. Không có khoản tiền nào bị trừ; bạn có thể thanh toán lại.",
    "Back to the dossier's fee": "Quay lại trang nộp phí của hồ sơ",
    "The payment did not go through: %(message)s. You can try again.": "Giao dịch không "
    "thành công: %(message)s. Bạn có thể thanh toán lại.",
    # Staff pages
    "Payment": "Giao dịch thanh toán",
    "Fee payments": "Thanh toán phí, lệ phí",
    "Payer": "Người nộp tiền",
    "Gateway transaction no.": "Mã giao dịch tại cổng thanh toán",
    "Bank": "Ngân hàng",
    "Paid at": "Thời điểm thanh toán",
    "Refunded (VND)": "Đã hoàn trả (đồng)",
    "Reconciliation": "Đối soát",
    "Refunds": "Các lần hoàn tiền",
    "Date": "Ngày",
    "Refund": "Hoàn tiền",
    "Exchanges with the gateway": "Trao đổi với cổng thanh toán",
    "Signature": "Chữ ký",
    "Outcome": "Kết quả",
    "valid": "hợp lệ",
    "INVALID": "KHÔNG HỢP LỆ",
    "Reconcile now": "Đối soát ngay",
    "Paid but not needed (refund)": "Đã thu nhưng không còn cần (phải hoàn tiền)",
    "partly refunded": "đã hoàn một phần",
    "Paid but the dossier no longer waited for it: refund.": "Đã thu nhưng hồ sơ không còn "
    "chờ nộp phí: cần hoàn tiền.",
    "Confirmed by the gateway's notice (IPN).": "Xác nhận qua thông báo của cổng thanh toán (IPN).",
    "Confirmed by transaction query.": "Xác nhận qua truy vấn giao dịch.",
    "Waiting for the gateway.": "Đang chờ cổng thanh toán.",
    "No payment.": "Chưa có giao dịch nào.",
    "Collected: %(paid_total)s đ; refunded: %(refunded_total)s đ.": "Đã thu: %(paid_total)s "
    "đ; đã hoàn trả: %(refunded_total)s đ.",
    "The refund was made.": "Đã hoàn tiền.",
    "The gateway did not refund: %(message)s": "Cổng thanh toán không hoàn tiền: %(message)s",
    "Only a system administrator runs reconciliation by hand.": "Chỉ quản trị hệ thống mới "
    "chạy đối soát thủ công.",
}
