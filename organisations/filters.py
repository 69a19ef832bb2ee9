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
        super().__init__(data, *args, **kwargs)
        area = str(self.data.get("welfare_area", "")) if self.data else ""
        self._area_chosen = _is_id(area)
        if self._area_chosen:
            # Only the chosen county's municipalities (validating the choice checks it is one of them).
            self.filters["municipality"].queryset = Municipality.objects.filter(welfare_area_id=int(area))

    def is_valid(self):
        if super().is_valid():
            return True
        if self._area_chosen and set(self.form.errors) == {"municipality"}:
            # A municipality of another county, left from a search before the county changed:
            # dropped rather than turned into an error that empties the results.
            self.data = self.data.copy()
            self.data.pop("municipality", None)
            del self._form
            return super().is_valid()
        return False

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(description__icontains=value))
