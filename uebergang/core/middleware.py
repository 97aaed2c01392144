from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from .errors import status_error


class LanguageMiddleware:
    """German unless the person chose another language with the switch in the footer (a
    cookie). The browser's Accept-Language is not used: the network's working language is
    German, whatever language a browser happens to be set to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ApiErrorMiddleware:
    """Under /api/ every error is JSON in the documented shape (`core.api.ErrorOut`), also
    those the API's own handlers never see: an unknown address or a trailing slash (404), a
    wrong method (405), what Django refuses itself (400, 403 of the CSRF check, 413) and an
    internal error (500, after Django has logged it). Other paths are left alone."""

    # Headers of the refused response that still hold for the JSON one.
    KEEP_HEADERS = ("Allow", "Vary", "Content-Language", "Retry-After", "WWW-Authenticate")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        details = None
        allow = response.get("Allow")
        if response.status_code == 405 and allow:
            details = {"allowed": [m.strip() for m in allow.split(",") if m.strip()]}
        elif (
            settings.DEBUG
            and response.status_code >= 500
            and response.get("Content-Type", "").startswith("text/plain")
            and not getattr(response, "streaming", False)
        ):
            # With DEBUG, ninja answers an internal error with its traceback (and Django
            # logs nothing): keep it for the developer.
            details = {"debug": response.content.decode(errors="replace")[-20000:]}
        answer = JsonResponse(status_error(response.status_code, details=details))
        answer.status_code = response.status_code
        for name in self.KEEP_HEADERS:
            if name in response:
                answer[name] = response[name]
        if hasattr(response, "close"):
            response.close()
        return answer


class PageCacheStateMiddleware:
    """`X-Page-Cache: hit` or `miss` on responses whose main content is cached
    (`{% pagecache %}`, `core.api.cached_json`): the bench counts hit rates with it. It names
    no data, only whether the copy came from the cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "page_cache_state", None)
        if state is not None:
            response["X-Page-Cache"] = state
        return response
