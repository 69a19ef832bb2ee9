"""Finland-Swedish formats (issue 13): 22.11.2026 kl. 13.00, as Finland's Swedish-speakers write
dates and times, not Sweden's ISO-like 2026-11-22 13:00 that Django's ``sv`` locale uses. The rest
(month names, separators, Monday first) is Django's ``sv``."""

from django.conf.locale.sv.formats import *  # noqa: F403 (a format module is read by its names)

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H.i"
DATETIME_FORMAT = r"j F Y \k\l. H.i"
SHORT_DATE_FORMAT = "j.n.Y"
SHORT_DATETIME_FORMAT = r"j.n.Y \k\l. H.i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H.%M", "%d.%m.%Y %H:%M", "%d.%m.%Y kl. %H.%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M",
]
