"""Forms for adding, proposing and deciding on agenda items."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kumppanuus.forms import finnish_as_plain, mark_languages
from meetings.forms._common import with_submit
from meetings.models import AgendaItem


class AgendaItemForm(forms.ModelForm):
    """An item the chair or a coordinator writes: in Finnish and, optionally, in Swedish."""

    class Meta:
        model = AgendaItem
        fields = ["title_fi", "title_sv", "description_fi", "description_sv", "presenter", "duration_minutes"]
        labels = {
            "title_fi": _("Title in Finnish"),
            "title_sv": _("Title in Swedish"),
            "description_fi": _("Description in Finnish"),
            "description_sv": _("Description in Swedish"),
        }
        widgets = {
            "description_fi": forms.Textarea(attrs={"rows": 3}),
            "description_sv": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title_sv": _("Optional. People who use the service in Swedish see it; the others the Finnish text."),
        }

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title_fi"].required = True
        mark_languages(self, *self.Meta.fields)
        with_submit(self, submit_label)

    def item_data(self) -> dict:
        """The service's arguments: the Finnish texts as title and description, the Swedish as *_sv."""
        return finnish_as_plain(self.cleaned_data)


class AgendaProposalForm(forms.ModelForm):
    """A topic a member proposes, in their own language (the one they use the service in)."""

    class Meta:
        model = AgendaItem
        fields = ["title", "description", "presenter", "duration_minutes"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, submit_label, **kwargs):
        super().__init__(*args, **kwargs)
        with_submit(self, submit_label)

    def item_data(self) -> dict:
        return dict(self.cleaned_data)


def agenda_places(accepted) -> list[tuple[int, str]]:
    """Where an accepted topic can go: first, or after each item on the agenda (the last is the default)."""
    places = [(1, _("First on the agenda"))]
    places += [
        (index + 2, _("After “%(title)s”") % {"title": item.title}) for index, item in enumerate(accepted)
    ]
    return places


class AgendaDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.RadioSelect,
    )
    position = forms.TypedChoiceField(
        label=_("Place on the agenda"), coerce=int, required=False, empty_value=None,
        help_text=_("Where the topic goes when it is accepted."),
    )
    reason = forms.CharField(
        label=_("Reason for declining"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}), help_text=_("Required when declining. The proposer sees it."),
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [("", _("Last on the agenda")), *places]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for declining; the proposer will see it."))
        return cleaned

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == "accept"
