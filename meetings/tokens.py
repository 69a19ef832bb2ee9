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

import base64
import hmac
import re

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

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


# --- The reply mailbox's sub-addresses (iTIP replies from calendar programs) -------------------
#
# An invitation's .ics names ``kokoukset+<token>@county.fi`` as its ORGANIZER when the installation
# has a reply mailbox (settings.CALENDAR_REPLY_ADDRESS): Accept/Tentative/Decline in Outlook, Gmail,
# Thunderbird or Apple Calendar sends the iTIP REPLY there, and the token ties it to its invitation
# by a secret rather than by the From line, which anyone can write. Why plus addressing and not the
# UID: the UID is the meeting's (one per meeting, the same for every invitee, and clients match
# updates and cancellations by it), and the ATTENDEE is the person's own address, so the ORGANIZER
# address is the one place per person that every client sends its reply to.
#
# The token is the invitation id and an HMAC of it (SECRET_KEY, a salt of its own), in lower-case
# letters and digits: mail servers and clients may change the case of an address or mangle other
# characters, and a local part has at most 64 characters. It depends on the invitation id only, so
# it stays the same for a person across updates and cancellations (a client matches the update to
# the event it already holds), and revoking the RSVP links does not change it.

REPLY_SALT = "meetings.itip-reply.v1"
_REPLY_SIGNATURE_LENGTH = 20  # base32 characters: 100 bits


class InvalidReplyToken(Exception):
    pass


def _reply_signature(invitation_id: int, secret) -> str:
    digest = salted_hmac(REPLY_SALT, f"invitation:{invitation_id}", secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:_REPLY_SIGNATURE_LENGTH]


def reply_token(invitation_id: int) -> str:
    return f"i{invitation_id}-{_reply_signature(invitation_id, settings.SECRET_KEY)}"


def reply_token_read(token: str) -> int:
    """The invitation id a token names; InvalidReplyToken if it is malformed or its signature is wrong
    (checked against SECRET_KEY and its fallbacks, in constant time)."""
    match = _REPLY_TOKEN.fullmatch(token.strip().lower())
    if not match:
        raise InvalidReplyToken("malformed")
    invitation_id = int(match["id"])
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if hmac.compare_digest(_reply_signature(invitation_id, secret), match["sig"]):
            return invitation_id
    raise InvalidReplyToken("signature")


def reply_address(invitation_id: int) -> str:
    """``local+<token>@domain`` of settings.CALENDAR_REPLY_ADDRESS; "" when there is no reply mailbox."""
    mailbox = settings.CALENDAR_REPLY_ADDRESS
    if not mailbox:
        return ""
    local, _, domain = mailbox.rpartition("@")
    return f"{local}+{reply_token(invitation_id)}@{domain}"


def reply_token_of_address(address: str) -> str | None:
    """The token of a sub-address of the reply mailbox (``mailto:`` and case do not matter), or None when
    the address is not one."""
    mailbox = settings.CALENDAR_REPLY_ADDRESS.lower()
    address = address.strip().lower().removeprefix("mailto:")
    local, _, domain = address.rpartition("@")
    box_local, _, box_domain = mailbox.rpartition("@")
    base, plus, token = local.partition("+")
    if not mailbox or domain != box_domain or base != box_local or not plus or not token:
        return None
    return token


_REPLY_TOKEN = re.compile(rf"i(?P<id>[0-9]{{1,18}})-(?P<sig>[a-z2-7]{{{_REPLY_SIGNATURE_LENGTH}}})")
