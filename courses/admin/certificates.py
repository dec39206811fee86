"""Name corrections and certificates: parents' requests decided by district staff, certificates read-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from courses import certificates
from courses.models import Certificate, NameCorrection


class NameCorrectionEditView(generic.EditView):
    """Approving goes through ``courses.certificates`` (re-issue and revoke), never a bare save."""

    def save_instance(self):
        status = self.form.cleaned_data["status"]
        correction = self.object
        if status != NameCorrection.Status.PENDING:
            try:
                certificates.decide_name_correction(
                    correction, approve=status == NameCorrection.Status.APPROVED, decided_by=self.request.user
                )
            except certificates.CertificateError as error:
                raise PermissionDenied(error.message) from error
        correction.refresh_from_db()
        return correction


class NameCorrectionViewSet(ModelViewSet):
    """Parents' requests to correct the name on a certificate; district staff approve or reject."""

    model = NameCorrection
    icon = "edit"
    menu_label = _("Name corrections")
    add_to_admin_menu = True
    menu_order = 314
    edit_view_class = NameCorrectionEditView
    list_display = ["certificate", "requested_name", "reason", "status", "requested_at", "decided_by"]
    list_filter = ["status"]
    form_fields = ["status"]


class CertificateViewSet(ModelViewSet):
    model = Certificate
    icon = "doc-full"
    menu_label = _("Certificates")
    add_to_admin_menu = True
    menu_order = 315
    list_display = ["code", "name", "course_title", "version", "completed_on", "issued_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["code", "name"]
    form_fields = ["name"]
