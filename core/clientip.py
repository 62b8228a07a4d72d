"""The client's IP address behind a reverse proxy (issue 11, finding 5).

Behind nginx every request connects from the proxy, so a lockout keyed on REMOTE_ADDR
lets anyone lock any account. The address is taken from a header only when the request
comes from a trusted proxy, both set by env (README, Production):
- ``CLIENT_IP_HEADER``: e.g. ``X-Forwarded-For`` or ``X-Real-IP`` (empty: REMOTE_ADDR);
- ``TRUSTED_PROXY_IPS``: the proxies' addresses; a request from elsewhere is taken as is;
- ``TRUSTED_PROXY_COUNT``: how many proxies append to ``X-Forwarded-For`` (default 1).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    trusted = set(getattr(settings, "TRUSTED_PROXY_IPS", ()))
    if not header or remote not in trusted:
        return remote
    raw = request.META.get(_meta_key(header), "")
    hops = [hop for hop in (part.strip() for part in raw.split(",")) if hop]
    count = max(1, int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)))
    if len(hops) < count:
        return remote
    return _valid(hops[-count]) or remote
