"""The one CSV helper: whatever a cell holds, no spreadsheet reads a formula out of it.

A spreadsheet program opens a CSV with the separator of its locale: Excel in Finnish or Swedish
splits on ``;``, and a quote in the middle of a field is only a character to it. So each test reads
the file back as each such program would (``csv.reader`` with each separator, which handles quotes
the way Excel does) and looks at the start of every field it gets.
"""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from kumppanuus.csv import safe_cell, streaming_csv_response

FORMULA_STARTS = ("=", "+", "-", "@")


def _text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")


def _export(cells: list) -> str:
    return _text(streaming_csv_response(filename="x.csv", header=["Name", "Note"], rows=[cells]))


def _formula_fields(text: str) -> list[str]:
    """Fields that start like a formula when the file is split on any separator a spreadsheet may use."""
    found = []
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            for field in row:
                if field.lstrip(" \t\r\n\"").startswith(FORMULA_STARTS):
                    found.append(field)
    return found


def test_a_formula_after_a_semicolon_is_not_a_cell_of_its_own():
    """The note of the security report: Excel with the Finnish separator made ``=cmd|…`` a formula cell."""
    text = _export(["Maija", "Tulen;=cmd|' /C calc'!A0"])
    assert _formula_fields(text) == []
    # Read with the separator it was written with, the note is one cell and still says what was typed.
    [_header, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert row == ["Maija", "Tulen;'=cmd|' /C calc'!A0"]


def test_every_cell_is_quoted():
    text = _export(["Maija", "plain", 3, None])
    assert text.splitlines()[1] == '"Maija","plain","3",""'


def test_formula_starts_are_guarded():
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", ' "=1', 'x\n=1', 'a, -1+1', 'a;""=1'):
        guarded = safe_cell(value)
        assert _formula_fields(_export([guarded, value])) == [], value


def test_ordinary_text_is_left_as_it_is():
    for value in ("Pyörätuoli", "Anna-Liisa", "2026-05-01 10:00", "a@example.org", "Kyllä, kiitos", 'Sanoi "joo"'):
        assert safe_cell(value) == value


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="=+-@;,\t\r\n\" 'a1|", max_size=12), min_size=1, max_size=4))
def test_no_formula_whatever_the_cells_hold(cells):
    assert _formula_fields(_export(cells)) == []
