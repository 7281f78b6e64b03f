"""The send-status lookup (getSendStatus), and the status body a v4 send answers with.

A v4 send is accepted at once and completes `send_completion_delay` seconds later on the simulator's
clock (at once by default). Until then its status is PENDING with no sendResult: the send attempt has
not been made, so there is nothing for sendResult to say yet (the spec makes it optional, and
the fact sheet says the two are independent). From then on it is COMPLETE, with the sendResult decided
when the send was accepted, and startedAt, completedAt and (when SENT) the event at that moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hubspot_email.testing import _answers as answers
from hubspot_email.testing._clock import iso
from hubspot_email.testing._records import SendStatusEntry
from hubspot_email.testing._wire import SimAnswer

from ._context import Context


def status_body(entry: SendStatusEntry, now: datetime) -> dict[str, Any]:
    """The `EmailSendStatusView` of a send request as it stands at `now`."""
    body: dict[str, Any] = {
        "status": "PENDING",
        "statusId": entry.status_id,
        "requestedAt": iso(entry.requested_at),
    }
    if now < entry.completes_at:
        return body
    completed_at = iso(entry.completes_at)
    body.update(
        status="COMPLETE", sendResult=entry.send_result, startedAt=completed_at, completedAt=completed_at
    )
    if entry.event_id is not None:
        body["eventId"] = {"id": entry.event_id, "created": completed_at}
    return body


def send_status(context: Context, status_id: str) -> SimAnswer:
    """The status of the v4 send request that answered with `status_id`; 404 for an id the account
    does not know (never given, or older than the `max_records` kept)."""
    entry = context.record.send_statuses.get(status_id)
    if entry is None:
        return answers.error(
            context.ids, 404, "OBJECT_NOT_FOUND", f"No email send status was found for id {status_id}."
        )
    return answers.json_answer(200, status_body(entry, context.now()))
