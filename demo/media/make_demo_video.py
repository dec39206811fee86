"""Makes the demo lesson video and its poster: Chinese text cards with a soft chime.

A developer tool, not a runtime dependency: it needs Pillow (installed with the project),
ffmpeg (``apt-get install ffmpeg``) and the Chinese font of ``fonts-wqy-microhei``. The files
it writes beside itself are committed, so ``make demo`` never runs it::

    .venv/bin/python demo/media/make_demo_video.py

The video is H.264 (constrained baseline) with AAC audio in an MP4 whose index comes first
(``+faststart``), so phones, WeChat's browser and desktop browsers all play it and can seek
before the whole file has arrived. A keyframe every two seconds keeps seeking exact.
"""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
VIDEO = HERE / "recognising-the-signs.mp4"
POSTER = HERE / "recognising-the-signs-poster.jpg"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
SIZE = (640, 360)
POSTER_SIZE = (960, 540)
SECONDS_PER_CARD = 6
FPS = 10
SAMPLE_RATE = 22_050

TEAL = (29, 90, 95)
TEAL_DARK = (20, 63, 67)
CREAM = (251, 247, 241)
INK = (31, 43, 45)
CORAL = (224, 105, 75)
SUN = (242, 200, 121)

COURSE = "防范校园欺凌 · 家长课堂"
# (heading, lines): the lesson "识别信号：孩子可能正在被欺凌" of the demo course, in five cards.
CARDS = [
    ("识别信号", ["孩子可能正在被欺凌", "家长要留意的变化"]),
    ("身体和物品", ["身上有说不清来由的伤痕", "文具、衣物经常损坏或丢失", "零花钱花得特别快"]),
    ("情绪和学习", ["早上不想上学，常说肚子疼", "睡不好，容易发脾气", "成绩突然下降"]),
    ("先倾听", ["先说“这不是你的错”", "再问发生了什么", "不责怪，不急着给办法"]),
    ("去求助", ["联系班主任和学校", "街镇未成年人保护工作站", "12355 青少年服务台"]),
]


def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def draw_card(number: int, heading: str, lines: list[str], size: tuple[int, int]) -> Image.Image:
    """One card: a teal band with the heading, the short sentences below, the step at the foot."""
    width, height = size
    scale = width / 640
    image = Image.new("RGB", size, CREAM)
    draw = ImageDraw.Draw(image)
    band = int(120 * scale)
    draw.rectangle([0, 0, width, band], fill=TEAL)
    draw.rectangle([0, band, width, band + int(6 * scale)], fill=SUN)
    margin = int(40 * scale)
    draw.text((margin, int(22 * scale)), COURSE, font=font(int(18 * scale)), fill=SUN)
    draw.text((margin, int(50 * scale)), heading, font=font(int(44 * scale)), fill=CREAM)
    y = band + int(34 * scale)
    for line in lines:
        draw.ellipse(
            [margin, y + int(11 * scale), margin + int(12 * scale), y + int(23 * scale)],
            fill=CORAL,
        )
        draw.text((margin + int(26 * scale), y), line, font=font(int(28 * scale)), fill=INK)
        y += int(52 * scale)
    foot = f"{number} / {len(CARDS)}"
    foot_font = font(int(16 * scale))
    foot_width = draw.textlength(foot, font=foot_font)
    draw.text((width - margin - foot_width, height - int(34 * scale)), foot, font=foot_font, fill=TEAL_DARK)
    draw.text((margin, height - int(34 * scale)), "汇爱 · 演示视频", font=foot_font, fill=TEAL_DARK)
    # A thin progress line, so a parent sees how far along the video is.
    done = int(width * number / len(CARDS))
    draw.rectangle([0, height - int(6 * scale), done, height], fill=CORAL)
    return image


def chime_track(path: Path, total_seconds: int) -> None:
    """Quiet, soft two-note chimes at each card change; silence in between."""
    samples = [0.0] * (SAMPLE_RATE * total_seconds)
    for card in range(len(CARDS)):
        start = card * SECONDS_PER_CARD * SAMPLE_RATE
        for offset, frequency in ((0.0, 659.25), (0.18, 880.0)):
            begin = start + int(offset * SAMPLE_RATE)
            for i in range(int(1.2 * SAMPLE_RATE)):
                t = i / SAMPLE_RATE
                envelope = min(t / 0.02, 1.0) * math.exp(-3.5 * t)
                samples[begin + i] += 0.12 * envelope * math.sin(2 * math.pi * frequency * t)
    with wave.open(str(path), "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(SAMPLE_RATE)
        sound.writeframes(b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples))


def main() -> int:
    total = SECONDS_PER_CARD * len(CARDS)
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        listing = []
        for number, (heading, lines) in enumerate(CARDS, start=1):
            card = work_dir / f"card-{number}.png"
            draw_card(number, heading, lines, SIZE).save(card)
            listing += [f"file '{card}'", f"duration {SECONDS_PER_CARD}"]
        listing.append(f"file '{work_dir / f'card-{len(CARDS)}.png'}'")  # the concat demuxer's last-frame rule
        (work_dir / "cards.txt").write_text("\n".join(listing) + "\n")
        chime_track(work_dir / "chime.wav", total)
        subprocess.run(
            [
                "ffmpeg", "-y", "-hide_banner", "-loglevel", "error",
                "-f", "concat", "-safe", "0", "-i", str(work_dir / "cards.txt"),
                "-i", str(work_dir / "chime.wav"),
                "-vf", f"fps={FPS},format=yuv420p",
                "-c:v", "libx264", "-profile:v", "baseline", "-level", "3.0", "-preset", "veryslow",
                "-crf", "26", "-g", str(2 * FPS), "-keyint_min", str(2 * FPS),
                "-c:a", "aac", "-b:a", "48k", "-ac", "1",
                "-t", str(total), "-movflags", "+faststart",
                "-metadata", "title=识别信号：孩子可能正在被欺凌", "-metadata", "language=zho",
                str(VIDEO),
            ],
            check=True,
        )  # fmt: skip
    draw_card(1, *CARDS[0], POSTER_SIZE).save(POSTER, quality=85, optimize=True, progressive=True)
    print(f"{VIDEO.name}: {VIDEO.stat().st_size:,} bytes, {total} s; {POSTER.name}: {POSTER.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
