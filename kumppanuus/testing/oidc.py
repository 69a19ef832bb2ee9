"""A real OpenID Connect provider for the tests: e2e/oidc/provider.mjs (the npm package `oidc-provider`)
run with node on a free local port, with its accounts in a JSON file the test may change."""

import contextlib
import copy
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kumppanuus import oidc

ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "e2e" / "oidc" / "provider.mjs"
CLIENT_ID = "kumppanuus"
SECRET = "test-secret"


@dataclass
class RunningProvider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: dict) -> None:
        self.accounts_file.write_text(json.dumps(accounts))

    def config(self, provider_id: str, coordinators: dict, **extra) -> dict:
        """One entry of OIDC_PROVIDERS for this provider."""
        return {"id": provider_id, "name": "Testimaakunta", "server_url": self.issuer, "client_id": CLIENT_ID,
                "secret": SECRET, "claim": "groups", "coordinators": coordinators, **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(*, redirect_uri: str, directory: Path, environment: dict | None = None):
    """Starts the provider, waits for its discovery document, and stops it afterwards."""
    node = shutil.which("node")
    if node is None or not (PROVIDER.parent / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("node or e2e/oidc/node_modules is missing: `make oidc` (part of `make test`) installs them")
    port = free_port()
    accounts_file = directory / "accounts.json"
    accounts_file.write_text("{}")
    env = {"PATH": "/usr/bin:/bin", "PORT": str(port), "REDIRECT_URI": redirect_uri,
           "ACCOUNTS_FILE": str(accounts_file), "NODE_ENV": "test", **(environment or {})}
    process = subprocess.Popen([node, str(PROVIDER)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the OpenID Connect provider did not start") from None
                time.sleep(0.1)
        yield RunningProvider(issuer=issuer, accounts_file=accounts_file)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def configure(settings, providers: list[dict]) -> None:
    """Points settings (pytest-django's ``settings`` fixture) at ``providers``, as OIDC_PROVIDERS would."""
    providers = oidc.parse_providers(json.dumps(providers))
    settings.OIDC_PROVIDERS = providers
    settings.SOCIALACCOUNT_PROVIDERS = oidc.socialaccount_providers(providers)
    settings.OIDC_ROLE_MAPPING = oidc.role_mapping(providers)
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], *oidc.origins(providers)]
    settings.CONTENT_SECURITY_POLICY = policy
