from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import ProfileForm
from accounts.selectors import unsubscribe_target
from accounts.services import unsubscribe_kinds, user_set_language, user_unsubscribe, user_update_profile
from outbox.preferences import settings_url
from outbox.registry import notification_kind


@require_POST
def set_language(request):
    """Django's language switch, which also saves the choice for a signed-in person."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        response = redirect("accounts:profile")
        # The saved language applies at once, also in this browser.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/profile.html", {"form": form})


def _labels(kinds: list[str]) -> list[str]:
    return [str(notification_kind(kind).label or kind) for kind in kinds]


# No sign-in and no CSRF token: the signed token in the address is what proves who asks, and a
# mail provider's one-click unsubscribe (RFC 8058) POSTs it without a session. GET only asks, so a
# mail scanner following the link turns nothing off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    target = unsubscribe_target(token)
    if target is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = target
    if request.method == "POST":
        turned_off = user_unsubscribe(user=user, kind=kind)
        return render(request, "accounts/unsubscribe.html", {
            "done": True, "labels": _labels(turned_off), "settings_url": settings_url(kind),
        })
    return render(request, "accounts/unsubscribe.html", {
        "labels": _labels(unsubscribe_kinds(user, kind)), "email": user.email, "settings_url": settings_url(kind),
    })
