"""Real services for the fault tests (test_faults.py): a Redis server of the test's own, Celery
worker processes, and an SMTP sink that can refuse, hold or count what it is sent.

Every process started here is started in its own session (process group), so a test can kill a
whole worker, pool children included, with one SIGKILL, and always stops it in a ``finally``. If
pytest itself is killed before that, the kernel kills them too (PR_SET_PDEATHSIG), so no worker
is left holding a connection to the test database.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from email.parser import BytesHeaderParser
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]  # the repository
CELERY = str(Path(sys.executable).with_name("celery"))
_LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: the child after fork only calls into it
_PR_SET_PDEATHSIG = 1


def _die_with_pytest() -> None:
    """Run in the child before exec: SIGKILL when the process that started it dies."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, interval: float = 0.1):
    """Polls ``condition`` until it returns something true; fails the test naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def _stop_group(process: subprocess.Popen, *, grace: float) -> None:
    """SIGTERM to the process group, SIGKILL to whatever is left after ``grace`` seconds."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    # Pool children may outlive a main process that died first; the group still names them.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


# --- Redis --------------------------------------------------------------------------------


class RedisServer:
    """``redis-server`` on a spare port, without persistence: killing it loses every queued task."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--loglevel", "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_pytest,
        )
        wait_for(self._answers, timeout=15, what=f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Stops it the hard way (SIGKILL), as a crash or an OOM kill would."""
        if self.process is not None:
            _stop_group_hard(self.process)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=5)
            self.process = None


def _stop_group_hard(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# --- Celery workers -----------------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is using now (in a test: the test database)."""
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{settings_dict['USER']}{password}@{host}:{port}/{settings_dict['NAME']}"


class CeleryWorker:
    """``celery -A kumppanuus worker`` as a separate process on the given broker, database and SMTP server."""

    def __init__(
        self, *, name: str, database_url: str, redis_url: str, smtp_port: int, log_dir: Path,
        concurrency: int = 2, env: dict[str, str] | None = None,
    ):
        self.name = name
        self.concurrency = concurrency
        self.log_path = log_dir / f"worker-{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "kumppanuus.settings",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_RESULT_BACKEND": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": "http://testserver",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                CELERY, "-A", "kumppanuus", "worker", "--pool", "prefork", "--concurrency", str(self.concurrency),
                "--hostname", f"{self.name}@faults", "--loglevel", "INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_pytest,  # its pool processes exit when it does
        )
        log.close()
        return self

    def children(self) -> list[int]:
        """The pool processes (prefork children) of the running worker."""
        result = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in result.stdout.split()]

    def wait_ready(self, timeout: float = 60) -> None:
        wait_for(
            lambda: " ready." in self.log() or self.process.poll() is not None,
            timeout=timeout, what=f"worker {self.name} to start",
        )
        assert self.process.poll() is None, f"worker {self.name} exited:\n{self.log()[-3000:]}"

    def kill_child(self, pid: int) -> None:
        """SIGKILL to one pool process; the main process sees the worker lost (reject_on_worker_lost)."""
        os.kill(pid, signal.SIGKILL)

    def kill(self) -> None:
        """SIGKILL to the main process and its pool at once, as when the host or container dies."""
        if self.process is not None:
            _stop_group_hard(self.process)

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process, grace=15)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


# --- The SMTP sink ------------------------------------------------------------------------


class SmtpSink:
    """An aiosmtpd handler that counts the messages each address receives (and their Message-IDs).

    It can refuse addresses for good (``refuse_permanently``: 550), refuse each address's first
    ``refuse_first`` attempts (451), and hold conversations from a given moment on (``hold_after``)
    so a test can kill a worker at a known point of the SMTP conversation: at RCPT, before the
    message is handed over; or at the end of DATA, after the server has taken the message and before
    the client hears so, the one moment the outbox cannot cover (docs/faults.md).
    """

    def __init__(self):
        self._lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.message_ids: dict[str, list[str]] = defaultdict(list)
        self.attempts: dict[str, list[float]] = defaultdict(list)
        self.refuse_permanently: set[str] = set()
        self.refuse_first = 0
        self.data_delay = 0.0  # seconds the server takes over each message, as a slow server would
        self._hold_after: int | None = None
        self._hold_stage = "RCPT"
        self._release = threading.Event()  # a new one for each hold, so a release is never missed
        self.held = 0

    # -- what the tests read
    @property
    def total(self) -> int:
        with self._lock:
            return sum(self.received.values())

    def counts(self) -> Counter[str]:
        with self._lock:
            return Counter(self.received)

    # -- holding the conversation
    def hold_after(self, messages: int, *, stage: str = "RCPT") -> None:
        """From the moment ``messages`` messages have arrived, every conversation waits for
        ``release()`` at ``stage``: "RCPT" (before the next message is taken) or "DATA" (the
        message has been taken; the answer to the client waits)."""
        with self._lock:
            self._release = threading.Event()
            self._hold_after, self._hold_stage = messages, stage

    def release(self) -> None:
        with self._lock:
            self._hold_after = None
            self._release.set()

    async def _hold(self, stage: str) -> None:
        with self._lock:
            holding = self._hold_after is not None and self._hold_stage == stage
            if not holding or sum(self.received.values()) < self._hold_after:
                return
            release = self._release
            self.held += 1
        try:
            while not release.is_set():
                await asyncio.sleep(0.02)
        finally:
            with self._lock:
                self.held -= 1

    # -- aiosmtpd hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self._hold("RCPT")
        with self._lock:
            self.attempts[address].append(time.monotonic())
            tries = len(self.attempts[address])
        if address in self.refuse_permanently:
            return "550 5.1.1 No such mailbox here"
        if tries <= self.refuse_first:
            return "451 4.3.2 Too busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay:
            await asyncio.sleep(self.data_delay)
        message_id = BytesHeaderParser().parsebytes(envelope.original_content or b"")["Message-ID"]
        with self._lock:
            for address in envelope.rcpt_tos:
                self.received[address] += 1
                self.message_ids[address].append(message_id)
        await self._hold("DATA")
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd Controller for ``sink`` on ``port``; start and stop it as often as needed."""

    def __init__(self, sink: SmtpSink, port: int | None = None):
        self.sink = sink
        self.port = port or free_port()
        self._controller = None

    def start(self) -> SmtpServer:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self.sink.release()  # held conversations must not keep the loop from stopping
            self._controller.stop()
            self._controller = None


# --- Publishing from the test process -----------------------------------------------------


@contextlib.contextmanager
def publishing_to(app, broker_url: str):
    """Makes this process's Celery app publish to ``broker_url`` with real workers (not eagerly)."""
    saved = app.conf.broker_url, app.conf.task_always_eager

    def reset_pools():
        # kombu keeps one pool per broker URL; dropping the app's references makes it use the new one.
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url, app.conf.task_always_eager = saved


# --- One person answering, for the concurrent RSVP test -----------------------------------

RSVP_CLIENT = r'''
import http.client, http.cookies, json, re, sys, urllib.parse

url, answer = sys.argv[1], sys.argv[2]
parts = urllib.parse.urlsplit(url)
headers = {"Accept-Language": "en", "Connection": "close"}
get = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
get.request("GET", parts.path, headers=headers)
response = get.getresponse()
page = response.read().decode()
cookies = http.cookies.SimpleCookie()
for value in response.headers.get_all("Set-Cookie") or []:
    cookies.load(value)
get.close()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "response": answer, "note": ""})
# Connected before the signal, so that all the answers reach the server together.
post = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
post.connect()
print("ready", flush=True)
sys.stdin.readline()
post.request("POST", parts.path, body=body, headers={
    **headers, "Content-Type": "application/x-www-form-urlencoded", "Referer": url,
    "Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items()),
})
response = post.getresponse()
text = response.read().decode()
outcome = {"status": response.status, "waitlisted": "waiting list" in text, "saved": "Thank you" in text}
print(json.dumps(outcome), flush=True)
'''


def start_rsvp_client(url: str, answer: str) -> subprocess.Popen:
    """A separate process that opens a one-click RSVP link, then posts the answer when told to."""
    return subprocess.Popen(
        [sys.executable, "-c", RSVP_CLIENT, url, answer],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
