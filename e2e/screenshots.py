"""Full-page screenshots for the README, written only when asked (`make screenshots`).

The normal test run does not rewrite the committed images.
"""

import os
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def save_screenshot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") != "1":
        return
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=DIRECTORY / f"{name}.png", full_page=True, animations="disabled", caret="hide")
