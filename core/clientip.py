"""The one place that decides which address a request came from.

Behind the production TLS proxy ``REMOTE_ADDR`` is the proxy itself, the same for every
visitor: a limit keyed on it is one limit for the whole country. Each trusted proxy appends the
address it received the connection from to ``X-Forwarded-For``, so the client is the entry
``TRUSTED_PROXY_COUNT`` places from the right. Everything to the left of it was written by the
client and is never believed (a spoofed leftmost value changes nothing). With a count of 0 (no
proxy, the default), with no header, with too few entries or with an entry that is not an IP
address, the answer is ``REMOTE_ADDR``.

allauth reads the same number (``ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT`` in
settings) and its adapter asks this module (``accounts.adapter.AccountAdapter.get_client_ip``), so
every limiter in the project counts the same client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _clean(value: str) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.5:443"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxy_count() -> int:
    try:
        return max(int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0), 0)
    except (TypeError, ValueError):
        return 0


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the trusted proxies saw it (see the module docstring)."""
    remote = _clean(request.META.get("REMOTE_ADDR", "")) or ""
    count = trusted_proxy_count()
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < count:
        return remote
    return _clean(forwarded[-count]) or remote


def client_network(request: HttpRequest) -> str:
    """What a per-client limit counts: the address, or its /64 for IPv6.

    One IPv6 subscriber usually holds a whole /64, so counting single addresses would let one
    person rotate through billions of them (allauth truncates the same way).
    """
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and not parsed.ipv4_mapped:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address) + "/64"
    return str(parsed)
