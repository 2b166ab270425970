"""The block reader of PDF hexadecimal strings gives what pyHanko's own reader gives."""

import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfStreamError

from egov.pki import (
    pdfhex,
    validation,  # noqa: F401 - installs the reader
)

SAMPLES = [
    b"<>",
    b"<4142>",
    b"<41 42\n43\r\t\x0c\x0044>",
    b"<414>",  # odd: the last digit is completed with 0
    b"<feff0054006800e0006e0068>",  # UTF-16 text, as pyHanko reads it
    b"<FEFF0054>",
    b"<" + b"3082" * 5000 + b"0" * 20000 + b">",  # a signature's /Contents with its room
    b"<41 % a comment > that is not the end\n42>",  # comments: pyHanko's reader
    b"<4142> trailing",
]
BAD = [b"<41G2>", b"<4142", b"<41 42 "]


def read(reader, data: bytes):
    stream = io.BytesIO(b"xx" + data)
    stream.seek(2)
    try:
        return ("ok", reader(stream), stream.tell())
    except PdfStreamError as error:
        return ("error", str(error), None)


@pytest.mark.parametrize("data", SAMPLES + BAD)
def test_the_block_reader_reads_as_pyhanko_does(data):
    ours = read(pdfhex.read_hex_string_from_stream, data)
    theirs = read(pdfhex.read_hex_string_from_stream.egov_original, data)

    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert type(ours[1]) is type(theirs[1])
        assert ours[1] == theirs[1] and ours[2] == theirs[2]
    else:
        assert ours[1] == theirs[1]


def test_the_block_reader_is_the_one_pyhanko_uses():
    assert generic.read_hex_string_from_stream is pdfhex.read_hex_string_from_stream
    parsed = generic.read_object(io.BytesIO(b"<30820102> "), None)
    assert bytes(parsed) == bytes.fromhex("30820102")
