from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import user_for_verified_address
from kumppanuus.forms import finnish_as_plain, mark_languages
from organisations.models import Eligibility, WelfareArea
from organisations.permissions import coordinated_area_ids
from tables.evaluation_calendar import evaluation_dates_for_year
from tables.models import (
    AnnualEvaluation,
    EvaluationTemplate,
    MessageAudience,
    PartnershipTable,
    ProcessRole,
    ProcessStep,
    ProcessTemplate,
    QuestionKind,
    Sector,
)
from tables.selectors import (
    copyable_tables_for_user,
    organisation_choices_for_table,
    organisation_members_queryset,
    represented_organisations,
    sector_choices_for_user,
)
from tables.services import answer_field_name
from tables.services.messages import check_message_texts

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PersonField(forms.EmailField):
    """A person named by their e-mail address; they must already have an account and have verified
    the address (accounts/selectors.py: an address typed but not confirmed, or a look-alike, is not
    that person)."""

    default_error_messages = {
        "unknown": _("No one has an account with this e-mail address. Ask the person to sign up first."),
    }

    def clean(self, value):
        email = super().clean(value)
        if not email:
            return None
        user = user_for_verified_address(email)
        if user is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown")
        return user


class SectorForm(forms.ModelForm):
    director = PersonField(
        label=_("Director's e-mail address"), required=False,
        help_text=_("The sector's responsible director, if they have an account."),
    )

    class Meta:
        model = Sector
        fields = ["welfare_area", "name_fi", "name_sv"]
        labels = {"name_fi": _("Name in Finnish"), "name_sv": _("Name in Swedish")}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_fi"].required = True
        mark_languages(self, "name_fi", "name_sv")
        if self.instance.pk:
            del self.fields["welfare_area"]  # a sector stays in its county
            self.fields["director"].initial = self.instance.director.email if self.instance.director else ""
        else:
            areas = WelfareArea.objects.order_by("name")
            if not user.is_superuser:
                areas = areas.filter(pk__in=coordinated_area_ids(user))
            self.fields["welfare_area"].queryset = areas
            self.fields["welfare_area"].error_messages["invalid_choice"] = _("Choose a county you coordinate.")
        self.helper = _helper(_("Save sector") if self.instance.pk else _("Add sector"))


class TableForm(forms.ModelForm):
    owner = PersonField(
        label=_("Owner's e-mail address"),
        help_text=_("The person who owns the operating model in the county, e.g. the sector director."),
    )
    copy_steps_from = forms.ChoiceField(
        label=_("Process steps"),
        required=False,
        help_text=_("Start the process description from a template or from another table. You can edit it later."),
    )

    class Meta:
        model = PartnershipTable
        fields = [
            "sector", "name_fi", "name_sv", "purpose_fi", "purpose_sv", "status", "access",
            "meeting_frequency", "is_public", "invite_all_members", "meeting_reminder_days",
        ]
        labels = {
            "name_fi": _("Name in Finnish"),
            "name_sv": _("Name in Swedish"),
            "purpose_fi": _("Purpose in Finnish"),
            "purpose_sv": _("Purpose in Swedish"),
        }
        widgets = {"purpose_fi": forms.Textarea(attrs={"rows": 4}), "purpose_sv": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            # A meeting is never more visible than its table (meetings.permissions).
            "access": _(
                "An open forum of a table that is not public is open to those who see the table: "
                "the members of its standing member organisations and its coordinators."
            ),
        }

    def __init__(self, *args, user: User, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_fi"].required = True
        mark_languages(self, "name_fi", "name_sv", "purpose_fi", "purpose_sv")
        if not creating:
            # A table stays in its county; its sector may change within it (also when a coordinator
            # named on the table coordinates another county).
            sectors = Sector.objects.select_related("welfare_area").filter(
                welfare_area_id=self.instance.welfare_area_id
            )
            self.fields["owner"].initial = self.instance.owner.email
            del self.fields["copy_steps_from"]
        else:
            sectors = sector_choices_for_user(user)
            templates = [(f"template:{t.pk}", t.name) for t in ProcessTemplate.objects.all()]
            tables = [(f"table:{t.pk}", t.name) for t in copyable_tables_for_user(user)]
            choices = [("", _("No steps: I will write them"))]
            if templates:
                choices.append((_("Process templates"), templates))
            if tables:
                choices.append((_("Other partnership tables"), tables))
            self.fields["copy_steps_from"].choices = choices
            if templates:
                self.fields["copy_steps_from"].initial = templates[0][0]
        self.fields["sector"].queryset = sectors
        self.fields["sector"].label_from_instance = lambda sector: f"{sector.name} ({sector.welfare_area.short_name})"
        self.fields["sector"].error_messages["invalid_choice"] = _("Choose a sector of a county you coordinate.")
        self.helper = _helper(_("Create table") if creating else _("Save"))

    def copy_source(self) -> dict:
        """The copy_steps_from choice as service arguments."""
        value = self.cleaned_data.get("copy_steps_from") or ""
        kind, _sep, pk = value.partition(":")
        if kind == "template":
            return {"copy_steps_from_template": ProcessTemplate.objects.get(pk=pk)}
        if kind == "table":
            return {"copy_steps_from_table": PartnershipTable.objects.get(pk=pk)}
        return {}

    def table_data(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if key != "copy_steps_from"}


class StandingMemberAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None,
        help_text=_("Only organisations approved as eligible can be standing members."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )

    def __init__(self, *args, table: PartnershipTable, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        field.queryset = organisation_choices_for_table(table)
        pending = _("waiting for approval")
        field.label_from_instance = (
            lambda o: o.name if o.eligibility == Eligibility.APPROVED else f"{o.name} ({pending})"
        )
        self.helper = _helper(_("Add standing member"))


class StandingMemberPeopleForm(forms.Form):
    representative = forms.ModelChoiceField(label=_("Representative"), queryset=None, required=False)
    substitute = forms.ModelChoiceField(
        label=_("Substitute"), queryset=None, required=False,
        help_text=_("Attends when the representative cannot (varajäsen)."),
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("representative", "substitute"):
            self.fields[name].queryset = organisation_members_queryset(organisation_id)
            self.fields[name].label_from_instance = lambda user: f"{user} ({user.email})"
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose an approved member of the organisation."
            )
        self.helper = _helper(_("Save"))


class StandingMemberRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None,
        error_messages={"invalid_choice": _("Choose an organisation you represent.")},
        help_text=_("You will be named as its representative on the table; a coordinator decides."),
    )

    def __init__(self, *args, user: User, table: PartnershipTable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = represented_organisations(user, exclude_table=table)
        self.helper = _helper(_("Ask for standing membership"))


class RoleAssignmentForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=ProcessRole.objects.all())
    # An address, not an account: someone outside the county is asked to accept, and someone
    # without an account is invited to sign up (tables/services/roles.py).
    email = forms.EmailField(
        label=_("Person's e-mail address"),
        help_text=_(
            "People of the table's county hold the role at once. Anyone else is asked to accept it, and "
            "someone without an account is invited to sign up first."
        ),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE_WIDGET)
    valid_to = forms.DateField(
        label=_("Valid to"), widget=DATE_WIDGET, required=False, help_text=_("Leave empty if the role continues."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_from"].initial = timezone.localdate()
        self.helper = _helper(_("Add role holder"))


class RoleEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Ends on"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"),
    )


class CoordinatorForm(forms.Form):
    user = PersonField(label=_("Coordinator's e-mail address"))

    def __init__(self, *args, **kwargs):
        # Shown on one page with RoleAssignmentForm, whose person field is also called "user":
        # ids of their own, so each label names its own field.
        kwargs.setdefault("auto_id", "id_coordinator_%s")
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add coordinator"))


class ProcessStepForm(forms.ModelForm):
    """A step in Finnish and, optionally, in Swedish: each reader sees their language, the other if
    theirs is not given."""

    class Meta:
        model = ProcessStep
        fields = ["role", "what_fi", "what_sv", "how_fi", "how_sv", "when_fi", "when_sv"]
        labels = {
            "what_fi": _("What is done, in Finnish"),
            "what_sv": _("What is done, in Swedish"),
            "how_fi": _("How, in Finnish"),
            "how_sv": _("How, in Swedish"),
            "when_fi": _("When, in Finnish"),
            "when_sv": _("When, in Swedish"),
        }
        widgets = {"how_fi": forms.Textarea(attrs={"rows": 3}), "how_sv": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "what_sv": _("Optional. People who use the service in Swedish see it; the others the Finnish text."),
            "when_fi": _("For example: 8 weeks before."),
            "when_sv": "",
        }

    def __init__(self, *args, submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = ProcessRole.objects.all()
        self.fields["what_fi"].required = True
        mark_languages(self, *self.Meta.fields)
        self.helper = _helper(submit_label or _("Save step"))

    def step_data(self) -> dict:
        """The service's arguments: the Finnish texts as what, how, when; the Swedish as what_sv, …"""
        return finnish_as_plain(self.cleaned_data)


class StepMoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class EvaluationScheduleForm(forms.ModelForm):
    class Meta:
        model = AnnualEvaluation
        fields = ["year", "template", "opens_on", "due_on"]
        widgets = {"opens_on": DATE_WIDGET, "due_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        opens_on, due_on = evaluation_dates_for_year(year)
        self.fields["year"].initial = year
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]
        self.fields["opens_on"].initial = opens_on
        self.fields["due_on"].initial = due_on
        self.fields["template"].queryset = EvaluationTemplate.objects.all()
        self.fields["template"].initial = EvaluationTemplate.objects.filter(is_default=True).values_list(
            "pk", flat=True
        ).first()
        self.helper = _helper(_("Schedule evaluation"))


class EvaluationReopenForm(forms.Form):
    due_on = forms.DateField(
        label=_("New due date"), widget=DATE_WIDGET,
        help_text=_("Reminders already sent are not sent again."),
    )


SCALE_CHOICES = [
    (1, _("1 – not at all")),
    (2, _("2 – a little")),
    (3, _("3 – partly")),
    (4, _("4 – mostly")),
    (5, _("5 – fully")),
]


class EvaluationAnswerForm(forms.Form):
    """One field per question: scale questions as radio buttons 1–5 (a fieldset with a legend), text as a box."""

    def __init__(self, *args, questions, response=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {answer.question_id: answer for answer in response.answers.all()} if response else {}
        self.questions = questions
        for question in questions:
            name = answer_field_name(question.pk)
            answer = existing.get(question.pk)
            if question.kind == QuestionKind.SCALE:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text, choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect,
                    initial=answer.scale_value if answer else None,
                    error_messages={"required": _("Choose a whole number from 1 to 5."),
                                    "invalid_choice": _("Choose a whole number from 1 to 5.")},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 4}), initial=answer.text if answer else "",
                )
        self.helper = _helper(_("Save my answers"))

    def answers(self) -> dict[int, int | str]:
        return {question.pk: self.cleaned_data.get(answer_field_name(question.pk)) for question in self.questions}


class TableMessageForm(forms.Form):
    """A message to the table's people: in Finnish, and in Swedish too if the coordinator wants.

    Written, then shown for confirmation with the number of people it reaches; the confirmation
    page carries the same fields, hidden, to the send button.
    """

    subject_fi = forms.CharField(label=_("Subject in Finnish"), max_length=200)
    body_fi = forms.CharField(label=_("Message in Finnish"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8}))
    subject_sv = forms.CharField(label=_("Subject in Swedish"), max_length=200, required=False)
    body_sv = forms.CharField(
        label=_("Message in Swedish"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Optional. People who use the service in Swedish get this version; the others the Finnish one."),
    )
    include_organisation_members = forms.BooleanField(
        label=_("Send also to every approved member of the standing organisations"),
        required=False,
        help_text=_("Otherwise the message goes to the representatives and substitutes of the standing members "
                    "and to the table's role holders."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        mark_languages(self, "subject_fi", "body_fi", "subject_sv", "body_sv")
        self.helper = FormHelper()
        self.helper.add_input(Submit("preview", _("Preview and confirm")))

    def clean(self):
        cleaned = super().clean()
        texts = {name: cleaned.get(name, "") for name in ("subject_fi", "body_fi", "subject_sv", "body_sv")}
        if all(name in cleaned for name in ("subject_fi", "body_fi")):
            try:
                check_message_texts(**texts)
            except forms.ValidationError as error:
                for name, errors in error.error_dict.items():
                    self.add_error(name, errors)
        return cleaned

    def audience(self) -> str:
        if self.cleaned_data.get("include_organisation_members"):
            return MessageAudience.ORGANISATIONS
        return MessageAudience.TABLE_PEOPLE

    def message_fields(self) -> dict:
        """The service's arguments."""
        return {
            **{name: self.cleaned_data[name] for name in ("subject_fi", "body_fi", "subject_sv", "body_sv")},
            "audience": self.audience(),
        }
