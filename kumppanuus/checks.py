"""System checks of the ground floor (registered in KumppanuusConfig.ready)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

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
