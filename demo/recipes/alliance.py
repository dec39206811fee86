"""Demo legal-education alliance (``data/alliance.json``): the alliance page, its member bodies,
news, events and teaching resources.

``create_demo_alliance()`` is idempotent: members are looked up by name, logos and documents
by title, pages by slug, and demo registrations are only added to an event that has none. An
old placeholder ``StandardPage`` at ``/alliance/`` (what earlier versions of the demo made) is
deleted so that the alliance page can take its address.

Logos are coloured monograms drawn with Pillow and the documents are small PDFs (or text files
when the Chinese font is missing), so the alliance ships no media files. Events are dated from
the day the demo is loaded, so they are upcoming. Demo registrations use made-up
``+86139000…`` numbers and send nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from typing import TextIO

from django.core.exceptions import ImproperlyConfigured
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from ..builder import child, ensure_document, ensure_page, load, write
from ..sources import (
    AllianceEventPage,
    AllianceIndexPage,
    AllianceMember,
    AllianceNewsPage,
    EventRegistration,
    HomePage,
    StandardPage,
    TeachingResourceDocument,
    TeachingResourcePage,
    get_image_model,
    register_font,
)

ALLIANCE = load("alliance.json")
SURNAMES: str = ALLIANCE["registration_surnames"]
SCHOOLS: list[str] = ALLIANCE["registration_schools"]


# --- media ---------------------------------------------------------------------------------


def _file_key(title: str) -> str:
    return hashlib.sha1(title.encode("utf-8")).hexdigest()[:10]  # noqa: S324 - a file name, not security


def _font_path() -> str:
    from core.fonts import chinese_font_path

    return str(chinese_font_path() or "")


def logo_png(monogram: str, colour: str) -> bytes:
    """A 240×240 monogram: a white character on the category's colour (a ring when no font)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (240, 240), colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 220, 220), outline="white", width=6)
    try:
        font = ImageFont.truetype(_font_path(), 120)
    except OSError:
        font = None
    if font is not None:
        draw.text((120, 122), monogram, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_logo(title: str, monogram: str, colour: str):
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    image = image_model(title=title)
    image.file = ImageFile(io.BytesIO(logo_png(monogram, colour)), name=f"alliance-logo-{_file_key(title)}.png")
    image.save()
    return image


def document_bytes(title: str, lines: list[str]) -> tuple[bytes, str]:
    """A one-page PDF with the Chinese font, or a UTF-8 text file when the font is missing."""
    try:
        font = register_font()
    except (ImproperlyConfigured, OSError):
        return ("\n\n".join([title, *lines]) + "\n").encode("utf-8"), "txt"
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    _width, height = A4
    pdf.setFont(font, 18)
    pdf.drawString(60, height - 80, title)
    pdf.setFont(font, 11)
    y = height - 120
    for line in lines:
        for start in range(0, len(line), 42):
            pdf.drawString(60, y, line[start : start + 42])
            y -= 20
        y -= 8
    pdf.setFont(font, 9)
    pdf.drawString(60, 50, "徐汇普法教育联盟 · 演示资料")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue(), "pdf"


def resource_document(title: str, lines: list[str]):
    """A teaching resource's file, looked up by title; its name ends in .pdf or .txt."""
    content, extension = document_bytes(title, lines)
    return ensure_document(title, f"alliance-{_file_key(title)}.{extension}", lambda: content)


# --- content -------------------------------------------------------------------------------


def ensure_members() -> dict[str, AllianceMember]:
    members = {}
    for order, spec in enumerate(ALLIANCE["members"]):
        member = AllianceMember.objects.filter(name=spec["name"]).first()
        if member is None:
            colour = ALLIANCE["colours"][spec["category"]]
            member = AllianceMember.objects.create(
                name=spec["name"],
                category=spec["category"],
                description=spec["description"],
                sort_order=order,
                logo=ensure_logo(f"联盟成员标志：{spec['name']}", spec["monogram"], colour),
            )
        members[spec["name"]] = member
    return members


def ensure_alliance_index(home: HomePage, stdout: TextIO | None = None) -> AllianceIndexPage:
    existing = AllianceIndexPage.objects.first()
    if existing is not None:
        return existing
    # Earlier demo versions put a placeholder StandardPage at /alliance/: make way for the real page.
    for placeholder in StandardPage.objects.child_of(home).filter(slug="alliance"):
        write(stdout, f"Replaced the placeholder page “{placeholder.title}” with the alliance page.\n")
        placeholder.delete()
    home.refresh_from_db()
    spec = ALLIANCE["index"]
    alliance = ensure_page(
        home,
        AllianceIndexPage,
        spec["slug"],
        title=spec["title"],
        intro=spec["intro"],
        body=spec["body"],
        contact=spec["contact"],
        show_in_menus=True,
    )[0]
    write(stdout, "Created the alliance page.\n")
    return alliance


def ensure_news(alliance: AllianceIndexPage) -> int:
    created = 0
    today = timezone.localdate()
    for spec in ALLIANCE["news"]:
        created += ensure_page(
            alliance,
            AllianceNewsPage,
            spec["slug"],
            title=spec["title"],
            date=today - datetime.timedelta(days=spec["days_ago"]),
            summary=spec["summary"],
            body=spec["body"],
        )[1]
    return created


def demo_registrations(event: AllianceEventPage, count: int, number: int) -> None:
    """``count`` made-up registrations (no confirmation is queued for demo data)."""
    if count <= 0 or event.registrations.exists():
        return
    now = timezone.now()
    EventRegistration.objects.bulk_create(
        EventRegistration(
            event=event,
            name=f"{SURNAMES[index % len(SURNAMES)]}{'女士' if index % 2 else '先生'}",
            phone=f"+86139{number:02d}00{index:04d}",
            organisation=SCHOOLS[index % len(SCHOOLS)],
            created_at=now - datetime.timedelta(hours=count - index),
        )
        for index in range(count)
    )


def ensure_events(alliance: AllianceIndexPage, members: dict[str, AllianceMember]) -> int:
    created = 0
    today = timezone.localdate()
    for number, spec in enumerate(ALLIANCE["events"]):
        day = today + datetime.timedelta(days=spec["in_days"])
        starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(spec["hour"])))
        event, new = ensure_page(
            alliance,
            AllianceEventPage,
            spec["slug"],
            relations={"organisers": [members[name] for name in spec["organisers"]]},
            title=spec["title"],
            kind=spec["kind"],
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=spec["hours"]),
            registration_deadline=starts - datetime.timedelta(days=1),
            place=spec["place"],
            audience=spec["audience"],
            capacity=spec["capacity"],
            summary=spec["summary"],
            description=spec["description"],
        )
        created += new
        demo_registrations(event, spec["registrations"], number)
    return created


def ensure_resources(alliance: AllianceIndexPage, members: dict[str, AllianceMember]) -> int:
    created = 0
    for spec in ALLIANCE["resources"]:
        if child(alliance, TeachingResourcePage, spec["slug"]) is not None:
            continue
        document = resource_document(spec["file"]["title"], spec["file"]["lines"])
        ensure_page(
            alliance,
            TeachingResourcePage,
            spec["slug"],
            relations={"documents": [TeachingResourceDocument(document=document)]},
            title=spec["title"],
            kind=spec["kind"],
            grade_band=spec["grade"],
            summary=spec["summary"],
            provided_by=members[spec["provided_by"]],
            body=[{"type": "paragraph", "value": spec["notes"]}],
        )
        created += 1
    return created


@transaction.atomic
def create_demo_alliance(home: HomePage | None = None, stdout: TextIO | None = None) -> AllianceIndexPage:
    """Creates (or completes) the demo alliance; running it again changes nothing."""
    home = home or HomePage.objects.get()
    members = ensure_members()
    alliance = ensure_alliance_index(home, stdout)
    news = ensure_news(alliance)
    events = ensure_events(alliance, members)
    resources = ensure_resources(alliance, members)
    write(
        stdout,
        f"Alliance demo: {len(members)} members, {news} new news items, {events} new events, "
        f"{resources} new teaching resources.\n",
    )
    return alliance
