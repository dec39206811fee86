"""Security headers on every response: Content-Security-Policy (django-csp) and Permissions-Policy.

The site's own pages run under ``CONTENT_SECURITY_POLICY``: scripts, styles, images, fonts,
media and fetches from this origin only, no inline script or style, no plug-ins, no framing.
The Wagtail admin renders inline ``<script>`` blocks of its own (date pickers, inline panels),
so paths under ``CSP_ADMIN_PATH_PREFIXES`` get ``CONTENT_SECURITY_POLICY_ADMIN`` instead, which
relaxes exactly that and nothing else. The workstation map's tile server is the one outside
origin a page may load from, and only when ``WORKSTATION_MAP_TILE_URL`` is set.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config


def tile_origin(url_template: str) -> str | None:
    """The origin (``scheme://host[:port]``) of a Leaflet tile URL template, or None.

    A ``{s}`` subdomain placeholder becomes a ``*.`` wildcard, as CSP host sources allow.
    """
    if not url_template:
        return None
    parts = urlsplit(url_template.replace("{s}", "SUBDOMAIN"))
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.netloc.rsplit("@", 1)[-1]
    if "{" in host or "}" in host:
        return None
    host = host.replace("SUBDOMAIN", "*")
    return f"{parts.scheme}://{host}"


def is_admin_path(path: str) -> bool:
    return path.startswith(tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ())))


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy by path and adding the map tile origin."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts  # a view decorated with @csp(...) chose its own policy
        if is_admin_path(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
            return parts
        origin = tile_origin(getattr(settings, "WORKSTATION_MAP_TILE_URL", ""))
        if origin:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), origin]
            parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response: no page may use these browser features."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        features = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


class PrivateResponseMiddleware:
    """``Cache-Control: private`` on every response to a browser holding a session, or that sets a cookie.

    Such a response belongs to one visitor (a signed-in page, a form with its CSRF token) and
    no shared cache or service worker may keep it. The site's service worker cannot read
    ``Set-Cookie`` (browsers hide it from scripts), so this header is what it checks
    (``templates/home/service-worker.js``). It sits outside the session, CSRF and page-cache
    middleware so it sees the cookies they set; static files (WhiteNoise, listed before it)
    are answered before it runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.cookies or settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True)
        return response
