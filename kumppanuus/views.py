import datetime
import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import AccountDeleteForm
from kumppanuus.personal_data import account_delete, account_delete_check, personal_data_export
from organisations.selectors import home_counts


def home(request):
    return render(request, "home.html", {"counts": home_counts()})


def healthz(request):
    """The process is up and answering. Touches no database on purpose: the benchmarks compare every
    page with this (bench/pages.py), and a load balancer should not take a web process out of
    service because the database is slow."""
    return HttpResponse("ok", content_type="text/plain")


# The day the accessibility statement was last reviewed against the pages; change it with the statement.
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 11, 22)


def accessibility_statement(request):
    return render(
        request,
        "accessibility.html",
        {"prepared": ACCESSIBILITY_STATEMENT_DATE, "feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL},
    )


# The day the privacy notice was last reviewed against what the service keeps; change it with the notice.
PRIVACY_NOTICE_DATE = datetime.date(2026, 11, 22)


def privacy_notice(request):
    return render(
        request,
        "privacy.html",
        {
            "prepared": PRIVACY_NOTICE_DATE,
            "controller": settings.PRIVACY_CONTROLLER,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "retention_days": settings.OUTBOX_RETENTION_DAYS,
        },
    )


# --- Personal data: download and delete (kumppanuus/personal_data/) ------------------------------


@login_required
def personal_data(request):
    """The page that explains what is held and offers the download; only about the signed-in person."""
    return render(request, "accounts/personal_data.html")


@require_POST
@login_required
def personal_data_download(request):
    """Everything held about the signed-in person, as a JSON file (POST, so nothing prefetches it)."""
    data = personal_data_export(request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"kumppanuus-personal-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_delete_confirm(request):
    """Deleting one's own account, after typing the password (or the address) to confirm."""
    check = account_delete_check(request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    problem = ""
    # The password is checked here: as many tries as allauth allows for re-authentication.
    if request.method == "POST" and not ratelimit.consume(request, action="reauthenticate", user=request.user):
        form = AccountDeleteForm(user=request.user)  # not checked at all
        problem = _("Too many attempts. Wait a minute and try again.")
    elif request.method == "POST" and check.allowed and form.is_valid():
        try:
            account_delete(user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account was deleted. Thank you for taking part."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "check": check, "problem": problem}
    return render(request, "accounts/account_delete.html", context, status=status)
