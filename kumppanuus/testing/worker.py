"""A real Celery worker (in this process, on the real Redis broker) for tests that need one.

Use the ``worker`` fixture (registered in conftest.py): eager mode is off while it runs. Its rows
must be committed (``django_db(transaction=True)``) for the worker's own connection to see them.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connections

from kumppanuus.celery import app


@app.task(name="kumppanuus.testing.close_worker_db_connections")
def close_worker_db_connections():
    """Run in the worker thread before it stops, so the test database can be dropped at the end."""
    connections.close_all()


@pytest.fixture
def worker(smtp_server):
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier, interrupted run
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
        yield worker
        close_worker_db_connections.delay().get(timeout=30)
    app.conf.task_always_eager = True


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.1)
