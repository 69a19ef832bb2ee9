"""The floors hold: `make test` fails when the import linter's contracts (.importlinter) are broken."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    # The venv's own lint-imports, beside the interpreter running the tests; --no-cache so a stale
    # cache can never pass a broken contract.
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"


# The one outbox engine sends e-mail; allauth's own messages (docs/architecture.md says why) are the
# one exception, sent by accounts' adapter (sent at once when the broker is down) and its task.
MAY_SEND_MAIL = {"outbox/engine.py", "accounts/adapter.py", "accounts/tasks.py"}
SENDING = ("get_connection(", "send_mail(", "send_mass_mail(", "mail_admins(", "mail_managers(", ".send_messages(",
           ".send()")


def test_every_e_mail_leaves_through_the_outbox():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = set(path.relative_to(ROOT).parts)
        if parts & {".venv", "tests", "migrations", "bench", "e2e", "testing"} or relative in MAY_SEND_MAIL:
            continue
        text = path.read_text()
        offenders += [f"{relative}: {needle}" for needle in SENDING if needle in text]
    assert not offenders, f"e-mail sent outside the outbox: {offenders}"
