"""Single sends, v4 and legacy v1: de-duplication by sendId, per-recipient results, deliveries, and each
v4 request's status (looked up by `_send_status`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from hubspot_email.testing import _answers as answers
from hubspot_email.testing import _decisions as decide
from hubspot_email.testing._clock import epoch_ms
from hubspot_email.testing._records import Delivery, SendStatusEntry
from hubspot_email.testing._wire import SimAnswer

from ._context import Context
from ._send_status import status_body


def send(context: Context, api: str, body: dict[str, Any]) -> SimAnswer:
    """`api` is "v4" (sendSingleEmail, or its dated successor: the same body) or "v1"
    (sendLegacySingleEmail)."""
    options, record = context.options, context.record
    message = body["message"]
    send_id = message.get("sendId")
    requested_at = context.now()
    if send_id is not None and send_id in record.sent_send_ids:
        if api == "v1":
            return answers.error(
                context.ids, 409, "CONFLICT", f"An email with sendId {send_id} was already sent."
            )
        return _v4_answer(context, "IDEMPOTENT_IGNORE", requested_at, event_id=None)
    result = decide.recipient_result(
        api=api,
        to=message["to"],
        sender=message.get("from"),
        email_id=body["emailId"],
        published_email_ids=options.email_ids,
        bounced=options.bounced,
        unsubscribed=options.unsubscribed,
        blocked=options.blocked,
    )
    event_id = None
    if result == "SENT":
        # Recorded on acceptance, whatever the completion delay: the send will happen, exactly once.
        event_id = context.ids.uuid()
        record.add_delivery(_delivery(api, body, event_id))
    if api == "v4":
        return _v4_answer(context, result, requested_at, event_id)
    legacy: dict[str, Any] = {"sendResult": result, "message": _legacy_message(result)}
    if event_id is not None:
        legacy["eventId"] = {"id": event_id, "created": epoch_ms(context.now())}
    return answers.json_answer(200, legacy)


def _v4_answer(context: Context, result: str, requested_at: datetime, event_id: str | None) -> SimAnswer:
    """The v4 answer: the request's status, kept so that its statusId can be looked up. Every request gets
    one, an IDEMPOTENT_IGNORE too (its status says the request was ignored as a repeat)."""
    delay = timedelta(seconds=context.options.send_completion_delay)
    entry = SendStatusEntry(
        status_id=context.ids.uuid(),
        send_result=result,
        requested_at=requested_at,
        completes_at=requested_at + delay,
        event_id=event_id,
    )
    context.record.add_send_status(entry)
    return answers.json_answer(200, status_body(entry, requested_at))


def _delivery(api: str, body: dict[str, Any], event_id: str) -> Delivery:
    message = body["message"]
    reply_to = message.get("replyTo", [])
    if api == "v1":
        reply_to = ([reply_to] if reply_to else []) + list(message.get("replyToList", []))
        contact_properties = {pair["name"]: pair["value"] for pair in body.get("contactProperties", [])}
        custom_properties = {pair["name"]: pair["value"] for pair in body.get("customProperties", [])}
    else:
        contact_properties = dict(body.get("contactProperties", {}))
        custom_properties = dict(body.get("customProperties", {}))
    return Delivery(
        api=api,
        email_id=body["emailId"],
        to=message["to"],
        send_id=message.get("sendId"),
        event_id=event_id,
        from_=message.get("from"),
        reply_to=tuple(reply_to),
        cc=tuple(message.get("cc", [])),
        bcc=tuple(message.get("bcc", [])),
        contact_properties=contact_properties,
        custom_properties=custom_properties,
    )


def _legacy_message(result: str) -> str:
    if result == "SENT":
        return "The email was sent."
    return f"The email was not sent: {result}."
