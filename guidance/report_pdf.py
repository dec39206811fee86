"""The completion report as a PDF: Chinese, with the certificates' font rules and QR code.

Drawn by ReportLab's platypus (tables that wrap onto further pages) with the Chinese font that
``courses.certificates.register_font`` registers from ``core/fonts`` (no font: an error, never
empty boxes). ``invariant`` output: the same facts make the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.certificates import qr_png, register_font

from .models import GuidancePlan
from .services.progress import Progress


@dataclass
class ReportFacts:
    """What the report states, fixed when it is issued."""

    plan: GuidancePlan
    progress: Progress
    code: str
    version: int
    outcome_label: str
    issued_on: str
    issuer: str
    verify_url: str
    guardian_names: dict[int, str]  # guardian id → the name printed
    notes: dict[int, str]  # booking id → the worker's note, shortened
    unmet: list[str]


def build_pdf(facts: ReportFacts) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_font()
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16, wordWrap="CJK")
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=13)
    title = ParagraphStyle("title", parent=body, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=6)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=20, spaceBefore=10, spaceAfter=4)
    plan, progress = facts.plan, facts.progress

    def cell(text: object) -> Paragraph:
        return Paragraph(_escape(str(text)), small)

    def table(rows: list[list[object]], widths: list[float]) -> Table:
        result = Table([[cell(value) for value in row] for row in rows], colWidths=widths, repeatRows=1)
        result.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9aa5b1")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f4f8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return result

    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            invariant=True,
            title=_("Completion report on family-education guidance") + " " + facts.code,
            author=facts.issuer or "Huiai",
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=18 * mm,
        )
        story: list = [Paragraph(_escape(_("Completion report on family-education guidance")), title)]
        facts_rows: list[list[object]] = [[_("Item"), _("Details")], [_("Plan"), plan.reference]]
        order = plan.order
        if order is not None:
            facts_rows += [
                [_("Court"), order.court.name],
                [_("Order number"), order.order_number],
                [_("Date of the order"), order.issued_on.isoformat()],
                [_("Required content"), order.required_content],
                [_("Required hours"), order.required_hours],
                [_("Period"), f"{order.starts_on.isoformat()} – {order.ends_on.isoformat()}"],
            ]
        else:
            facts_rows.append([_("Period"), f"{plan.starts_on.isoformat()} – {plan.ends_on.isoformat()}"])
        facts_rows += [
            [_("Guardians"), "、".join(facts.guardian_names.values())],
            [_("Guidance worker"), plan.worker.name or plan.worker.get_full_name() or "-"],
            [_("Required sessions"), plan.required_sessions],
            [_("Outcome"), facts.outcome_label],
            [_("Version"), facts.version],
        ]
        story.append(table(facts_rows, [40 * mm, 134 * mm]))

        story.append(Paragraph(_escape(_("Courses")), heading))
        course_rows: list[list[object]] = [[_("Guardian"), _("Course"), _("Deadline"), _("Completed on"), _("Quiz")]]
        names = facts.guardian_names
        for row in progress.courses:
            quiz = "；".join(
                f"{result.title} {result.best_percent if result.best_percent is not None else '-'}%"
                + (f" {_('passed')}" if result.passed else "")
                for result in row.quizzes
            )
            done = timezone.localdate(row.finished_at).isoformat() if row.finished_at else _("Not completed")
            course_rows.append(
                [names.get(row.guardian.pk, "-"), row.title, row.deadline.isoformat(), done, quiz or "-"]
            )
        if len(course_rows) == 1:
            course_rows.append([_("No course was required."), "", "", "", ""])
        story.append(table(course_rows, [28 * mm, 50 * mm, 24 * mm, 26 * mm, 46 * mm]))

        story.append(Paragraph(_escape(_("Guidance sessions")), heading))
        session_rows: list[list[object]] = [[_("Date"), _("Guidance station"), _("Attendance"), _("Worker's notes")]]
        for session in progress.sessions:
            attended = session.status == "attended"
            session_rows.append(
                [
                    timezone.localtime(session.starts_at).strftime("%Y-%m-%d"),
                    session.station,
                    _("Attended") if attended else _("Did not come"),
                    facts.notes.get(session.booking_id, "-"),
                ]
            )
        if len(session_rows) == 1:
            session_rows.append([_("No session was attended."), "", "", ""])
        story.append(table(session_rows, [24 * mm, 44 * mm, 22 * mm, 84 * mm]))
        story.append(
            Paragraph(
                _escape(
                    _("Sessions attended: %(done)s of %(required)s required.")
                    % {"done": progress.sessions_attended, "required": plan.required_sessions}
                ),
                body,
            )
        )
        story.append(Paragraph(_escape(_("What was not done")), heading))
        story.append(Paragraph(_escape("；".join(facts.unmet) or _("Every requirement was met.")), body))
        story.append(Paragraph(_escape(_("The guidance worker's assessment")), heading))
        story.append(Paragraph(_escape(plan.assessment or "-").replace("\n", "<br/>"), body))
        story.append(Spacer(1, 8 * mm))
        story.append(
            Paragraph(
                _escape(
                    _("Issued by %(issuer)s on %(date)s. Signed electronically (Ed25519).")
                    % {"issuer": facts.issuer or "-", "date": facts.issued_on}
                ),
                body,
            )
        )
        story.append(Paragraph(_escape(_("Verification code: %(code)s") % {"code": facts.code}), body))
        story.append(Paragraph(_escape(_("Verify at: %(url)s") % {"url": facts.verify_url}), small))
        story.append(Image(io.BytesIO(qr_png(facts.verify_url)), width=32 * mm, height=32 * mm, hAlign="LEFT"))
        doc.build(story)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
