"""The site's URLs plus one bare Django view, the baseline the home page is measured against."""

from django.http import HttpResponse
from django.urls import path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare)]

from huiai.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns += site_urlpatterns
