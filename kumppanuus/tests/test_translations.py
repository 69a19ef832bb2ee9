"""Every user-facing string is translated: catalogues complete, templates marked, e-mails without English leftovers."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["kumppanuus", "accounts", "organisations", "tables", "meetings", "privacy", "devdata"]
LANGUAGES = ["fi", "sv"]


def _entries(po_text: str):
    """(msgid, msgstr list, flags) for each entry of a .po file, header excluded."""
    import polib  # noqa: PLC0415  (test-only dependency)

    return polib.pofile(po_text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    catalogue = _entries(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


def test_committed_catalogues_hold_every_marked_string(tmp_path):
    """makemessages over the code must find nothing the committed catalogue lacks."""
    import shutil

    work = tmp_path / "project"
    shutil.copytree(
        ROOT, work, ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "*.sqlite3", "docs"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fi", "--ignore=.venv", "--ignore=staticfiles",
         "--no-location", "--no-obsolete"],
        cwd=work, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh = {e.msgid for e in _entries(str(work / "locale" / "fi" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in _entries(str(ROOT / "locale" / "fi" / "LC_MESSAGES" / "django.po"))}
    missing = sorted(fresh - committed)
    assert not missing, f"run `make messages` and translate: {missing[:20]}"


def test_finnish_end_and_decide_are_different_words():
    """"Päätä" reads both as "end" and as "decide": buttons and headings that end something say
    "Lopeta", those that decide say "Tee päätös", so nobody ends what they meant to decide."""
    catalogue = _entries(str(ROOT / "locale" / "fi" / "LC_MESSAGES" / "django.po"))
    ambiguous = [e.msgid for e in catalogue if re.match(r"Päätä\b", e.msgstr)]
    assert not ambiguous, f"use Lopeta (end) or Tee päätös (decide): {ambiguous}"
    for entry in catalogue:
        if re.match(r"(End|Close the meeting)\b", entry.msgid) and not entry.msgid.startswith("End date"):
            assert entry.msgstr.startswith(("Lopeta", "Lopetetaanko")), entry.msgid
        if entry.msgid.startswith("Decide"):
            assert entry.msgstr.startswith("Tee päätös"), entry.msgid


class _TextCollector(HTMLParser):
    """Collects visible text and the text of attributes people read (alt, title, aria-label, placeholder)."""

    READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.texts.append(data)


# Text that is the same in every language: the product name and punctuation.
ALLOWED = {"Kumppanuus", "Kumppanuus –", "– Kumppanuus", "–", "·", "|", "*", ":", ",", "(", ")", "@"}
# Templates that only assemble markup from template tags (the HTML parser cannot read them).
NOT_TEXT = {"templates/allauth/elements/button.html"}
WEB_ADDRESS = re.compile(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$")
DJANGO_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TRANSLATED_BLOCKS = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}",
    re.S,
)


def _unmarked_strings(template: Path) -> list[str]:
    source = template.read_text(encoding="utf-8")
    source = TRANSLATED_BLOCKS.sub(" ", source)
    source = DJANGO_SYNTAX.sub(" ", source)
    collector = _TextCollector()
    collector.feed(source)
    found = []
    for text in collector.texts:
        text = " ".join(text.split())
        if not text or text in ALLOWED or WEB_ADDRESS.match(text) or not re.search(r"[A-Za-zÅÄÖåäö]{2,}", text):
            continue
        found.append(text)
    return found


def _templates():
    for app in APPS + ["templates"]:
        base = ROOT / app
        yield from sorted(p for p in base.rglob("*.html") if "email" not in p.parts or p.suffix == ".html")
        yield from sorted(p for p in base.rglob("*.txt") if "email" in p.parts)


def test_templates_have_no_unmarked_user_facing_text():
    problems = {}
    for template in _templates():
        if str(template.relative_to(ROOT)) in NOT_TEXT:
            continue
        if template.suffix == ".txt":
            source = TRANSLATED_BLOCKS.sub(" ", template.read_text(encoding="utf-8"))
            leftovers = [
                line.strip() for line in DJANGO_SYNTAX.sub(" ", source).splitlines()
                if re.search(r"[A-Za-zÅÄÖåäö]{3,}", line) and line.strip() not in ALLOWED
            ]
        else:
            leftovers = _unmarked_strings(template)
        if leftovers:
            problems[str(template.relative_to(ROOT))] = leftovers
    assert not problems, f"user-facing text not marked for translation: {problems}"
