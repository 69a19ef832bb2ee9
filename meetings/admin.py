"""Meetings in the admin are for looking only: every change goes through the services (and the
coordinator's pages), which send the invitations, updates and cancellations that go with it."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings.models import ActionItem, ActionItemFollowUp, Invitation, Meeting, MeetingReminder
from meetings.services import invitation_revoke_links


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = [
        "email", "name", "source", "kind", "delivery_status", "attempts", "last_error", "sent_at", "sent_sequence",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "table", "starts_at", "format", "status", "sequence"]
    list_filter = ["status", "format", "table__welfare_area"]
    search_fields = ["title_fi", "title_sv", "table__name_fi", "table__name_sv"]
    date_hierarchy = "starts_at"
    list_select_related = ["table"]
    inlines = [InvitationInline]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "meeting", "kind", "delivery_status", "attempts", "sent_at"]
    list_filter = ["delivery_status", "kind"]
    search_fields = ["email", "name", "meeting__title_fi", "meeting__title_sv"]
    list_select_related = ["meeting"]
    actions = ["revoke_links"]

    @admin.action(description=_("Revoke the answer links sent for the selected invitations"))
    def revoke_links(self, request, queryset):
        for invitation in queryset:
            invitation_revoke_links(actor=request.user, invitation=invitation)
        count = queryset.count()
        message = ngettext(
            "The answer links of %(count)d invitation no longer work.",
            "The answer links of %(count)d invitations no longer work.", count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


@admin.register(MeetingReminder)
class MeetingReminderAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "meeting", "kind", "for_starts_at", "delivery_status", "sent_at"]
    list_filter = ["kind", "delivery_status"]
    list_select_related = ["invitation", "meeting"]


class FollowUpInline(admin.TabularInline):
    """What later meetings decided about the item (done, or carried on with a note)."""

    model = ActionItemFollowUp
    fields = ["meeting", "outcome", "note", "new_due_on", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    inlines = [FollowUpInline]
    list_display = ["what", "meeting", "owner_user", "owner_organisation", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting", "owner_user", "owner_organisation"]
