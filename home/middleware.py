from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    """Chinese first: the language is the visitor's explicit choice, else zh-hans.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, which
    would show English to a parent whose phone happens to be set to English. Here only the
    language cookie (set by the switcher through ``django.views.i18n.set_language``) changes
    the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
