"""The one way to follow a ``next`` parameter (issue 11, item 3: no open redirect)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, fallback: str, *, param: str = "next") -> str:
    """``next`` from POST or GET when it stays on this site, else ``fallback`` resolved.

    Off-site, scheme-relative (``//evil``) and ``javascript:`` targets are ignored.
    """
    target = request.POST.get(param) or request.GET.get(param) or ""
    # Only a path on this site: a bare word would be taken for a URL name by redirect().
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(fallback)
