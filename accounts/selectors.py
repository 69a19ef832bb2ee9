"""Which person an e-mail address belongs to.

An address is a person's only once they have verified it (allauth's EmailAddress with
``verified=True``): anyone can type any address into "add e-mail", and an address merely typed
must not give them someone else's invitations, personal data, roles or answers. Every place that
maps an address to a person, or a person to their addresses, asks here; addresses are compared in
their normalised form (kumppanuus/addresses.py), exactly.
"""

from allauth.account.models import EmailAddress
from django.db.models import Q, QuerySet

from accounts.models import User
from kumppanuus.addresses import normalise_email
from outbox.preferences import unsubscribe_token_read


def verified_addresses_query(user: User) -> QuerySet:
    """The person's verified addresses as a subquery (``email__in=verified_addresses_query(user)``)."""
    return EmailAddress.objects.filter(user_id=user.pk, verified=True).values("email")


def verified_addresses(user: User) -> list[str]:
    """The person's verified addresses, sorted (one query)."""
    return sorted(verified_addresses_query(user).values_list("email", flat=True))


def is_verified_address_of(user: User, address: str) -> bool:
    """Whether the person has verified ``address`` (one query)."""
    return EmailAddress.objects.filter(user_id=user.pk, verified=True, email=normalise_email(address)).exists()


def users_for_verified_addresses(addresses: list[str]) -> dict[str, User]:
    """The active accounts that have verified the given addresses, by normalised address (one query).

    allauth's unique_verified_email constraint (ACCOUNT_UNIQUE_EMAIL) lets at most one account
    have verified an address.
    """
    wanted = {normalise_email(address) for address in addresses}
    rows = EmailAddress.objects.filter(email__in=wanted, verified=True, user__is_active=True).select_related("user")
    return {row.email: row.user for row in rows}


def user_for_verified_address(address: str) -> User | None:
    """The active account that has verified ``address``, or None (one query)."""
    return users_for_verified_addresses([address]).get(normalise_email(address))


def address_claimed_by_another(address: str, user: User) -> bool:
    """Whether another account has verified ``address`` or signs in with it (two queries at most)."""
    address = normalise_email(address)
    others = EmailAddress.objects.filter(email=address).exclude(user_id=user.pk)
    return (
        others.filter(Q(verified=True) | Q(primary=True)).exists()
        or User.objects.filter(email=address).exclude(pk=user.pk).exists()
    )


def unsubscribe_target(token: str) -> tuple[User, str] | None:
    """The person and the kind an unsubscribe link names (outbox/preferences.py), or None for a
    link that is forged, expired or of an account closed since."""
    found = unsubscribe_token_read(token)
    if found is None:
        return None
    user = User.objects.filter(pk=found[0], is_active=True).first()
    return (user, found[1]) if user is not None else None
