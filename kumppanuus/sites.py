"""The admin site: Django's, but without a sign-in form of its own.

Django's admin login (``/admin/login/``) checks passwords with no limit on failed attempts, beside
allauth's sign-in that locks an account after five (ACCOUNT_RATE_LIMITS). Two doors with different
locks are one weak door, so the admin's sign-in sends everyone to allauth's, with ``next`` set: one
set of rate limits for everyone. A password posted to ``/admin/login/`` is never checked. The
admin's "change password" form, which checks the old password, likewise sends staff to allauth's
(``change_password`` is limited per user there).
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "") or request.POST.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            # Signed in, but not staff: sending them to sign in would come straight back here.
            raise PermissionDenied
        return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")

    def password_change(self, request, extra_context=None):
        return HttpResponseRedirect(reverse("account_change_password"))
