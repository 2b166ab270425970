"""VNPay's signatures and values, checked against the examples of its integration guide.

The guide's sample payment URL (sandbox.vnpayment.vn/apis/docs/huong-dan-tich-hop/) shows the
exact query string that is signed; its merchant secret is not published, so the expected
digests below were computed independently with ``openssl dgst -sha512 -hmac <secret>`` over
that string.
"""

import datetime as dt

from egov.payments import money, protocol

SECRET = "EGOVSANDBOXSECRETNOTFORPRODUCTION"

# The parameters of the guide's example (vnp_SecureHash left out).
GUIDE_PARAMS = {
    "vnp_Amount": "1806000",
    "vnp_Command": "pay",
    "vnp_CreateDate": "20210801153333",
    "vnp_CurrCode": "VND",
    "vnp_IpAddr": "127.0.0.1",
    "vnp_Locale": "vn",
    "vnp_OrderInfo": "Thanh toan don hang :5",
    "vnp_OrderType": "other",
    "vnp_ReturnUrl": "https://domainmerchant.vn/ReturnUrl",
    "vnp_TmnCode": "DEMOV210",
    "vnp_TxnRef": "5",
    "vnp_Version": "2.1.0",
}
GUIDE_QUERY = (
    "vnp_Amount=1806000&vnp_Command=pay&vnp_CreateDate=20210801153333&vnp_CurrCode=VND"
    "&vnp_IpAddr=127.0.0.1&vnp_Locale=vn&vnp_OrderInfo=Thanh+toan+don+hang+%3A5"
    "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdomainmerchant.vn%2FReturnUrl"
    "&vnp_TmnCode=DEMOV210&vnp_TxnRef=5&vnp_Version=2.1.0"
)
GUIDE_DIGEST = (
    "2876da80e54bbab3776a96e579340d09d19120a1348c708a3ee93aeb93d490a4"
    "19b508ff42fa52624c9113aad9e54886ea430689fbc9b0d71b799e60ba97e4cc"
)


def test_the_signed_string_is_the_guides_query_sorted_and_form_encoded():
    shuffled = dict(reversed(list(GUIDE_PARAMS.items())))
    assert protocol.canonical_query(shuffled) == GUIDE_QUERY


def test_the_signature_is_hmac_sha512_of_that_string():
    assert protocol.sign_query(GUIDE_PARAMS, SECRET) == GUIDE_DIGEST
    url_query = protocol.signed_query(GUIDE_PARAMS, SECRET)
    assert url_query == f"{GUIDE_QUERY}&vnp_SecureHash={GUIDE_DIGEST}"


def test_a_signature_round_trips_and_any_change_breaks_it():
    params = {**GUIDE_PARAMS, "vnp_SecureHash": GUIDE_DIGEST}
    assert protocol.verify_query(params, SECRET)
    # Upper-case hex and the 2.0.x hash-type field are accepted; neither is signed.
    assert protocol.verify_query(
        {**params, "vnp_SecureHash": GUIDE_DIGEST.upper(), "vnp_SecureHashType": "HmacSHA512"},
        SECRET,
    )
    assert not protocol.verify_query({**params, "vnp_Amount": "1806100"}, SECRET)
    assert not protocol.verify_query(params, "another secret")
    assert not protocol.verify_query(GUIDE_PARAMS, SECRET)  # no signature at all


def test_the_querydr_checksum_joins_the_fields_with_pipes_in_the_guides_order():
    request = {
        "vnp_RequestId": "20250310",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "DEMOV210",
        "vnp_TxnRef": "5",
        "vnp_OrderInfo": "Truy van giao dich 5",
        "vnp_TransactionDate": "20210801153333",
        "vnp_CreateDate": "20210801160000",
        "vnp_IpAddr": "127.0.0.1",
    }
    assert protocol.api_checksum_data(request, protocol.QUERY_REQUEST_FIELDS) == (
        "20250310|2.1.0|querydr|DEMOV210|5|20210801153333|20210801160000|127.0.0.1"
        "|Truy van giao dich 5"
    )
    assert protocol.sign_api(request, protocol.QUERY_REQUEST_FIELDS, SECRET) == (
        "4ca888a11857f1ae66919e18bd04399f0cb2964e3bdcc897804a231bec310d49"
        "7968f7a1246bd983811281ce0f9bf46eca5c0be657c522d47442248a8846c2fe"
    )


def test_amounts_are_dong_times_100_and_dates_are_vietnam_time():
    assert protocol.to_gateway_amount(50_000) == 5_000_000
    assert protocol.from_gateway_amount("5000000") == 50_000
    assert protocol.from_gateway_amount("5000050") is None  # not whole đồng
    assert protocol.from_gateway_amount("-100") is None
    moment = dt.datetime(2025, 3, 10, 2, 30, tzinfo=dt.UTC)
    assert protocol.format_date(moment) == "20250310093000"
    assert protocol.parse_date("20250310093000") == moment


def test_the_order_description_is_sent_without_accents_or_special_characters():
    assert (
        protocol.order_info("Thanh toán lệ phí hồ sơ 000.00.21.H16-250310-0001 <Đắk Nông>")
        == "Thanh toan le phi ho so 000.00.21.H16-250310-0001 Dak Nong"
    )


def test_amounts_in_words_read_every_group_in_full_as_receipts_do():
    assert money.in_words(50_000) == "Năm mươi nghìn đồng"
    assert money.in_words(150_000) == "Một trăm năm mươi nghìn đồng"
    assert money.in_words(1_050_000) == "Một triệu không trăm năm mươi nghìn đồng"
    assert money.in_words(1_005_000) == "Một triệu không trăm linh năm nghìn đồng"
    assert money.in_words(21_000) == "Hai mươi mốt nghìn đồng"
    assert money.in_words(115_000) == "Một trăm mười lăm nghìn đồng"
    assert money.in_words(2_000_000_000) == "Hai tỷ đồng"
    assert money.in_words(0) == "Không đồng"
    assert money.figures(1_250_000) == "1.250.000"
