"""The year chosen on a table's participation statistics (a GET filter)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class StatisticsYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("show", _("Show")))


class CountyStatisticsForm(forms.Form):
    """The period of the county statistics, and the table whose participation the charts show beside the county's."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("months24", _("Last 24 months, by month")),
            ("months12", _("Last 12 months, by month")),
            ("quarters8", _("Last 24 months, by quarter")),
        ],
    )
    table = forms.TypedChoiceField(
        label=_("Table"), coerce=int, required=False, empty_value=None,
        help_text=_("Shown in the charts beside the whole county."),
    )

    def __init__(self, *args, tables=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["table"].choices = [("", _("The whole county"))] + [(table.pk, table.name) for table in tables]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("show", _("Show")))
