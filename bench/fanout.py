"""Invitation fan-out: one meeting scheduled for 10,000 invitees through meetings.services.meeting_schedule;
two Celery worker processes (prefork, -c 2) on Redis db 12 deliver to an SMTP sink (aiosmtpd) in this
process. Then the same 10,000 messages, built once beforehand, are fed to the same sink by a plain
smtplib loop over one connection (in a child process, so it does not share this process's GIL with
the sink). Reports both times, their ratio and the workers' peak memory.
"""

import datetime
import pickle
import subprocess
import tempfile
import threading
import time
from collections import Counter

from bench.common import PYTHON, ROOT, bench_environment, children, free_port, rss_bytes, stop

INVITEES = 10_000
TIMEOUT = 600  # seconds; the target is 60


class CountingSink:
    """An aiosmtpd handler that counts messages per recipient."""

    def __init__(self):
        self.lock = threading.Lock()
        self.recipients: Counter = Counter()
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages += 1
            self.recipients.update(address.lower() for address in envelope.rcpt_tos)
        return "250 OK"

    def reset(self) -> None:
        with self.lock:
            self.recipients.clear()
            self.messages = 0


PLAIN_LOOP = r"""
import pickle, smtplib, sys, time
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "rb") as handle:
    messages = pickle.load(handle)
started = time.monotonic()
with smtplib.SMTP(host, port, timeout=60) as connection:
    for sender, recipients, data in messages:
        connection.sendmail(sender, recipients, data)
print(time.monotonic() - started)
"""


def _prepare_meeting():
    from django.db.models import Count, Q
    from django.utils import timezone

    from accounts.models import User
    from meetings.services import meeting_create, table_invitees
    from tables.models import PartnershipTable

    table = (
        PartnershipTable.objects.filter(status="active", access="open")
        .annotate(n=Count("coordinators")).filter(n__gt=0).order_by("pk").first()
    )
    coordinator = table.coordinators.order_by("pk").first()
    starts = (timezone.now() + datetime.timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
    meeting = meeting_create(
        actor=coordinator, table=table, title="Valtakunnallinen järjestöareena (benchmark)",
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3), format="hybrid",
        address="Messukeskus, Helsinki", online_link="https://meet.example.org/benchmark",
        description="Kaikkien hyvinvointialueiden yhteinen järjestöareena.",
    )
    already = {invitee.email for invitee in table_invitees(meeting)}
    people = list(
        User.objects.filter(is_active=True).exclude(email__in=already)
        .filter(~Q(area_coordinator_roles__isnull=False)).order_by("pk")
        .values_list("full_name", "email")[: INVITEES - len(already)]
    )
    return coordinator, meeting, people


def _wait_for_workers(app, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= count:
            return
    raise RuntimeError("The Celery workers did not start.")


def _build_messages(meeting_id: int) -> list[tuple[str, list[str], bytes]]:
    """The same messages the workers sent, rendered once in this process (not timed)."""
    from meetings.emails import MeetingMailData, invitation_message
    from meetings.models import Invitation, Meeting

    meeting = Meeting.objects.select_related("table").get(pk=meeting_id)
    data = MeetingMailData(meeting)
    built = []
    for invitation in Invitation.objects.filter(meeting=meeting).order_by("pk"):
        invitation.meeting = meeting
        message = invitation_message(invitation, data)
        built.append((message.from_email, message.recipients(), message.message().as_bytes(linesep="\r\n")))
    return built


def run() -> dict:
    from aiosmtpd.controller import Controller
    from django.db import transaction

    from kumppanuus.celery import app
    from meetings.models import Invitation, Meeting
    from meetings.services import meeting_schedule

    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = bench_environment(EMAIL_URL=f"smtp://127.0.0.1:{port}", SITE_URL="http://127.0.0.1:8000")
    app.control.purge()
    worker = subprocess.Popen(
        [PYTHON, "-m", "celery", "-A", "kumppanuus", "worker", "--concurrency", "2", "--pool", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
         "--hostname", f"bench-fanout-{port}@%h"],
        cwd=ROOT, env=env,
    )
    meeting = None
    peaks: dict[int, int] = {}
    peak_total = 0
    try:
        _wait_for_workers(app, 1)
        coordinator, meeting, people = _prepare_meeting()
        started = time.monotonic()
        with transaction.atomic():
            invitations = meeting_schedule(actor=coordinator, meeting=meeting, extra_people=people)
        scheduled = time.monotonic() - started
        expected = len(invitations)
        while sink.messages < expected and time.monotonic() - started < TIMEOUT:
            pids = [worker.pid, *children(worker.pid)]
            total = 0
            for pid in pids:
                rss = rss_bytes(pid)
                peaks[pid] = max(peaks.get(pid, 0), rss)
                total += rss
            peak_total = max(peak_total, total)
            time.sleep(0.1)
        celery_seconds = time.monotonic() - started
        delivered, duplicates = sink.messages, sum(1 for n in sink.recipients.values() if n > 1)
        unsent = Invitation.objects.filter(meeting=meeting).exclude(delivery_status="sent").count()
        print(f"  Celery: {delivered} messages in {celery_seconds:.1f} s (schedule call {scheduled:.2f} s), "
              f"{duplicates} duplicates, {unsent} rows not sent", flush=True)
        stop(worker)
        built_started = time.monotonic()
        messages = _build_messages(meeting.pk)
        build_seconds = time.monotonic() - built_started
        sink.reset()
        with tempfile.NamedTemporaryFile(suffix=".pickle") as handle:
            pickle.dump(messages, handle)
            handle.flush()
            output = subprocess.run(
                [PYTHON, "-c", PLAIN_LOOP, "127.0.0.1", str(port), handle.name],
                stdout=subprocess.PIPE, text=True, check=True,
            ).stdout
        plain_seconds = float(output.strip())
        plain_delivered = sink.messages
        print(f"  plain smtplib loop: {plain_delivered} messages in {plain_seconds:.1f} s "
              f"(building them took {build_seconds:.1f} s, not counted)", flush=True)
    finally:
        stop(worker)
        controller.stop()
        app.control.purge()
        if meeting is not None:
            Meeting.objects.filter(pk=meeting.pk).delete()
    worker_peaks = [peak for pid, peak in peaks.items() if pid != worker.pid]
    return {
        "invitees": expected,
        "workers": "celery prefork, --concurrency 2 (2 worker processes) on Redis",
        "schedule_call_seconds": round(scheduled, 2),
        "celery_seconds": round(celery_seconds, 1),
        "delivered": delivered,
        "duplicates": duplicates,
        "rows_not_sent": unsent,
        "plain_seconds": round(plain_seconds, 1),
        "plain_delivered": plain_delivered,
        "ratio": round(plain_seconds / celery_seconds, 3),
        "peak_worker_rss_mb": round(max(worker_peaks or [0]) / 2**20, 1),
        "peak_main_process_rss_mb": round(peaks.get(worker.pid, 0) / 2**20, 1),
        "peak_total_rss_mb": round(peak_total / 2**20, 1),
        "message_build_seconds_in_bench_process": round(build_seconds, 1),
    }
