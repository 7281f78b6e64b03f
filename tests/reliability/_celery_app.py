"""The Celery app the reliability test's worker runs (`celery -A _celery_app worker`): hubspot_email's
tasks on the Redis broker the test started, named in the environment with the simulator's URL and token.

The worker stops by itself when the test process that started it is gone (killed, say): a thread of the
worker's main process watches its parent and kills the worker's whole process group then.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

from celery import Celery
from celery.signals import worker_init
from hubspot_email import Client, RateLimiter
from hubspot_email.contrib.celery import register_tasks

REDIS_URL = os.environ["HUBSPOT_EMAIL_TEST_REDIS_URL"]
PARENT_PID = int(os.environ["HUBSPOT_EMAIL_TEST_PARENT_PID"])
# Shorter than the simulator's held answers (timeouts after acting), so those end as timeouts.
CLIENT_TIMEOUT = float(os.environ.get("HUBSPOT_EMAIL_TEST_CLIENT_TIMEOUT", "1.0"))

app = Celery("hubspot_email_reliability", broker=REDIS_URL, backend=REDIS_URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # One task at a time per process: a killed process holds no prefetched messages of others.
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


def _client(rate_limiter: RateLimiter) -> Client:
    # The token and the simulator's URL come from the worker's environment, never from a task.
    return Client(rate_limiter=rate_limiter, max_retries=0, timeout=CLIENT_TIMEOUT)


tasks = register_tasks(app, client_factory=_client, retry_base_delay=0.05, retry_max_delay=0.5)


def _watch_parent() -> None:
    while os.getppid() == PARENT_PID:
        time.sleep(0.5)
    os.killpg(0, signal.SIGKILL)  # the test is gone: so is every process of this worker


@worker_init.connect
def _start_watch(**_: Any) -> None:
    threading.Thread(target=_watch_parent, name="parent-watch", daemon=True).start()
