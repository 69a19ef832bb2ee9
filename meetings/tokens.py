"""Signed one-click RSVP links: the token names the invitation, its link key and the suggested answer.

The token is ``django.core.signing`` over ``{"i": <invitation id>, "k": <link key>, "a": <answer>}``
with a salt of its own, so it is bound to this purpose and cannot be forged or re-pointed at another
invitation. The link key (``Invitation.link_key``) makes the links revocable: giving the invitation
a new key (``invitation_revoke_links``) ends every link sent so far. It needs no expiry of its own:
the link stops working when the meeting has ended (the view compares with the meeting's current
end, so a moved meeting keeps the links of its invitations valid until it is over).

Invitations written before link keys existed have an empty key; their tokens carry none and stay
valid until the key is revoked.
"""

import hmac

from django.core import signing

from meetings.models import RsvpResponse

SALT = "meetings.rsvp.v1"


class InvalidRsvpToken(Exception):
    pass


def rsvp_token(invitation, *, answer: str) -> str:
    data = {"i": invitation.pk, "a": answer}
    if invitation.link_key:
        data["k"] = invitation.link_key
    return signing.dumps(data, salt=SALT)


def rsvp_token_read(token: str) -> tuple[int, str, str]:
    """(invitation id, answer, link key) from a token; InvalidRsvpToken if it was altered or is malformed.
    The caller checks the key against the invitation's (``rsvp_token_matches``)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise InvalidRsvpToken from error
    if not isinstance(data, dict):
        raise InvalidRsvpToken
    invitation_id, answer, key = data.get("i"), data.get("a"), data.get("k", "")
    if not isinstance(invitation_id, int) or answer not in RsvpResponse.values or not isinstance(key, str):
        raise InvalidRsvpToken
    return invitation_id, answer, key


def rsvp_token_matches(invitation, key: str) -> bool:
    """Whether a token's link key is the invitation's current one (constant time)."""
    return hmac.compare_digest(invitation.link_key, key)
