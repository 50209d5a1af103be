"""Control characters are refused in every text input, with a 400 naming the field.

PostgreSQL refuses NUL in text (a ValueError, so a 500, wherever one reached a query or a
save) and the other control characters have no business in names, descriptions or filters.
Tab, line feed and carriage return (what a textarea sends) are allowed.

One check (`find_control_character`), applied in two places: the API's parsers
(core.api.parsers: JSON, form and multipart bodies) and `ControlCharacterMiddleware` for
query strings everywhere and the form bodies of pages.
"""

import re

from django.shortcuts import render
from django.utils.translation import gettext as _

from core.i18n import API_PATH_PREFIX

# Also lone surrogates: JSON may escape half of a UTF-16 pair ("\ud800"), a string no
# database, hash or response can encode (a UnicodeEncodeError, a 500).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def control_character_message(field: str) -> str:
    return _("%(field)s contains a control character (such as NUL), which is not allowed.") % {"field": field}


def find_control_character(data, path: str = "") -> str | None:
    """The path ("records.3.donor_name", "q") of the first string in `data` (JSON-like
    values, a QueryDict) that holds a refused control character, or None."""
    if isinstance(data, str):
        return (path or "non_field_errors") if CONTROL_CHARACTERS.search(data) else None
    if hasattr(data, "lists"):  # a QueryDict: every value of every key, named by the key
        for key, values in data.lists():
            if any(isinstance(value, str) and CONTROL_CHARACTERS.search(value) for value in [key, *values]):
                return key
        return None
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            found = find_control_character(str(key), child) or find_control_character(value, child)
            if found:
                return found
        return None
    if isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = find_control_character(value, f"{path}.{index}" if path else str(index))
            if found:
                return found
    return None


class ControlCharacterMiddleware:
    """A query string (everywhere) or a page's form body holding a control character is a
    400 naming the parameter: JSON under /api/ (whose bodies the API's parsers check), the
    400 page elsewhere. After AuthenticationMiddleware (the 400 page shows who is signed in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = find_control_character(request.GET)
        is_api = request.path_info.startswith(API_PATH_PREFIX)
        if field is None and not is_api and request.method == "POST":
            try:
                field = find_control_character(request.POST)
            except Exception:  # noqa: BLE001 — an unreadable body: the view (or Django) answers it as before
                field = None
        if field is None:
            return self.get_response(request)
        message = control_character_message(field)
        if is_api:
            from django.http import JsonResponse

            return JsonResponse({field: [message]}, status=400)
        return render(request, "errors/400.html", {"message": message}, status=400)
