from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from kumppanuus.admin import LabelledInlineMixin, LabelledListEditableMixin
from kumppanuus.personal_data import InlineKeysInAdminLog
from organisations.models import AreaCoordinator, Membership, Municipality, Organisation, Theme, WelfareArea


@admin.register(WelfareArea)
class WelfareAreaAdmin(TranslationAdmin):
    list_display = ["code", "name", "short_name", "population"]
    search_fields = ["code", "name_fi", "name_sv"]


@admin.register(AreaCoordinator)
class AreaCoordinatorAdmin(SimpleHistoryAdmin):
    list_display = ["user", "welfare_area", "created_at"]
    list_filter = ["welfare_area"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user", "welfare_area"]


class AreaCoordinatorInline(LabelledInlineMixin, admin.TabularInline):
    """A person's coordinator roles, on the User admin page (composed in privacy/admin.py)."""

    model = AreaCoordinator
    extra = 0
    autocomplete_fields = ["welfare_area"]
    verbose_name = _("coordinator role")
    verbose_name_plural = _("coordinator roles")


@admin.register(Municipality)
class MunicipalityAdmin(TranslationAdmin):
    list_display = ["code", "name", "welfare_area", "population"]
    list_filter = ["welfare_area"]
    search_fields = ["code", "name_fi", "name_sv"]
    autocomplete_fields = ["liaison_persons"]


@admin.register(Theme)
class ThemeAdmin(LabelledListEditableMixin, TranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fi", "name_sv", "slug"]


class MembershipInline(LabelledInlineMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "status", "decided_by", "decided_at"]
    readonly_fields = ["decided_by", "decided_at"]


@admin.register(Organisation)
class OrganisationAdmin(InlineKeysInAdminLog, SimpleHistoryAdmin):
    list_display = ["name", "kind", "business_id", "welfare_area", "eligibility", "eligibility_decided_at"]
    list_filter = ["eligibility", "kind", "welfare_area", "themes"]
    search_fields = ["name", "business_id", "register_number"]
    autocomplete_fields = ["municipalities", "welfare_area"]
    filter_horizontal = ["themes"]
    readonly_fields = ["eligibility_decided_by", "eligibility_decided_at", "created_at", "updated_at"]
    inlines = [MembershipInline]
    history_list_display = ["eligibility", "eligibility_reason"]

    def save_model(self, request, obj, form, change):
        # Who decided is recorded when an admin changes eligibility here too.
        if change and "eligibility" in form.changed_data:
            from django.utils import timezone

            obj.eligibility_decided_by = request.user
            obj.eligibility_decided_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "status", "created_at"]
    list_filter = ["role", "status"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
