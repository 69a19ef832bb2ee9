"""CSV export of every approved organisation, streamed: the web process's memory while a coordinator
downloads /organisations/export.csv from gunicorn (one sync worker, so its pid is the one serving).

The worker first serves a small export (one county) so that code, templates and connections are
loaded; then its resident memory is sampled every 10 ms during the full download, and the growth is
the peak minus the memory just before.
"""

import subprocess
import threading
import time
import urllib.request

from bench.common import PYTHON, ROOT, bench_environment, children, free_port, rss_bytes, stop, wait_for_http

TARGET_GROWTH_MB = 50


def run() -> dict:
    from bench.pages import session_cookie
    from organisations.models import AreaCoordinator, Organisation, WelfareArea

    coordinator = AreaCoordinator.objects.select_related("user").order_by("pk").first().user
    cookie = session_cookie(coordinator)
    smallest = WelfareArea.objects.order_by("population").first()
    expected = Organisation.objects.approved().count()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "kumppanuus.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT, env=bench_environment(SITE_URL=base),
    )

    def download(path: str) -> tuple[int, int]:
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        size = lines = 0
        with urllib.request.urlopen(request, timeout=300) as response:
            while chunk := response.read(65536):
                size += len(chunk)
                lines += chunk.count(b"\n")
        return size, lines

    try:
        wait_for_http(f"{base}/healthz")
        (worker,) = children(server.pid)
        download(f"/organisations/export.csv?welfare_area={smallest.pk}")
        time.sleep(0.5)
        before = rss_bytes(worker)
        peak = before
        done = threading.Event()

        def sample():
            nonlocal peak
            while not done.is_set():
                peak = max(peak, rss_bytes(worker))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.monotonic()
        try:
            size, lines = download("/organisations/export.csv")
        finally:
            seconds = time.monotonic() - started
            done.set()
            sampler.join()
        after = rss_bytes(worker)
    finally:
        stop(server)
    growth = (peak - before) / 2**20
    figures = {
        "rows": lines - 1,
        "expected_rows": expected,
        "bytes": size,
        "seconds": round(seconds, 2),
        "rss_before_mb": round(before / 2**20, 1),
        "rss_peak_mb": round(peak / 2**20, 1),
        "rss_after_mb": round(after / 2**20, 1),
        "growth_mb": round(growth, 1),
        "target_growth_mb": TARGET_GROWTH_MB,
    }
    print(f"  {figures['rows']} organisations, {size / 2**20:.1f} MB in {seconds:.1f} s; worker RSS "
          f"{figures['rss_before_mb']} → peak {figures['rss_peak_mb']} MB (growth {figures['growth_mb']} MB)")
    return figures
