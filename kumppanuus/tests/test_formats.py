"""Dates and times in Swedish are written as in Finland (issue 13), not as in Sweden."""

import datetime

from django.utils import formats, translation

MOMENT = datetime.datetime(2026, 11, 22, 13, 0)


def test_finland_swedish_dates_and_times():
    with translation.override("sv"):
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "22.11.2026 kl. 13.00"
        assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == "22.11.2026"
        assert formats.time_format(MOMENT, "TIME_FORMAT") == "13.00"
        assert formats.date_format(MOMENT, "DATE_FORMAT") == "22 november 2026"


def test_finnish_stays_as_django_writes_it():
    with translation.override("fi"):
        assert formats.date_format(MOMENT, "SHORT_DATE_FORMAT") == "22.11.2026"
