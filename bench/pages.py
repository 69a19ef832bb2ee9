"""Pages under load: gunicorn (2 sync workers) on the bench database, loaded by wrk with 20 connections.

Each page is loaded for BENCH_SECONDS (default 60) in turn, as the person who would open it, and
compared with /healthz (no database) served by the same server in the same run — measured before
and after the pages, and the mean taken, since the machine's load drifts. wrk runs on the same
2-core machine as gunicorn and PostgreSQL, so every figure includes their competition for the CPU.
"""

import json
import os
import shutil
import subprocess
import time
from urllib.parse import urlencode

from bench.common import BENCH_SECONDS, PYTHON, ROOT, bench_environment, free_port, stop, wait_for_http

CONNECTIONS = 20
TARGET_P95_MS = 150
TARGET_RATIO = 0.2


def session_cookie(user) -> str:
    """A signed-in session for ``user``, written straight to the session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def choose_pages() -> list[dict]:
    """The heaviest realistic case of each page in the generated data."""
    from django.conf import settings
    from django.db.models import Count, Q

    from accounts.models import User
    from meetings.models import Invitation, Meeting
    from organisations.models import Organisation, Theme, WelfareArea
    from tables.models import PartnershipTable

    theme = Theme.objects.get(slug="mental-health")
    area = WelfareArea.objects.get(code="PI")
    largest = (
        Organisation.objects.approved()
        .annotate(members=Count("memberships", filter=Q(memberships__status="approved")))
        .order_by("-members", "pk")
        .first()
    )
    representative = User.objects.filter(
        memberships__organisation=largest, memberships__role="representative", memberships__status="approved"
    ).first()
    table = (
        PartnershipTable.objects.filter(status="active", is_public=True)
        .annotate(members=Count("standing_members", filter=Q(standing_members__status="active")))
        .order_by("-members", "pk")
        .first()
    )
    top = Invitation.objects.values("meeting_id").annotate(n=Count("id")).order_by("-n", "meeting_id").first()
    meeting = Meeting.objects.select_related("table").get(pk=top["meeting_id"])
    coordinator = meeting.table.coordinators.order_by("pk").first()
    busiest = (
        # A member, not a coordinator: coordinators are invited to every meeting of their tables.
        Invitation.objects.filter(user__isnull=False, user__area_coordinator_roles__isnull=True)
        .values("user_id").annotate(n=Count("id"))
        .order_by("-n", "user_id").first()
    )
    member = User.objects.get(pk=busiest["user_id"])
    # A search that fills the page: a name most of Pirkanmaa's associations carry, with two filters.
    # (The first version searched for "mieli", which the generated names never contain, so it
    # measured an empty result page.)
    search = {"q": "tampere", "theme": theme.pk, "welfare_area": area.pk}
    found = (
        Organisation.objects.approved().filter(themes=theme, welfare_area=area)
        .filter(Q(name__icontains=search["q"]) | Q(description__icontains=search["q"])).count()
    )
    if found <= settings.DIRECTORY_PAGE_SIZE:
        raise RuntimeError(f"The directory search finds {found} organisations, not a full page; choose another term.")
    query = urlencode(search)
    return [
        {"name": "directory search", "path": f"/organisations/?{query}", "as": "anonymous",
         "note": f"text search and theme and county filters, {found} found, a page of {settings.DIRECTORY_PAGE_SIZE}"},
        {"name": "organisation page", "path": f"/organisations/{largest.pk}/", "as": "its representative",
         "cookie": session_cookie(representative), "note": f"{largest.members} members listed"},
        {"name": "table page", "path": f"/tables/{table.pk}/", "as": "anonymous",
         "note": f"{table.members} standing members"},
        {"name": "meeting page", "path": f"/meetings/{meeting.pk}/", "as": "its coordinator",
         "cookie": session_cookie(coordinator), "note": f"{top['n']} invitees"},
        {"name": "member dashboard", "path": "/me/", "as": "the most invited member",
         "cookie": session_cookie(member), "note": f"{busiest['n']} invitations"},
    ]


def wrk(url: str, *, seconds: int, cookie: str | None = None) -> dict:
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    seconds_run = figures["duration_us"] / 1e6
    return {
        "requests": figures["requests"],
        "requests_per_s": round(figures["requests"] / seconds_run, 1),
        "p50_ms": round(figures["p50_us"] / 1000, 1),
        "p95_ms": round(figures["p95_us"] / 1000, 1),
        "p99_ms": round(figures["p99_us"] / 1000, 1),
        "max_ms": round(figures["max_us"] / 1000, 1),
        "errors": figures["connect_errors"] + figures["read_errors"] + figures["write_errors"]
        + figures["non_2xx"] + figures["timeouts"],
        "non_2xx": figures["non_2xx"],
    }


def cpu_per_request(pages: list[dict], *, runs: int = 15) -> dict[str, float]:
    """The web process's own CPU time per request (median, milliseconds), measured in this process
    with Django's test client: unlike the figures under load, it hardly moves when other programs
    compete for the cores, so it shows what a change to a page did."""
    from django.test import Client
    from django.test.utils import override_settings

    figures = {}
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        for page in [{"name": "/healthz (trivial)", "path": "/healthz"}, *pages]:
            client = Client()
            if page.get("cookie"):
                name, value = page["cookie"].split("=", 1)
                client.cookies[name] = value
            client.get(page["path"])
            timings = []
            for _ in range(runs):
                started = time.process_time()
                client.get(page["path"])
                timings.append(time.process_time() - started)
            figures[page["name"]] = round(sorted(timings)[runs // 2] * 1000, 1)
    return figures


def run() -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk (make bench does it).")
    pages = choose_pages()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = bench_environment(SITE_URL=base)
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "kumppanuus.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        wait_for_http(f"{base}/healthz")
        for page in pages:  # warm up: templates compiled, connections open, caches filled
            wrk(base + page["path"], seconds=2, cookie=page.get("cookie"))
        seconds = BENCH_SECONDS
        results = {}
        before = wrk(f"{base}/healthz", seconds=seconds)
        for page in pages:
            figures = wrk(base + page["path"], seconds=seconds, cookie=page.get("cookie"))
            results[page["name"]] = {"path": page["path"], "as": page["as"], "note": page["note"], **figures}
            print(f"  {page['name']:18} {figures['requests_per_s']:8.1f} req/s  p50 {figures['p50_ms']:7.1f}  "
                  f"p95 {figures['p95_ms']:7.1f}  p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}",
                  flush=True)
        after = wrk(f"{base}/healthz", seconds=seconds)
    finally:
        stop(server)
    cpu = cpu_per_request(pages)
    trivial_rps = (before["requests_per_s"] + after["requests_per_s"]) / 2
    trivial = {**after, "requests_per_s": round(trivial_rps, 1), "before": before, "after": after}
    trivial["cpu_ms_per_request"] = cpu["/healthz (trivial)"]
    for name, figures in results.items():
        figures["cpu_ms_per_request"] = cpu[name]
        figures["ratio_to_trivial"] = round(figures["requests_per_s"] / trivial_rps, 3)
        figures["meets_p95"] = figures["p95_ms"] < TARGET_P95_MS
        figures["meets_ratio"] = figures["ratio_to_trivial"] >= TARGET_RATIO
    print(f"  {'/healthz (trivial)':18} {trivial_rps:8.1f} req/s  (before {before['requests_per_s']}, "
          f"after {after['requests_per_s']})")
    for name, value in cpu.items():
        print(f"  {name:18} {value:6.1f} ms CPU per request in the web process (in-process, median)")
    return {
        "load_average_after": os.getloadavg(),
        "seconds_per_page": seconds,
        "connections": CONNECTIONS,
        "server": "gunicorn, 2 sync workers",
        "trivial": trivial,
        "pages": results,
        "targets": {"p95_ms": TARGET_P95_MS, "ratio": TARGET_RATIO},
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
