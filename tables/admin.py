"""Admin for partnership tables. Roles, assignments, steps and standing members keep an audit history
(django-simple-history; HistoryRequestMiddleware records the admin who made each change)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from kumppanuus.admin import LabelledInlineMixin, LabelledListEditableMixin
from kumppanuus.personal_data import InlineKeysInAdminLog
from tables.models import (
    AnnualEvaluation,
    EvaluationQuestion,
    EvaluationReminder,
    EvaluationTemplate,
    PartnershipTable,
    ProcessRole,
    ProcessStep,
    ProcessTemplate,
    RoleAssignment,
    Sector,
    StandingMember,
)


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name", "welfare_area", "director"]
    list_filter = ["welfare_area"]
    search_fields = ["name_fi", "name_sv", "name_en", "director__email", "director__full_name"]
    autocomplete_fields = ["welfare_area", "director"]


@admin.register(ProcessRole)
class ProcessRoleAdmin(LabelledListEditableMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name_fi", "name_sv", "name_en", "slug", "description_fi", "description_sv"]
    history_list_display = ["name_fi", "name_sv"]

    def get_readonly_fields(self, request, obj=None):
        # The code finds the seeded roles by their identifier; renaming them is fine, re-keying is not.
        return ["slug"] if obj is not None else []


class RoleAssignmentAdminForm(forms.ModelForm):
    """In the admin an assignment names an account, and a new one is in force at once: an
    administrator's edit is the county's own. Nominations (to an address, or waiting for the
    nominee's consent) are made in the app (tables/services/roles.py); the admin never accepts one
    on the nominee's behalf."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].required = True

    def save(self, commit=True):
        if self.instance._state.adding and self.instance.accepted_at is None:
            self.instance.accepted_at = timezone.now()
        return super().save(commit)


class RoleAssignmentInline(LabelledInlineMixin, admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentAdminForm
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["role", "user", "valid_from", "valid_to"]


class StandingMemberInline(LabelledInlineMixin, admin.TabularInline):
    model = StandingMember
    extra = 0
    autocomplete_fields = ["organisation", "representative", "substitute"]
    fields = ["organisation", "status", "representative", "substitute", "decline_reason", "decided_at"]
    readonly_fields = ["decided_at"]


class TableStepInline(LabelledInlineMixin, TranslationTabularInline):
    model = ProcessStep
    fk_name = "table"
    extra = 0
    fields = ["position", "role", "what", "how", "when"]
    ordering = ["position", "pk"]


@admin.register(PartnershipTable)
class PartnershipTableAdmin(InlineKeysInAdminLog, TranslationAdmin):
    list_display = ["name", "sector", "welfare_area", "status", "access", "is_public", "owner"]
    list_filter = ["status", "access", "is_public", "welfare_area", "sector"]
    search_fields = ["name_fi", "name_sv", "name_en", "purpose_fi", "owner__email", "owner__full_name"]
    autocomplete_fields = ["welfare_area", "sector", "owner", "coordinators"]
    readonly_fields = ["created_at"]
    inlines = [RoleAssignmentInline, StandingMemberInline, TableStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sector", "welfare_area", "owner")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    form = RoleAssignmentAdminForm
    list_display = ["table", "role", "user", "valid_from", "valid_to", "accepted_at"]
    readonly_fields = ["email", "accepted_at", "nominated_by"]
    list_filter = ["role", "table__welfare_area", "table"]
    search_fields = ["table__name_fi", "table__name_sv", "user__email", "user__full_name", "role__name_fi"]
    autocomplete_fields = ["table", "user"]
    date_hierarchy = "valid_from"
    history_list_display = ["role", "user", "valid_from", "valid_to"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("table", "role", "user")


@admin.register(StandingMember)
class StandingMemberAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "table", "status", "representative", "substitute", "decided_at"]
    list_filter = ["status", "table__welfare_area", "table"]
    search_fields = ["organisation__name", "table__name_fi", "table__name_sv", "representative__email"]
    autocomplete_fields = ["table", "organisation", "representative", "substitute", "requested_by", "decided_by"]
    readonly_fields = ["created_at", "decided_at", "ended_at"]
    history_list_display = ["status", "representative", "substitute"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "organisation", "table", "representative", "substitute"
        )


@admin.register(ProcessStep)
class ProcessStepAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["what", "role", "when", "table", "template", "position"]
    list_filter = ["role", "template", "table__welfare_area"]
    search_fields = ["what_fi", "what_sv", "how_fi", "how_sv", "when_fi", "table__name_fi", "template__name"]
    autocomplete_fields = ["table"]
    history_list_display = ["position", "role", "what"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role", "table", "template")


class TemplateStepInline(LabelledInlineMixin, TranslationTabularInline):
    model = ProcessStep
    fk_name = "template"
    extra = 0
    fields = ["position", "role", "what", "how", "when"]
    ordering = ["position", "pk"]


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["name", "description"]
    inlines = [TemplateStepInline]


class EvaluationQuestionInline(LabelledInlineMixin, TranslationTabularInline):
    model = EvaluationQuestion
    extra = 0
    fields = ["position", "kind", "text"]
    ordering = ["position", "pk"]


@admin.register(EvaluationTemplate)
class EvaluationTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    list_filter = ["is_default"]
    search_fields = ["name", "questions__text_fi"]
    inlines = [EvaluationQuestionInline]


@admin.register(AnnualEvaluation)
class AnnualEvaluationAdmin(admin.ModelAdmin):
    list_display = ["table", "year", "status", "opens_on", "due_on", "summary_link"]
    list_filter = ["status", "year", "table__welfare_area"]
    search_fields = ["table__name_fi", "table__name_sv"]
    autocomplete_fields = ["table"]
    readonly_fields = ["opened_at", "closed_at", "results_published_at", "summary_link"]
    fields = ["table", "year", "template", "opens_on", "due_on", "status", "opened_at", "closed_at",
              "results_published_at", "summary_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("table")

    @admin.display(description=_("responses"))
    def summary_link(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("tables:evaluation_summary", args=[obj.pk]), _("Summary of the responses")
        )


@admin.register(EvaluationReminder)
class EvaluationReminderAdmin(admin.ModelAdmin):
    """Read-only: the record that each notice was sent once."""

    list_display = ["evaluation", "user", "kind", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["user__email", "evaluation__table__name_fi"]
    list_select_related = ["evaluation", "evaluation__table", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
