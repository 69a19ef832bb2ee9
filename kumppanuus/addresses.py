"""The one form of an e-mail address we store and compare.

Every address that names a person (an account, allauth's addresses, an invitation, a notification)
is stored in the form ``normalise_email`` gives and compared exactly (``email=normalise_email(x)``),
never with ``iexact``: on PostgreSQL ``iexact`` compiles to ``UPPER(…) = UPPER(…)``, and
``upper('alice@kıva.fi')`` (dotless ı) equals ``upper('alice@kiva.fi')``, so a look-alike address
someone else controls matched the victim's. A test (tests/test_addresses.py) scans the
source for ``iexact`` on an e-mail field.
"""

import unicodedata

from django.db import IntegrityError, models, transaction


def normalise_email(address: str) -> str:
    """The stored form of an e-mail address: surrounding space stripped, Unicode NFC, then Python's
    ``str.lower()``, then NFC again (lowering can leave a decomposed sequence, e.g. ``İ``).

    Why these and not others: NFC makes the same text typed two ways (``ä`` precomposed or ``a`` +
    combining diaeresis) one address without merging different letters; NFKC or ``casefold()``
    would (``ß`` → ``ss``, ``ﬁ`` → ``fi``), making two real IDN addresses one. ``str.lower()`` is
    Unicode's own mapping, applied once in Python: ``ı`` stays ``ı`` and ``i`` stays ``i``, unlike
    the database's ``UPPER()``, which makes both ``I``. allauth lower-cases the same way, so an
    address it stores is already in this form once allauth's adapter hands it ours
    (accounts.adapter.AccountAdapter.clean_email). Lower-casing the local part is what allauth does
    too: no mail system we meet treats ``Maija@`` and ``maija@`` as two people.
    """
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", (address or "").strip()).lower())


class NormalisedEmailField(models.EmailField):
    """An EmailField that stores, and compares, ``normalise_email(value)``.

    The normalising is in ``get_prep_value``, which Django applies to every value written (save,
    ``bulk_create``, ``update``) and to the right-hand side of ``email=…`` and ``email__in=…``, so a
    caller cannot store or look up another form. Pattern lookups (``icontains`` in an admin search)
    are left as they are.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_email(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        # The instance holds the stored form too after a save, as it would after a reload.
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalise_email(value)
            setattr(model_instance, self.attname, value)
        return value


def normalise_stored_addresses(model, field_name: str = "email") -> None:
    """For data migrations: rewrites every stored address of ``model`` into the normalised form.

    Fails loudly, naming the row, where two rows would become one (the same account twice, say):
    which to keep is a person's decision, not a migration's.
    """
    rows = model._base_manager.values_list("pk", field_name).order_by("pk").iterator(chunk_size=2000)
    for pk, value in rows:
        normal = normalise_email(value)
        if normal == value:
            continue
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field_name: normal})
        except IntegrityError as error:
            raise RuntimeError(
                f"{model._meta.label} {pk}: the address {value!r} is {normal!r} once normalised, and another "
                "row already has that; merge the two by hand, then migrate again."
            ) from error
