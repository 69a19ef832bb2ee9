from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """Use a signed-in person's preferred language where the browser has not chosen one.

    The language switch sets a cookie (and updates the preference), so an explicit
    choice in this browser wins; on a new device the saved preference applies.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
