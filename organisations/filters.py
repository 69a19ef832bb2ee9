import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kumppanuus.filters import NameChoiceFilter
from organisations.models import Municipality, Organisation, Theme, WelfareArea


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
