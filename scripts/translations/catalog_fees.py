# ruff: noqa: E501 - one entry per line reads best
"""Vietnamese for fees and charges by table and for receiving places in the catalogue."""

VI = {
    # --- models ----------------------------------------------------------------------------
    "Fee (phí)": "Phí",
    "Charge (lệ phí)": "Lệ phí",
    "fee or charge": "phí hay lệ phí",
    "Leave empty for a fee by table: the amounts are in the table.": "Để trống nếu mức thu theo bảng: các mức thu nằm trong bảng.",
    "counted per": "đơn vị tính",
    "As published, e.g. “đồng/trang”, “đồng/giấy phép”.": "Theo công bố, ví dụ “đồng/trang”, “đồng/giấy phép”.",
    "amounts by case": "mức thu theo trường hợp",
    "The cases the amount depends on, each with its amount and unit.": "Các trường hợp quyết định mức thu, mỗi trường hợp có mức thu và đơn vị tính.",
    "A fee is either one amount or a table of amounts by case, not both.": "Phí, lệ phí chỉ có một mức thu hoặc một bảng mức thu theo trường hợp, không được có cả hai.",
    "Give the amount, or fill the table of amounts.": "Hãy nhập mức thu, hoặc điền bảng mức thu.",
    # --- rules of fee tables (egov.catalog.fees) --------------------------------------------
    "The table of amounts must be a list of cases.": "Bảng mức thu phải là một danh sách các trường hợp.",
    "Case %(number)s: the case is missing or longer than %(max)s characters.": "Trường hợp %(number)s: thiếu tên trường hợp hoặc dài quá %(max)s ký tự.",
    "Case %(number)s: the amount must be a whole number of đồng.": "Trường hợp %(number)s: mức thu phải là số nguyên đồng, không âm.",
    "Case %(number)s: the unit must be text of at most %(max)s characters.": "Trường hợp %(number)s: đơn vị tính phải là văn bản không quá %(max)s ký tự.",
    "Case %(number)s: unknown keys %(keys)s.": "Trường hợp %(number)s: có trường không hợp lệ %(keys)s.",
    "A fee name must be text of at most 200 characters.": "Tên phí, lệ phí phải là văn bản không quá 200 ký tự.",
    "Fee “%(name)s”: the kind must be fee (phí) or charge (lệ phí).": "Phí, lệ phí “%(name)s”: loại phải là fee (phí) hoặc charge (lệ phí).",
    "Fee “%(name)s”: “%(key)s” must be text.": "Phí, lệ phí “%(name)s”: “%(key)s” phải là văn bản.",
    "Fee “%(name)s”: the unit is longer than %(max)s characters.": "Phí, lệ phí “%(name)s”: đơn vị tính dài quá %(max)s ký tự.",
    "Fee “%(name)s”: a fee is either one amount or a table of amounts by case, not both.": "Phí, lệ phí “%(name)s”: chỉ được có một mức thu hoặc một bảng mức thu theo trường hợp, không được có cả hai.",
    "Fee “%(name)s”: %(problem)s": "Phí, lệ phí “%(name)s”: %(problem)s",
    "Line %(number)s: write “case | amount | unit” (the unit may be left out).": "Dòng %(number)s: hãy ghi “trường hợp | mức thu | đơn vị tính” (có thể bỏ trống đơn vị tính).",
    "Line %(number)s: the amount must be a whole number of đồng.": "Dòng %(number)s: mức thu phải là số nguyên đồng.",
    # --- services --------------------------------------------------------------------------
    "Only a system administrator may fill in receiving places.": "Chỉ quản trị hệ thống mới được điền nơi tiếp nhận hồ sơ.",
    # --- administration --------------------------------------------------------------------
    "For a fee that depends on the case: one case a line, “case | amount | unit”, e.g. “Nhà ở riêng lẻ | 75.000 | đồng/giấy phép”; then leave the amount empty.": "Với phí, lệ phí thu theo từng trường hợp: mỗi dòng một trường hợp, “trường hợp | mức thu | đơn vị tính”, ví dụ “Nhà ở riêng lẻ | 75.000 | đồng/giấy phép”; khi đó để trống mức thu.",
    # --- API -------------------------------------------------------------------------------
    "the case, as published (Vietnamese)": "trường hợp áp dụng, theo công bố (tiếng Việt)",
    "whole đồng": "số nguyên đồng",
    "what it is counted per": "đơn vị tính",
    "not stated": "không ghi",
    "fee (phí) or charge (lệ phí); empty when the source does not say": "fee (phí) hoặc charge (lệ phí); để trống khi nguồn không ghi",
    # --- pages -----------------------------------------------------------------------------
    "Receiving places": "Nơi tiếp nhận hồ sơ",
    "%(count)s places: show the list": "%(count)s nơi: xem danh sách",
    "Fee or charge": "Phí hay lệ phí",
    "Case": "Trường hợp",
    "Amount": "Mức thu",
    "Counted per": "Đơn vị tính",
}
