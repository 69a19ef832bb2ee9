"""iCalendar subscription feeds: a person's private feed and a public table's feed.

Each meeting is one VEVENT with the same UID and SEQUENCE as the invitation it was sent with
(``meetings.ical``), so a calendar program holding both sees one event. Times are in
Europe/Helsinki with its VTIMEZONE. The public feed never carries an online meeting link.
"""

import datetime
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from kumppanuus.mail import absolute_url
from meetings.ical import HELSINKI, PRODID, PUBLISH, add_timezone, event_uid, in_calendar_range
from meetings.models import Meeting, MeetingFormat, MeetingStatus

# Calendar programs that honour it fetch the feed again after this long.
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def meeting_page_url(meeting: Meeting) -> str:
    return absolute_url(reverse("meetings:detail", args=[meeting.pk]))


def _location(meeting: Meeting, *, include_online_link: bool) -> str:
    if meeting.has_place and meeting.address:
        return meeting.address
    if meeting.format == MeetingFormat.ONLINE:
        return meeting.online_link if include_online_link and meeting.online_link else _("Online")
    return ""


def _event(meeting: Meeting, *, include_online_link: bool) -> Event:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    url = meeting_page_url(meeting)
    description = render_to_string(
        "meetings/records/feed_event_description.txt",
        {"meeting": meeting, "show_online_link": include_online_link and meeting.has_online_link, "url": url},
    ).strip()
    summary = _("Cancelled: %(title)s") % {"title": meeting.title} if cancelled else meeting.title
    return Event.new(
        uid=event_uid(meeting),
        sequence=meeting.sequence,
        summary=summary,
        start=meeting.starts_at.astimezone(HELSINKI),
        end=meeting.ends_at.astimezone(HELSINKI),
        description=description,
        location=_location(meeting, include_online_link=include_online_link) or None,
        url=url,
        status="CANCELLED" if cancelled else "CONFIRMED",
        last_modified=meeting.updated_at,
        created=meeting.created_at,
    )


def meetings_feed(meetings: Iterable[Meeting], *, name: str, include_online_link: bool) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) of the meetings, with the Helsinki VTIMEZONE covering them all.

    Call inside ``translation.override`` for the feed's language; the caller has chosen the meetings
    (and whether the reader may see their online links).
    """
    calendar = Calendar.new(prodid=PRODID, method=PUBLISH, name=name, refresh_interval=REFRESH_INTERVAL)
    del calendar["UID"]  # a feed needs none, and a random one would differ on every fetch
    years = set()
    for meeting in meetings:
        if not in_calendar_range(meeting):
            continue  # a row from before the service bounded dates: one bad meeting must not break the feed
        calendar.add_component(_event(meeting, include_online_link=include_online_link))
        years.add(meeting.starts_at.astimezone(HELSINKI).year)
    add_timezone(calendar, years)
    return calendar.to_ical()
