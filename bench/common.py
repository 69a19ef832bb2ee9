"""What every benchmark shares: the bench database and Redis db, the machine, the results files.

The benchmarks never touch the development or test databases: they use BENCH_DATABASE_URL
(default postgres://postgres@localhost:5432/kumppanuus_bench) and Redis db 12, and fill the
database with ``generate_scale_data`` (scale BENCH_SCALE, default 1) the first time.
"""

import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@localhost:5432/kumppanuus_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://localhost:6379/12")
BENCH_SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
BENCH_SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(**extra: str) -> dict[str, str]:
    """The environment of the bench process and of every server or worker it starts."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="kumppanuus.settings",
        DATABASE_URL=BENCH_DATABASE_URL,
        REDIS_URL=BENCH_REDIS_URL,
        SECRET_KEY="bench-only-secret-key-not-used-anywhere-else-0123456789abcdef",
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=env.get("SITE_URL", "http://127.0.0.1:8000"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        EMAIL_URL=env.get("EMAIL_URL", "dummymail://"),
    )
    env.update(extra)
    return env


def setup_django(**extra: str) -> None:
    """Points this process at the bench database and starts Django."""
    os.environ.update(bench_environment(**extra))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _server(database: str = "postgres"):
    """An autocommit connection to the bench database's server (psycopg, no psql needed)."""
    from urllib.parse import urlparse

    import psycopg

    url = urlparse(BENCH_DATABASE_URL)
    return psycopg.connect(
        host=url.hostname or "localhost", port=url.port or 5432, user=url.username or "postgres",
        password=url.password, dbname=database, autocommit=True,
    )


def ensure_database() -> None:
    """Creates, migrates and fills the bench database if it is not there yet."""
    from urllib.parse import urlparse

    name = urlparse(BENCH_DATABASE_URL).path.lstrip("/")
    with _server() as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and os.environ.get("BENCH_REBUILD"):
            connection.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = bench_environment()
    manage = [PYTHON, str(ROOT / "manage.py")]
    migrated = subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, cwd=ROOT)
    if migrated.returncode:
        raise SystemExit(f"Could not migrate {name}; BENCH_REBUILD=1 drops it and makes it afresh (~1 minute).")
    filled = subprocess.run(
        [*manage, "shell", "-c", "from organisations.models import Organisation; print(Organisation.objects.count())"],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True,
    ).stdout.strip().splitlines()[-1:]  # the shell may say first how many objects it imported
    if filled in ([], ["0"]):
        print(f"Filling {name} with generate_scale_data --scale {BENCH_SCALE} …", flush=True)
        subprocess.run([*manage, "generate_scale_data", "--scale", str(BENCH_SCALE)], env=env, check=True, cwd=ROOT)


def machine() -> dict:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return ""

    try:
        with _server() as connection:
            postgres = connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the machine's description must not stop a run
        postgres = ""
    memory_kb = first("/proc/meminfo", "MemTotal").split()[0] if first("/proc/meminfo", "MemTotal") else "0"
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(int(memory_kb) / 1024 / 1024, 1),
        "cpu": first("/proc/cpuinfo", "model name"),
        "postgresql": postgres,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def save(name: str, figures: dict) -> Path:
    """Writes bench/results/<name>.json with the figures, when and where they were measured."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "benchmark": name,
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": figures,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return path


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Every descendant of a process, from /proc."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                for child in (task / "children").read_text().split():
                    found.append(int(child))
                    queue.append(int(child))
        except OSError:
            continue
    return found


def wait_for_http(url: str, *, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s")
        time.sleep(0.3)


def stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    """Ends a process this benchmark started (TERM, then KILL), by its own id."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)
