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

What does not change between signatures is prepared once per process, so that an appearance
costs a few milliseconds, not forty:

- the font: Tinos is parsed once (HarfBuzz and fontTools), and one subset of it — every glyph
  Vietnamese and English text can need (:data:`FONT_REPERTOIRE`, with the alternates its
  substitutions reach) — is made and compressed once and embedded as is (about 11 KB per
  signature, 7 KB more than a subset of the exact glyphs, whose making cost ~20 ms each time).
  Text that needs another glyph (a foreign name) gets a subset of its own, as before;
- the images: a signature or seal image is decoded, made transparent and cropped once per
  content (:func:`load_image` keeps the last ones by digest; treat them as read-only), and
  its image XObject streams are compressed once per image.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import threading
import uuid
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.content import ResourceType
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.font.opentype import CIDFontType2, GlyphAccumulator
from pyhanko.pdf_utils.generic import pdf_name
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


# Characters the shared subset covers: ASCII, Latin-1, the Vietnamese alphabet with every tone
# mark (precomposed and combining), typographic quotes and dashes.
FONT_REPERTOIRE = frozenset(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x100)]
    + [chr(c) for c in range(0x1EA0, 0x1EFA)]
    + [chr(c) for c in (0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169)]
    + [chr(c) for c in (0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x300, 0x301, 0x303, 0x309, 0x323)]
    + [chr(c) for c in (0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2022)]
)


def _subset_font(font_bytes: bytes, gids) -> bytes:
    """A TrueType subset with the glyphs ``gids`` at their own ids, as pyHanko makes it for an
    embedded font (``GlyphAccumulator._extract_subset``): no layout tables, ids kept."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(layout_closure=False)
    options.drop_tables += ["GPOS", "GDEF", "GSUB"]
    options.retain_gids = True
    font = TTFont(io.BytesIO(font_bytes))
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=list(gids))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _flate_stream_data(data: bytes) -> tuple[generic.PdfObject, bytes]:
    """(/Filter value, encoded bytes) of ``data`` compressed as pyHanko compresses a stream."""
    stream = generic.StreamObject(stream_data=data)
    stream.compress()
    return stream["/Filter"], stream.encoded_data


class _Face:
    """Tinos of one weight, parsed once per process and then only read (threads share it):
    HarfBuzz shapes with it, fontTools gives names and widths, and the subset of
    :data:`FONT_REPERTOIRE` is made once, compressed."""

    def __init__(self, weight: int):
        import uharfbuzz as hb
        from fontTools import subset
        from fontTools.ttLib import TTFont
        from pyhanko.pdf_utils.font.opentype import _read_ps_name

        self.data = tinos(weight)
        self.hb_font = hb.Font(hb.Face(self.data))
        self.tt = tt = TTFont(io.BytesIO(self.data))
        # fontTools reads tables when first asked: read all that glyph accumulators use now,
        # so that threads sharing the font only read.
        for tag in ("head", "hhea", "OS/2", "post", "name", "maxp", "cmap", "hmtx", "loca"):
            tt[tag]  # noqa: B018
        tt.getGlyphOrder()
        self.glyph_set = tt.getGlyphSet(preferCFF=True)
        self.ps_name = _read_ps_name(tt)
        self.units_per_em = tt["head"].unitsPerEm
        # Every glyph the repertoire can produce, substitutions (GSUB) included.
        closure = subset.Subsetter(options=subset.Options(layout_closure=True))
        cmap = tt.getBestCmap()
        closure.populate(unicodes=[ord(c) for c in FONT_REPERTOIRE if ord(c) in cmap])
        closure.subset(TTFont(io.BytesIO(self.data)))
        self.repertoire = frozenset(tt.getGlyphID(name) for name in closure.glyphs_retained)
        self._subset = _flate_stream_data(_subset_font(self.data, sorted(self.repertoire)))

    def font_file(self, gids) -> tuple[generic.PdfObject, bytes]:
        """The compressed font program for a text that uses the glyphs ``gids``."""
        if self.repertoire.issuperset(gids):
            return self._subset
        return _flate_stream_data(_subset_font(self.data, gids))


_faces: dict[int, _Face] = {}
_faces_lock = threading.Lock()


def _face(weight: int = 400) -> _Face:
    with _faces_lock:
        face = _faces.get(weight)
        if face is None:
            face = _faces[weight] = _Face(weight)
        return face


class _SharedCIDFont(CIDFontType2):
    """pyHanko's TrueType CID font, whose font program comes from the shared face."""

    def __init__(self, face: _Face, engine: _TinosEngine):
        super().__init__(face.tt, face.ps_name, engine.subset_prefix)
        self._face = face
        self._engine = engine

    def set_font_file(self, writer):
        font_filter, data = self._face.font_file(self._engine._glyphs)
        font_stream = generic.StreamObject({pdf_name("/Filter"): font_filter}, encoded_data=data)
        font_stream_ref = writer.add_object(font_stream)
        self._font_descriptor[pdf_name("/FontFile2")] = font_stream_ref
        return font_stream_ref


class _TinosEngine(GlyphAccumulator):
    """pyHanko's ``GlyphAccumulator`` on the shared :class:`_Face`.

    ``GlyphAccumulator.__init__`` parses the font file (fontTools and HarfBuzz), and
    ``prepare_write`` subsets that parsed font in place; here the state ``__init__`` would
    build comes from the face (same attributes, pyHanko 0.33), and the font program from
    :meth:`_Face.font_file`, so the shared font is never changed.
    """

    def __init__(self, writer, face: _Face, font_size, bcp47_lang_code=None, obj_stream=None):
        FontEngine.__init__(self, writer, face.ps_name, embedded_subset=True, obj_stream=obj_stream)
        self._font_ref = writer.allocate_placeholder()
        self.font_size = font_size
        self.hb_font = face.hb_font
        self.tt = face.tt
        self.cff_charset = None
        self.use_raw_gids = True  # TrueType: CID = glyph id
        self.cidfont_obj = _SharedCIDFont(face, self)
        self.features = None
        self.units_per_em = face.units_per_em
        self._glyphs = {}
        self._glyph_set = face.glyph_set
        self._cid_to_unicode = {}
        self._GlyphAccumulator__reverse_cmap = None
        self.ot_language_tag = None
        self.ot_script_tag = None
        self.writing_direction = None
        self.bcp47_lang_code = bcp47_lang_code
        self._subset_created = self._write_prepared = False

    def _extract_subset(self, options=None):
        """Nothing to cut: the font program is chosen when it is written."""


def _shared_engine_fits() -> bool:
    """:class:`_TinosEngine` sets up ``GlyphAccumulator``'s private state as pyHanko 0.33 does;
    with another version, the plain ``GlyphAccumulator`` (same output, slower) until checked."""
    from importlib.metadata import version

    return version("pyhanko").startswith("0.33.")


SHARED_FONT_ENGINE = _shared_engine_fits()


@dataclass(frozen=True)
class TinosFont(FontEngineFactory):
    """pyHanko font engine factory for the merged Tinos, read from memory (no font file)."""

    font_size: int = FONT_SIZE
    weight: int = 400

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        if not SHARED_FONT_ENGINE:
            return GlyphAccumulator(
                writer=writer,
                font_handle=io.BytesIO(tinos(self.weight)),
                font_size=self.font_size,
                bcp47_lang_code="vi",
                obj_stream=obj_stream,
            )
        return _TinosEngine(
            writer, _face(self.weight), self.font_size, bcp47_lang_code="vi", obj_stream=obj_stream
        )


def vietnam_time(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, to the second: ``2025-03-10T09:30:00+07:00``."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


# --- images --------------------------------------------------------------------------------
# Prepared images kept per process, most recently used last, up to this many decoded bytes
# (a signature image is ~0.7 MB decoded, a seal at real size ~1.5 MB).
IMAGE_CACHE_BYTES = 32 * 2**20
_images: OrderedDict[tuple[str, bytes], Image.Image] = OrderedDict()
_images_lock = threading.Lock()


def _decoded_size(image: Image.Image) -> int:
    return image.width * image.height * len(image.getbands())


def load_image(data: bytes | Image.Image, *, kind: str) -> Image.Image:
    """A signature (``kind`` "signature") or seal ("seal") image as transparent RGBA, cropped
    to its ink.

    Decree 30 asks for PNGs on a transparent background. A scan on white paper is accepted
    too: its near-white pixels are made transparent, so the seal never hides the signature
    under a white square. Raises ``ValidationError`` for anything that is not an image.

    Images given as bytes are prepared once: the last ones are kept by the digest of their
    bytes, and the same (shared, not to be modified) image is returned for the same bytes.
    """
    if isinstance(data, Image.Image):
        return _prepare_image(data, kind)
    key = (kind, hashlib.sha256(data).digest())
    with _images_lock:
        image = _images.get(key)
        if image is not None:
            _images.move_to_end(key)
            return image
    image = _prepare_image(_open_image(data, kind), kind)
    with _images_lock:
        _images[key] = image
        total = sum(_decoded_size(kept) for kept in _images.values())
        while total > IMAGE_CACHE_BYTES and len(_images) > 1:
            total -= _decoded_size(_images.popitem(last=False)[1])
    return image


def _open_image(data: bytes, kind: str) -> Image.Image:
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
    return image


def _prepare_image(image: Image.Image, kind: str) -> Image.Image:
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


# Compressed image XObject streams (colour, transparency mask) per prepared image, by id() as
# long as the image lives (PIL images compare by content and cannot be dictionary keys).
_xobjects: dict[int, tuple] = {}
_xobjects_lock = threading.Lock()


def _image_xobject(writer, image: Image.Image) -> generic.IndirectObject:
    """An RGBA image as pyHanko's ``pil_image`` writes it (an RGB image XObject with a
    DeviceGray soft mask), its streams compressed once per image."""
    with _xobjects_lock:
        streams = _xobjects.get(id(image))
    if streams is None:
        streams = (
            _flate_stream_data(image.convert("RGB").tobytes()),
            _flate_stream_data(image.getchannel("A").tobytes()),
        )
        with _xobjects_lock:
            if id(image) not in _xobjects:
                _xobjects[id(image)] = streams
                weakref.finalize(image, _xobjects.pop, id(image), None)
    (rgb_filter, rgb), (mask_filter, mask) = streams

    def stream(colour_space, data_filter, data, **extra):
        entries = {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(image.width),
            pdf_name("/Height"): generic.NumberObject(image.height),
            **extra,
            pdf_name("/ColorSpace"): pdf_name(colour_space),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): data_filter,
        }
        return writer.add_object(generic.StreamObject(entries, encoded_data=data))

    smask = stream("/DeviceGray", mask_filter, mask)
    return stream("/DeviceRGB", rgb_filter, rgb, **{pdf_name("/SMask"): smask})


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
        if img.mode == "RGBA":
            name = pdf_name(f"/Img{uuid.uuid4()}")
            self.set_resource(ResourceType.XOBJECT, name, _image_xobject(self.writer, img))
            # what pyHanko's PdfImage draws
            content = b"q  %g 0 0 %g 0 0 cm %s Do Q" % (width, height, name.encode("ascii"))
        else:
            box = layout.BoxConstraints(width, height)
            pdf_image = PdfImage(img, writer=self.writer, box=box)
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
