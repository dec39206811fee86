from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from core import media as course_media
from home import installable
from home import metrics as home_metrics
from home import views as home_views

urlpatterns = [
    path("healthz", home_views.health, name="health"),
    # Liveness (the process answers) and readiness (database, cache and broker answer) apart,
    # for a supervisor or load balancer that tells "restart it" from "send no traffic yet".
    path("healthz/live", home_views.liveness, name="health_live"),
    path("healthz/ready", home_views.health, name="health_ready"),
    # Prometheus metrics for the monitoring token only (home/metrics.py).
    path("metrics", home_metrics.metrics_view, name="metrics"),
    # The installable web app: manifest, service worker (at the root, for the whole site's
    # scope) and its offline page (home/installable.py).
    path("manifest.webmanifest", installable.manifest, name="web_app_manifest"),
    path("service-worker.js", installable.service_worker, name="service_worker"),
    path("offline/", installable.offline, name="offline"),
    path("offline/saved/", installable.saved_lessons, name="saved_lessons"),
    path("workbench/", home_views.workbench, name="workbench"),
    # No CSRF token for the language switcher: a forged request can only change the visitor's UI
    # language (harmless, and undone with one click), while a per-visitor token in the header
    # would make every page uncacheable for anonymous visitors (core/page_cache.py). Django's
    # view still only redirects to a same-site ``next`` (url_has_allowed_host_and_scheme).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    # One way to sign in: allauth's (rate limits, second factor). Wagtail's own login views are
    # shadowed here and only send visitors there (tests/security/test_sign_in_paths.py).
    path("admin/login/", account_views.sign_in_with_allauth),
    path("_util/login/", account_views.sign_in_with_allauth),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document serve view, answering Range requests so lesson videos can seek.
    re_path(r"^documents/(?P<document_id>\d+)/(?P<document_filename>.*)$", course_media.serve_document),
    path("documents/", include(wagtaildocs_urls)),
    # wagtailmedia items (lesson video and audio) and their thumbnails: privacy and Range requests.
    path("media-files/<int:media_id>/<str:filename>", course_media.serve_media, name="serve_media"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("schools/", include("schools.urls")),
    path("certificates/", include("courses.urls")),
    path("search/", include("search.urls")),
    path("participation/", include("participation.urls")),
    path("guidance/", include("guidance.urls")),
    path("stations/", include("workstations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# A database out of reach answers 503 with a page that says so (core/error_pages.py).
handler500 = "core.error_pages.server_error"
