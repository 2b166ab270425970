"""Where the visible signature goes on a document uploaded to the "Sign a document" page.

Decree 30/2020/NĐ-CP (App. I) puts the signature block of the competent person in the right
half of the page under the text; the page margins are 20–25 mm at the bottom, 30–35 mm on the
left and 15–20 mm on the right. Without a template that says where the block is, the page puts
it at the bottom right of the last page (or bottom left, or another page, when she asks), inside
those margins, so that the seal of the agency (which overlaps the left third of the signature
and reaches further left and down) fits on the page as well.

When the agency seals a document its official has already signed, the seal must land on *that*
signature: :func:`block_of_official_signature` finds the official's signature widget in the file
and rebuilds the :class:`~egov.pki.appearance.SignatureBlock` it was drawn from.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields

from ..appearance import MM, SignatureBlock

MARGIN_BOTTOM = 20 * MM
MARGIN_LEFT = 30 * MM
MARGIN_RIGHT = 20 * MM
# The field names pades.sign_as_official gives the official's signature (ChuKyNguoiKy,
# ChuKyNguoiKy2, …).
OFFICIAL_FIELD_PREFIX = "ChuKyNguoiKy"
A4 = (0.0, 0.0, 595.28, 841.89)


class Corner(models.TextChoices):
    BOTTOM_RIGHT = "bottom-right", _("Bottom right (signature block of Decree 30)")
    BOTTOM_LEFT = "bottom-left", _("Bottom left")


def page_count(reader: PdfFileReader) -> int:
    return int(reader.root["/Pages"]["/Count"])


def _inherited(page, key: str):
    """A page attribute that may be inherited from the page tree (ISO 32000-1 §7.7.3.4)."""
    node = page
    for _depth in range(64):  # the page tree is shallow; a loop means a broken file
        if key in node:
            return node[key]
        if "/Parent" not in node:
            return None
        node = node["/Parent"]
    return None


def page_box(reader: PdfFileReader, index: int) -> tuple[float, float, float, float]:
    """The visible area of page ``index`` (crop box, else media box), in points."""
    page_ref, _resources = reader.find_page_for_modification(index)
    page = page_ref.get_object()
    box = _inherited(page, "/CropBox") or _inherited(page, "/MediaBox")
    try:
        x1, y1, x2, y2 = (float(v) for v in box)
    except (TypeError, ValueError):
        return A4
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def default_block(
    reader: PdfFileReader, *, page: int | None = None, corner: str = Corner.BOTTOM_RIGHT
) -> SignatureBlock:
    """The signature block in a bottom corner of ``page`` (1-based; None: the last page),
    placed so that the official's signature, her information lines, the seal over it and the
    agency's lines all stay inside the page margins."""
    count = page_count(reader)
    index = count - 1 if page is None else min(max(page, 1), count) - 1
    left, bottom, right, _top = page_box(reader, index)
    shape = SignatureBlock(page=index, x=0, y=0)
    seal_left, seal_bottom, _x2, _y2 = shape.seal_box()
    width = shape.official_box()[2]
    if corner == Corner.BOTTOM_LEFT:
        x = left + MARGIN_LEFT - seal_left
    else:
        x = right - MARGIN_RIGHT - width
    x = max(x, left - seal_left)  # a small page: keep the seal on it
    y = bottom + MARGIN_BOTTOM - seal_bottom
    return SignatureBlock(page=index, x=round(x, 2), y=round(y, 2))


def _page_of(reader: PdfFileReader, widget_ref, widget) -> int | None:
    """The index of the page that shows ``widget`` (its /P entry, else the pages' /Annots)."""
    page_entry = widget.raw_get("/P") if "/P" in widget else None
    count = page_count(reader)
    for index in range(count):
        page_ref, _resources = reader.find_page_for_modification(index)
        if isinstance(page_entry, generic.IndirectObject):
            if page_entry.reference == page_ref.reference:
                return index
            continue
        annotations = page_ref.get_object().get("/Annots") or []
        for annotation in annotations:
            if (
                isinstance(annotation, generic.IndirectObject)
                and widget_ref is not None
                and annotation.reference == widget_ref.reference
            ):
                return index
    return None


def block_of_official_signature(reader: PdfFileReader) -> SignatureBlock | None:
    """The signature block of the last official's signature in the file (None when there is
    none), so that the agency seal is laid over it as Decree 30 asks."""
    found = None
    for name, _value, field_ref in fields.enumerate_sig_fields(reader, filled_status=True):
        if name and name.startswith(OFFICIAL_FIELD_PREFIX):
            found = field_ref
    if found is None:
        return None
    field = found.get_object()
    widget_ref, widget = found, field
    if "/Rect" not in field and field.get("/Kids"):
        widget_ref = field.raw_get("/Kids")[0]
        widget = widget_ref.get_object()
    if "/Rect" not in widget:
        return None
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    x1, x2 = min(x1, x2), max(x1, x2)
    y1, y2 = min(y1, y2), max(y1, y2)
    index = _page_of(reader, widget_ref, widget)
    if index is None:
        return None
    width = x2 - x1
    y = y2 - SignatureBlock(page=index, x=0, y=0).image_height
    plain = SignatureBlock(page=index, x=x1, y=y, image_width=width)
    if abs(plain.official_box()[1] - y1) < 0.5:
        return plain
    # Her information lines were moved further down (``info_gap``, e.g. under her printed
    # name): measure the height of the lines with a probe, then the gap from the widget.
    probe = 1000.0
    lines = (
        y
        - probe
        - SignatureBlock(page=index, x=x1, y=y, image_width=width, info_gap=probe).official_box()[1]
    )
    return SignatureBlock(page=index, x=x1, y=y, image_width=width, info_gap=y - y1 - lines)
