"""Seal and signature images for the demo (real deployments upload the agency's PNGs).

Decree 30 wants a red seal on a transparent background and a blue handwritten signature on a
transparent background. These generators draw look-alikes with Pillow and Tinos, the same
for the same name, so the demo province gets stable images without shipping any:

- :func:`demo_seal_png`: a red double ring, the agency's name in capitals around it, a star
  in the middle;
- :func:`demo_signature_png`: the name written in italics with a looping flourish under it.
"""

from __future__ import annotations

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw, ImageFont

from .appearance import tinos

SEAL_RED = (206, 17, 38, 255)
INK_BLUE = (20, 50, 160, 255)


def _font(size: int, *, weight: int = 400, style: str = "normal") -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(io.BytesIO(tinos(weight, style)), size)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _star(centre: tuple[float, float], outer: float) -> list[tuple[float, float]]:
    inner = outer * 0.382  # the regular five-pointed star
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return points


def demo_seal_png(agency_name: str, *, province: str = "", size: int = 600) -> bytes:
    """A round red seal: ``agency_name`` (and ``province``) around the rim, a star inside."""
    scale = 4  # draw large, then shrink: smooth edges without a vector library
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = big / 2
    outer = big / 2 - big * 0.01
    ring = big * 0.022
    draw.ellipse(
        (centre - outer, centre - outer, centre + outer, centre + outer),
        outline=SEAL_RED,
        width=int(ring),
    )
    inner = outer * 0.66
    draw.ellipse(
        (centre - inner, centre - inner, centre + inner, centre + inner),
        outline=SEAL_RED,
        width=int(ring * 0.6),
    )
    draw.polygon(_star((centre, centre), inner * 0.55), fill=SEAL_RED)

    text = " ★ ".join(part.upper() for part in (agency_name, province) if part) + " ★ "
    text = text.replace("★", "*")
    font_size = int(big * 0.075)
    font = _font(font_size, weight=700)
    radius = (outer + inner) / 2 - font_size * 0.35
    circumference = 2 * math.pi * radius
    widths = [font.getlength(ch) for ch in text]
    # Fill the whole rim: spread the letters evenly, shrinking the font if the name is long.
    spacing = circumference / sum(widths)
    if spacing < 1:
        font = _font(int(font_size * spacing * 0.97), weight=700)
        widths = [font.getlength(ch) for ch in text]
        spacing = circumference / sum(widths)
    angle = 0.0  # degrees clockwise from the top
    for ch, width in zip(text, widths, strict=True):
        step = width * spacing / circumference * 360
        middle = angle + step / 2
        angle += step
        if ch == " ":
            continue
        glyph_box = int(font.size * 1.6)
        glyph = Image.new("RGBA", (glyph_box, glyph_box), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (glyph_box / 2, glyph_box / 2), ch, font=font, fill=SEAL_RED, anchor="mm"
        )
        glyph = glyph.rotate(-middle, resample=Image.Resampling.BICUBIC)
        theta = math.radians(middle)
        x = centre + radius * math.sin(theta) - glyph_box / 2
        y = centre - radius * math.cos(theta) - glyph_box / 2
        image.alpha_composite(glyph, (int(x), int(y)))
    return _png(image.resize((size, size), Image.Resampling.LANCZOS))


def demo_signature_png(name: str, *, width: int = 900, height: int = 360) -> bytes:
    """A handwritten-looking signature: ``name`` in blue italics and a flourish under it."""
    seed = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    scale = 3
    image = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font = _font(int(height * scale * 0.32), style="italic")
    text_box = draw.textbbox((0, 0), name, font=font)
    text_w = text_box[2] - text_box[0]
    x0 = (width * scale - text_w) / 2
    draw.text((x0, height * scale * 0.18), name, font=font, fill=INK_BLUE)

    # The flourish: a sweeping stroke under the name with one loop, thicker in the middle.
    points = []
    amplitude = height * scale * rng.uniform(0.06, 0.1)
    loops = rng.uniform(1.5, 2.5)
    base = height * scale * 0.78
    left, right = width * scale * 0.08, width * scale * 0.95
    steps = 240
    for i in range(steps + 1):
        t = i / steps
        x = left + (right - left) * t
        y = base - amplitude * math.sin(loops * math.pi * t) - height * scale * 0.12 * t
        points.append((x, y))
    for i in range(steps):
        t = i / steps
        thickness = int(scale * (2 + 5 * math.sin(math.pi * t)))
        draw.line([points[i], points[i + 1]], fill=INK_BLUE, width=max(thickness, 2))
    image = image.resize((width, height), Image.Resampling.LANCZOS)
    return _png(image)
