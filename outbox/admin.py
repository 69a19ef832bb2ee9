"""The outbox's own rows in the admin, for looking only: they are written by the services and
sent by the engine, and what each says is rendered when it is sent."""

from django.contrib import admin

from outbox.models import Digest, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["kind", "email", "delivery_status", "rhythm", "attempts", "created_at", "sent_at"]
    # Not by rhythm: mostly empty (sent at once), and an empty value makes a filter link without a name.
    list_filter = ["delivery_status", "kind"]
    search_fields = ["email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(NotificationAdmin):
    list_display = ["user", "rhythm", "period", "delivery_status", "attempts", "created_at", "sent_at"]
    list_filter = ["delivery_status", "rhythm"]
    search_fields = ["user__email"]
