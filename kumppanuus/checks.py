"""System checks of the ground floor (registered in KumppanuusConfig.ready)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

EMBEDDED_KEY_HINT = (
    "Set SECRET_KEY in the environment to a long random value of your own, e.g. "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
)


def _uses_embedded_key() -> bool:
    embedded = getattr(settings, "EMBEDDED_SECRET_KEY", None)
    return bool(embedded) and embedded in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))


@register(Tags.security)
def embedded_secret_key_outside_debug(app_configs, **kwargs):
    """settings.py refuses to start without a key of its own when DEBUG is off; this catches the
    embedded key reaching a non-debug run another way (a settings override, a fallback)."""
    if settings.DEBUG or not _uses_embedded_key():
        return []
    return [Error("SECRET_KEY is the public embedded key and DEBUG is off.", hint=EMBEDDED_KEY_HINT,
                  id="kumppanuus.E001")]


@register(Tags.security, deploy=True)
def embedded_secret_key_in_deployment(app_configs, **kwargs):
    """check --deploy: the embedded key signs nothing a deployment can trust, debug or not."""
    if not _uses_embedded_key():
        return []
    return [Error("SECRET_KEY (or SECRET_KEY_FALLBACKS) is the public embedded key: anyone can forge RSVP links, "
                  "e-mail confirmation keys and sessions with it.", hint=EMBEDDED_KEY_HINT, id="kumppanuus.E002")]


@register()
def calendar_reply_mailbox(app_configs, **kwargs):
    """The reply mailbox's two settings go together: invitations that ask for answers nobody reads
    would lose them, and an address without its @ cannot carry the sub-addresses."""
    address, url = settings.CALENDAR_REPLY_ADDRESS, settings.CALENDAR_REPLY_IMAP_URL
    problems = []
    if address and ("@" not in address or "+" in address.partition("@")[0]):
        problems.append(Error("CALENDAR_REPLY_ADDRESS must be a plain address like kokoukset@county.fi.",
                              id="kumppanuus.E010"))
    if address and not url:
        problems.append(Warning("CALENDAR_REPLY_ADDRESS is set without CALENDAR_REPLY_IMAP_URL: calendar "
                                "programs' answers are sent to a mailbox Kumppanuus does not read.",
                                id="kumppanuus.W010"))
    if url and not address:
        problems.append(Warning("CALENDAR_REPLY_IMAP_URL is set without CALENDAR_REPLY_ADDRESS: invitations "
                                "do not ask for answers, so the mailbox receives none.", id="kumppanuus.W011"))
    return problems
