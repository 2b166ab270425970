"""The number and date printed on a digitally signed document (Decree 30/2020, Art. 15 and
Appendix I): "Số: 01/QĐ-STTTT" under the agency name, "<place>, ngày 10 tháng 3 năm 2025" under
the national motto.

Vietnamese practice with digital signatures: the competent person signs first, then the clerk
(văn thư) issues the number and the date and applies the agency seal. For the number to be on
the signed page without breaking her signature:

1. before she signs, :func:`add_number_fields` adds two empty, read-only text fields
   (``SoKyHieu``, ``NgayBanHanh``) to the first page of the draft — her signature covers them;
   her signature is an approval signature (no certification), which permits form filling;
2. the clerk's numbering fills them (:func:`fill_number_fields`): an incremental update that
   changes only the fields' values and appearances — what PDF validators (pyHanko's difference
   analysis here) class as form filling, permitted after an approval signature;
3. the seal signature is then added over the filled document, so the seal covers the number.

Where the fields sit is the layout of Decree 30's Appendix I on an A4 page with its margins;
agencies whose templates put them elsewhere set ``EGOV_OFFICE_NUMBER_FIELD_MM`` and
``EGOV_OFFICE_DATE_FIELD_MM`` (left, top, width, height in millimetres from the page's top-left
corner). Nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import io

from django.conf import settings
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.generic import pdf_name, pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle

MM = 72 / 25.4
NUMBER_FIELD = "SoKyHieu"
DATE_FIELD = "NgayBanHanh"
FONT_SIZE = 13  # pt, as the rest of the header (Decree 30, Appendix I)
# Under the agency name (left column) and under the motto (right column), first page.
DEFAULT_NUMBER_MM = (30, 32, 74, 7)
DEFAULT_DATE_MM = (104, 32, 91, 7)
READ_ONLY = 1  # /Ff bit 1: viewers do not let a reader type in it


def _rect(page_height: float, spec) -> list[float]:
    left, top, width, height = (float(v) for v in spec)
    x1, y2 = left * MM, page_height - top * MM
    return [round(x1, 2), round(y2 - height * MM, 2), round(x1 + width * MM, 2), round(y2, 2)]


def _field_specs():
    return (
        (NUMBER_FIELD, getattr(settings, "EGOV_OFFICE_NUMBER_FIELD_MM", DEFAULT_NUMBER_MM)),
        (DATE_FIELD, getattr(settings, "EGOV_OFFICE_DATE_FIELD_MM", DEFAULT_DATE_MM)),
    )


def field_names(pdf_bytes: bytes) -> set[str]:
    """Names of the top-level form fields of the document."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    form = reader.root.get("/AcroForm")
    if form is None:
        return set()
    return {str(ref.get_object().get("/T", "")) for ref in form.get_object().get("/Fields", [])}


def has_number_fields(pdf_bytes: bytes) -> bool:
    return {NUMBER_FIELD, DATE_FIELD} <= field_names(pdf_bytes)


def add_number_fields(pdf_bytes: bytes) -> bytes:
    """The draft with the two empty number/date fields on its first page (an incremental
    update; the document unchanged when it has them already)."""
    if has_number_fields(pdf_bytes):
        return pdf_bytes
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    page_ref, _resources = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    box = page.get("/MediaBox") or writer.root["/Pages"].get("/MediaBox")
    page_height = float(box[3]) - float(box[1])
    root = writer.root
    form = root.get("/AcroForm")
    if form is None:
        form = generic.DictionaryObject({pdf_name("/Fields"): generic.ArrayObject()})
        root[pdf_name("/AcroForm")] = writer.add_object(form)
        writer.update_root()
    else:
        form = form.get_object()
        form_ref = root.raw_get("/AcroForm")
        if isinstance(form_ref, generic.IndirectObject):
            writer.mark_update(form_ref)
        else:
            writer.update_root()
    fields = form.get("/Fields")
    if fields is None:
        fields = form[pdf_name("/Fields")] = generic.ArrayObject()
    elif isinstance(form.raw_get("/Fields"), generic.IndirectObject):
        writer.mark_update(form.raw_get("/Fields"))
    annots = page.get("/Annots")
    if annots is None:
        annots = page[pdf_name("/Annots")] = generic.ArrayObject()
        writer.mark_update(page_ref)
    elif isinstance(page.raw_get("/Annots"), generic.IndirectObject):
        writer.mark_update(page.raw_get("/Annots"))
    else:
        writer.mark_update(page_ref)
    for name, spec in _field_specs():
        field = generic.DictionaryObject(
            {
                pdf_name("/FT"): pdf_name("/Tx"),
                pdf_name("/T"): pdf_string(name),
                pdf_name("/Ff"): generic.NumberObject(READ_ONLY),
                pdf_name("/Type"): pdf_name("/Annot"),
                pdf_name("/Subtype"): pdf_name("/Widget"),
                pdf_name("/F"): generic.NumberObject(4),  # printed
                pdf_name("/Rect"): generic.ArrayObject(
                    generic.FloatObject(v) for v in _rect(page_height, spec)
                ),
                pdf_name("/P"): page_ref,
                pdf_name("/DA"): pdf_string(f"/Helv {FONT_SIZE} Tf 0 g"),
            }
        )
        ref = writer.add_object(field)
        fields.append(ref)
        annots.append(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def date_line(place: str, day: dt.date) -> str:
    """ "Hà Nội, ngày 05 tháng 02 năm 2025": a day below 10 and the months 1 and 2 take a
    leading zero, the other months none (Decree 30/2020, Appendix I, II.4)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text.capitalize()


def _appearance(writer, rect, text: str) -> generic.IndirectObject:
    from egov.pki.appearance import TinosFont

    width, height = float(rect[2]) - float(rect[0]), float(rect[3]) - float(rect[1])
    box = TextBox(
        TextBoxStyle(
            font=TinosFont(font_size=FONT_SIZE),
            font_size=FONT_SIZE,
            text_color=(0, 0, 0),
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
            ),
        ),
        writer=writer,
        box=layout.BoxConstraints(width=width, height=height),
    )
    box.content = text
    return writer.add_object(box.as_form_xobject())


def fill_number_fields(pdf_bytes: bytes, number_text: str, date_text: str) -> bytes:
    """The document with the number and date written in its fields (value and appearance),
    as an incremental update that earlier approval signatures permit (form filling). Fields
    missing from the document are skipped."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    form = writer.root.get("/AcroForm")
    values = {NUMBER_FIELD: number_text, DATE_FIELD: date_text}
    for ref in form.get_object().get("/Fields", []) if form is not None else []:
        field = ref.get_object()
        name = str(field.get("/T", ""))
        if name not in values:
            continue
        field[pdf_name("/V")] = pdf_string(values[name])
        field[pdf_name("/AP")] = generic.DictionaryObject(
            {pdf_name("/N"): _appearance(writer, field["/Rect"], values[name])}
        )
        writer.mark_update(ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def field_values(pdf_bytes: bytes) -> dict[str, str]:
    """The values of the document's top-level text fields (what a reader's viewer shows)."""
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    form = reader.root.get("/AcroForm")
    if form is None:
        return {}
    values = {}
    for ref in form.get_object().get("/Fields", []):
        field = ref.get_object()
        if field.get("/FT") == "/Tx":
            values[str(field.get("/T", ""))] = str(field.get("/V", ""))
    return values
