"""The same page in another language, and the language a person chose.

The language switcher in the header is a set of plain links, one per language, to the page
being shown in that language (path and query string kept): `page_in_language`. It resolves
the current request's URL match again in the target language, so it does not depend on the
cookie or the browser's language (Django's `translate_url()` resolves the path in the *active*
language, which is what broke the old switcher); where there is no match (a 404 page) it swaps
the language prefix of the path.

Links carry nothing per request but the path, so anonymous pages need no CSRF token for them.
A click also sets the language cookie (static/js/portal.js), so that the unprefixed URLs (`/`,
/admin/) follow the choice; for a signed-in person `PreferredLanguageMiddleware` saves the
language into the profile (emails then come in it).
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language_from_path
from django.views.decorators.http import require_POST

from core.permissions import public

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def swap_language_prefix(path: str, language: str) -> str:
    """`path` with its language prefix replaced by `language` (or given one, if it has none)."""
    prefix = get_script_prefix()
    rest = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    first, _slash, tail = rest.partition("/")
    if first.lower() in LANGUAGE_CODES:
        rest = tail
    return f"{prefix}{language}/{rest}"


def path_in_language(path: str, language: str, *, resolver_match=None) -> str:
    """The path of the page at `path` in `language` (no query string).

    With `resolver_match` (the request's), the URL is reversed again in `language`; otherwise
    `path` is resolved in the language of its own prefix first. Falls back to swapping the
    prefix where neither works."""
    if resolver_match is None:
        own = get_language_from_path(path)
        with translation.override(own or translation.get_language()):
            resolver_match = _resolve(path)
    if resolver_match is not None and resolver_match.url_name:
        try:
            with translation.override(language):
                return reverse(
                    resolver_match.view_name, args=resolver_match.args, kwargs=resolver_match.kwargs
                )
        except NoReverseMatch:
            pass
    if get_language_from_path(path) is None and _resolves(path):
        return path  # a URL without a language prefix (/admin/, /api/): the same in every language
    return swap_language_prefix(path, language)


def _resolve(path: str):
    try:
        return resolve(path)
    except Resolver404:
        return None


def _resolves(path: str) -> bool:
    return _resolve(path) is not None


def page_in_language(request, language: str) -> str:
    """The URL (path and query string) of the page `request` shows, in `language`."""
    url = path_in_language(request.path, language, resolver_match=getattr(request, "resolver_match", None))
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def remember_language(response, language: str) -> None:
    """The language cookie that LocaleMiddleware reads for URLs without a prefix."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
    )


def save_preferred_language(user, language: str) -> bool:
    """Store `language` as a signed-in user's preferred language; True when it changed."""
    if not getattr(user, "is_authenticated", False) or language not in LANGUAGE_CODES:
        return False
    if getattr(user, "preferred_language", language) == language:
        return False
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return True


@public
@require_POST
def set_language(request):
    """POST /i18n/setlang/ (`language`, `next`): Django's view, fixed. `next` is translated
    from the language of its own prefix, not from the cookie's or the browser's; the choice
    is kept in the cookie and, for a signed-in person, in the profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not (language and language in LANGUAGE_CODES and check_for_language(language)):
        return HttpResponseRedirect(next_url)
    parts = urlsplit(next_url)
    path = path_in_language(parts.path or "/", language)
    response = HttpResponseRedirect(urlunsplit(("", "", path, parts.query, parts.fragment)))
    remember_language(response, language)
    save_preferred_language(request.user, language)
    return response


class PreferredLanguageMiddleware:
    """Saves a signed-in person's choice of language into their profile.

    A click on the switcher sets the language cookie and opens the page under the chosen
    language's prefix; when a signed-in person's request has both (cookie and prefix agree) and
    they differ from the profile, the profile follows. Anonymous requests are not touched
    (nothing read, nothing written), and a link in another language alone (no cookie) does not
    change anyone's preference."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (
            chosen
            and request.method == "GET"
            and settings.SESSION_COOKIE_NAME in request.COOKIES  # no session: nobody signed in
            and chosen == get_language_from_path(request.path_info)
        ):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.preferred_language != chosen:
                save_preferred_language(user, chosen)
        return self.get_response(request)


API_PATH_PREFIX = "/api/"
API_DEFAULT_LANGUAGE = "en"


def api_language(request) -> str:
    """The language an API client asks for in Accept-Language (the first one the portal
    speaks), English when it asks for none; the site's cookie and default (Albanian) are for
    pages, not for clients."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return API_DEFAULT_LANGUAGE


class ApiLanguageMiddleware:
    """The API (/api/) answers in the language of Accept-Language, English without one
    (LocaleMiddleware would fall back to the cookie and then Albanian). After LocaleMiddleware,
    which still sets Content-Language from the language activated here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        language = api_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        return response
