"""Reading PDF hexadecimal strings in blocks, for pyHanko's PDF parser.

The ``/Contents`` of every signature is a hexadecimal string of some 20,000 digits (the CMS,
then zeros up to the room reserved for it). pyHanko 0.33 reads hexadecimal strings one byte at
a time, with two Python calls per digit: reading the ``/Contents`` of one signature took about
10 ms — a third of the validation of a signed document, and as much again for every signature
already in a document that gets one more.

:func:`install` puts :func:`read_hex_string_from_stream` in the place of
``pyhanko.pdf_utils.generic.read_hex_string_from_stream`` (pyHanko calls it through that
module's global name, from ``read_object`` only). It reads up to the closing ``>`` in blocks;
anything but hexadecimal digits and PDF white space before it — a comment, a stray byte, no
``>`` at all — goes to pyHanko's own function from the same position, so the string object, or
the error, is pyHanko's in every case. ``egov.pki.pades`` and ``egov.pki.validation`` install it
when they are imported; ``tests/test_pdfhex.py`` compares both readers.
"""

from __future__ import annotations

import binascii
import re

from pyhanko.pdf_utils import generic, misc

_BLOCK = 64 * 1024
_PLAIN = re.compile(b"[0-9A-Fa-f" + re.escape(misc.PDF_WHITESPACE) + b"]*")
_original = getattr(
    generic.read_hex_string_from_stream, "egov_original", generic.read_hex_string_from_stream
)


def read_hex_string_from_stream(stream):
    """pyHanko's ``read_hex_string_from_stream``, reading blocks instead of bytes."""
    start = stream.tell()
    stream.read(1)  # the "<"
    parts = []
    while True:
        block = stream.read(_BLOCK)
        end = block.find(b">")
        if end >= 0:
            parts.append(block[:end])
            break
        if not block:  # no ">": pyHanko says how the stream ended
            stream.seek(start)
            return _original(stream)
        parts.append(block)
    digits = b"".join(parts)
    if not _PLAIN.fullmatch(digits):
        stream.seek(start)
        return _original(stream)
    stream.seek(start + len(digits) + 2)  # after the ">"
    digits = digits.translate(None, misc.PDF_WHITESPACE)
    if len(digits) % 2:
        digits += b"0"  # PDF: a missing last digit is 0
    return generic.pdf_string(binascii.unhexlify(digits))


read_hex_string_from_stream.egov_original = _original


def install() -> None:
    """Make pyHanko's parser use :func:`read_hex_string_from_stream` (idempotent)."""
    generic.read_hex_string_from_stream = read_hex_string_from_stream
