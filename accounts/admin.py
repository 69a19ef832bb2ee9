from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


# privacy/admin.py replaces this registration with a subclass that deletes people through the
# personal-data service and adds organisations' coordinator roles inline (accounts may import no app).
@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "language")}),
        (
            _("Notifications"),
            {
                "fields": (
                    "notify_meeting_reminders", "notify_evaluation_reminders", "notify_action_items",
                    "notification_rhythms",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)


# County sign-in (README "County sign-in") is configured in one place, OIDC_PROVIDERS in the
# environment: no providers (and their secrets) kept in the database, and no tokens kept at all
# (SOCIALACCOUNT_STORE_TOKENS). The linked county accounts stay visible (allauth's SocialAccount admin).
def _unregister_allauth_config_admins():
    from allauth.socialaccount.models import SocialApp, SocialToken

    for model in (SocialApp, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_allauth_config_admins()
