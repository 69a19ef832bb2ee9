from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership, MembershipRole, Municipality, Organisation, Theme, WelfareArea
from organisations.selectors import organisation_join_choices
from organisations.validators import normalise_business_id


class MunicipalityChooser(forms.CheckboxSelectMultiple):
    """Checkboxes of the municipalities, one group per wellbeing services county (``<details>``).

    Plain HTML that works without JavaScript: the chosen county's group, and any group with a
    ticked municipality, is open. static/js/municipality-chooser.js (no inline script, so it runs
    under the Content Security Policy) adds a text filter and narrows the list to the county chosen
    in the form's county field as it changes.
    """

    template_name = "organisations/widgets/municipality_chooser.html"
    open_area_id: int | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        groups = []
        for area, options, _index in context["widget"]["optgroups"]:
            chosen = sum(1 for option in options if option["selected"])
            groups.append({
                "area": area, "options": options, "chosen": chosen,
                "open": chosen > 0 or area.pk == self.open_area_id,
            })
        context["widget"]["groups"] = groups
        return context


def municipality_groups() -> list[tuple[WelfareArea, list[tuple[int, str]]]]:
    """(county, [(municipality id, name)]) for every county, in one query."""
    groups: dict[int, tuple[WelfareArea, list]] = {}
    for municipality in Municipality.objects.select_related("welfare_area").order_by("welfare_area__name", "name"):
        area = municipality.welfare_area
        groups.setdefault(area.pk, (area, []))[1].append((municipality.pk, municipality.name))
    return list(groups.values())


class OrganisationForm(forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities of operation"),
        queryset=Municipality.objects.all(),
        required=False,
        widget=MunicipalityChooser,
        help_text=_("Tick every municipality where the organisation works. They are listed by wellbeing services "
                    "county; the county chosen above is open."),
        error_messages={"invalid_choice": _("Unknown municipality: %(value)s."),
                        "invalid_pk_value": _("Unknown municipality: %(pk)s.")},
    )

    class Meta:
        model = Organisation
        fields = [
            "name", "kind", "business_id", "register_number", "welfare_area", "description",
            "themes", "municipalities", "website", "email", "phone",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        chooser = self.fields["municipalities"].widget
        chooser.choices = municipality_groups()
        area = self["welfare_area"].value()
        chooser.open_area_id = int(area) if str(area or "").isdecimal() else None
        self.helper = FormHelper()
        self.helper.layout = Layout(*(
            Field(name, template="organisations/widgets/municipality_field.html") if name == "municipalities" else name
            for name in self.fields
        ))
        self.helper.add_input(Submit("submit", submit_label or _("Save")))

    def clean_business_id(self):
        return normalise_business_id(self.cleaned_data.get("business_id")) or None

    def profile_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"themes", "municipalities"}}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting. The requester sees it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection; the requester will see it."))
        return cleaned

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class JoinForm(forms.Form):
    # Chosen from the search on the join page; hidden in the request form.
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose an organisation from the list."),
                        "required": _("Choose an organisation from the list.")},
    )
    message = forms.CharField(
        label=_("Message to the organisation"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Tell the representatives who you are."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_join_choices()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Ask to join")))


class MembershipRoleForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = MembershipRole.choices
