"""How an app declares where it keeps personal data (the vocabulary; each app's list is in its
``<app>/personal_data.py``, beside its models).

One list serves both the personal-data download and account deletion (``privacy/``, the top floor,
reads the lists of the apps below it; a lower app never imports ``privacy``). A test walks every
model of our apps and fails when one with a person field is in neither list: a new model must say
what it holds about people, or why it holds nothing.

A model's rows belong to a person through **links**: a foreign key (or many-to-many) to the user,
or a lookup through one (``invitation__user``). Each link says what deleting the person's account
does to the rows it reaches, which of the row's fields the person's download shows, and which
fields are erased with the person because they name them or were typed by them.
"""

import enum
from dataclasses import dataclass


class OnDelete(enum.Enum):
    """What deleting the account does to the rows a link reaches."""

    # The row is the person's and goes with the account (a membership, a reminder sent to them).
    DELETE = "delete"
    # The row is the person's, but kept for the records (counts, statistics) without anything that
    # identifies them: the link is cleared and the ``erase`` fields are emptied.
    ANONYMISE = "anonymise"
    # The row is a record about something else that names the person in a "by" field (who decided,
    # who chaired): it is kept, the link is cleared and the ``erase`` fields are emptied.
    CLEAR = "clear"


@dataclass(frozen=True)
class Link:
    """How rows reach a person, and what the download and the deletion do with them."""

    path: str
    on_delete: OnDelete
    # Fields the person's download shows for the rows reached through this link.
    download: tuple[str, ...] = ()
    # Text fields emptied when the account is deleted: they name the person or the person wrote them.
    erase: tuple[str, ...] = ()

    @property
    def direct(self) -> bool:
        """A field of the model itself (not a lookup through another row)."""
        return "__" not in self.path


@dataclass(frozen=True)
class PersonalData:
    """A model that holds personal data, and every way its rows reach a person."""

    model: str  # app_label.ModelName
    links: tuple[Link, ...]
    why: str = ""


@dataclass(frozen=True)
class NoPersonalData:
    """A model with a field that looks personal (a name, an address) but holds no personal data."""

    model: str
    why: str


class InlineKeysInAdminLog:
    """A ModelAdmin mixin: the admin log names the inline rows an edit added, changed or deleted
    by their key ("#12"), not by their description. A description may name a person (a membership
    is "person – organisation"), and the entry is about the parent (the organisation): when the
    person deletes their account, nothing about the entry would point at them to erase it."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        # Django lists the inline rows after the form's own change, formset by formset: added,
        # changed, deleted (django.contrib.admin.utils.construct_change_message).
        rows = [
            row
            for formset in formsets or ()
            for row in (
                *formset.new_objects,
                *(changed for changed, _fields in formset.changed_objects),
                *formset.deleted_objects,
            )
        ]
        about_rows = [
            detail for entry in message for detail in entry.values() if isinstance(detail, dict) and "object" in detail
        ]
        if len(about_rows) == len(rows):  # otherwise Django changed its format: leave the message as it is
            for detail, row in zip(about_rows, rows, strict=True):
                detail["object"] = f"#{row.pk}"
        return message
