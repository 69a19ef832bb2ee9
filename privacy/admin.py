"""The User admin, composed on the top floor from what each app contributes.

Deleting a person in the admin goes through the same service as deleting one's own account: the
service reads and writes every app, and ``accounts`` may not import them. Without this, Django's
cascade would delete the person's invitations and RSVPs (changing the meetings' counts) and leave
their name in the audit history. The coordinator roles inline is organisations' (``accounts`` may
not import ``organisations`` either).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

import accounts.admin  # registers the User admin, which is replaced below
from accounts.models import User
from organisations.admin import AreaCoordinatorInline
from privacy.services import account_delete, account_delete_blockers


class UserAdmin(accounts.admin.UserAdmin):
    inlines = [*accounts.admin.UserAdmin.inlines, AreaCoordinatorInline]

    def has_delete_permission(self, request, obj=None):
        # The last administrator and the owner of a table cannot be deleted (the service says why).
        if obj is not None and account_delete_blockers(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs, request):
        # Django's list would show the cascade (invitations, RSVPs, ...) and refuse for want of the
        # right to delete read-only meeting records; the service keeps those, anonymised, instead.
        people = list(objs)
        return [str(person) for person in people], {User._meta.verbose_name_plural: len(people)}, set(), []

    def delete_model(self, request, obj):
        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            try:
                account_delete(user=user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {' '.join(error.messages)}", messages.ERROR)


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
