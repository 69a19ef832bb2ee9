import django_filters
from django.utils.translation import gettext_lazy as _

from kumppanuus.filters import NameChoiceFilter
from kumppanuus.widgets import QuickSelect
from organisations.models import WelfareArea
from tables.models import PartnershipTable, Sector, TableStatus


class TableFilter(django_filters.FilterSet):
    welfare_area = NameChoiceFilter(
        label=_("Wellbeing services county"), queryset=WelfareArea.objects.all(), empty_label=_("All counties"),
    )
    sector = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=Sector.objects.select_related("welfare_area"), empty_label=_("All sectors"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=TableStatus.choices, empty_label=_("Any status"), widget=QuickSelect,
    )

    class Meta:
        model = PartnershipTable
        fields = ["welfare_area", "sector", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["sector"].label_from_instance = (
            lambda sector: f"{sector.name} ({sector.welfare_area.short_name})"
        )
