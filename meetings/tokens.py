"""Signed one-click RSVP links: the token names the invitation and the suggested answer.

The token is ``django.core.signing`` over ``{"i": <invitation id>, "a": <answer>}`` with its own
salt, so it cannot be forged or re-pointed at another invitation. It needs no expiry of its own:
the link stops working when the meeting has ended (the view compares with the meeting's current
end, so a moved meeting keeps the links of its invitations valid until it is over).
"""

from django.core import signing

from meetings.models import RsvpResponse

SALT = "meetings.rsvp.v1"


class InvalidRsvpToken(Exception):
    pass


def rsvp_token(*, invitation_id: int, answer: str) -> str:
    return signing.dumps({"i": invitation_id, "a": answer}, salt=SALT)


def rsvp_token_read(token: str) -> tuple[int, str]:
    """(invitation id, answer) from a token; InvalidRsvpToken if it was altered or is malformed."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as error:
        raise InvalidRsvpToken from error
    if not isinstance(data, dict):
        raise InvalidRsvpToken
    invitation_id, answer = data.get("i"), data.get("a")
    if not isinstance(invitation_id, int) or answer not in RsvpResponse.values:
        raise InvalidRsvpToken
    return invitation_id, answer
