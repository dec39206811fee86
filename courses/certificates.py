"""Certificates of completion: issuing, the PDF, verification and name corrections.

Issuing
    ``issue_certificate(enrolment)`` runs in the Celery task ``courses.tasks.build_certificate``
    when a course completes. It is idempotent: a completed enrolment has at most one valid
    certificate. The PDF is written once, under ``settings.CERTIFICATE_ROOT``, and never
    rewritten.

The PDF
    ReportLab draws the text with an embedded TrueType font: ``settings.CERTIFICATE_FONT_PATH``
    when set and present, else the WenQuanYi Micro Hei shipped in ``core/fonts/``. A font without
    Chinese glyphs would silently draw empty boxes, so no font at all is an error, never a
    fallback to a Latin one. The QR code encodes the public verify URL, which is also printed
    under it. The study time (学时) is the course's stated length in the same minutes the
    course page shows, never a rounded figure of its own. The issuing organisation and the
    image of its seal come from the site setting ``settings.CERTIFICATE_ISSUER_SETTING``
    (fields ``certificate_issuer``, ``certificate_seal``); the name is copied onto the
    certificate when it is issued, the seal drawn into its PDF.

Name corrections
    A parent asks (``request_name_correction``); district staff approve or reject
    (``decide_name_correction``). Approval issues version + 1 with a new code and revokes the
    old certificate; its code still verifies, as revoked.
"""

from __future__ import annotations

import io
import secrets

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from core.errors import DomainError
from core.fonts import EMBEDDED_FONT, chinese_font_path
from courses.models import Certificate, Enrolment, NameCorrection

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed from paper
CODE_LENGTH = 12
FONT_NAME = "HuiaiCertificateFont"


class CertificateError(DomainError):
    """A rule refused a certificate action; ``message`` is shown to the person who asked."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """The code as stored: spaces and dashes (as printed, or typed) removed, upper case."""
    return "".join(code.split()).replace("-", "").upper()


def is_well_formed(code: str) -> bool:
    """Whether a normalised code could be one we issued: only our alphabet, at most the column's length.

    Anything else (a ``/``, a NUL byte, letters we never print) is simply not found, without a
    query and without a redirect to a URL that could not hold it.
    """
    return 0 < len(code) <= 20 and all(char in CODE_ALPHABET for char in code)


def verify_url(code: str) -> str:
    return settings.SITE_URL + reverse("certificate_verify", args=[code])


def parent_name(user) -> str:
    """The real name printed on a certificate: the one the parent gave (never a phone number)."""
    return (getattr(user, "name", "") or user.get_full_name()).strip()


def issuer_setting():
    """The default site's setting that names the issuing organisation and holds its seal.

    Looked up by name (``settings.CERTIFICATE_ISSUER_SETTING``) because the site shell's app
    sits above this one; certificates are issued in a Celery task, with no request, so the
    default site's setting is the one that counts.
    """
    from wagtail.models import Site

    model = apps.get_model(settings.CERTIFICATE_ISSUER_SETTING)
    site = Site.objects.filter(is_default_site=True).first()
    return model.for_site(site) if site is not None else None


def issuer_name() -> str:
    setting = issuer_setting()
    if setting is None:
        return ""
    return setting.certificate_issuer or getattr(setting, "organisation", "")


def seal_png(certificate: Certificate) -> bytes | None:
    """The seal image's bytes, for a certificate that names an issuer; None without a seal."""
    setting = issuer_setting()
    seal = getattr(setting, "certificate_seal", None)
    if seal is None or not certificate.issuer:
        return None
    with seal.open_file() as handle:
        return handle.read()


def register_font() -> str:
    """Registers the Chinese font (core/fonts) with ReportLab once; no font file at all is a
    configuration error, raised here when a PDF is drawn, never when the site starts."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    path = chinese_font_path()
    if path is None:
        raise ImproperlyConfigured(
            f"The Chinese font for certificates is missing: neither CERTIFICATE_FONT_PATH "
            f"({settings.CERTIFICATE_FONT_PATH or 'unset'}) nor the embedded {EMBEDDED_FONT} exists. "
            "Restore core/fonts/ from the repository, or install `apt-get install fonts-wqy-microhei` "
            "and set CERTIFICATE_FONT_PATH to a .ttf/.ttc font with Chinese glyphs. Without it the PDF "
            "would show empty boxes."
        )
    options = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), **options))
    return FONT_NAME


def qr_png(data: str) -> bytes:
    import qrcode

    image = qrcode.make(data, box_size=10, border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def build_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 landscape PDF, in Chinese (the site's default language)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = register_font()
    url = verify_url(certificate.code)
    width, height = landscape(A4)
    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE):
        pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=True, pageCompression=1)
        pdf.setTitle(_("Certificate of completion") + " · " + certificate.course_title)
        pdf.setAuthor(settings.WAGTAIL_SITE_NAME if hasattr(settings, "WAGTAIL_SITE_NAME") else "Huiai")
        pdf.setStrokeColor(colors.HexColor("#b4532a"))
        pdf.setLineWidth(3)
        pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        pdf.setFillColor(colors.HexColor("#1f2933"))
        pdf.setFont(font, 34)
        pdf.drawCentredString(width / 2, height - 45 * mm, _("Certificate of completion"))
        pdf.setFont(font, 16)
        pdf.drawCentredString(width / 2, height - 65 * mm, _("This is to certify that"))
        pdf.setFont(font, 30)
        pdf.drawCentredString(width / 2, height - 82 * mm, certificate.name)
        pdf.setFont(font, 16)
        pdf.drawCentredString(width / 2, height - 98 * mm, _("has completed the family-education course"))
        pdf.setFont(font, 22)
        pdf.drawCentredString(width / 2, height - 113 * mm, certificate.course_title)
        pdf.setFont(font, 14)
        pdf.drawCentredString(
            width / 2,
            height - 128 * mm,
            _("Study time: %(minutes)s minutes · Completed on %(date)s")
            % {"minutes": certificate.minutes, "date": certificate.completed_on.isoformat()},
        )
        if certificate.issuer:
            seal = seal_png(certificate)
            seal_size = 36 * mm
            if seal is not None:
                pdf.drawImage(
                    ImageReader(io.BytesIO(seal)),
                    width / 2 - seal_size / 2,
                    height - 158 * mm,  # centred on the issuer line, as a stamp is
                    seal_size,
                    seal_size,
                    mask="auto",
                    preserveAspectRatio=True,
                )
            pdf.setFont(font, 14)
            pdf.drawCentredString(
                width / 2, height - 142 * mm, _("Issued by %(issuer)s") % {"issuer": certificate.issuer}
            )
        pdf.setFont(font, 11)
        pdf.drawString(24 * mm, 34 * mm, _("Verification code: %(code)s") % {"code": certificate.code})
        pdf.drawString(24 * mm, 27 * mm, _("Verify at: %(url)s") % {"url": url})
        if certificate.version > 1:
            pdf.drawString(24 * mm, 20 * mm, _("Version %(version)s") % {"version": certificate.version})
        size = 42 * mm
        pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), width - 24 * mm - size, 20 * mm, size, size)
        pdf.showPage()
        pdf.save()
    return buffer.getvalue()


def _create(enrolment: Enrolment, name: str, version: int) -> Certificate:
    course = enrolment.course
    for _try in range(5):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment,
                    parent=enrolment.parent,
                    course=course,
                    code=new_code(),
                    version=version,
                    name=name,
                    course_title=course.title,
                    minutes=course.estimated_minutes,
                    issuer=issuer_name(),
                    completed_on=timezone.localdate(enrolment.completed_at),
                )
            break
        except IntegrityError:
            existing = Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).first()
            if existing is not None:
                return existing
    else:  # pragma: no cover - five colliding 12-character codes
        raise CertificateError("could not allocate a verification code")
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(build_pdf(certificate)), save=True)
    return certificate


def issue_certificate(enrolment: Enrolment) -> Certificate:
    """The valid certificate of a completed enrolment, issued on first call (idempotent)."""
    if enrolment.completed_at is None:
        raise CertificateError(_("The course is not completed yet."))
    if not parent_name(enrolment.parent):
        # Asked once on the parent's profile; saving it queues this again (queue_waiting_certificates).
        raise CertificateError(_("Please add your real name to your profile: it is printed on the certificate."))
    existing = Certificate.objects.filter(enrolment=enrolment, revoked_at__isnull=True).first()
    if existing is not None:
        if not existing.pdf:
            existing.pdf.save(f"{existing.code}.pdf", ContentFile(build_pdf(existing)), save=True)
        return existing
    return _create(enrolment, parent_name(enrolment.parent), version=1)


def valid_certificates(parent) -> dict[int, Certificate]:
    """The parent's valid certificates by course id, for "my courses"."""
    return {
        certificate.course_id: certificate
        for certificate in Certificate.objects.filter(parent=parent, revoked_at__isnull=True)
    }


def valid_certificate(parent, course) -> Certificate | None:
    """The parent's valid certificate for one course, for the quiz's pass page and the course page."""
    if not getattr(parent, "is_authenticated", False):
        return None
    return Certificate.objects.filter(parent=parent, course=course, revoked_at__isnull=True).first()


def find(code: str) -> Certificate | None:
    normalised = normalise_code(code)
    if not is_well_formed(normalised):
        return None
    return Certificate.objects.filter(code=normalised).first()


def may_download(user, certificate: Certificate) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return certificate.parent_id == user.pk or user.is_superuser or has_role(user, Role.DISTRICT_STAFF)


def request_name_correction(parent, certificate: Certificate, requested_name: str, reason: str = "") -> NameCorrection:
    requested_name = " ".join(requested_name.split())
    if certificate.parent_id != parent.pk:
        raise PermissionDenied
    if not certificate.is_valid:
        raise CertificateError(_("This certificate has been replaced."))
    if not requested_name or requested_name == certificate.name:
        raise CertificateError(_("Please enter the name as it should appear on the certificate."))
    if certificate.name_corrections.filter(status=NameCorrection.Status.PENDING).exists():
        raise CertificateError(_("You have already asked for a correction; district staff will look at it soon."))
    return NameCorrection.objects.create(certificate=certificate, requested_name=requested_name[:100], reason=reason)


def may_decide(user) -> bool:
    return user.is_superuser or has_role(user, Role.DISTRICT_STAFF)


@transaction.atomic
def decide_name_correction(correction: NameCorrection, approve: bool, decided_by) -> Certificate | None:
    """Approving re-issues the certificate with the corrected name and revokes the old one."""
    if not may_decide(decided_by):
        raise PermissionDenied(_("Only district staff decide name corrections."))
    correction = NameCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != NameCorrection.Status.PENDING:
        raise CertificateError(_("This request has already been decided."))
    now = timezone.now()
    correction.decided_by = decided_by
    correction.decided_at = now
    if not approve:
        correction.status = NameCorrection.Status.REJECTED
        correction.save()
        return None
    old = Certificate.objects.select_for_update().get(pk=correction.certificate_id)
    if not old.is_valid:
        raise CertificateError(_("This certificate has been replaced."))
    old.revoked_at = now
    old.save(update_fields=["revoked_at"])
    new = _create(old.enrolment, correction.requested_name, version=old.version + 1)
    old.replaced_by = new
    old.save(update_fields=["replaced_by"])
    correction.status = NameCorrection.Status.APPROVED
    correction.save()
    return new
