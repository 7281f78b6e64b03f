"""Attendance by email for a marketing event: contacts created once, per-input errors inside a 200."""

from __future__ import annotations

from typing import Any

from hubspot_email.testing import _answers as answers
from hubspot_email.testing import _decisions as decide
from hubspot_email.testing._clock import iso
from hubspot_email.testing._records import AttendanceRecord, Contact
from hubspot_email.testing._wire import SimAnswer

from ._context import Context


def record_attendance(context: Context, event_id: str, state: str, body: dict[str, Any]) -> SimAnswer:
    options, record = context.options, context.record
    if options.events is not None and event_id not in options.events:
        return answers.error(
            context.ids, 404, "OBJECT_NOT_FOUND", f"Marketing event {event_id} was not found."
        )
    started_at = iso(context.now())
    results: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for item in body["inputs"]:
        email = item["email"]
        problems = decide.attendee_problems(state, email, item["properties"])
        if problems:
            errors.append(answers.input_error("; ".join(problems), {"emails": [email]}))
            continue
        contact = record.contacts.get(email.lower())
        if contact is None:
            # contactProperties apply only to contacts created here, as on HubSpot.
            contact = Contact(context.ids.vid(), email, dict(item["contactProperties"]))
            record.contacts[email.lower()] = contact
        record.add_attendance(
            AttendanceRecord(
                event_id, state, email, contact.vid, item["interactionDateTime"], dict(item["properties"])
            )
        )
        results.append({"email": email, "vid": contact.vid})
    response: dict[str, Any] = {
        "status": "COMPLETE",
        "results": results,
        "startedAt": started_at,
        "completedAt": iso(context.now()),
    }
    if errors:
        response.update(numErrors=len(errors), errors=errors)
    return answers.json_answer(200, response)
