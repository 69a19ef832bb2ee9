import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kumppanuus.filters import NameChoiceFilter
from organisations.models import Municipality, Organisation, Theme, WelfareArea


def _is_id(value: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{1,9}", value))


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

    def __init__(self, data=None, *args, **kwargs):
        area = str((data or {}).get("welfare_area", ""))
        if _is_id(area):
            # Only the chosen county's municipalities; one of another county (left from an earlier
            # search before the county changed) is dropped rather than turned into an error.
            municipalities = Municipality.objects.filter(welfare_area_id=int(area))
            chosen = str(data.get("municipality", ""))
            if _is_id(chosen) and not municipalities.filter(pk=int(chosen)).exists():
                data = data.copy()
                data.pop("municipality")
        else:
            municipalities = Municipality.objects.all()
        super().__init__(data, *args, **kwargs)
        self.filters["municipality"].queryset = municipalities

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
