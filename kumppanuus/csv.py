"""Streaming CSV responses that spreadsheets open safely."""

import csv
import re
from collections.abc import Iterable

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Quoting keeps a cell whole for a program that splits on our separator, but a spreadsheet that
# splits on another one (Excel in Finnish or Swedish splits on ";") treats a quote in the middle of
# a field as an ordinary character: "Tulen;=cmd|…" becomes a cell "=cmd|…". So a formula character
# after any separator or line break (and any spaces or quotes) is guarded too, where it stands.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t\r\n][ \"]*)(?=[=+\-@])")
_FORMULA_AT_START = re.compile(r"^([ \"]*)(?=[=+\-@])")


def safe_cell(value) -> str:
    """The value as text that no spreadsheet reads as a formula, however it splits the line.

    A ``'`` goes before a formula character that starts the cell, or a piece of it a spreadsheet
    may take for a cell; it is visible in the spreadsheet, which is the point: it says the text was
    not written by us.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    text = _FORMULA_AT_START.sub(r"\1'", text)
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", text)


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a stream."""

    def write(self, value):
        return value


def streaming_csv_response(*, filename: str, header: list, rows: Iterable[list]) -> StreamingHttpResponse:
    """Streams rows as UTF-8 CSV (with a BOM so Excel reads ä and ö) without holding them in memory.

    Every cell is quoted, so a separator inside one cannot split it, and guarded (``safe_cell``).
    """
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)

    def lines():
        yield "\ufeff" + writer.writerow([safe_cell(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
