"""The Chinese font that PDFs (certificates, demo documents) embed, shipped with the code.

``wqy-microhei-huiai.ttf`` is WenQuanYi Micro Hei's proportional face with every character it
maps (all 20,932 of its CJK Unified Ideographs), built by ``make_font.py``; its licence is in
``LICENSE``. A deployment may use another font by setting ``CERTIFICATE_FONT_PATH`` (a .ttf, or a
.ttc whose first face is used, e.g. Debian's ``fonts-wqy-microhei``); when that is unset or the
file is not there, the embedded font is used, so no system package is needed to start the site.
"""

from __future__ import annotations

from pathlib import Path

EMBEDDED_FONT = Path(__file__).resolve().parent / "wqy-microhei-huiai.ttf"


def chinese_font_path() -> Path | None:
    """The font to embed: ``settings.CERTIFICATE_FONT_PATH`` when set and present, else the
    shipped one; None only when neither file exists (a broken checkout)."""
    from django.conf import settings

    configured = getattr(settings, "CERTIFICATE_FONT_PATH", "")
    for candidate in (Path(configured) if configured else None, EMBEDDED_FONT):
        if candidate is not None and candidate.is_file():
            return candidate
    return None
