"""A test-only URLconf: the site's URLs plus views marked with ``sensitive_area``.

No bullying-report views exist yet; these stand in for them so the MFA rule is tested
through the real middleware stack.
"""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from accounts.middleware import sensitive_area
from huiai.urls import urlpatterns as site_urlpatterns


@sensitive_area
def report_list(request):
    return HttpResponse("bullying reports")


@sensitive_area
class ReportDetailView(View):
    def get(self, request, pk):
        return HttpResponse(f"bullying report {pk}")


def public_page(request):
    return HttpResponse("public")


urlpatterns = [
    path("reports/", report_list, name="test_report_list"),
    path("reports/<int:pk>/", ReportDetailView.as_view(), name="test_report_detail"),
    path("public/", public_page, name="test_public_page"),
    *site_urlpatterns,
]
