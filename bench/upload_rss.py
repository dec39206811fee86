"""Memory per upload: how much one file makes a process grow while it is checked.

Each file is checked in a fresh Python subprocess (Django set up with the test settings, the
attachment check imported and warmed up on a tiny picture first), and the growth of the
process's peak RSS (``VmHWM`` in /proc/self/status, reset through /proc/self/clear_refs just
before the check, since ``ru_maxrss`` survives the exec from this larger parent) while
checking that one file is reported, with the time taken and the outcome (stored, or the refusal code). With
``--before`` the same files also go through the check as it was on main before issue 10
(read from git: full decode up to 40 MP, no draft mode), for comparison.

    .venv/bin/python bench/upload_rss.py            # this branch only
    .venv/bin/python bench/upload_rss.py --before   # and main's check, side by side
"""

from __future__ import annotations

import argparse
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
BEFORE_COMMIT = "558566c"

CHILD = r"""
import io, json, os, sys, time, importlib.util
sys.path.insert(0, {repo!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huiai.settings.test")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
if {before_module!r}:
    spec = importlib.util.spec_from_file_location("attachments_before", {before_module!r})
    module = importlib.util.module_from_spec(spec)
    sys.modules["attachments_before"] = module
    spec.loader.exec_module(module)
    from django.conf import settings
    settings.SCHOOLS_ATTACHMENT_MAX_PIXELS = 40_000_000
else:
    from schools import attachments as module
from PIL import Image
warm = io.BytesIO(); Image.new("RGB", (8, 8)).save(warm, format="PNG")
module.check_upload(SimpleUploadedFile("w.png", warm.getvalue()))
data = open({path!r}, "rb").read()
upload = SimpleUploadedFile("file", data)
def high_water_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
open("/proc/self/clear_refs", "w").write("5")  # resets the peak to the current RSS
peak_before = high_water_kb()
started = time.perf_counter()
try:
    checked = module.check_upload(upload)
    outcome = "stored %s, %d KB" % (checked.content_type, len(checked.content) // 1024)
except ValidationError as error:
    outcome = "refused (%s)" % error.code
seconds = time.perf_counter() - started
peak_after = high_water_kb()
print(json.dumps({{"growth_mb": (peak_after - peak_before) / 1024, "peak_mb": peak_after / 1024,
                  "seconds": seconds, "outcome": outcome}}))
"""


def png_bomb(width: int, height: int) -> bytes:
    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + width * 3)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo(width: int, height: int, **options) -> bytes:
    """A JPEG with some detail (a gradient with noise), like a phone photo."""
    from PIL import Image

    noise = Image.effect_noise((width, height), 12).convert("RGB")
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(noise, gradient, 0.5).save(buffer, format="JPEG", quality=85, **options)
    return buffer.getvalue()


def screenshot_png(width: int, height: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 24):
        draw.line([(0, y), (width, y)], fill=(30, 30, 30), width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def pdf_pages(pages: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        page.setFont("STSong-Light", 12)
        for line in range(40):
            text = f"第 {number + 1} 页 第 {line + 1} 行：汇爱 欺凌事件 说明材料 {'文字' * 10}"
            page.drawString(40, 800 - line * 19, text)
        page.showPage()
    page.save()
    return buffer.getvalue()


FILES = {
    "PNG bomb, 40 MP (7300×5470, black)": lambda: png_bomb(7300, 5470),
    "PNG screenshot, 16 MP (4000×4000)": lambda: screenshot_png(4000, 4000),
    "PNG screenshot, 2.6 MP (1170×2532, phone)": lambda: screenshot_png(1170, 2532),
    "JPEG photo, 12 MP (4000×3000)": lambda: photo(4000, 3000),
    "JPEG photo, 48 MP (8000×6000, baseline)": lambda: photo(8000, 6000),
    "JPEG photo, 48 MP (8000×6000, progressive)": lambda: photo(8000, 6000, progressive=True),
    "PDF, 1 page Chinese text": lambda: pdf_pages(1),
    "PDF, 300 pages Chinese text": lambda: pdf_pages(300),
}


def run(path: Path, before_module: str) -> dict:
    code = CHILD.format(repo=str(REPO_DIR), path=str(path), before_module=before_module)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        return {"growth_mb": float("nan"), "peak_mb": float("nan"), "seconds": 0, "outcome": result.stderr[-300:]}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", action="store_true", help=f"also run main's check from {BEFORE_COMMIT}")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        before_module = ""
        if options.before:
            source = subprocess.run(
                ["git", "show", f"{BEFORE_COMMIT}:schools/attachments.py"],
                cwd=REPO_DIR,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            before_module = os.path.join(directory, "attachments_before.py")
            Path(before_module).write_text(source)
        header = f"{'file':46} {'size':>8} {'RSS growth':>11} {'peak':>8} {'time':>7}  outcome"
        sys.stdout.write(header + "\n" + "-" * len(header) + "\n")
        for label, make in FILES.items():
            path = Path(directory) / "upload.bin"
            data = make()
            path.write_bytes(data)
            runs = [("now", "")] + ([("before", before_module)] if before_module else [])
            for which, module in runs:
                figures = run(path, module)
                name = label if which == "now" else "  … main before issue 10"
                sys.stdout.write(
                    f"{name:46} {len(data) / 1024:7.0f}K {figures['growth_mb']:9.1f}MB {figures['peak_mb']:6.0f}MB "
                    f"{figures['seconds']:6.2f}s  {figures['outcome']}\n"
                )
                sys.stdout.flush()


if __name__ == "__main__":
    main()
