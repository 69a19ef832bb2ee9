"""One example of each notification kind, for the tests that run every kind through the outbox.

An app's tests give theirs in ``<app>/tests/notification_examples*.py`` with ``@example(KIND)``: a
function of no arguments that creates (and commits, when the caller's test uses a real worker) what
the notification is about and returns ``(object_id, recipients)``, the arguments of
``outbox.services.notification_queue`` besides the kind. ``examples()`` collects them all.
"""

import importlib
from collections.abc import Callable
from pathlib import Path

EXAMPLES: dict[str, Callable] = {}
ROOT = Path(__file__).resolve().parents[2]


def example(kind: str):
    def register(function: Callable) -> Callable:
        EXAMPLES[kind] = function
        return function

    return register


def examples() -> dict[str, Callable]:
    for path in sorted(ROOT.glob("*/tests/notification_examples*.py")):
        if path.parent.parent.name != "outbox":
            importlib.import_module(f"{path.parent.parent.name}.tests.{path.stem}")
    return EXAMPLES
