"""Roles from the county's identity provider, applied at every sign-in through it (README, "County sign-in")."""

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from organisations.services import area_coordinators_sync_from_provider


@receiver(user_logged_in, dispatch_uid="organisations.roles_from_identity_provider")
def roles_from_identity_provider(sender, request, user, sociallogin=None, **kwargs):
    """allauth sends user_logged_in with the social login after every sign-in through a provider,
    a first one (after the account is made) as well as a later one; e-mail sign-ins have none."""
    if sociallogin is None:
        return
    account = sociallogin.account
    area_coordinators_sync_from_provider(user=user, provider_id=account.provider, claims=account.extra_data)


@receiver(social_account_added, dispatch_uid="organisations.roles_from_linked_identity_provider")
def roles_from_linked_identity_provider(sender, request, sociallogin, **kwargs):
    """A person signed in with her password links her county account (/accounts/3rdparty/): its
    groups count at once, not only from her next sign-in through it."""
    account = sociallogin.account
    area_coordinators_sync_from_provider(user=account.user, provider_id=account.provider, claims=account.extra_data)
