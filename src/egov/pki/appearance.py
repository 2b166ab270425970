"""What a visible signature looks like on an official document (Decree 30/2020/NĐ-CP, App. I).

- The person who signs: the image of her handwritten signature (blue, transparent PNG), centred
  between her title and her name, with the signing information under it.
- The agency: the image of its red seal at real size (transparent PNG), laid over about the
  left third of the signature image, with the agency name and the signing time.
- Appendices: the agency signature without image, at the number-and-symbol position, showing
  the number and symbol, the agency and the time.
- Signing times are ISO 8601 in Vietnam time (``2025-03-10T09:30:00+07:00``).

Each appearance is a pyHanko stamp style (:class:`Decree30StampStyle`): the image as an image
XObject at a fixed size and the text in Tinos (metric-compatible with Times New Roman, as
Decree 30 asks), embedded and shaped by HarfBuzz so that Vietnamese diacritics render and can
be copied out. :class:`SignatureBlock` computes where both widgets go from one point on the
page, so the seal always lands on the left third of the signature it confirms.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.text import TextBox, TextBoxStyle
from pyhanko.stamp import TextStampStyle
from pyhanko.stamp.base import BaseStamp

MM = 72 / 25.4  # PDF user units (points) per millimetre
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# pyHanko hands the stamp the signing time formatted with this; the stamp parses it back and
# shows it in Vietnam time, so the appearance and the signature's /M entry agree to the second.
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

# Decree 30 fixes the look, not the sizes: these defaults fit the signature block of an A4
# document; a real seal is measured and its diameter stored with the agency's seal image.
SIGNATURE_WIDTH = 45 * MM
SIGNATURE_HEIGHT = 18 * MM
SEAL_DIAMETER = 36 * MM
FONT_SIZE = 7  # pt; pyHanko sets text in whole points
LEADING = 8.5


# --- the font ------------------------------------------------------------------------------
FONT_PACKAGE = "@fontsource/tinos"
# Fontsource ships the font split by script; these three together cover Vietnamese.
FONT_SUBSETS = ("latin", "vietnamese", "latin-ext")


@functools.cache
def tinos(weight: int = 400, style: str = "normal") -> bytes:
    """Tinos as one TrueType font (the npm package's subsets merged), cached per process."""
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    directory = Path(settings.NODE_MODULES) / FONT_PACKAGE / "files"
    parts = []
    for subset in FONT_SUBSETS:
        font = TTFont(directory / f"tinos-{subset}-{weight}-{style}.woff")
        font.flavor = None  # WOFF → plain TrueType, which the merger and HarfBuzz read
        buffer = io.BytesIO()
        font.save(buffer)
        buffer.seek(0)
        parts.append(buffer)
    merged = Merger().merge(parts)
    # pyHanko writes glyph widths (/W, TJ adjustments) in font units as if an em were 1000
    # units, as in CFF fonts; Tinos, a TrueType font, has 2048. Rescaled, text is spaced right.
    scale_upem(merged, 1000)
    out = io.BytesIO()
    merged.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class TinosFont(FontEngineFactory):
    """pyHanko font engine factory for the merged Tinos, read from memory (no font file)."""

    font_size: int = FONT_SIZE
    weight: int = 400

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(tinos(self.weight)),
            font_size=self.font_size,
            bcp47_lang_code="vi",
            obj_stream=obj_stream,
        )


def vietnam_time(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, to the second: ``2025-03-10T09:30:00+07:00``."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


# --- images --------------------------------------------------------------------------------
def load_image(data: bytes | Image.Image, *, kind: str) -> Image.Image:
    """A signature (``kind`` "signature") or seal ("seal") image as transparent RGBA, cropped
    to its ink.

    Decree 30 asks for PNGs on a transparent background. A scan on white paper is accepted
    too: its near-white pixels are made transparent, so the seal never hides the signature
    under a white square. Raises ``ValidationError`` for anything that is not an image.
    """
    if isinstance(data, Image.Image):
        image = data
    else:
        try:
            image = Image.open(io.BytesIO(data))
            image.load()
        except (UnidentifiedImageError, OSError, ValueError) as error:
            message = (
                _("The seal image is not a readable PNG or JPEG image.")
                if kind == "seal"
                else _("The signature image is not a readable PNG or JPEG image.")
            )
            raise ValidationError(message, code="bad_image") from error
    image = image.convert("RGBA")
    alpha = image.getchannel("A")
    if alpha.getextrema()[0] == 255:  # fully opaque: treat white paper as background
        grey = image.convert("L")
        alpha = grey.point(lambda v: 0 if v > 235 else 255)
        image.putalpha(alpha)
    box = image.getchannel("A").getbbox()
    if box is None:
        message = (
            _("The seal image is empty.") if kind == "seal" else _("The signature image is empty.")
        )
        raise ValidationError(message, code="empty_image")
    return image.crop(box)


# --- where the widgets go ------------------------------------------------------------------
Rect = tuple[float, float, float, float]  # x1, y1, x2, y2 in points, origin bottom left


@dataclass(frozen=True)
class SignatureBlock:
    """The place of the handwritten signature on the page, and what follows from it.

    ``x, y`` is the lower left corner of the signature image (points, from the page's lower
    left corner); ``page`` counts from 0 (-1: the last page). The official's widget holds the
    image and, below the reach of the seal, her signing information; the seal's widget holds
    the seal, whose right edge falls one third into the signature image, and the agency's
    information under the official's. ``info_gap`` (points below the signature image) moves
    the information lines further down, e.g. under the signer's printed name.
    """

    page: int
    x: float
    y: float
    image_width: float = SIGNATURE_WIDTH
    image_height: float = SIGNATURE_HEIGHT
    seal_diameter: float = SEAL_DIAMETER
    # Room for the information lines: long agency names and the time wrap onto a second line.
    official_lines: int = 4
    seal_lines: int = 4
    info_gap: float = 0

    @classmethod
    def from_top_left_mm(cls, page: int, left_mm: float, top_mm: float, **sizes) -> SignatureBlock:
        """A block whose signature image starts ``left_mm`` from the left edge of an A4 page
        and ``top_mm`` from its top edge (how a document template is measured)."""
        block = cls(page=page, x=0, y=0, **sizes)
        a4_height = 297 * MM
        return cls(
            page=page,
            x=left_mm * MM,
            y=a4_height - top_mm * MM - block.image_height,
            **sizes,
        )

    @property
    def _seal_overhang(self) -> float:
        """How far the seal reaches below the signature image (both are centred vertically)."""
        return max(0.0, (self.seal_diameter - self.image_height) / 2)

    @property
    def _info_offset(self) -> float:
        """From the bottom of the signature image to the first information line."""
        return max(self._seal_overhang, self.info_gap)

    @property
    def _official_text_height(self) -> float:
        return self.official_lines * LEADING + 4

    @property
    def _seal_text_height(self) -> float:
        return self.seal_lines * LEADING + 4

    def signature_rect(self) -> Rect:
        return (self.x, self.y, self.x + self.image_width, self.y + self.image_height)

    def seal_rect(self) -> Rect:
        """The seal's circle: its right edge one third into the signature image."""
        right = self.x + self.image_width / 3
        centre_y = self.y + self.image_height / 2
        radius = self.seal_diameter / 2
        return (right - self.seal_diameter, centre_y - radius, right, centre_y + radius)

    def official_box(self) -> Rect:
        """Signature image on top; information lines start below the seal's reach."""
        bottom = self.y - self._info_offset - self._official_text_height
        return (self.x, bottom, self.x + self.image_width, self.y + self.image_height)

    def seal_box(self) -> Rect:
        """The seal's circle on top; the agency's lines below the official's."""
        x1, y1, x2, y2 = self.seal_rect()
        official_bottom = self.official_box()[1]
        return (x1, official_bottom - self._seal_text_height, x2, y2)

    def official_style(self, signature_image, *, language: str | None = None):
        gap = self._info_offset
        return Decree30StampStyle(
            image=load_image(signature_image, kind="signature"),
            image_height=self.image_height,
            gap=gap,
            lines=official_lines(language),
        )

    def seal_style(self, seal_image, *, language: str | None = None):
        # the agency's lines start under the official's, which start under the seal
        gap = self.seal_rect()[1] - self.official_box()[1]
        return Decree30StampStyle(
            image=load_image(seal_image, kind="seal"),
            image_height=self.seal_diameter,
            gap=gap,
            lines=seal_lines(language),
        )


# Line templates of the appearances; the document's language decides their wording.
OFFICIAL_LINES = (
    gettext_lazy("Signed by: %(signer)s"),
    gettext_lazy("Agency: %(agency)s"),
    gettext_lazy("Signing time: %(time)s"),
)
SEAL_LINES = (gettext_lazy("Agency: %(agency)s"), gettext_lazy("Signing time: %(time)s"))
APPENDIX_LINES = (
    gettext_lazy("Number: %(number_symbol)s"),
    gettext_lazy("Agency: %(agency)s"),
    gettext_lazy("Signing time: %(time)s"),
)


def _labels(language: str | None, templates) -> tuple[str, ...]:
    """Templates in the document's language (Vietnamese, the language of official documents,
    unless asked otherwise)."""
    with override(language or settings.LANGUAGE_CODE):
        return tuple(str(t) for t in templates)


def official_lines(language: str | None = None) -> tuple[str, ...]:
    return _labels(language, OFFICIAL_LINES)


def seal_lines(language: str | None = None) -> tuple[str, ...]:
    return _labels(language, SEAL_LINES)


def appendix_lines(language: str | None = None) -> tuple[str, ...]:
    return _labels(language, APPENDIX_LINES)


def appendix_style(language: str | None = None) -> Decree30StampStyle:
    """The agency's signature on an appendix: no image, only its information (Decree 30)."""
    return Decree30StampStyle(lines=appendix_lines(language))


# --- the stamp style -----------------------------------------------------------------------
@dataclass(frozen=True)
class Decree30StampStyle(TextStampStyle):
    """An image band on top (signature or seal, drawn at the size of the band) and lines of
    signing information below it, after an empty ``gap`` where another widget overlaps.

    Line templates take ``%(signer)s``, ``%(agency)s``, ``%(time)s`` (Vietnam time) and any
    other parameter the caller passes (``%(number_symbol)s`` for appendices).
    """

    image: Image.Image | None = field(default=None, compare=False)
    image_height: float = 0
    gap: float = 0
    lines: tuple[str, ...] = ()
    font_size: int = FONT_SIZE
    border_width: int = 0
    timestamp_format: str = _TIME_FORMAT
    text_box_style: TextBoxStyle = field(
        default_factory=lambda: TextBoxStyle(
            font=TinosFont(), font_size=FONT_SIZE, leading=LEADING, text_color=(0, 0, 0)
        )
    )

    def create_stamp(self, writer, box, text_params) -> Decree30Stamp:
        return Decree30Stamp(writer=writer, style=self, box=box, text_params=text_params)


class Decree30Stamp(BaseStamp):
    """Renders a :class:`Decree30StampStyle` into a widget of a fixed size."""

    def __init__(self, writer, style: Decree30StampStyle, box, text_params=None):
        if not (box and box.width_defined and box.height_defined):
            raise layout.LayoutError("A Decree 30 appearance needs a fixed widget size.")
        super().__init__(writer=writer, style=style, box=box)
        self.text_params = dict(text_params or {})

    def _params(self) -> dict:
        params = {"signer": "", "agency": "", "number_symbol": ""} | self.text_params
        stamped = params.get("ts")
        if stamped:
            params["time"] = vietnam_time(dt.datetime.strptime(stamped, _TIME_FORMAT))
        else:
            params.setdefault("time", vietnam_time(dt.datetime.now(dt.UTC)))
        return params

    def _render_image(self) -> bytes:
        style = self.style
        band_w, band_h = self.box.width, style.image_height
        img = style.image
        scale = min(band_w / img.width, band_h / img.height)
        width, height = img.width * scale, img.height * scale
        pdf_image = PdfImage(img, writer=self.writer, box=layout.BoxConstraints(width, height))
        content = pdf_image.render()
        self.import_resources(pdf_image.resources)
        # centred across the band, top of the widget
        x = (band_w - width) / 2
        y = self.box.height - band_h + (band_h - height) / 2
        # Fixed-point numbers: PDF has no exponent notation, and %g writes 1e-15 for a
        # centring offset that is almost zero.
        return b"q 1 0 0 1 %.3f %.3f cm %s Q" % (x, y, content)

    def _wrap(self, text_box: TextBox, text: str, width: float) -> list[str]:
        """Greedy word wrap by the shaped width of the words (pyHanko does not wrap)."""
        size = self.style.font_size

        def fits(candidate: str) -> bool:
            return text_box.font_engine.shape(candidate).x_advance * size <= width

        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split():
                candidate = f"{current} {word}".strip()
                if current and not fits(candidate):
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines

    def _render_text(self) -> bytes:
        style = self.style
        height = self.box.height - style.image_height - style.gap
        if not style.lines or height <= 0:
            return b""
        params = self._params()
        text_box = TextBox(
            TextBoxStyle(
                font=TinosFont(font_size=style.font_size),
                font_size=style.font_size,
                leading=LEADING,
                text_color=(0, 0, 0),
                box_layout_rule=layout.SimpleBoxLayoutRule(
                    x_align=layout.AxisAlignment.ALIGN_MIN,
                    y_align=layout.AxisAlignment.ALIGN_MAX,
                    margins=layout.Margins(left=1, right=1, top=1, bottom=1),
                ),
            ),
            writer=self.writer,
            resources=self.resources,
            box=layout.BoxConstraints(width=self.box.width, height=height),
        )
        lines = []
        for template in style.lines:
            lines.extend(self._wrap(text_box, template % params, self.box.width - 2))
        text_box.content = "\n".join(lines)
        return text_box.render()

    def _render_inner_content(self):
        commands = []
        if self.style.image is not None and self.style.image_height:
            commands.append(self._render_image())
        text = self._render_text()
        if text:
            commands.append(b"q %s Q" % text)
        return commands
