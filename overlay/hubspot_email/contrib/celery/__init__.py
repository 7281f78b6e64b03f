"""Single sends and bulk jobs on Celery workers: `pip install 'hubspot-email[celery]'`.

    from celery import Celery
    from hubspot_email.contrib.celery import register_tasks

    app = Celery("myapp", broker="redis://localhost:6379/0", backend="redis://localhost:6379/1")
    hubspot = register_tasks(app)  # the token comes from each worker's HUBSPOT_ACCESS_TOKEN

    hubspot.send_email.delay(email_id=123456, to="ada@example.com", idempotency_key="receipt-42")
    job = hubspot.create_emails([{"timestamp": "2026-03-01T10:00:00Z", "subject": "Hi"}, ...])
    outcomes = job.collect(timeout=600)  # one per input, in order: created, failed or unknown

Tasks are acknowledged late and requeued when their worker dies. A single send's sendId comes from the
task's own key, so no delivery or retry of it sends twice; a bulk job's chunk task sends its request at
most once (a delivery after a lost worker reports `unknown`). Workers share one rate budget in Redis. A
rolling 429 or a spent budget becomes a Celery retry with the wait as its countdown; a DAILY 429, an
invalid input or HubSpot's refusal fails the task with the reason, with no retry.
"""

try:
    import celery as _celery  # noqa: F401
except ImportError as error:  # the extra is optional: say how to get it
    raise ImportError(
        f"hubspot_email.contrib.celery needs Celery ({error}): pip install 'hubspot-email[celery]'",
        name=error.name,
    ) from error

from ._decisions import (
    DailyLimitError,
    HubSpotTaskError,
    InvalidTaskInputError,
    send_id_for_task,
    trace_id_for_task,
)
from ._tasks import BatchJob, HubSpotTasks, default_client, register_tasks

__all__ = [
    "BatchJob",
    "DailyLimitError",
    "HubSpotTaskError",
    "HubSpotTasks",
    "InvalidTaskInputError",
    "default_client",
    "register_tasks",
    "send_id_for_task",
    "trace_id_for_task",
]
