"""What tables does when something happens elsewhere (connected in TablesConfig.ready())."""

from allauth.account.signals import email_confirmed

from tables.services import role_nominations_bind


def bind_role_nominations(sender, request=None, email_address=None, **kwargs) -> None:
    """A person who verifies an address receives the role nominations made to it before they had
    an account (or before the address was theirs): an address is a person's only once verified."""
    if email_address is not None and email_address.verified:
        role_nominations_bind(user=email_address.user, email=email_address.email)


def connect() -> None:
    email_confirmed.connect(bind_role_nominations, dispatch_uid="tables.bind_role_nominations")
