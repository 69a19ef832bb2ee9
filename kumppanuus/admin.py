"""django-celery-beat's admin, with forms that validate (issue 11, item 12), and what every admin
of ours shares: names for the fields Django's admin draws without one.

The library's own admin answered hostile input with a server error: a crontab field of ``-1``
passes its field validators but makes celery's parser raise ``ParseException`` while the page is
drawn, and a periodic task posted without its task name raised ``KeyError`` in the form's
``clean``. The admin is ours even where its forms come from a library: these subclasses refuse
such input with a message, and tests/test_properties.py feeds random input to their add and change
forms as to every other admin form.
"""

from celery import schedules
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteMixin
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_celery_beat import admin as beat_admin
from django_celery_beat.models import CrontabSchedule, PeriodicTask

CRONTAB_FIELDS = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")


def crontab_description(crontab: CrontabSchedule | None) -> str:
    """The library's readable description, or the bare expression when celery cannot parse it
    (a row written before these forms, or by hand): a page is never a server error for it."""
    if crontab is None:
        return ""
    try:
        return crontab.human_readable
    except Exception:  # noqa: BLE001 (celery's ParseException and anything the cron parsers raise)
        return str(crontab)


class CrontabScheduleForm(forms.ModelForm):
    class Meta:
        model = CrontabSchedule
        fields = ("minute", "hour", "day_of_month", "month_of_year", "day_of_week", "timezone")

    def clean(self):
        data = super().clean()
        if all(name in data for name in CRONTAB_FIELDS):
            try:
                schedules.crontab(**{name: data[name] for name in CRONTAB_FIELDS})
            except (schedules.ParseException, ValueError, TypeError, IndexError, KeyError) as error:
                raise forms.ValidationError(
                    _("Celery cannot read this schedule: %(error)s"), params={"error": error}, code="crontab"
                ) from None
        return data


class PeriodicTaskForm(beat_admin.PeriodicTaskForm):
    def clean(self):
        # The library's clean reads cleaned_data["task"], which is absent when the field itself was
        # refused (too long, a NUL byte): a KeyError, a server error.
        self.cleaned_data.setdefault("task", "")
        return super().clean()

    def clean_headers(self):
        # The library's save() turns empty headers into None, which the column refuses: an
        # IntegrityError, a server error (found by the admin fuzzing). Empty means no headers.
        self.cleaned_data["headers"] = (self.cleaned_data.get("headers") or "").strip() or "{}"
        return self._clean_json("headers")


class CrontabScheduleAdmin(beat_admin.CrontabScheduleAdmin):
    form = CrontabScheduleForm
    list_display = ("__str__", "human_readable_description")
    fields = ("human_readable_description", "minute", "hour", "day_of_month", "month_of_year", "day_of_week",
              "timezone")  # fmt: skip
    readonly_fields = ("human_readable_description",)

    @admin.display(description=_("Schedule in words"))
    def human_readable_description(self, obj: CrontabSchedule) -> str:
        return crontab_description(obj) if obj.pk else ""


class PeriodicTaskAdmin(beat_admin.PeriodicTaskAdmin):
    form = PeriodicTaskForm

    def crontab_translation(self, obj):
        return crontab_description(obj.crontab) if obj and obj.crontab_id else ""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The library's view describes every crontab with human_readable, which raises on a bad row.
        extra_context = {
            **(extra_context or {}),
            "readable_crontabs": {c.pk: crontab_description(c) for c in CrontabSchedule.objects.all()},
        }
        return admin.ModelAdmin.changeform_view(self, request, object_id, form_url, extra_context)


for model, model_admin in ((CrontabSchedule, CrontabScheduleAdmin), (PeriodicTask, PeriodicTaskAdmin)):
    admin.site.unregister(model)
    admin.site.register(model, model_admin)


# Django's autocomplete widget (autocomplete_fields, in our admins and their inlines) draws a form
# that came back with errors by looking up the posted values: a value its key cannot hold ("abc", a
# NUL byte) is a ValueError in the query, a server error instead of the form's own "Select a valid
# choice". The fuzzing of every admin form found it; values the key field refuses select nothing.
_autocomplete_optgroups = AutocompleteMixin.optgroups


def _optgroups_of_valid_values(self, name, value, attr=None):
    remote = self.field.remote_field
    key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
    valid = []
    for item in value:
        try:
            key.get_prep_value(key.to_python(item))
        except (ValidationError, ValueError, TypeError):
            continue
        if "\x00" not in str(item):  # PostgreSQL refuses NUL in any text it is sent
            valid.append(item)
    return _autocomplete_optgroups(self, name, valid, attr)


AutocompleteMixin.optgroups = _optgroups_of_valid_values


# --- Names for the fields Django's admin draws without one --------------------------------------
# axe-core finds these on the admin's pages (WCAG 4.1.2, "label" and "select-name", critical): a
# screen reader in such a field hears only "edit text" or "combo box". The autocomplete boxes and
# the two-list choosers, which the admin's scripts draw, are named by static/js/admin_names.js.


def name_fields(form) -> None:
    """Names each visible field of ``form`` by its label and, in a saved row, the row's object
    ("Rooli: Kaisa Koordinaattori – Sihteeri"), for fields shown without a <label> of their own."""
    for field in form.fields.values():
        if field.widget.is_hidden or not field.label:
            continue
        label = capfirst(field.label)
        # The widget itself, not the admin's wrapper with its "+" and pencil links: a copied wrapper's
        # attrs are still its original's (RelatedFieldWidgetWrapper.__deepcopy__), shared by all rows.
        widget = getattr(field.widget, "widget", field.widget)
        widget.attrs["aria-label"] = f"{label}: {form.instance}" if form.instance.pk else str(label)


class LabelledInlineMixin:
    """A tabular inline whose fields have names: Django heads each column with the field's label and
    gives the fields in the rows none. Put it before ``admin.TabularInline`` (or modeltranslation's)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)  # the "Delete" box too
                name_fields(form)

        return LabelledFormSet


class LabelledListEditableMixin:
    """A change list whose editable columns (``list_editable``) have names, row by row
    ("Sijainti: Mielenterveys"): Django leaves those fields unnamed."""

    def get_changelist_form(self, request, **kwargs):
        form_class = super().get_changelist_form(request, **kwargs)

        class LabelledChangelistForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                name_fields(self)

        return LabelledChangelistForm


# Django writes "Date:" and "Time:" before the two boxes of a date-and-time field as bare text, and
# the field's own label points at neither box: the template used instead makes them their labels.
AdminSplitDateTime.template_name = "admin/widgets/split_datetime_labelled.html"
