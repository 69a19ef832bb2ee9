"""County sign-in (OpenID Connect): reads ``OIDC_PROVIDERS`` from the environment (README, "County sign-in").

``OIDC_PROVIDERS`` is a JSON list, one object per identity provider::

    [{"id": "pirha", "name": "Pirkanmaan hyvinvointialue",
      "server_url": "https://login.microsoftonline.com/<tenant>/v2.0",
      "client_id": "…", "secret": "…",
      "claim": "groups",
      "coordinators": {"<group id or role>": ["HVA06"]},
      "fetch_userinfo": false}]

``id`` names the provider in its URLs (``/accounts/oidc/<id>/login/callback/``), ``server_url`` is the
issuer. ``claim`` (default ``groups``) is the claim whose values ``coordinators`` maps to the codes of
wellbeing services counties the person coordinates; the mapping is applied at every sign-in
(organisations/services.py, ``area_coordinators_sync_from_provider``). Unset or empty: no county sign-in.
"""

import json

from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("id", "name", "server_url", "client_id", "secret")
KNOWN = {*REQUIRED, "claim", "coordinators", "fetch_userinfo", "token_auth_method"}


def parse_providers(raw: str) -> list[dict]:
    """The providers of ``OIDC_PROVIDERS``, checked; an unusable value stops the start-up."""
    if not raw.strip():
        return []
    try:
        providers = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"OIDC_PROVIDERS is not valid JSON: {error}") from error
    if not isinstance(providers, list) or not all(isinstance(p, dict) for p in providers):
        raise ImproperlyConfigured("OIDC_PROVIDERS must be a JSON list of objects.")
    seen = set()
    for provider in providers:
        missing = [key for key in REQUIRED if not str(provider.get(key) or "").strip()]
        if missing:
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: a provider lacks {', '.join(missing)}.")
        unknown = set(provider) - KNOWN
        if unknown:
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: unknown keys {', '.join(sorted(unknown))}.")
        if provider["id"] in seen:
            raise ImproperlyConfigured(f"OIDC_PROVIDERS: the id {provider['id']!r} is used twice.")
        seen.add(provider["id"])
        coordinators = provider.get("coordinators", {})
        if not isinstance(coordinators, dict) or not all(
            isinstance(codes, list) and all(isinstance(code, str) for code in codes) for codes in coordinators.values()
        ):
            raise ImproperlyConfigured(
                "OIDC_PROVIDERS: coordinators maps a claim value to a list of county codes."
            )
    return providers


def socialaccount_providers(providers: list[dict]) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for the providers: one app of its openid_connect provider each."""
    apps = []
    for provider in providers:
        app_settings = {"server_url": provider["server_url"]}
        for key in ("fetch_userinfo", "token_auth_method"):
            if key in provider:
                app_settings[key] = provider[key]
        apps.append({
            "provider_id": provider["id"],
            "name": provider["name"],
            "client_id": provider["client_id"],
            "secret": provider["secret"],
            "settings": app_settings,
        })
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


def role_mapping(providers: list[dict]) -> dict:
    """``{provider id: {"claim": …, "coordinators": {value: [county codes]}}}`` (OIDC_ROLE_MAPPING)."""
    return {
        provider["id"]: {"claim": provider.get("claim", "groups"), "coordinators": provider.get("coordinators", {})}
        for provider in providers
    }


def origins(providers: list[dict]) -> list[str]:
    """The providers' origins: the sign-in form's redirect goes there, so CSP's form-action allows them."""
    from urllib.parse import urlsplit

    found = []
    for provider in providers:
        parts = urlsplit(provider["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in found:
            found.append(origin)
    return found
