import datetime

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render


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


