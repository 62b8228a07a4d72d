"""Request guards that hold for every page (issue 11, finding 13)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulBytesMiddleware:
    """A NUL character in a parameter is refused with 400 before any view sees it.

    PostgreSQL cannot store or compare text holding NUL (``?q=%00`` answered 500 on five
    list pages), and no person types one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return self._refuse()
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for values in request.POST.lists():
                if any("\x00" in value for value in values[1]) or "\x00" in values[0]:
                    return self._refuse()
        return self.get_response(request)

    @staticmethod
    def _refuse():
        return HttpResponseBadRequest(
            _("The request holds a NUL character, which no field accepts."),
            content_type="text/plain; charset=utf-8",
        )
