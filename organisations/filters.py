import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from kumppanuus.widgets import QuickSelect
from organisations.models import Municipality, Organisation, Theme, WelfareArea


class _NameChoiceIterator(ModelChoiceIterator):
    """The options as (pk, name) rows straight from the database (the name in the active language,
    with modeltranslation's fallback): building a model instance for each of the 293
    municipalities cost more than the rest of the directory page."""

    def __init__(self, field):
        super().__init__(field)
        self.queryset = self.queryset.values_list("pk", "name")

    def choice(self, row):
        return row


class _NameChoiceField(ModelChoiceField):
    iterator = _NameChoiceIterator


class NameChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by a model that has a translated ``name``, listed quickly (QuickSelect)."""

    field_class = _NameChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(*args, **kwargs)


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    theme = NameChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), field_name="themes", empty_label=_("All themes"),
    )
    welfare_area = NameChoiceFilter(
        label=_("Wellbeing services county"), queryset=WelfareArea.objects.all(), empty_label=_("All counties"),
    )
    municipality = NameChoiceFilter(
        label=_("Municipality"), queryset=Municipality.objects.all(), field_name="municipalities",
        empty_label=_("All municipalities"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "theme", "welfare_area", "municipality"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
