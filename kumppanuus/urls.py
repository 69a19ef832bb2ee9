from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import set_language
from kumppanuus import views
from meetings.views.dashboard import dashboard
from organisations.views import home

admin.site.site_header = _("Kumppanuus administration")
admin.site.site_title = _("Kumppanuus")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", home, name="home"),  # the front page shows the organisation directory's counts
    path("healthz", views.healthz, name="healthz"),  # load balancers and the benchmarks; no database
    path("me/", dashboard, name="dashboard"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("accounts.urls")),  # profile and settings
    # Personal data (GDPR): the person's own data as a download, and deleting the account (no namespace).
    path("me/data/", include("privacy.urls")),
    path("organisations/", include("organisations.urls")),
    path("tables/", include("tables.urls")),
    path("meetings/", include("meetings.urls")),
    path("admin/", admin.site.urls),
]
