"""Which browser the tests drive: Debian's Chromium (Playwright's own download cannot work here)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium(path: Path = CHROMIUM) -> Path:
    """The browser, or a failure that says how to install it; the browser tests never skip."""
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"The browser tests need Debian's Chromium at {path}, and it is not there. "
            "Run `e2e/install_browser.sh` as root (`make test` does), or `apt-get install -y chromium`. "
            "Do not run `playwright install`: its download cannot work on these machines.",
            pytrace=False,
        )
    return path
