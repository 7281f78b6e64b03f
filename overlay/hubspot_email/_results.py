"""`SingleSendResult`: what a single send (v4 or legacy v1) returns, never None on a 2xx."""

from __future__ import annotations

from dataclasses import dataclass

from hubspot_email_api.models import (
    EmailSendStatusView,
    LegacySendResponse,
    LegacySendResult,
    ProcessingStatus,
    SendResult,
)
from hubspot_email_api.types import Unset

__all__ = ["SingleSendResult"]

# Sent, or accepted for sending. IDEMPOTENT_IGNORE: an email with this sendId was already sent (as after
# a retry whose first attempt went through), so the caller's intent is met.
ACCEPTED_RESULTS = frozenset({"SENT", "QUEUED", "IDEMPOTENT_IGNORE"})
# Results that name a passing condition on HubSpot's side: the same send may succeed later.
RETRYABLE_RESULTS = frozenset({"THROTTLED", "ATTACHMENT_DOWNLOAD_QUEUE_FULL"})
IN_FLIGHT_STATUSES = frozenset({"PENDING", "PROCESSING", "COMPLETE"})


@dataclass(frozen=True)
class SingleSendResult:
    """The outcome of one single send. `raw` is the parsed body, unknown fields included."""

    send_result: SendResult | LegacySendResult | str | None
    status: ProcessingStatus | str | None
    status_id: str | None
    event_id: str | None
    message: str | None
    raw: EmailSendStatusView | LegacySendResponse

    @property
    def ok(self) -> bool:
        """Sent or accepted; with no result yet, a send still in flight (PENDING, PROCESSING) counts."""
        if self.send_result is not None:
            return str(self.send_result) in ACCEPTED_RESULTS
        return self.status is not None and str(self.status) in IN_FLIGHT_STATUSES

    @property
    def retryable(self) -> bool:
        """Not sent now, but the same send (same send_id) may succeed later."""
        return self.send_result is not None and str(self.send_result) in RETRYABLE_RESULTS


def from_v4(view: EmailSendStatusView) -> SingleSendResult:
    return SingleSendResult(
        send_result=None if isinstance(view.send_result, Unset) else view.send_result,
        status=view.status,
        status_id=view.status_id,
        event_id=None if isinstance(view.event_id, Unset) else view.event_id.id,
        message=None if isinstance(view.message, Unset) else view.message,
        raw=view,
    )


def from_legacy(response: LegacySendResponse) -> SingleSendResult:
    return SingleSendResult(
        send_result=response.send_result,
        status=None,
        status_id=None,
        event_id=None if isinstance(response.event_id, Unset) else response.event_id.id,
        message=None if isinstance(response.message, Unset) else response.message,
        raw=response,
    )
