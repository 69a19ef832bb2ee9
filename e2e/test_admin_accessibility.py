"""The admin is a user's screen too: every admin page the project registers passes axe-core.

A superuser (the demo's admin) opens the admin's home page and, for every model in
``admin.site._registry``, its change list, its add form (where the admin lets anyone add) and the
change form of one row, on the demo with meetings (e2e/demo.py) and a row of each model the demo
leaves empty. Each page is checked like every other page (``assert_accessible``: axe-core, serious
or critical fails; the title, landmarks and footer; reflow at 320 px). All failures are collected
and reported together.
"""

import datetime

from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from devdata.management.commands.load_demo import DEMO_PASSWORD
from e2e.accessibility import assert_accessible
from e2e.helpers import sign_in


def _rows_the_demo_leaves_empty(users) -> None:
    """A row of each registered model the demo has none of, so that its change form is checked too."""
    from django.contrib.auth.models import Group, Permission
    from django_celery_beat.models import ClockedSchedule, IntervalSchedule, SolarSchedule

    from meetings.models import Invitation, MeetingReminder
    from outbox.models import Digest
    from tables.models import AnnualEvaluation, EvaluationReminder

    group = Group.objects.create(name="Koordinaattorit")
    group.permissions.set(Permission.objects.filter(codename__in=["view_organisation", "change_organisation"]))
    ClockedSchedule.objects.create(clocked_time=timezone.now() + datetime.timedelta(days=1))
    SolarSchedule.objects.create(event="sunrise", latitude="63.0960", longitude="21.6158")
    IntervalSchedule.objects.get_or_create(every=5, period=IntervalSchedule.MINUTES)
    invitation = Invitation.objects.filter(user=users["member"]).select_related("meeting").first()
    sent = {"delivery_status": "sent", "sent_at": timezone.now()}
    MeetingReminder.objects.create(
        meeting=invitation.meeting, invitation=invitation, kind="attending",
        for_starts_at=invitation.meeting.starts_at, **sent,
    )
    EvaluationReminder.objects.create(
        evaluation=AnnualEvaluation.objects.first(), user=users["member"], kind="opened", **sent
    )
    Digest.objects.create(user=users["member"], rhythm="daily", period=timezone.localdate(), **sent)


def admin_pages(superuser) -> list[tuple[str, str]]:
    """(name, path) of the admin's home page and each registered model's change list, add and change form."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = [("admin index", reverse("admin:index"))]
    missing = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label):
        label, info = model._meta.label_lower, (model._meta.app_label, model._meta.model_name)
        pages.append((f"{label} changelist", reverse("admin:{}_{}_changelist".format(*info))))
        if model_admin.has_add_permission(request):
            pages.append((f"{label} add", reverse("admin:{}_{}_add".format(*info))))
        row = model._default_manager.order_by("pk").first()
        if row is None:
            missing.append(label)
        else:
            pages.append((f"{label} change", reverse("admin:{}_{}_change".format(*info), args=[row.pk])))
    assert not missing, f"no row to open the change form of: {missing}; add one in _rows_the_demo_leaves_empty"
    return pages


def test_every_admin_page_passes_axe(page, demo):
    superuser = demo["admin"]
    assert superuser.is_superuser
    _rows_the_demo_leaves_empty(demo)
    pages = admin_pages(superuser)
    assert len(pages) >= 60, pages

    page.goto("/")
    sign_in(page, email=superuser.email, password=DEMO_PASSWORD)
    page.wait_for_url("**/me/")

    failures = []
    for name, path in pages:
        response = page.goto(path)
        if response.status != 200:
            failures.append(f"{name} ({path}): answered {response.status}")
            continue
        try:
            assert_accessible(page, f"admin: {name}")
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, f"{len(failures)} of {len(pages)} admin pages fail:\n\n" + "\n\n".join(failures)
