"""Draws the installable app's icons (static/img/app/) from the logo's shapes, with Pillow.

``static/img/logo.svg`` is the source design; Pillow cannot read SVG, so its three shapes (the
teal house with a sun-yellow edge, the coral heart, the sun) are drawn again here on a 48-unit
grid, at four times the size and scaled down for smooth edges. The "maskable" icon keeps the
design inside the central 80 % safe zone on a full teal square, as Android crops it to a circle.
Run after changing the logo: ``manage.py make_app_icons``; the files are committed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from PIL import Image, ImageDraw

TEAL = (29, 90, 95, 255)
SUN = (242, 200, 121, 255)
CORAL = (240, 138, 108, 255)
CREAM = (251, 247, 241, 255)
SUPERSAMPLE = 4


def _draw_logo(draw: ImageDraw.ImageDraw, *, left: float, top: float, unit: float) -> None:
    """The logo's shapes on its 48-unit grid, placed at (left, top) with ``unit`` pixels per unit."""

    def point(x: float, y: float) -> tuple[float, float]:
        return (left + x * unit, top + y * unit)

    house = [point(24, 4.5), point(5, 19.5), point(5, 43.5), point(43, 43.5), point(43, 19.5)]
    draw.polygon(house, fill=TEAL, outline=SUN, width=max(1, round(2.5 * unit)))
    # The heart: two circles and a triangle.
    radius = 5.2 * unit
    for cx in (19.2, 28.8):
        x, y = point(cx, 26.5)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=CORAL)
    draw.polygon([point(14.2, 28.3), point(33.8, 28.3), point(24, 37.8)], fill=CORAL)
    x, y = point(24, 15.5)
    sun = 2.6 * unit
    draw.ellipse((x - sun, y - sun, x + sun, y + sun), fill=SUN)


def draw_icon(size: int, *, maskable: bool = False) -> Image.Image:
    """One square icon of ``size`` pixels."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), TEAL if maskable else CREAM)
    draw = ImageDraw.Draw(image)
    # The logo fills 84 % of a plain icon and 64 % (inside the 80 % safe circle) of a maskable one.
    share = 0.64 if maskable else 0.84
    unit = big * share / 48
    offset = (big - 48 * unit) / 2
    if maskable:
        draw.rounded_rectangle((0, 0, big, big), radius=0, fill=TEAL)
    _draw_logo(draw, left=offset, top=offset, unit=unit)
    return image.resize((size, size), Image.Resampling.LANCZOS)


# The apple-touch-icon is opaque and full-bleed like a maskable one: iOS rounds its corners
# itself and would fill a transparent background with black.
ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "icon-maskable-192.png": (192, True),
    "icon-maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
}


class Command(BaseCommand):
    help = "Draws the web app's icons into static/img/app/ with Pillow."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "static" / "img" / "app"))

    def handle(self, *args, output: str, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        for name, (size, maskable) in ICONS.items():
            draw_icon(size, maskable=maskable).save(folder / name, format="PNG", optimize=True)
            self.stdout.write(f"{folder / name} ({size}×{size})")
