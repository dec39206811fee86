"""Certificate views: the public verify page, the parent's download and name-correction request."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import params
from courses import certificates
from courses.models import CourseIndexPage


def verify(request, code: str = ""):
    """Public: says valid or revoked and shows only the name, course and date."""
    code = code or request.GET.get("code", "")
    normalised = certificates.normalise_code(code)
    if code and normalised != code and certificates.is_well_formed(normalised):
        return redirect("certificate_verify", code=normalised)
    certificate = certificates.find(normalised) if normalised else None
    status = 404 if normalised and certificate is None else 200
    context = {"code": normalised, "certificate": certificate, "searched": bool(normalised)}
    response = TemplateResponse(request, "courses/certificate_verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def download(request, code: str):
    certificate = certificates.find(code)
    if certificate is None or not certificates.may_download(request.user, certificate) or not certificate.pdf:
        raise Http404
    filename = f"certificate-{certificate.code}.pdf"
    return FileResponse(
        certificate.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


def _my_courses_url() -> str:
    catalogue = CourseIndexPage.objects.live().first()
    return catalogue.url + catalogue.reverse_subpage("my_courses") if catalogue else "/"


@login_required
@require_POST
def request_correction(request, code: str):
    certificate = certificates.find(code)
    if certificate is None or certificate.parent_id != request.user.pk:
        raise Http404
    try:
        certificates.request_name_correction(
            request.user,
            certificate,
            params.text(request.POST, "requested_name"),
            params.text(request.POST, "reason", max_length=300),
        )
    except certificates.CertificateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. District staff will check the name and issue a corrected certificate."))
    return redirect(_my_courses_url())
